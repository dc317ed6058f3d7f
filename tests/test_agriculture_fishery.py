"""agriculture/fishery_periods (the fishery cards, ranking and change column of the agriculture page) against
the definitions it sums like: the macros fishery_indicators (20_indicators.sql) and aquaculture_area
(32_farm_tourism.sql), called directly for each period, unit, scope and the city. Hand-computed values on the
small fixture of tests/test_agriculture_page.py (same fishery rows), then generated rows with decimals.

Output tonnes are compared to the last bit (the cards show whole tonnes, so a different order of adding could
move a figure at ,5). The area of several units is a sum of means, and the macro itself gives a different
last bit depending on the statement around it (the former fishery_units and fishery_total queries disagreed
on the sample for three scopes), so it is compared to 1e-12 relative.
"""
from __future__ import annotations

import random
from datetime import date

import pandas as pd
import pytest
from test_agriculture_page import FISH, FISH_HEADER  # the same fishery rows

from communes import groups, periods, queries, refdata, settings

PQ, DD, VY_DA = "19873", "19885", "19777"
COLS = ["aquaculture_tonnes", "capture_tonnes", "fishery_tonnes", "aquaculture_area_ha", "aquaculture_t_per_ha",
        "fishery_share"]


def fishery(con, p, c, o, units):
    return queries.run("agriculture/fishery_periods", con=con, start=p.start, end=p.end, cmp_start=c.start,
                       cmp_end=c.end, other_start=None if o is None else o.start,
                       other_end=None if o is None else o.end, units=units)


def part(df, period, unit):
    rows = df[(df["period"] == period) & (df["unit_code"].isna() if unit is None else df["unit_code"] == unit)]
    assert len(rows) <= 1
    return None if not len(rows) else {k: (None if pd.isna(v) else v) for k, v in rows.iloc[0][COLS].items()}


@pytest.fixture
def fx_con(make_exports, build_db):
    return build_db(make_exports(fishery=(FISH_HEADER, FISH)))


def test_by_hand(fx_con):
    q3, q2, q3_2024 = periods.parse("2025-Q3"), periods.parse("2025-Q2"), periods.parse("2024-Q3")
    df = fishery(fx_con, q3, q2, q3_2024, None)
    # Q3/2025: Phong Quảng 10 + 12 + 8 = 30 t farmed on 20, 22, 24 ha (mean 22), 30 + 28 = 58 t caught;
    # Đan Điền 40 t on 50 ha, 60 t caught; the city 70 + 118 = 188 t, 22 + 50 = 72 ha
    assert part(df, "now", PQ) == pytest.approx({"aquaculture_tonnes": 30, "capture_tonnes": 58, "fishery_tonnes": 88,
        "aquaculture_area_ha": 22, "aquaculture_t_per_ha": 30 / 22, "fishery_share": 88 / 188})
    assert part(df, "now", DD) == pytest.approx({"aquaculture_tonnes": 40, "capture_tonnes": 60, "fishery_tonnes": 100,
        "aquaculture_area_ha": 50, "aquaculture_t_per_ha": 0.8, "fishery_share": 100 / 188})
    assert part(df, "now", None) == pytest.approx({"aquaculture_tonnes": 70, "capture_tonnes": 118,
        "fishery_tonnes": 188, "aquaculture_area_ha": 72, "aquaculture_t_per_ha": 70 / 72, "fishery_share": 1.0})
    assert all(v is None for v in part(df, "now", VY_DA).values())  # listed, no data (never 0)
    # Q2/2025: Quảng Công (→ Phong Quảng) 5 t on 20 ha in May
    assert part(df, "before", PQ) == pytest.approx({"aquaculture_tonnes": 5, "capture_tonnes": 0, "fishery_tonnes": 5,
        "aquaculture_area_ha": 20, "aquaculture_t_per_ha": 0.25, "fishery_share": 1.0})
    assert all(v is None for v in part(df, "before", DD).values())
    # Q3/2024: Quảng Ngạn (→ Phong Quảng) 25 t caught, Quảng Phú (→ Đan Điền) 30 t farmed on 40 ha
    assert part(df, "other", None) == pytest.approx({"aquaculture_tonnes": 30, "capture_tonnes": 25,
        "fishery_tonnes": 55, "aquaculture_area_ha": 40, "aquaculture_t_per_ha": 0.75, "fishery_share": 1.0})
    assert len(df) == 3 * 40 + 3  # every unit in each period, and three scope rows


def test_scope_share_and_empty_periods_by_hand(fx_con):
    q3 = periods.parse("2025-Q3")
    df = fishery(fx_con, q3, periods.parse("2023-Q3"), None, [DD, VY_DA])
    assert part(df, "now", None) == pytest.approx({"aquaculture_tonnes": 40, "capture_tonnes": 60,
        "fishery_tonnes": 100, "aquaculture_area_ha": 50, "aquaculture_t_per_ha": 0.8, "fishery_share": 100 / 188})
    assert part(df, "before", None) is None  # no fishery row in Q3/2023: no scope row (no data)
    assert sorted(df.loc[df["period"] == "before", "unit_code"]) == [VY_DA, DD]
    assert "other" not in set(df["period"])  # no other comparison asked: no rows


def generated(seed=3):
    rng = random.Random(seed)
    units = [PQ, DD, VY_DA, "19753", "20161", "19774"]
    rows = []
    for y, m in [(y, m) for y in (2024, 2025, 2026) for m in range(1, 13)][:30]:
        for u in units:
            if rng.random() < 0.2:
                continue  # the unit did not report that month
            area = "" if rng.random() < 0.3 else f"{rng.uniform(5, 400):.2f}"
            rows.append([u, f"{y}-{m:02d}", "Nuôi trồng", f"{rng.uniform(0, 300):.1f}", area])
            if rng.random() < 0.8:
                rows.append([u, f"{y}-{m:02d}", "Khai thác", f"{rng.uniform(0, 900):.3f}", ""])
    return rows


MACROS = """
select
    f.aquaculture_tonnes,
    f.capture_tonnes,
    f.aquaculture_tonnes + f.capture_tonnes as fishery_tonnes,
    a.aquaculture_area_ha,
    rate(f.aquaculture_tonnes, a.aquaculture_area_ha) as aquaculture_t_per_ha,
    rate(f.aquaculture_tonnes + f.capture_tonnes, c.aquaculture_tonnes + c.capture_tonnes) as fishery_share
from fishery_indicators($start, $end, $units, false) as f
left join aquaculture_area($start, $end, $units, false) as a on true
left join fishery_indicators($start, $end, null, false) as c on true
"""


def by_macros(con, p, units):
    cur = con.execute(MACROS, {"start": p.start, "end": p.end, "units": units})
    row = cur.fetchone()
    return None if row is None else {d[0]: (None if v is None or v != v else v) for d, v in zip(cur.description, row)}


@pytest.mark.slow
def test_every_row_equals_the_macros_on_generated_rows(make_exports, build_db):
    con = build_db(make_exports(fishery=(FISH_HEADER, generated())))
    ref = refdata.load(settings.get("province"))
    checked = 0
    for code in ["2024-01", "2025-02", "2025-Q3", "2024", "2025", "2026-Q2", "2024-03-10..2025-07-20", "2026-08"]:
        p = periods.parse(code)
        c, o = p.previous(), p.last_year()
        for units in (None, [PQ], [PQ, DD, VY_DA], groups.scope_units(ref, "xa"), groups.scope_units(ref, "coastal")):
            df = fishery(con, p, c, o, units)
            for name, q in (("now", p), ("before", c), ("other", o)):
                for unit in [None] + [u for u in ref.units.unit_code if units is None or u in units]:
                    got, exp = part(df, name, unit), by_macros(con, q, units if unit is None else [unit])
                    if exp is None:  # no fishery row: the scope has no row, a unit a row of nulls
                        assert got is None if unit is None else all(v is None for v in got.values())
                        continue
                    for k in ("aquaculture_tonnes", "capture_tonnes", "fishery_tonnes"):
                        assert got[k] == exp[k], (code, name, unit, k)  # to the last bit
                    for k in ("aquaculture_area_ha", "aquaculture_t_per_ha", "fishery_share"):
                        assert got[k] == pytest.approx(exp[k], rel=1e-12, abs=0), (code, name, unit, k)
                    checked += 1
    assert checked > 300


# The two monthly queries as they were: one macro call per month (lateral), kept here as the definition.
MONTHS = """
with months as (
    select cast(m as date) as month
    from range(cast(date_trunc('month', cast($start as date)) as timestamp),
               cast(cast($end as date) as timestamp) + interval 1 day, interval 1 month) as r(m)
    where cast(m as date) >= cast($start as date)
),
"""
OLD_UNIT_MONTH = MONTHS + """final as (
    select
        f.unit_code, u.unit_name, u.short_name, months.month, f.aquaculture_tonnes, f.capture_tonnes,
        f.aquaculture_tonnes + f.capture_tonnes as fishery_tonnes, m.aquaculture_area_ha
    from months
    cross join lateral (select * from fishery_indicators(months.month, last_day(months.month), $units, true)) as f
    join ref_units as u on u.unit_code = f.unit_code
    left join fishery_unit_month as m on m.unit_code = f.unit_code and m.month = months.month
)
select * from final
order by unit_code, month
"""
OLD_MONTHLY = MONTHS + """final as (
    select months.month, f.aquaculture_tonnes, f.capture_tonnes, f.aquaculture_tonnes + f.capture_tonnes as fishery_tonnes
    from months
    cross join lateral (select * from fishery_indicators(months.month, last_day(months.month), $units, false)) as f
)
select * from final
order by month
"""


def test_monthly_queries_by_hand(fx_con):
    run = lambda name, **p: queries.run(name, con=fx_con, **p)  # noqa: E731
    m = run("agriculture/fishery_monthly", start=date(2025, 5, 15), end=date(2025, 9, 30), units=None)
    # May starts before 15/05: not in; June has no row (a gap); July 10 + 30 + 40, Aug 12 + 28 + 60, Sep 8
    assert [(d.month, a, c) for d, a, c in zip(m["month"], m["aquaculture_tonnes"], m["capture_tonnes"])] == \
        [(7, 50, 30), (8, 12, 88), (9, 8, 0)]
    u = run("agriculture/fishery_unit_month", start=date(2025, 4, 1), end=date(2025, 9, 30), units=[PQ])
    # Quảng Công's May row belongs to Phong Quảng; each month keeps its own area (never summed)
    assert [(d.month, t, a) for d, t, a in zip(u["month"], u["fishery_tonnes"], u["aquaculture_area_ha"])] == \
        [(5, 5, 20), (7, 40, 20), (8, 40, 22), (9, 8, 24)]


def test_monthly_queries_equal_the_macro_per_month(make_exports, build_db):
    con = build_db(make_exports(fishery=(FISH_HEADER, generated())))
    ref = refdata.load(settings.get("province"))
    rows = 0
    for start, end in [(date(2024, 1, 1), date(2026, 12, 31)), (date(2024, 3, 2), date(2025, 7, 31)),
                       (date(2025, 6, 1), date(2025, 6, 30)), (date(2026, 9, 1), date(2026, 12, 31))]:
        for units in (None, [PQ], [PQ, DD, VY_DA], groups.scope_units(ref, "coastal")):
            p = {"start": start, "end": end, "units": units}
            for name, old in (("agriculture/fishery_unit_month", OLD_UNIT_MONTH), ("agriculture/fishery_monthly", OLD_MONTHLY)):
                new, exp = queries.run(name, con=con, **p), con.execute(old, p).df()
                pd.testing.assert_frame_equal(new, exp, check_exact=True)  # to the last bit
                rows += len(new)
    assert rows > 200
