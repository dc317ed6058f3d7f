"""The overview's unit table (communes.views.overview.unit_table: the dossier columns through communes.rollups,
from the build-time dossier_unit_period for a stored period) against the live macros for every standard
period the database keeps and several scopes; and by hand for Q3/2025 on the tourism and agriculture pages'
fixtures (their module docstrings give the sums).
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from conftest import write_csv
from test_agriculture_page import DD, PQ, make
from test_tourism_page import TOURISM, TOURISM_HEADER

from communes import db, kpi, periods, queries, refdata, rollups, settings
from communes.views import overview as ov


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    root = tmp_path_factory.mktemp("overview-cached")
    data = make(root)
    write_csv(data / "tourism.csv", TOURISM_HEADER, TOURISM)
    return queries.connection(db.build(data, root / "db").path)


def run(con, name, start, end, units):
    return queries.run(name, con=con, start=start, end=end, units=units)


def test_q3_2025_by_hand(con):
    t = run(con, "overview/unit_table", date(2025, 7, 1), date(2025, 9, 30), None).set_index("unit_code")
    assert t.loc[PQ, "visitors"] == 3600 and t.loc[DD, "visitors"] == 4000  # tourism page docstring
    assert t.loc[PQ, "revenue_vnd"] == 1.8e9 and t.loc[DD, "revenue_vnd"] == 1.6e9
    # rice: the calendar year 2025 (agriculture page docstring): 270 ha, 1.120 t, 41,5 tạ/ha; 400 / 2.200 / 55,0
    assert (t.loc[PQ, "rice_area_ha"], t.loc[PQ, "rice_production_tonnes"]) == (270, 1120)
    assert t.loc[PQ, "rice_yield_quintal_per_ha"] == pytest.approx(1120 * 10 / 270)
    assert t.loc[DD, "rice_yield_quintal_per_ha"] == pytest.approx(55.0)
    # fishery Q3/2025: Phong Quảng 30 t aquaculture, 58 t capture; Đan Điền 40 and 60
    assert (t.loc[PQ, "aquaculture_tonnes"], t.loc[PQ, "capture_tonnes"]) == (30, 58)
    assert (t.loc[DD, "aquaculture_tonnes"], t.loc[DD, "capture_tonnes"]) == (40, 60)
    assert len(t) == 40 and t.drop(index=[PQ, DD, "19753"])["visitors"].isna().all()  # no data, never 0


def test_equals_the_live_macros_for_every_kept_period_and_scope(con):
    kept = con.execute("select start, \"end\" from dossier_periods order by start, \"end\"").fetchall()
    assert len(kept) > 30
    phuong = [r[0] for r in con.execute("select unit_code from ref_units where unit_type = 'Phường'").fetchall()]
    ref = refdata.load(settings.get("province"))

    def runner(name, **p):
        return queries.run(name, con=con, **p)

    stored = rollups.Stored.load(runner)
    checked = 0
    for start, end in kept:
        assert stored.has(start, end)
        period = periods.Period(start, end, "range")
        for units in (None, phuong, [PQ], [DD, PQ]):
            table = ov.unit_table(runner, ref, period, units, stored)
            live = run(con, "overview/unit_table", start, end, units).merge(
                queries.run("kpi/dossiers", con=con, start=start, end=end, units=units, by_unit=True),
                on="unit_code", how="left")
            keys = [k for section in kpi.KEYS.values() for k in section]
            # the table keeps counts as nullable integers; compared as numbers, a missing count on both sides is equal
            as_numbers = dict.fromkeys(keys, "float64")
            pd.testing.assert_frame_equal(table[["unit_code", *keys]].astype(as_numbers), live[["unit_code", *keys]].astype(as_numbers),
                                          check_exact=False, rtol=1e-12, atol=0)
            checked += 1
    assert checked == 4 * len(kept)
