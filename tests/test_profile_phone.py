"""The profile's phone layout (AppTest): the same headline numbers as the full layout, one section sent at a
time (the others not at all), no Plotly chart, the layout chosen by the URL or the toggle; and how a phone is
recognised from the request."""
from __future__ import annotations

import pytest
from apptest import open_app, shown
from streamlit.testing.v1 import AppTest
from test_profile import DOSSIERS, PQ, STAFFING, TOURISM, UNITS

from communes import db, fmt, kpi, periods, phone, queries
from communes.views import profile as pv

SECTIONS = ["Diễn biến", "Hồ sơ quá hạn", "Kết luận kiểm tra", "Nhân lực", "Sáp nhập", "Lĩnh vực"]


@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports(dossiers=DOSSIERS, tourism=TOURISM, staffing=STAFFING, units=UNITS), built=True)


def open_profile(**params) -> AppTest:
    at = open_app("pages/profile.py", timeout=90, **params)
    assert not at.exception, at.exception
    return at


def control(at: AppTest, label: str):
    return next(w for w in at.button_group if w.label == label)


def headline(at: AppTest) -> dict:
    """The cards (label: value, change) and the lines of counts under them."""
    cards = {m.label: (m.value, m.delta) for m in at.metric}
    counts = [m.value for m in at.markdown if "đang giải quyết tại" in m.value or "Sắp đến hạn" in m.value]
    return {"cards": cards, "counts": counts}


def plotly_charts(at: AppTest) -> list:
    return at.get("plotly_chart")


def svg_charts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("<svg")]


def headers(at: AppTest) -> list[str]:
    return [h.value for h in [*at.header, *at.subheader]]


def test_phone_shows_the_full_layouts_headline_numbers(app_env):
    full = open_profile(pk="month", p="2025-07", unit=PQ, layout="full")
    small = open_profile(pk="month", p="2025-07", unit=PQ, layout="phone")
    assert small.title[0].value == full.title[0].value == "Phường Phong Quảng"
    k = kpi.compute(periods.parse("2025-07"), [PQ], con=queries.connection(db.current_path()))["dossiers"]
    h, hf = headline(small), headline(full)
    # the phone's cards are the procedures' eight, each as the full layout shows it (which also has the sectors')
    assert list(h["cards"]) == [pv.label(i.key, "vi") for i in pv.INDICATORS if i.domain == "dossiers"]
    assert h["cards"] == {k: v for k, v in hf["cards"].items() if k in h["cards"]}
    assert h["counts"] == hf["counts"] and len(h["counts"]) == 2
    assert h["cards"]["Tỷ lệ đúng hạn"][0] == fmt.percent(k["on_time_rate"])
    assert h["cards"]["Đang giải quyết quá hạn"][0] == fmt.number(k["pending_overdue"])
    # the cards' notes (medians and ranks) are the same too
    notes = [c.value for c in small.caption if c.value.startswith("TP:")]
    assert len(notes) == 8 and notes == [c.value for c in full.caption if c.value.startswith("TP:")][:8]
    # the unit's identity first: facts, the former communes, and the quick view for phones
    text = " ".join(m.value for m in small.markdown)
    assert "Hình thành từ 3 xã, phường cũ" in text and "Xã Quảng Công" in text
    assert [b.label for b in small.get("link_button")] == ["Bản xem nhanh trên điện thoại"]
    assert small.get("link_button")[0].proto.url.startswith(f"/m/{PQ}")


def test_phone_sends_only_the_chosen_section(app_env):
    at = open_profile(pk="month", p="2025-07", unit=PQ, layout="phone")
    sections = control(at, "Xem phần")
    assert sections.options == SECTIONS  # it has staff figures and tourism: every section offered
    assert sections.value == "trend"
    # the trend: two small SVG charts, no Plotly chart, no table, none of the other sections' headings
    assert plotly_charts(at) == [] and len(at.table) == 0
    assert len(svg_charts(at)) == 2 and 'aria-label="Tỷ lệ đúng hạn"' in svg_charts(at)[0]
    assert not {"Trước và sau sáp nhập", "Hồ sơ tồn đọng", "Du lịch", "Nhân lực và khối lượng công việc"} & set(headers(at))

    sections.set_value("merger").run()
    assert at.query_params["sec"] in ("merger", ["merger"])
    assert "Trước và sau sáp nhập" in headers(at) and svg_charts(at) == [] and plotly_charts(at) == []
    former = next(shown(x.value) for x in at.table if "Đúng hạn" in shown(x.value).columns)
    # as on the full layout, a rate kept on one line ("66,7 %" with a no-break space)
    assert former.iloc[-1].tolist()[:3] == ["Cộng: Phong Quảng", "1", "66,7\u00a0%"]
    assert "Hồ sơ tồn đọng" not in headers(at)

    control(at, "Xem phần").set_value("sectors").run()
    assert "Du lịch" in headers(at) and len(at.table) == 0
    assert len(svg_charts(at)) == 1 and "Thủy sản" not in headers(at)  # visitors by month; no fishery data
    assert plotly_charts(at) == []

    control(at, "Xem phần").set_value("staffing").run()
    assert at.metric[-1].label == "Vị trí kiêm nhiệm"  # the staffing cards after the headline
    assert {m.label: m.value for m in at.metric}["Hồ sơ / cán bộ / tháng"] == "0,4"  # 3 new / 1 month / 8 officials

    control(at, "Xem phần").set_value("backlog").run()
    assert "Hồ sơ tồn đọng" in headers(at) and "Du lịch" not in headers(at)


def test_a_section_without_data_is_not_offered(make_exports, use_exports):
    use_exports(make_exports(dossiers=DOSSIERS), built=True)  # no staffing, tourism, rice or fishery export
    at = open_profile(pk="month", p="2025-07", unit=PQ, layout="phone")
    assert control(at, "Xem phần").options == ["Diễn biến", "Hồ sơ quá hạn", "Kết luận kiểm tra", "Sáp nhập"]


def test_the_toggle_and_the_url_choose_the_layout(app_env):
    at = open_profile(pk="month", p="2025-07", unit=PQ)  # no phone in the request: the full layout
    assert control(at, "Bố cục").value == "full" and "layout" not in at.query_params
    assert len(plotly_charts(at)) >= 3 and "Trước và sau sáp nhập" in headers(at)

    control(at, "Bố cục").set_value("phone").run()
    assert not at.exception
    assert at.query_params["layout"] in ("phone", ["phone"])  # kept in the URL: a shared link opens the same
    assert plotly_charts(at) == [] and control(at, "Xem phần").value == "trend"

    control(at, "Bố cục").set_value("full").run()
    assert "layout" not in at.query_params and len(plotly_charts(at)) >= 3

    at = open_profile(pk="month", p="2025-07", unit=PQ, layout="phone", sec="backlog")
    assert control(at, "Bố cục").value == "phone" and control(at, "Xem phần").value == "backlog"
    assert "Hồ sơ tồn đọng" in headers(at)


def test_phone_layout_in_english(app_env):
    at = open_profile(pk="month", p="2025-07", unit=PQ, layout="phone", lang="en")
    assert control(at, "Show").options == ["Trend", "Overdue", "Site visits", "Staff", "Merger", "Sectors"]
    assert control(at, "Layout").options == ["Phone", "Full"]
    assert [b.label for b in at.get("link_button")] == ["Quick view for phones"]
    assert {m.label: m.value for m in at.metric}["On-time rate"] == "50.0%"


@pytest.mark.parametrize("headers, wanted, expected", [
    ({"User-Agent": "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) "
                    "Chrome/139.0.0.0 Mobile Safari/537.36"}, None, "phone"),
    ({"user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"},
     None, "phone"),
    ({"User-Agent": "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/139.0 Safari/537.36"},
     None, "full"),  # an Android tablet
    ({"User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/139.0 Safari/537.36",
      "sec-ch-ua-mobile": "?0"}, None, "full"),
    ({"User-Agent": "Mozilla/5.0 (X11; Linux x86_64)", "Sec-CH-UA-Mobile": "?1"}, None, "phone"),
    ({"User-Agent": "Mozilla/5.0 (Linux; Android 11) Mobile Safari/537.36"}, "full", "full"),  # the URL wins
    ({}, "phone", "phone"),
    ({}, "desktop", "full"),  # not a layout: the request decides
])
def test_a_phone_is_recognised_from_the_request(headers, wanted, expected):
    assert phone.layout(headers, wanted) == expected
