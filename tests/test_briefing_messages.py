"""Key-message rules (communes.briefing.messages): the sentences, with numbers worked out by hand."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from communes import kpi, periods, queries, refdata
from communes.briefing import data as view
from communes.briefing import frame, messages
from communes.briefing.scope import resolve
from communes.targets import Target

REF = refdata.load("Thành phố Huế")
TARGETS = {
    "on_time_rate": Target("on_time_rate", 0.95, "min", 0.02, "Thành ủy"),
    "online_rate": Target("online_rate", 0.50, "min", 0.10, "QĐ 766"),
    "digitized_rate": Target("digitized_rate", 0.80, "min", 0.10, "QĐ 766"),
    "satisfaction_rate": Target("satisfaction_rate", 0.90, "min", 0.05, "QĐ 766"),
    "overdue_rate": Target("overdue_rate", 0.05, "max", 0.02, "suy ra"),
}


def figures(**values) -> dict:
    """A ``kpi.compute``-shaped dict: every indicator None (no data) unless given."""
    return {s: {k: values.get(k) for k in keys} for s, keys in kpi.KEYS.items()}


def units(*rows) -> pd.DataFrame:
    """Unit table rows: (code, short name, on-time rate, pending overdue)."""
    df = pd.DataFrame(rows, columns=["unit_code", "short_name", "on_time_rate", "pending_overdue"])
    df["unit_name"] = df["short_name"]
    df["received"] = [None if pd.isna(r) else 100 for r in df["on_time_rate"]]
    for k in ("online_rate", "digitized_rate", "satisfaction_rate", "overdue_rate"):
        df[k] = None
    return df


def ctx(period="2025-Q3", kind="prev", scope=None, now=None, before=None, table=None, ly=None, merger=None):
    p = periods.parse(period)
    compare = p.previous() if kind == "prev" else p.last_year()
    return view.BriefingData(ref=REF, period=p, compare=compare, compare_kind=kind,
                             last_year=compare if kind == "yoy" else p.last_year(), as_of=date(2026, 10, 30),
                             scope=scope or resolve(REF), targets=TARGETS, meta={"sample": False, "files": {}},
                             now=now or figures(), before=before or figures(), ly=ly,
                             table=table if table is not None else units(), merger=merger)


CITY_TABLE = units(("1", "Hương Trà", 0.90, 4), ("2", "Phong Quảng", 0.949, 9), ("3", "A Lưới 2", 0.935, 0),
                   ("4", "Kim Long", 0.95, 2),  # exactly on target: met
                   ("5", "Nam Đông", None, None))  # no dossier: not below target, not counted


def test_the_on_time_message_of_the_issue():
    d = ctx(now=figures(on_time_rate=0.961), before=figures(on_time_rate=0.953), table=CITY_TABLE)
    assert messages.rule_on_time(d, "vi") == (
        "Quý III/2025, tỷ lệ hồ sơ giải quyết đúng hạn toàn thành phố đạt 96,1 %, tăng 0,8 điểm % so với quý II; "
        "3 đơn vị dưới chỉ tiêu 95 %: Hương Trà (90,0 %), A Lưới 2 (93,5 %), Phong Quảng (94,9 %).")


def test_on_time_message_in_english_down_and_a_year_apart():
    d = ctx("2025-01", now=figures(on_time_rate=0.961), before=figures(on_time_rate=0.964), table=CITY_TABLE)
    assert messages.rule_on_time(d, "en") == (
        "Jan 2025: the on-time rate of dossiers city-wide was 96.1%, down 0.3 pp on Dec 2024; "
        "3 units below the 95% target: Hương Trà (90.0%), A Lưới 2 (93.5%), Phong Quảng (94.9%).")


def test_more_than_five_units_below_are_counted_not_all_named():
    rows = [(str(i), f"U{i}", 0.80 + i / 100, 0) for i in range(7)]
    d = ctx(now=figures(on_time_rate=0.9), before=figures(on_time_rate=0.9), table=units(*rows))
    text = messages.rule_on_time(d, "vi")
    assert "không đổi so với quý II" in text
    assert text.endswith("7 đơn vị dưới chỉ tiêu 95 %: U0 (80,0 %), U1 (81,0 %), U2 (82,0 %), U3 (83,0 %), "
                         "U4 (84,0 %) và 2 đơn vị khác.")


def test_every_unit_meeting_the_target_is_said_so():
    d = ctx(now=figures(on_time_rate=0.97), table=units(("1", "A", 0.97, 0), ("2", "B", None, None)))
    assert messages.rule_on_time(d, "vi") == ("Quý III/2025, tỷ lệ hồ sơ giải quyết đúng hạn toàn thành phố đạt "
                                              "97,0 %; mọi đơn vị có dữ liệu đều đạt chỉ tiêu 95 %.")


def test_one_unit_says_met_or_not_and_its_rank_among_peers():
    sc = resolve(REF, unit="Phong Quảng")  # peers: the coastal group
    table = units(("19873", "Phong Quảng", 0.94, 7), ("19885", "Đan Điền", 0.99, 0), ("x", "Thuận An", 0.96, 1),
                  ("y", "Phú Vinh", None, None))
    d = ctx(scope=sc, now=figures(on_time_rate=0.94), before=figures(on_time_rate=0.958), table=table)
    assert messages.rule_on_time(d, "vi") == (
        "Quý III/2025, tỷ lệ hồ sơ giải quyết đúng hạn của Phường Phong Quảng đạt 94,0 %, giảm 1,8 điểm % so với "
        "quý II; gần đạt chỉ tiêu 95 %, xếp thứ 3/3 trong nhóm Ven biển.")


def test_no_dossier_is_no_data_not_zero():
    d = ctx("2023-Q1", scope=resolve(REF, "xa"))
    assert messages.rule_on_time(d, "vi") == "Quý I/2023, chưa có dữ liệu hồ sơ thủ tục hành chính khối xã."
    assert messages.rule_service(d, "vi") is None and messages.rule_overdue(d, "vi") is None


def test_service_rates_against_their_targets():
    d = ctx(now=figures(online_rate=0.549, digitized_rate=0.993, satisfaction_rate=0.863))
    assert messages.rule_service(d, "vi") == ("Tỷ lệ trực tuyến 54,9 % (đạt chỉ tiêu 50 %); tỷ lệ số hóa 99,3 % "
                                              "(đạt chỉ tiêu 80 %); tỷ lệ hài lòng 86,3 % (gần đạt chỉ tiêu 90 %).")
    d = ctx(now=figures(online_rate=0.3))  # the others have no data: left out
    assert messages.rule_service(d, "en") == "Online rate 30.0% (below the 50% target)."


def test_overdue_dossiers_and_where_most_are():
    d = ctx(now=figures(pending_overdue=15, overdue_rate=0.0399), table=CITY_TABLE)
    assert messages.rule_overdue(d, "vi") == ("Còn 15 hồ sơ đang giải quyết quá hạn (tỷ lệ quá hạn 4,0 %), "
                                              "nhiều nhất ở Phong Quảng (9), Hương Trà (4), Kim Long (2).")
    d = ctx(now=figures(pending_overdue=0, overdue_rate=0.012))
    assert messages.rule_overdue(d, "vi") == "Không còn hồ sơ đang giải quyết quá hạn (tỷ lệ quá hạn 1,2 %)."


def test_attention_names_the_unit_furthest_behind():
    d = ctx(table=CITY_TABLE)
    assert messages.rule_attention(d, "vi") == (
        "3 đơn vị cần chú ý vì chưa đạt ít nhất một chỉ tiêu; xa chỉ tiêu nhất: Hương Trà "
        "(tỷ lệ đúng hạn 90,0 % < 95 %; 4 hồ sơ quá hạn).")


def test_tourism_with_relative_changes_and_without_data():
    now = figures(visitors=2_013_134, visitors_international=384_563, revenue_vnd=1_900_226_200_000)
    before = figures(visitors=1_971_998, revenue_vnd=1_969_000_000_000)
    assert messages.rule_tourism(ctx(now=now, before=before), "vi") == (
        "Du lịch: 2.013.134 lượt khách, tăng 2,1 % so với quý II, trong đó 384.563 lượt khách quốc tế; "
        "doanh thu 1.900,2 tỷ đồng, giảm 3,5 % so với quý II.")
    assert messages.rule_tourism(ctx(), "vi") == "Du lịch: chưa có dữ liệu trong kỳ."


def test_rice_is_compared_with_the_same_years_before_and_fishery_with_the_comparison_period():
    now = figures(rice_production_tonnes=329_511.4, rice_yield_quintal_per_ha=62.017, aquaculture_tonnes=3128.7,
                  capture_tonnes=3627.0)
    before = figures(aquaculture_tonnes=3000.0, capture_tonnes=4000.0)
    ly = figures(rice_production_tonnes=326_000.0)
    assert messages.rule_farm(ctx(now=now, before=before, ly=ly), "vi") == (
        "Nông nghiệp, thủy sản: sản lượng lúa năm 2025 đạt 329.511 tấn, năng suất 62,0 tạ/ha, tăng 1,1 % so với "
        "năm 2024; thủy sản nuôi trồng 3.129 tấn, khai thác 3.627 tấn, giảm 3,5 % so với quý II.")


def test_merger_message_compares_the_phases():
    merger = pd.DataFrame([
        {"phase": "before", "start": date(2024, 7, 1), "end": date(2025, 6, 30), "on_time_rate": 0.9516,
         "online_rate": 0.3857},
        {"phase": "after", "start": date(2025, 7, 1), "end": date(2026, 10, 30), "on_time_rate": 0.9584,
         "online_rate": 0.5656}])
    d = ctx(scope=resolve(REF, unit="19873"), merger=merger)
    assert messages.rule_merger(d, "vi") == (
        "Sau sáp nhập (01/07/2025 – 30/10/2026), tỷ lệ đúng hạn đạt 95,8 %, tăng 0,7 điểm % so với 12 tháng "
        "trước sáp nhập (95,2 %, cộng 3 xã, phường cũ); tỷ lệ trực tuyến 56,6 % (trước: 38,6 %).")
    assert messages.rule_merger(ctx(), "vi") is None  # not a one-unit briefing


@pytest.mark.parametrize(("code", "kind", "vi", "en"), [
    ("2025-Q3", "prev", "quý II", "Q2"),
    ("2025-Q1", "prev", "quý IV/2024", "Q4 2024"),
    ("2025-07", "prev", "tháng 6", "June"),
    ("2025", "prev", "năm 2024", "2024"),
    ("2025-Q3", "yoy", "cùng kỳ năm 2024", "the same period of 2024"),
    ("2025-07-01..2025-07-10", "prev", "kỳ trước (21/06/2025 – 30/06/2025)",
     "the previous period (21 Jun 2025 – 30 Jun 2025)"),
])
def test_comparison_phrases(code, kind, vi, en):
    p = periods.parse(code)
    c = p.previous() if kind == "prev" else p.last_year()
    assert messages.compare_phrase(p, c, kind, "vi") == vi
    assert messages.compare_phrase(p, c, kind, "en") == en


def test_changes_round_like_the_numbers_shown():
    assert messages.change_points(0.9614, 0.9610, "vi") == "không đổi"  # 0,04 point rounds to 0,0
    assert messages.change_points(0.9615, 0.9610, "vi") == "tăng 0,1 điểm %"  # half-up, as fmt rounds
    assert messages.change_points(None, 0.9, "vi") is None
    assert messages.change_relative(100, 0, "vi") is None  # no base: no relative change


# --- on the fixture exports, through the same load as the page and the CLI --------------------------

def test_messages_on_the_fixture_dossiers(make_exports, build_db):
    """July 2025, the whole city: Phong Quảng and Đan Điền are the only units with dossiers.

    On time: city (2 early + 2 on time) / 5 resolved = 80,0 %; June: D3 early, 1/1 = 100 %.
    Phong Quảng 3/4 = 75,0 % is below 95 %; Đan Điền 1/1 = 100 %.
    New dossiers: 5 online of 7 = 71,4 %; digitised 4/7 = 57,1 %; satisfied 1 of 3 rated = 33,3 %.
    Overdue: D2 and D9 still pending past due at 31/07; (1 late + 2) / 9 received = 33,3 %.
    """
    con = build_db(make_exports())

    def run(name, **p):
        return queries.run(name, con=con, **p)

    d = view.load(run, frame(REF, periods.parse("2025-07"), as_of=date(2025, 8, 5)))
    assert messages.key_messages(d, "vi") == [
        "Tháng 7/2025, tỷ lệ hồ sơ giải quyết đúng hạn toàn thành phố đạt 80,0 %, giảm 20,0 điểm % so với tháng 6; "
        "1 đơn vị dưới chỉ tiêu 95 %: Phong Quảng (75,0 %).",
        "Tỷ lệ trực tuyến 71,4 % (đạt chỉ tiêu 50 %); tỷ lệ số hóa 57,1 % (chưa đạt chỉ tiêu 80 %); "
        "tỷ lệ hài lòng 33,3 % (chưa đạt chỉ tiêu 90 %).",
        "Còn 2 hồ sơ đang giải quyết quá hạn (tỷ lệ quá hạn 33,3 %).",
        "2 đơn vị cần chú ý vì chưa đạt ít nhất một chỉ tiêu; xa chỉ tiêu nhất: Phong Quảng (tỷ lệ đúng hạn "
        "75,0 % < 95 %; tỷ lệ quá hạn 37,5 % > 5 %; tỷ lệ số hóa 50,0 % < 80 %; tỷ lệ hài lòng 50,0 % < 90 %; "
        "2 hồ sơ quá hạn).",
        "Du lịch: chưa có dữ liệu trong kỳ.",
        "Nông nghiệp, thủy sản: chưa có dữ liệu trong kỳ.",
    ]
