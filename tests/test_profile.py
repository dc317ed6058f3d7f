"""Unit profile: before/after the merger worked out by hand on a unit formed from three former communes,
the per-former breakdown adding up, the backlog, and the page opened through ``?unit=`` (AppTest)."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from apptest import open_app, shown
from streamlit.testing.v1 import AppTest

from communes import db, fmt, kpi, periods, queries, rollups
from communes.views import profile as pv

PQ, DD = "19873", "19885"  # Phường Phong Quảng; Xã Đan Điền
# Phong Quảng was formed from Phường Phong Hải (19843), Xã Quảng Ngạn (19873) and Xã Quảng Công (19879).
# Channels: 1 in person, 2 online, 3 post. The latest time in the export is 31/08/2025 10:00, so the
# phases are: before 01/07/2024–30/06/2025, after 01/07/2025–31/08/2025, a year earlier 01/07/2024–31/08/2024.
DOSSIERS = [
    # Phong Hải: 4 new (2 online); resolved early, late, on time; A4 still open and overdue from 26/06/2025
    ["A1", "Phường Phong Hải", "Hộ tịch", "2", "2024-07-10", "2024-07-20", "2024-07-15", "1", ""],
    ["A2", "Phường Phong Hải", "Đất đai", "1", "2024-09-05", "2024-09-10", "2024-09-12", "0", ""],
    ["A3", "Phường Phong Hải", "Hộ tịch", "2", "2025-03-01", "2025-03-05", "2025-03-05", "1", ""],
    ["A4", "Phường Phong Hải", "Đất đai", "1", "2025-06-20", "2025-06-25", "", "0", ""],
    # Quảng Công: 1 new online, early
    ["B1", "Xã Quảng Công", "Hộ tịch", "2", "2024-08-01", "2024-08-10", "2024-08-05", "1", ""],
    # Quảng Ngạn: 2 new (1 online); one late, one early
    ["C1", "Xã Quảng Ngạn", "Đất đai", "1", "2024-10-01", "2024-10-05", "2024-10-10", "0", ""],
    ["C2", "Xã Quảng Ngạn", "Hộ tịch", "2", "2025-01-10", "2025-01-20", "2025-01-15", "1", ""],
    # since the merger, under the new name: 4 new (2 online, 1 in person, 1 by post)
    ["D1", "Phường Phong Quảng", "Hộ tịch", "2", "2025-07-03", "2025-07-10", "2025-07-08", "1", "Hài lòng"],
    ["D2", "P. Phong Quảng", "Đất đai", "2", "2025-07-15", "2025-07-20", "2025-07-25", "1", ""],
    ["D3", "Phong Quảng", "Đất đai", "1", "2025-08-10", "2025-08-20", "2025-08-31 10:00", "0", ""],
    ["D4", "Phường Phong Quảng", "Chứng thực", "3", "2025-07-30", "2025-08-05", "2025-08-04", "0", ""],
    # Đan Điền (xã): one before the merger under a former commune, one after
    ["E0", "Xã Quảng Lợi", "Hộ tịch", "1", "2025-05-01", "2025-05-05", "2025-05-04", "0", ""],
    ["E1", "Xã Đan Điền", "Hộ tịch", "2", "2025-07-05", "2025-07-10 16:00", "2025-07-10", "1", "Hài lòng"],
]
TOURISM = (["unit", "month", "visitors_domestic", "visitors_international", "overnight_guests", "revenue_vnd"], [
    ["Xã Quảng Công", "2025-01", "100", "10", "", "1000000"],
    ["Phường Phong Hải", "2025-01", "50", "5", "", "500000"],
    ["Xã Quảng Công", "2025-02", "200", "20", "", "2000000"],
    ["Phường Phong Quảng", "2024-08", "30", "3", "", "300000"],  # re-keyed: the current name before the merger
    ["Phường Phong Quảng", "2025-07", "400", "40", "", "4000000"],
])
STAFFING = (["unit", "as_of", "approved_posts", "staff", "concurrent_posts"], [
    ["Phường Phong Quảng", "2025-07-01", "10", "8", "2"],
    ["Xã Đan Điền", "2025-07-01", "12", "6", "1"],
])
UNITS = (["unit", "population"], [["Phường Phong Quảng", "30000"], ["Xã Đan Điền", "20000"]])


@pytest.fixture
def con(make_exports, build_db):
    return build_db(make_exports(dossiers=DOSSIERS, tourism=TOURISM, staffing=STAFFING, units=UNITS))


def run_on(con):
    return lambda name, **p: queries.run(name, con=con, **p)


def test_phases_follow_the_data_as_of_date(con):
    ph = queries.run("compare/merger", con=con, units=[PQ]).set_index("phase")
    assert [str(ph.at[p, "start"])[:10] for p in pv.PHASES] == ["2024-07-01", "2025-07-01", "2024-07-01"]
    assert [str(ph.at[p, "end"])[:10] for p in pv.PHASES] == ["2025-06-30", "2025-08-31", "2024-08-31"]


def test_before_the_merger_sums_the_three_former_communes(con):
    m = queries.run("compare/merger", con=con, units=[PQ]).set_index("phase")
    before = m.loc["before"]
    # 7 new: A1–A4, B1, C1, C2; online A1, A3, B1, C2
    assert (before.new_online, before.new_direct, before.new_postal, before.carried_over) == (4, 3, 0, 0)
    # resolved: early A1, B1, C2; on time A3; late A2, C1; A4 open and overdue on 30/06/2025
    assert (before.resolved_early, before.resolved_on_time, before.resolved_late) == (3, 1, 2)
    assert (before.pending_in_time, before.pending_overdue) == (0, 1)
    assert before.on_time_rate == pytest.approx(4 / 6)  # recomputed from counts …
    assert before.on_time_rate != pytest.approx((2 / 3 + 1 / 1 + 1 / 2) / 3)  # … never the mean of the three rates
    assert before.online_rate == pytest.approx(4 / 7)
    assert before.overdue_rate == pytest.approx(3 / 7)  # (2 late + 1 overdue) / 7
    after = m.loc["after"]
    # D1–D4 new, A4 carried over and still overdue on 31/08/2025; early D1, D4; late D2, D3
    assert (after.new_online, after.new_direct, after.new_postal, after.carried_over) == (2, 1, 1, 1)
    assert (after.resolved_early, after.resolved_on_time, after.resolved_late, after.pending_overdue) == (2, 0, 2, 1)
    assert after.on_time_rate == pytest.approx(0.5)
    assert after.overdue_rate == pytest.approx(3 / 5)
    ly = m.loc["after_ly"]  # 01/07–31/08/2024: A1 and B1, both online and early
    assert (ly.new_online, ly.resolved_early, ly.resolved) == (2, 2, 2)
    assert ly.on_time_rate == pytest.approx(1.0)


def test_per_former_commune_rows_add_up_to_the_unit(con):
    fo = queries.run("profile/former", con=con, unit=PQ)
    rows = dict(zip(fo.former_code.fillna(""), fo.to_dict("records")))
    assert set(rows) == {"19843", "19873", "19879", ""}  # the lineage, and the re-keyed tourism row
    ph, qn, qc, rekeyed = rows["19843"], rows["19873"], rows["19879"], rows[""]
    assert ph["former_name"] == "Phường Phong Hải" and ph["district"] == "Thị xã Phong Điền"
    assert (ph["received"], ph["resolved"], ph["pending_overdue"]) == (4, 3, 1)
    assert ph["on_time_rate"] == pytest.approx(2 / 3) and ph["online_rate"] == pytest.approx(0.5)
    assert ph["overdue_rate"] == pytest.approx(0.5)
    assert (qc["received"], qc["on_time_rate"], qc["online_rate"]) == (1, 1.0, 1.0)
    assert (qn["received"], qn["on_time_rate"], qn["overdue_rate"]) == (2, 0.5, 0.5)
    # tourism before the merger: Quảng Công 110 + 220, Phong Hải 55, the re-keyed row 33
    assert (qc["visitors"], ph["visitors"], rekeyed["visitors"]) == (330, 55, 33)
    assert pd.isna(qn["visitors"])  # Quảng Ngạn has no tourism row: no data (not 0)
    assert pd.isna(rekeyed["received"])  # no dossier under the new name before the merger
    before = queries.run("compare/merger", con=con, units=[PQ]).set_index("phase").loc["before"]
    for col in ("new_online", "new_direct", "received", "resolved_early", "resolved_late", "pending_overdue"):
        assert fo[col].sum() == before[col], col
    assert fo["visitors"].sum() == before["visitors"] == 418


def test_merger_table_per_month_and_changes(con):
    m = queries.run("compare/merger", con=con, units=[PQ])
    mt = pv.merger_table(m).set_index("key")
    # new dossiers per month: 7 / 12 before, 4 / 2 after, 2 / 2 a year earlier
    assert mt.at["new_dossiers", "before"] == pytest.approx(7 / 12)
    assert mt.at["new_dossiers", "after"] == pytest.approx(2.0)
    assert mt.at["new_dossiers", "after_ly"] == pytest.approx(1.0)
    assert mt.at["new_dossiers", "change"] == pytest.approx(2.0 / (7 / 12) - 1)  # +242,9 %
    assert mt.at["new_dossiers", "change_ly"] == pytest.approx(1.0)
    # rates: points
    assert mt.at["on_time_rate", "change"] == pytest.approx(0.5 - 4 / 6)
    assert mt.at["on_time_rate", "change_ly"] == pytest.approx(0.5 - 1.0)
    # tourism per month of the phase's months with tourism data (before: 08/2024, 01/2025, 02/2025)
    assert mt.at["visitors", "before"] == pytest.approx(418 / 3)
    assert mt.at["visitors", "after"] == pytest.approx(440 / 1)
    rates, volumes = pv.merger_views(mt.reset_index(), "vi")
    assert rates.iloc[0].tolist() == ["Tỷ lệ đúng hạn", "66,7 %", "50,0 %", "100,0 %", "−16,7", "−50,0"]
    assert volumes.iloc[0].tolist()[:4] == ["Hồ sơ mới tiếp nhận / tháng", "1", "2", "1"]


def test_backlog_lists_what_the_indicators_count(con):
    b = queries.run("dossiers/pending_list", con=con, start=date(2025, 7, 1), end=date(2025, 7, 31), unit=PQ)
    # on 31/07/2025: A4 overdue since 25/06 (36 days), D4 within its deadline
    assert b["dossier_id"].tolist() == ["A4", "D4"]
    assert b["days_overdue"].tolist()[0] == 36 and b["days_overdue"].isna().tolist() == [False, True]
    k = kpi.compute(periods.parse("2025-07"), [PQ], con=con)["dossiers"]
    assert (len(b), int(b["overdue"].sum())) == (k["pending"], k["pending_overdue"])
    view = pv.backlog_view(b, "vi")
    assert view.iloc[:, -1].tolist() == ["36", "trong hạn"]


def test_unit_table_equals_kpi_and_normalises(con):
    table = pv.unit_table(run_on(con), periods.parse("2025-07"), date(2025, 8, 31)).set_index("unit_code")
    for unit in (PQ, DD):
        k = kpi.compute(periods.parse("2025-07"), [unit], con=con)
        for section, keys in kpi.KEYS.items():
            for key in keys:
                got, want = table.at[unit, key], k[section][key]
                assert (pd.isna(got) if pd.isna(want) else got == pytest.approx(want)), (unit, key, got, want)
    # July: Phong Quảng D1, D2, D4 new; 8 officials, 30,000 inhabitants
    assert table.at[PQ, "dossiers_per_official_month"] == pytest.approx(3 / 1 / 8)
    assert table.at[PQ, "new_per_1000"] == pytest.approx(0.1)
    assert table.at[PQ, "staff_fill_rate"] == pytest.approx(0.8)
    assert table.at[DD, "dossiers_per_official_month"] == pytest.approx(1 / 6)
    # a unit without dossiers has no workload figure (no data, not zero)
    assert table["dossiers_per_official_month"].notna().sum() == 2


def test_cards_against_city_and_peer_medians(con):
    table = pv.unit_table(run_on(con), periods.parse("2025-07"), date(2025, 8, 31))
    # July on-time: Phong Quảng 1/2 (D1 early, D2 late), Đan Điền 1/1; both coastal; no other unit has data
    c = pv.card(table, PQ, "on_time_rate", ["19873", "19885"], "Ven biển", "vi")
    assert c.value == "50,0 %" and c.change == pytest.approx(0.5 - 0.75) and c.change_text == "−25,0 điểm %"
    assert c.note == "TP: trung vị 75,0 %, hạng 2/2 · Nhóm: trung vị 75,0 %, hạng 2/2 Ven biển"


# --- the page ---------------------------------------------------------------------------------------

@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports(dossiers=DOSSIERS, tourism=TOURISM, staffing=STAFFING, units=UNITS), built=True)


def open_profile(**params) -> AppTest:
    return open_app("pages/profile.py", timeout=90, **params)


def cards_of(at) -> dict:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("unit, code, name", [
    (PQ, PQ, "Phường Phong Quảng"),  # a phường by its code
    ("Dan Dien", DD, "Xã Đan Điền"),  # a xã by its name, without diacritics
])
def test_profile_opens_through_the_url(app_env, unit, code, name):
    at = open_profile(pk="month", p="2025-07", unit=unit)
    assert not at.exception, at.exception
    assert at.title[0].value == name
    assert at.query_params["unit"] in (code, [code])  # the URL now holds the code
    k = kpi.compute(periods.parse("2025-07"), [code], con=queries.connection(db.current_path()))
    cards = cards_of(at)
    assert cards["Tỷ lệ đúng hạn"] == fmt.percent(k["dossiers"]["on_time_rate"])
    assert cards["Tỷ lệ trực tuyến"] == fmt.percent(k["dossiers"]["online_rate"])
    assert cards["Đang giải quyết quá hạn"] == fmt.number(k["dossiers"]["pending_overdue"])
    assert "Trước và sau sáp nhập" in [h.value for h in at.header]


def test_profile_of_a_phuong_shows_its_former_communes_and_workload(app_env):
    at = open_profile(pk="month", p="2025-07", unit=PQ)
    text = " ".join(m.value for m in at.markdown)
    assert "Hình thành từ 3 xã, phường cũ" in text and "Xã Quảng Công" in text
    assert cards_of(at)["Hồ sơ / cán bộ / tháng"] == "0,4"  # 3 new dossiers / 1 month / 8 officials
    former = next(shown(x.value) for x in at.table if "Đúng hạn" in shown(x.value).columns)
    assert former.iloc[-1].tolist()[:3] == ["Cộng: Phong Quảng", "1", "66,7 %"]
    assert "Du lịch" in [h.value for h in at.header]  # it has tourism rows
    assert "Thủy sản" not in [h.value for h in at.header]  # no fishery export: no section


def test_a_former_communes_name_leads_to_its_successor(app_env):
    at = open_profile(unit="Xã Quảng Công")
    assert not at.exception
    assert at.title[0].value == "Phường Phong Quảng"
    assert any("Quảng Công" in i.value for i in at.info)


def test_an_unknown_unit_is_said_so(app_env):
    at = open_profile(unit="Atlantis")
    assert not at.exception
    assert any("Atlantis" in w.value for w in at.warning)


# --- the bundled sample: the former-commune rollup agrees with the unit rollup everywhere ------------

@pytest.fixture(scope="module")
def sample(sample_con):
    return sample_con


def test_former_communes_add_up_to_every_unit_on_the_sample(sample):
    """The before phase per former commune (dossier_key_days) and per unit (dossier_days): on the sample,
    the former communes of each of the 40 units add up to its "before" figures."""
    m = queries.run("compare/merger", con=sample, units=None)
    before = m[m["phase"] == "before"].set_index("unit_code")
    assert len(before) == 40
    cols = ["new_online", "new_direct", "new_postal", "carried_over", "resolved_early", "resolved_on_time",
            "resolved_late", "pending_in_time", "pending_overdue", "new_digitized", "resolved_rated",
            "resolved_satisfied", "resolved_unsatisfied", "visitors", "revenue_vnd", "capture_tonnes"]
    for unit in before.index:
        fo = queries.run("profile/former", con=sample, unit=unit)
        for col in cols:
            total = fo[col].astype("Float64").sum(min_count=1)
            want = before.at[unit, col]
            assert (pd.isna(total) and pd.isna(want)) or total == pytest.approx(float(want)), (unit, col)


def test_profile_in_english(app_env):
    at = open_profile(pk="month", p="2025-07", unit=DD, lang="en")
    assert not at.exception, at.exception
    assert at.title[0].value == "Xã Đan Điền"
    assert "Before and after the merger" in [h.value for h in at.header]
    assert cards_of(at)["On-time rate"] == "100.0%"


@pytest.mark.parametrize("period", ["2025-07", "2025-Q3", "2025", "2025-07-01..2025-08-15"])
def test_rollup_and_macro_paths_agree(con, period):
    """A standard period reads the build-time rollups, a custom range the macros: the same numbers."""
    p = periods.parse(period)
    assert rollups.Stored.load(run_on(con)).has(p.start, p.end) == (p.kind != "range")
    live = queries.run("compare/unit_table", con=con, start=p.start, end=p.end, units=None).merge(
        queries.run("kpi/dossiers", con=con, start=p.start, end=p.end, units=None, by_unit=True), on="unit_code",
        how="left")
    table = pv.unit_table(run_on(con), p, date(2025, 8, 31)).set_index("unit_code")
    live = live.set_index("unit_code")
    for key in [k for keys in kpi.KEYS.values() for k in keys] + ["staff", "population"]:
        for unit in (PQ, DD, "19753"):
            a, b = table.at[unit, key], live.at[unit, key]
            assert (pd.isna(a) and pd.isna(b)) or a == pytest.approx(b), (period, unit, key)


def test_text_from_the_files_in_static_tables_is_shown_as_typed():
    # st.table renders Markdown; the pages hand it only escaped cells (communes.ui.table), so a procedure
    # or field name such as "[x](http://…)" or "**Đất đai**" can never become a link or emphasis.
    import re
    from pathlib import Path

    from communes import fmt
    root = Path(__file__).resolve().parent.parent
    direct = [str(p.relative_to(root)) for p in [*root.glob("pages/*.py"), *root.glob("communes/**/*.py")]
              if re.search(r"\bst\.table\(", p.read_text(encoding="utf-8")) and p.name != "ui.py"]
    assert direct == []
    assert fmt.plain("[x](http://a.b)") == "\\[x\\]\\(http\\://a\\.b\\)"
    assert fmt.plain("![i](x.png) <b>") == "\\!\\[i\\]\\(x\\.png\\) \\<b\\>"
