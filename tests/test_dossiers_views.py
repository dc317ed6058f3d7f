"""Dossier rollups and page queries: the build-time rollup equals the live macro (kpi.compute) for every
kind of period and scope; backlog and pending lists agree with Biểu 06; hand-computed values on the fixture."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from communes import exports, groups, kpi, periods, queries, refdata, rollups, settings
from communes import service_index as si
from communes.frame import Frame
from communes.views import dossiers as dv
from communes.views import overview as ov
from tests.conftest import DOSSIER_HEADER

PQ, DD = "19873", "19885"
UNITS = [PQ, DD, "19753", "19774", "20161"]  # Phong Quảng, Đan Điền, Phú Xuân, Kim Long, Khe Tre


def generated_dossiers(n: int = 1500, seed: int = 7) -> list[list]:
    """Deterministic dossiers over five units, Nov 2024 – Oct 2025, with times, late and pending ones."""
    rng = random.Random(seed)
    fields = ["Hộ tịch", "Chứng thực", "Đất đai"]
    rows = []
    for i in range(n):
        unit = rng.choice(UNITS)
        rec = datetime(2024, 11, 1, 8) + timedelta(days=rng.randrange(365), minutes=rng.randrange(540))
        due = (rec + timedelta(days=rng.randrange(1, 12))).date()
        due_s = f"{due:%Y-%m-%d}" if rng.random() < 0.7 else f"{due:%Y-%m-%d} 16:00"
        late = rng.random() < 0.12
        done = datetime.combine(due, datetime.min.time()) + timedelta(
            days=rng.randrange(1, 40) if late else -rng.randrange(0, 3), hours=rng.choice([9, 15, 17]))
        done = max(done, rec + timedelta(hours=1))
        comp = "" if rng.random() < 0.04 or done > datetime(2025, 10, 31, 17) else f"{done:%Y-%m-%d %H:%M}"
        rows.append([f"G{i}", unit, rng.choice(fields), str(rng.choice([1, 2, 2, 3])), f"{rec:%Y-%m-%d %H:%M}",
                     due_s, comp, rng.choice(["1", "0"]), rng.choice(["", "Hài lòng", "Không hài lòng"]) if comp else ""])
    return rows


@pytest.fixture(scope="module")
def gen_con(tmp_path_factory):
    from communes import db
    from tests.conftest import write_csv
    d = tmp_path_factory.mktemp("gen")
    write_csv(d / "dossiers.csv", DOSSIER_HEADER, generated_dossiers())
    write_csv(d / "events.csv", ["date", "label", "unit"], [["2025-10-28", "Lũ lịch sử", ""],
                                                            ["2025-08-01", "Khai trương", "Phong Quảng"]])
    res = db.build(d, tmp_path_factory.mktemp("gendb"))
    return queries.connection(res.path)


@pytest.fixture(scope="module")
def ref():
    return refdata.load(settings.get("province"))


def plain(con):
    return lambda name, **p: queries.run(name, con=con, **p)


PERIODS = ["2025-01", "2025-07", "2025-10", "2025-Q1", "2025-Q3", "2025-Q4", "2024", "2025", "2026-01",
           "2025-03-10..2025-08-20"]


def scopes(ref):
    return [None, [PQ], [PQ, DD], *(groups.scope_units(ref, s) for s in ("phuong", "xa", "coastal", "mountain"))]


def test_every_stored_query_has_its_live_twin():
    """``<name>_stored`` reads what the build stored; ``<name>`` computes the same live (communes.rollups)."""
    stored = [n for n in queries.QUERIES if n.endswith("_stored")]
    assert sorted(stored) == ["dossiers/field_unit_stored", "dossiers/trend_stored", "kpi/dossiers_stored"]
    for name in stored:
        assert queries.QUERIES[name].params == queries.QUERIES[name.removesuffix("_stored")].params, name


def test_stored_periods_and_scopes(gen_con, ref):
    stored = rollups.Stored.load(plain(gen_con))
    for code in ("2023-01", "2025-07", "2025-Q3", "2025"):  # from January of the year before the first dossier
        p = periods.parse(code)
        assert stored.has(p.start, p.end), code
    ytd = periods.ytd(date(2025, 10, 31))
    assert stored.has(ytd.start, ytd.end) and stored.has(ytd.last_year().start, ytd.last_year().end)
    assert not stored.has(date(2025, 3, 10), date(2025, 8, 20))  # a custom range is computed live
    assert not stored.has(date(2022, 12, 1), date(2022, 12, 31))  # before the stored span
    for scope in ("all", "phuong", "xa", "coastal", "mountain"):
        assert rollups.scope_key(groups.scope_units(ref, scope)) in stored.scopes, scope
    assert rollups.scope_key([PQ, DD]) not in stored.scopes


def test_rollup_equals_live_macro_for_every_kind_of_period_and_scope(gen_con, ref):
    run = plain(gen_con)
    stored = rollups.Stored.load(run)
    as_of = date(2025, 10, 31)
    ps = [periods.parse(p) for p in PERIODS] + [periods.ytd(as_of), periods.ytd(as_of).last_year()]
    hits = 0
    for p in ps:
        for units in scopes(ref):
            for by_unit in (False, True):
                live = run("kpi/dossiers", start=p.start, end=p.end, units=units, by_unit=by_unit)
                got = rollups.dossiers(run, p.start, p.end, units, by_unit, stored)
                pd.testing.assert_frame_equal(got[live.columns].reset_index(drop=True), live, check_dtype=False)
                if stored.has(p.start, p.end, units, by_unit):
                    hits += 1
                    direct = run("kpi/dossiers_stored", start=p.start, end=p.end, units=units, by_unit=by_unit)
                    assert list(direct.columns) == list(live.columns)
                    pd.testing.assert_frame_equal(direct, live, check_dtype=False)
            assert kpi.section(run, "dossiers", p, units, stored) == kpi.compute(p, units, con=gen_con)["dossiers"]
    # the 10 stored periods (8 of PERIODS, not the custom range nor 2026-01 after the data; the year to date
    # and its comparison): by unit for every set of units, together for the 5 stored scopes
    assert hits == 10 * len(scopes(ref)) + 10 * (len(scopes(ref)) - 2)


def test_scope_without_any_dossier_is_no_data_in_the_rollup(gen_con, ref):
    run = plain(gen_con)
    stored = rollups.Stored.load(run)
    p = periods.parse("2025-Q3")
    lowland = groups.scope_units(ref, "lowland")  # none of the five units is in the lowland group
    assert stored.has(p.start, p.end, lowland, by_unit=False)
    assert len(run("kpi/dossiers_stored", start=p.start, end=p.end, units=lowland, by_unit=False)) == 0
    assert all(v is None for v in kpi.section(run, "dossiers", p, lowland, stored).values())


def test_field_breakdown_rollup_equals_live_and_adds_up_to_units(gen_con):
    run = plain(gen_con)
    stored = rollups.Stored.load(run)
    for code in ["2025-Q3", "2025-07", "2025-03-10..2025-08-20"]:
        p = periods.parse(code)
        live = run("dossiers/field_unit", start=p.start, end=p.end, units=None)
        got = rollups.field_unit(run, p.start, p.end, None, stored)
        pd.testing.assert_frame_equal(got[live.columns].reset_index(drop=True), live, check_dtype=False)
        if p.kind != "range":
            direct = run("dossiers/field_unit_stored", start=p.start, end=p.end, units=[PQ])
            pd.testing.assert_frame_equal(direct, live[live.unit_code == PQ].reset_index(drop=True), check_dtype=False)
        assert set(live["field"]) == {"Hộ tịch", "Chứng thực", "Đất đai"}
        units = run("kpi/dossiers", start=p.start, end=p.end, units=None, by_unit=True).set_index("unit_code")
        sums = live.groupby("unit_code")[["received", "resolved", "resolved_late", "pending_overdue"]].sum()
        pd.testing.assert_frame_equal(sums, units[sums.columns].loc[sums.index], check_dtype=False, check_names=False)


def test_backlog_buckets_add_up_to_pending_overdue(gen_con):
    run = plain(gen_con)
    for code in ["2025-Q2", "2025-07", "2025-10", "2025"]:
        p = periods.parse(code)
        b = run("dossiers/backlog", start=p.start, end=p.end, units=None).groupby("unit_code")["dossiers"].sum()
        k = run("kpi/dossiers", start=p.start, end=p.end, units=None, by_unit=True).set_index("unit_code")
        assert (b.reindex(k.index, fill_value=0) == k["pending_overdue"]).all(), code
        for u in UNITS[:2]:
            lst = run("dossiers/pending_list", start=p.start, end=p.end, unit=u)
            assert len(lst) == k.at[u, "pending"] and lst["overdue"].sum() == k.at[u, "pending_overdue"]


def test_scope_trend_equals_live_trend(gen_con, ref):
    run = plain(gen_con)
    for units in (None, groups.scope_units(ref, "xa")):
        stored = run("dossiers/trend_stored", start=dv.TREND_START, units=units)
        live = run("dossiers/trend", start=dv.TREND_START, units=units)
        assert list(stored.columns) == list(live.columns)
        pd.testing.assert_frame_equal(stored, live, check_dtype=False)
        assert stored.loc[stored["has_data"], "month"].min() == pd.Timestamp("2024-11-01")
        assert stored.loc[~stored["has_data"], "received"].isna().all()  # no dossier yet: no data, not 0
    mixed = rollups.trend(run, dv.TREND_START, [PQ, DD])  # not a stored scope: computed live
    whole = run("kpi/dossiers", start=dv.TREND_START, end=date(2025, 10, 31), units=[PQ, DD], by_unit=False).iloc[0]
    new = ["new_online", "new_direct", "new_postal"]  # new dossiers add up over the months
    assert mixed[new].sum().tolist() == whole[new].tolist() and whole["new_online"] > 0


def test_unit_trend_and_sparklines_match_kpi_per_month(gen_con):
    run = plain(gen_con)
    trend = run("dossiers/unit_trend", unit=PQ, start=dv.TREND_START).set_index("month")
    spark = run("overview/sparklines", end=date(2025, 10, 31), months=12, metric="on_time_rate", units=[PQ, DD])
    assert len(spark) == 24 and list(spark.month.unique()[:2]) == [pd.Timestamp("2024-11-01"), pd.Timestamp("2024-12-01")]
    for m in ["2024-11", "2025-02", "2025-07", "2025-10"]:
        p = periods.parse(m)
        k = kpi.compute(p, [PQ], con=gen_con)["dossiers"]
        assert trend.at[pd.Timestamp(p.start), "on_time_rate"] == pytest.approx(k["on_time_rate"])
        assert trend.at[pd.Timestamp(p.start), "pending_overdue"] == k["pending_overdue"]
        v = spark[(spark.unit_code == PQ) & (spark.month == pd.Timestamp(p.start))]["value"].iloc[0]
        assert v == pytest.approx(k["on_time_rate"])
    assert trend.loc[pd.Timestamp("2024-01-01"), "received"] is None or pd.isna(trend.loc[pd.Timestamp("2024-01-01"), "received"])


def test_events_are_city_wide_plus_the_units_own(gen_con):
    run = plain(gen_con)
    assert run("dossiers/events", unit=None)["label"].tolist() == ["Lũ lịch sử"]
    assert run("dossiers/events", unit=PQ)["label"].tolist() == ["Khai trương", "Lũ lịch sử"]
    assert run("dossiers/events", unit=DD)["label"].tolist() == ["Lũ lịch sử"]


# --- hand-computed on the conftest fixture (Phong Quảng, July 2025; see test_indicators.py) ---------

@pytest.fixture
def fx_con(make_exports, build_db):
    return build_db(make_exports())


def test_backlog_and_pending_list_by_hand(fx_con):
    run = plain(fx_con)
    p = periods.parse("2025-07")
    b = run("dossiers/backlog", start=p.start, end=p.end, units=[PQ])
    # at 31/07 end of day: D2 due 30/06 → 31 days overdue; D9 due 31/07 10:00 → counted as 1 day
    assert sorted(zip(b.bucket, b.dossiers)) == [("1-3", 1), (">30", 1)]
    lst = run("dossiers/pending_list", start=p.start, end=p.end, unit=PQ)
    assert lst["dossier_id"].tolist() == ["D2", "D9", "D8", "D7"]  # overdue first, then by due date
    assert lst["days_overdue"].tolist()[:2] == [31, 1] and lst["days_overdue"].iloc[2:].isna().all()


def test_service_index_by_hand(fx_con, ref):
    run = plain(fx_con)
    p = periods.parse("2025-07")
    by_unit = kpi.by_unit(run, "dossiers", p)
    table = si.table(by_unit, dv.scope_units(ref, None)).set_index("unit_code")
    pq = table.loc[PQ]
    assert pq["progress"] == 20 * (2 + 1 + 2) / 8  # early D1, D6; on time D5; in time D7, D8; 8 received
    assert pq["online"] == 12  # 4/6 online is above the 50 % threshold: full marks
    assert pq["digitization"] == pytest.approx(0.5 * 22 / 0.8)  # 3 of 6 new dossiers digitised
    # 100 % − (overdue 3/8 + "Không hài lòng" 1 of 2 rated) = 12,5 % → 12,5 % × 18 / 90 %
    assert pq["satisfaction"] == pytest.approx(0.125 * 18 / 0.9)
    assert pq["total"] == pytest.approx(12.5 + 12 + 13.75 + 2.5)
    assert table.loc["19777", ["total", "rank"]].isna().all()  # Vỹ Dạ: no dossier, no score, no rank
    assert table["rank"].dropna().tolist() == [1, 2] and table.loc[DD, "rank"] == 1


def test_service_index_groups_and_maxima():
    assert [(g.key, g.max) for g in si.GROUPS] == [("transparency", 18), ("progress", 20), ("online", 12),
                                                  ("payment", 10), ("digitization", 22), ("satisfaction", 18)]
    assert si.MAX_TOTAL == 100 and si.MAX_COMPUTABLE == 72
    s = si.scores({"received": 10, "resolved_early": 5, "resolved_on_time": 0, "pending_in_time": 0,
                   "online_rate": None, "digitized_rate": 0.5, "overdue_rate": 0.1,
                   "resolved_rated": 0, "resolved_unsatisfied": 0})
    assert s["online"] is None and s["satisfaction"] is None and s["total"] is None  # no data is not zero


def test_csv_download_is_utf8_with_bom():
    data = exports.csv_bytes(pd.DataFrame({"Đơn vị": ["Phường Phú Xuân"], "Tỷ lệ": ["95,2 %"]}))
    assert data.startswith(b"\xef\xbb\xbf") and "Phường Phú Xuân".encode() in data


def test_ranking_with_ties_no_data_and_rank_change():
    now = pd.DataFrame({"unit_code": ["a", "b", "c", "d"], "pending_overdue": [3, 0, None, 3]})
    before = pd.DataFrame({"unit_code": ["a", "b", "c", "d"], "pending_overdue": [0, 5, 1, None]})
    r = ov.ranking(now, before, "pending_overdue")  # fewer overdue dossiers rank higher
    assert r["unit_code"].tolist() == ["b", "a", "d", "c"]
    assert r["rank"].tolist()[:3] == [1, 2, 2] and pd.isna(r["rank"].iloc[3])  # c: no data, listed, not ranked
    assert [ov.rank_change_text(*x, "vi") for x in zip(r["rank"], r["rank_before"], r["rank_change"])] == \
        ["▲ 2", "▼ 1", "mới", ""]


def test_page_loads_match_kpi(gen_con, ref):
    run = plain(gen_con)
    for code, scope in [("2025-Q3", "all"), ("2025-07", "xa"), ("2025-03-10..2025-08-20", "phuong")]:
        p = periods.parse(code)
        units = groups.scope_units(ref, scope)
        f = Frame(ref, p, p.previous(), "prev", scope, units, None, date(2025, 10, 31))
        d = dv.load(run, f, PQ)
        assert d.now == kpi.compute(p, units, con=gen_con)["dossiers"]
        assert d.before == kpi.compute(p.previous(), units, con=gen_con)["dossiers"]
        o = ov.load(run, f)
        assert o.now == kpi.compute(p, units, con=gen_con) and o.before == kpi.compute(p.previous(), units,
                                                                                             con=gen_con)
        for u in UNITS:
            row = o.table.set_index("unit_code").loc[u] if u in o.table.unit_code.values else None
            if row is not None:
                k = kpi.compute(p, [u], con=gen_con)["dossiers"]
                assert (None if pd.isna(row["on_time_rate"]) else row["on_time_rate"]) == k["on_time_rate"]
                assert (None if pd.isna(row["received"]) else row["received"]) == k["received"]
