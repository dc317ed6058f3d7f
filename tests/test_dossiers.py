"""AppTest of the dossier page on the fixture dossiers: cards equal kpi, trend with merger and events,
phường against xã, and each detail view (field × unit, backlog, service index, one unit's pending list)."""
from __future__ import annotations

import numpy as np
import pytest
from apptest import open_app, shown
from apptest import plotly_array as array
from streamlit.testing.v1 import AppTest

from communes import db, fmt, groups, kpi, periods, queries, refdata, settings

PQ, DD = "19873", "19885"


@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports(events=(["date", "label", "unit"], [["2025-07-15", "Sự cố liên thông", ""],
                                                             ["2025-07-20", "Khai trương trung tâm", "Phong Quảng"]])),
                       built=True)


def open_page(**params) -> AppTest:
    return open_app("pages/dossiers.py", timeout=90, **params)


def expected(period: str, units=None) -> dict:
    con = queries.connection(db.current_path())
    return kpi.compute(periods.parse(period), units, con=con)["dossiers"]


@pytest.mark.parametrize("period,scope", [("2025-07", "all"), ("2025-Q3", "all"), ("2025-08", "phuong"),
                                          ("2025-Q3", "xa"), ("2025-06-15..2025-07-31", "all")])
def test_cards_equal_kpi(app_env, period, scope):
    p = periods.parse(period)
    params = {"pk": "range", "from": p.start.isoformat(), "to": p.end.isoformat()} if p.kind == "range" else \
        {"pk": p.kind, "p": period}
    at = open_page(scope=scope, **params)
    assert not at.exception
    units = groups.scope_units(refdata.load(settings.get("province")), scope)
    e = expected(period, units)
    c = {m.label: m.value for m in at.metric}
    from communes.i18n import t
    for key in ["on_time_rate", "online_rate", "digitized_rate", "overdue_rate", "satisfaction_rate"]:
        assert c[t(f"ind.{key}")] == fmt.percent(e[key]), key
    for key in ["received", "resolved", "pending_overdue"]:
        assert c[t(f"ind.{key}")] == fmt.number(e[key]), key


def test_trend_marks_merger_events_and_period(app_env):
    at = open_page(pk="month", p="2025-07")
    fig = at.get("plotly_chart")[0].proto.spec
    import json
    spec = json.loads(fig)
    names = [tr.get("name") for tr in spec["data"]]
    assert names == ["Hồ sơ mới trực tuyến", "Hồ sơ mới trực tiếp", "Hồ sơ mới qua bưu chính", "Tỷ lệ đúng hạn",
                     "Sự kiện"]
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["Sáp nhập 01/07/2025"]
    assert spec["data"][4]["hovertext"] == ["Sự cố liên thông"]  # a unit's own event is not on the city chart
    assert any("**1** 15/07/2025: Sự cố liên thông" in c.value for c in at.caption)
    months = spec["data"][3]["x"]
    assert months[0].startswith("2024-01") and months[-1].startswith("2025-08")  # since January 2024


def test_phuong_against_xa(app_env):
    at = open_page(pk="month", p="2025-07")
    types = at.dataframe[0].value.set_index("Chỉ tiêu")
    ref = refdata.load(settings.get("province"))
    ph, xa = (expected("2025-07", groups.scope_units(ref, s)) for s in ("phuong", "xa"))
    assert types.at["Tỷ lệ đúng hạn", "Phường"] == fmt.percent(ph["on_time_rate"]) == "75,0 %"
    assert types.at["Tỷ lệ đúng hạn", "Xã"] == fmt.percent(xa["on_time_rate"]) == "100,0 %"
    assert types.at["Tổng số hồ sơ tiếp nhận", "Xã"] == "1"


def test_field_view_is_the_default_and_heat_map_has_every_field(app_env):
    at = open_page(pk="month", p="2025-07")
    charts = at.get("plotly_chart")
    import json
    heat = json.loads(charts[-1].proto.spec)["data"][0]
    assert heat["type"] == "heatmap"
    assert sorted(heat["x"]) == ["Chứng thực", "Hộ tịch", "Đất đai"]
    z = dict(zip(heat["x"], array(heat["z"])[heat["y"].index("Phong Quảng")]))
    # July, Phong Quảng: Hộ tịch D1, D5, D6 all on time; Chứng thực D4 late; Đất đai nothing resolved
    assert z["Hộ tịch"] == 1.0 and z["Chứng thực"] == 0.0 and np.isnan(z["Đất đai"])


def test_backlog_view(app_env):
    at = open_page(pk="month", p="2025-07", view="backlog")
    assert not at.exception
    df = at.dataframe[1].value.set_index("Đơn vị")
    # at 31/07: D2 (due 30/06) 31 days, D9 (due 31/07 10:00) 1 day
    assert df.loc["Phong Quảng", ["1–3 ngày", "4–7 ngày", "8–30 ngày", "Trên 30 ngày"]].tolist() == [1, 0, 0, 1]
    assert df.loc["Phong Quảng", "Đang giải quyết quá hạn"] == expected("2025-07", [PQ])["pending_overdue"] == 2
    assert df.loc["Đan Điền", "Đang giải quyết quá hạn"] == 0  # has dossiers, nothing overdue
    assert df.loc["Vỹ Dạ"].iloc[2:].isna().all()  # no dossier at all: no data, not 0


def test_service_index_view(app_env):
    at = open_page(pk="month", p="2025-07", view="index")
    assert not at.exception
    assert any("không phải điểm chính thức" in w.value for w in at.warning)
    groups_df = shown(at.table[0].value)
    assert groups_df["Điểm tối đa"].tolist() == [18, 20, 12, 10, 22, 18]
    assert groups_df["Cách tính trong bảng này"].tolist().count("không có dữ liệu trong tệp xuất") == 2
    scores = at.dataframe[1].value.set_index("Đơn vị")
    # Phong Quảng by hand: 12,5 + 12 + 13,75 + 2,5 (tests/test_dossiers_views.py::test_service_index_by_hand)
    assert scores.at["Phường Phong Quảng", "Tổng ước tính (/72)"] == pytest.approx(40.8, abs=0.05)
    assert scores.at["Phường Phong Quảng", "Xếp hạng"] == "2"
    assert (scores["Xếp hạng"] == "").sum() == 38  # no dossier: no score, not ranked (an empty cell)


def test_drill_down_lists_pending_dossiers_of_the_chosen_unit(app_env):
    at = open_page(pk="month", p="2025-07", view="drill", unit=PQ)
    assert not at.exception
    df = at.dataframe[1].value
    assert df["Mã hồ sơ"].tolist() == ["D2", "D9", "D8", "D7"]
    assert df["Số ngày quá hạn"].tolist()[:2] == [31, 1]
    e = expected("2025-07", [PQ])
    assert len(df) == e["pending"] and (df["Tình trạng"] == "Quá hạn").sum() == e["pending_overdue"]
    assert any("4 hồ sơ đang giải quyết tại ngày 31/07/2025, trong đó 2 hồ sơ quá hạn" in c.value for c in at.caption)
    import json
    unit_chart = json.loads(at.get("plotly_chart")[-1].proto.spec)
    assert unit_chart["data"][4]["hovertext"] == ["Sự cố liên thông", "Khai trương trung tâm"]  # city-wide, its own
    dl = list(at.get("download_button"))
    assert dl  # the list is downloadable


def test_drill_unit_control_is_in_the_url(app_env):
    at = open_page(pk="month", p="2025-07", view="drill")
    sel = next(s for s in at.selectbox if s.label == "Đơn vị")
    sel.set_value(DD).run()
    assert at.query_params["unit"] in (DD, [DD])
    df = at.dataframe[1].value
    assert len(df) == 0  # Đan Điền: D11 was done on 10/07


def test_english(app_env):
    at = open_page(pk="month", p="2025-07", lang="en", view="index")
    assert not at.exception
    assert at.title[0].value == "Administrative dossiers – Jul 2025"
    assert any("not the official score" in w.value for w in at.warning)
