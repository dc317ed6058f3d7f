"""The "Cần chú ý" rules (communes.attention): who is listed, in what order, with which reason."""
from __future__ import annotations

import pandas as pd

from communes.attention import needs_attention
from communes.targets import Target

TARGETS = {
    "on_time_rate": Target("on_time_rate", 0.95, "min", 0.02, "Thành ủy"),
    "online_rate": Target("online_rate", 0.50, "min", 0.10, "QĐ 766"),
    "overdue_rate": Target("overdue_rate", 0.05, "max", 0.02, "suy ra"),
}


def table(*rows):
    cols = ["unit_code", "unit_name", "on_time_rate", "online_rate", "overdue_rate", "pending_overdue"]
    return pd.DataFrame(rows, columns=cols)


def test_reason_text_as_leaders_read_it():
    df = table(("1", "Phường A", 0.882, 0.60, 0.04, 14))
    [a] = needs_attention(df, TARGETS)
    assert a.reason == "tỷ lệ đúng hạn 88,2 % < 95 %; 14 hồ sơ quá hạn"
    assert a.status == "not_met" and a.missed == ("on_time_rate",)


def test_reason_in_english_and_for_a_ceiling():
    df = table(("1", "Ward A", 0.96, 0.60, 0.065, 3))
    [a] = needs_attention(df, TARGETS, "en")
    assert a.reason == "overdue rate 6.5% > 5%; 3 overdue dossiers"
    assert a.status == "near"  # 6,5 % is within the 2-point amber band above 5 %


def test_one_overdue_dossier_is_singular_in_english():
    df = table(("1", "Ward A", 0.90, 0.60, 0.01, 1))
    assert needs_attention(df, TARGETS, "en")[0].reason == "on-time rate 90.0% < 95%; 1 overdue dossier"
    assert needs_attention(df, TARGETS)[0].reason == "tỷ lệ đúng hạn 90,0 % < 95 %; 1 hồ sơ quá hạn"


def test_units_meeting_every_target_or_without_data_are_not_listed():
    df = table(("1", "Phường A", 0.97, 0.55, 0.01, 5),  # all met: overdue dossiers alone are no reason
               ("2", "Xã B", None, None, None, None),  # no dossier at all: no data is not a failure
               ("3", "Xã C", None, 0.20, None, 0))  # only the online rate has data, and misses
    flags = needs_attention(df, TARGETS)
    assert [a.unit_code for a in flags] == ["3"]
    assert flags[0].reason == "tỷ lệ trực tuyến 20,0 % < 50 %"  # no "0 hồ sơ quá hạn"


def test_worst_first_red_before_amber_then_larger_shortfall():
    df = table(("a", "A", 0.94, 0.60, 0.04, 0),  # amber only (94 % within 2 points of 95 %)
               ("b", "B", 0.90, 0.60, 0.04, 0),  # red, shortfall 5 points of 95
               ("c", "C", 0.80, 0.30, 0.12, 9),  # three reds
               ("d", "D", 0.85, 0.60, 0.04, 2))  # red, shortfall 10 points of 95
    assert [a.unit_code for a in needs_attention(df, TARGETS)] == ["c", "d", "b", "a"]


def test_reasons_follow_a_fixed_indicator_order():
    df = table(("1", "Phường A", 0.80, 0.30, 0.12, 9))
    [a] = needs_attention(df, TARGETS)
    assert a.reasons == ("tỷ lệ đúng hạn 80,0 % < 95 %", "tỷ lệ quá hạn 12,0 % > 5 %",
                         "tỷ lệ trực tuyến 30,0 % < 50 %", "9 hồ sơ quá hạn")


def test_a_target_with_decimals_is_shown_with_them():
    tg = {"on_time_rate": Target("on_time_rate", 0.925, "min", 0.0, "")}
    [a] = needs_attention(table(("1", "A", 0.9, None, None, 0)), tg)
    assert a.reason == "tỷ lệ đúng hạn 90,0 % < 92,5 %"
