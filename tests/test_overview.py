"""AppTest of the overview page on the fixture dossiers: cards, targets, attention list, ranking, freshness.

Every number is checked against ``communes.kpi.compute`` for the same period and units, or worked out by
hand from the fixture rows (tests/conftest.py; Phong Quảng and Đan Điền, June–August 2025).
"""
from __future__ import annotations

import pytest
from apptest import open_app

from communes import db, fmt, groups, kpi, periods, queries, refdata, settings

PQ, DD = "19873", "19885"


@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports(events=(["date", "label", "unit"], [["2025-07-15", "Sự cố liên thông", ""]])),
                       built=True)




def expected(period: str, units=None) -> dict:
    con = queries.connection(db.current_path())
    return kpi.compute(periods.parse(period), units, con=con)


def cards(at) -> dict:
    return {m.label: (m.value, m.delta) for m in at.metric}


def ranking(at):
    return at.dataframe[0].value


@pytest.mark.parametrize("period,scope", [("2025-07", "all"), ("2025-Q3", "all"), ("2025-06", "all"),
                                          ("2025-08", "xa"), ("2025-Q3", "phuong"), ("2025-Q3", "coastal")])
def test_cards_equal_kpi_for_periods_and_scopes(app_env, period, scope):
    kind = "quarter" if "Q" in period else "month"
    at = open_app(pk=kind, p=period, scope=scope)
    assert not at.exception
    ref = refdata.load(settings.get("province"))
    units = groups.scope_units(ref, scope)
    now, before = expected(period, units), expected(periods.parse(period).previous().code, units)
    c = cards(at)
    for section, key, show in [("dossiers", "on_time_rate", fmt.percent), ("dossiers", "online_rate", fmt.percent),
                               ("dossiers", "digitized_rate", fmt.percent), ("dossiers", "pending_overdue", fmt.number),
                               ("tourism", "visitors", fmt.number)]:
        value, delta = c[fmt_label(key)]
        assert value == show(now[section][key]), key
        a, b = now[section][key], before[section][key]
        if a is None or b is None:
            assert not delta, key  # no change is shown against no data
        elif key.endswith("_rate"):
            assert delta == fmt.points(a - b), key


def fmt_label(key):
    from communes.i18n import t
    return t(f"ind.{key}")


def test_july_cards_targets_and_changes_by_hand(app_env):
    at = open_app(pk="month", p="2025-07")
    c = cards(at)
    # city, July 2025: 4 of 5 resolved on time (D1, D5, D6, D11; D4 late); June: D3 only, early → 100 %
    assert c["Tỷ lệ đúng hạn"] == ("80,0 %", "−20,0 điểm %")
    assert c["Đang giải quyết quá hạn"][0] == "2"  # D2 and D9
    assert c["Tổng lượt khách"] == ("không có dữ liệu", "")  # no tourism export: no data, not zero
    text = " ".join(x.value for x in at.caption)
    assert ":red-badge[Chưa đạt] mục tiêu ≥ 95 %" in text  # 80 % is 15 points under the target
    assert ":red-badge[Chưa đạt] Tỷ lệ quá hạn 33,3 % · mục tiêu ≤ 5 %" in text  # (D4 late + D2, D9) / 9


def test_attention_lists_units_below_target_worst_first_with_reasons_and_links(app_env):
    at = open_app(pk="month", p="2025-07")
    md = "\n".join(x.value for x in at.markdown)
    # Phong Quảng, July: on time 3/4, overdue (1 + 2)/8, digitised 3/6, satisfied 1/2, 2 overdue pending
    pq = ("**[Phường Phong Quảng](/profile?unit=19873&pk=month&p=2025-07)**: tỷ lệ đúng hạn 75,0 % < 95 %; "
          "tỷ lệ quá hạn 37,5 % > 5 %; tỷ lệ số hóa 50,0 % < 80 %; tỷ lệ hài lòng 50,0 % < 90 %; 2 hồ sơ quá hạn")
    # Đan Điền: D11 on time, online, digitised, rated "Bình thường": only satisfaction misses
    dd = "**[Xã Đan Điền](/profile?unit=19885&pk=month&p=2025-07)**: tỷ lệ hài lòng 0,0 % < 90 %"
    assert pq in md and dd in md
    assert md.index(pq) < md.index(dd)  # four reds before one
    captions = " ".join(x.value for x in at.caption)
    assert "38 đơn vị không có hồ sơ nào trong kỳ" in captions


def test_ranking_lists_every_unit_with_rank_change_sparkline_and_link(app_env):
    at = open_app(pk="month", p="2025-07")
    df = ranking(at)
    assert len(df) == 40
    top = df.head(2)
    # on-time rate: Đan Điền 100 % (1st), Phong Quảng 75 % (2nd); the other 38 have no data: not ranked
    assert top["Đơn vị"].tolist() == ["Xã Đan Điền", "Phường Phong Quảng"]
    assert top["Xếp hạng"].tolist() == ["1", "2"]
    # June: Phong Quảng 100 % (D3 early) was 1st; Đan Điền had no dossier → "mới"
    assert top["Thay đổi hạng"].tolist() == ["mới", "▼ 1"]
    assert top["Tỷ lệ đúng hạn"].tolist() == ["100,0 %", "75,0 %"]
    assert (df["Xếp hạng"].iloc[2:] == "").all()  # not ranked: an empty cell, as in every table
    assert (df["Tỷ lệ đúng hạn"].iloc[2:] == "không có dữ liệu").all()
    assert df["Hồ sơ đơn vị"].iloc[1] == "/profile?unit=19873&pk=month&p=2025-07"  # same period on the profile
    spark = list(top["12 tháng"].tolist()[1])
    assert len(spark) == 12 and spark[-2:] == [1.0, 0.75]  # June 100 %, July 75 %
    assert df["Tổng số hồ sơ tiếp nhận"].notna().sum() == 2


def test_comparison_and_metric_controls_change_the_ranking(app_env):
    at = open_app(pk="month", p="2025-07", cmp="yoy")  # July 2024: no data at all
    df = ranking(at)
    assert df["Thay đổi hạng"].head(2).tolist() == ["mới", "mới"]
    assert all(not m.delta for m in at.metric)  # no change against a period without data
    at = open_app(pk="month", p="2025-07", rank="pending_overdue")  # fewer is better
    df = ranking(at)
    assert df["Đơn vị"].head(2).tolist() == ["Xã Đan Điền", "Phường Phong Quảng"]
    assert df["Đang giải quyết quá hạn"].head(2).tolist() == ["0", "2"]
    # June: Phong Quảng had D2 overdue (1); Đan Điền no data
    assert df["Thay đổi hạng"].head(2).tolist() == ["mới", "▼ 1"]


def test_ranking_control_lives_in_the_url_and_scope_limits_units(app_env):
    at = open_app(pk="month", p="2025-07", scope="xa")
    sb = at.sidebar.selectbox
    metric = next(s for s in sb if s.label == "Xếp hạng theo")
    metric.set_value("digitized_rate").run()
    assert at.query_params["rank"] in ("digitized_rate", ["digitized_rate"])
    df = ranking(at)
    assert len(df) == 19 and df["Đơn vị"].iloc[0] == "Xã Đan Điền"
    assert df["Tỷ lệ số hóa"].iloc[0] == "100,0 %"


def test_freshness_and_english(app_env):
    at = open_app(pk="month", p="2025-07", lang="en")
    assert not at.exception
    assert at.title[0].value == "Overview – Jul 2025"
    fresh = at.dataframe[-1].value
    rows = dict(zip(fresh["Dataset"], fresh["Covers up to"]))
    assert rows["Administrative dossiers"] == fmt.date("2025-08-05", "en")  # the data's as-of date
    assert rows["Tourism"] == "no file"
    assert any("Needs attention" in h.value for h in at.subheader)
