"""The phone pages (``/m/`` and ``/m/{unit}``) as functions: status, content in order, the profile's numbers
(equal to ``python -m communes kpi``), 404 and 403, escaping of text from the exports, the sample marker."""
from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser

import pytest

from communes import auth, db, fmt, settings
from communes.web import mobile

PQ, DD = "19873", "19885"  # Phường Phong Quảng; Xã Đan Điền
EVIL = "<script>alert(1)</script>"
# Phong Quảng in the third quarter of 2025 (channels: 1 in person, 2 online, 3 post). The latest time in the
# export is 10/10/2025, so the default period is Q3 2025 and its comparison Q2 2025 (no dossiers).
DOSSIERS = [
    ["P1", "Phường Phong Quảng", "Hộ tịch", "2", "2025-07-02", "2025-07-10", "2025-07-05", "1", "Hài lòng"],  # early
    ["P2", "Phường Phong Quảng", "Đất đai", "1", "2025-07-10", "2025-07-20", "2025-07-25", "0", ""],  # late
    ["P3", "Phường Phong Quảng", EVIL, "2", "2025-08-01", "2025-08-10", "", "1", ""],  # pending, overdue at 30/09
    ["P4", "Phường Phong Quảng", "Hộ tịch", "3", "2025-09-20", "2025-10-05", "", "0", ""],  # pending, in time
    ["P6", "Phường Phong Quảng", "Hộ tịch", "2", "2025-08-05", "2025-08-15", "2025-08-15", "0", ""],  # on the due day
    ["P5", "Phường Phong Quảng", "Hộ tịch", "2", "2025-10-10", "2025-10-15", "2025-10-10", "1", ""],  # after Q3
    ["E1", "Xã Đan Điền", "Hộ tịch", "2", "2025-07-05", "2025-07-10", "2025-07-08", "1", ""],
]
# By hand, Phong Quảng in Q3 2025: 5 new (3 online, 1 in person, 1 by post), 2 digitised; resolved 3 (early,
# late, on time); pending 2, of which 1 overdue (P3, due 10/08).
EXPECTED = {"Tỷ lệ đúng hạn": "66,7 %", "Tỷ lệ trực tuyến": "60,0 %", "Tỷ lệ số hóa": "40,0 %",
            "Tỷ lệ quá hạn": "40,0 %", "Tỷ lệ hài lòng": "100,0 %", "Hồ sơ mới tiếp nhận": "5"}
TOURISM = (["unit", "month", "visitors_domestic", "visitors_international", "overnight_guests", "revenue_vnd"], [
    ["Phường Phong Quảng", "2025-07", "400", "40", "", "4000000"],
    ["Phường Phong Quảng", "2025-08", "300", "30", "", "3000000"],
])


class Cards(HTMLParser):
    """The cards of a page: label → value, in order; and the ids of its sections, in order."""

    def __init__(self, html: str):
        super().__init__()
        self.cards, self.sections, self._in, self._label = {}, [], None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id") or a.get("class"))
        if tag == "div" and a.get("class") in ("l", "v"):
            self._in = a["class"]

    def handle_data(self, data):
        if self._in == "l":
            self._label = data
        elif self._in == "v":
            self.cards.setdefault(self._label, data)
        self._in = None


def page_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def exports(make_exports, use_exports):
    return use_exports(make_exports(dossiers=DOSSIERS, tourism=TOURISM), built=True)


def test_unit_page_shows_the_profile_in_order_with_hand_computed_numbers(exports):
    status, html = mobile.unit_page("phong quang", {}, auth.LOCAL)
    assert status == 200
    p = Cards(html)
    assert {k: p.cards[k] for k in EXPECTED} == EXPECTED
    assert p.sections == ["headline", "backlog", "trend", "merger", "sector"]  # tourism only: no rice, fishery, staff
    text = page_text(html)
    head = text[:text.index("Chỉ tiêu chính")]
    assert "Phường Phong Quảng" in head and "Ven biển" in head and "Phường Phong Hải" in head  # name, group, former
    assert "Quý III/2025" in head and "so với Quý II/2025" in head
    backlog = " ".join(text[text.index("Hồ sơ quá hạn"):].split())
    assert backlog.startswith("Hồ sơ quá hạn 1 quá hạn 2 đang giải quyết tại 30/09/2025"), backlog[:200]
    assert "hạng 1/2" in text  # on-time rate among the two units with dossiers
    assert "Dữ liệu cập nhật đến 10/10/2025" in text
    assert "Du lịch" in text and "Lúa" not in text and "Nhân lực" not in text
    assert html.count("<svg") == 3  # on-time rate, new dossiers, visitors
    assert "<script" not in html.replace(EVIL.replace("<", "&lt;").replace(">", "&gt;"), "")
    assert len(html.encode()) < 100_000


@pytest.mark.slow
def test_unit_page_numbers_equal_the_cli(exports):
    """The cards and the overdue count are ``python -m communes kpi`` for the same unit and period, formatted."""
    for params, period in [({}, "2025-Q3"), ({"pk": "month", "p": "2025-08", "lang": "en"}, "2025-08")]:
        out = subprocess.run([sys.executable, "-m", "communes", "kpi", "--period", period, "--unit", "Phong Quảng",
                              "--data", str(exports)], capture_output=True, text=True, cwd=settings.ROOT,
                             env=os.environ, check=True).stdout
        k = json.loads(out)["dossiers"]
        lang = params.get("lang", "vi")
        status, html = mobile.unit_page(PQ, params, auth.LOCAL)
        cards = Cards(html).cards
        labels = {"vi": ["Tỷ lệ đúng hạn", "Tỷ lệ trực tuyến", "Tỷ lệ số hóa", "Tỷ lệ quá hạn"],
                  "en": ["On-time rate", "Online rate", "Digitisation rate", "Overdue rate"]}[lang]
        for label, key in zip(labels, ["on_time_rate", "online_rate", "digitized_rate", "overdue_rate"]):
            assert cards[label] == fmt.percent(k[key], lang=lang), (period, key)
        overdue = re.search(r"<b>([\d.,]+)</b> (quá hạn|overdue)", html).group(1)
        assert overdue == fmt.number(k["pending_overdue"], lang=lang)


def test_unit_page_in_english_and_by_a_former_communes_name(exports):
    status, html = mobile.unit_page("Xã Quảng Ngạn", {"lang": "en"}, auth.LOCAL)
    assert status == 200
    text = page_text(html)
    assert '<html lang="en">' in html and "Headline figures" in text and "Q3 2025" in text
    assert "«Xã Quảng Ngạn» is a former commune; it is now part of Phường Phong Quảng." in text
    assert "Data up to 10 Oct 2025" in text


def test_unknown_unit_is_a_404_in_vietnamese_with_the_index_link(exports):
    status, html = mobile.unit_page(EVIL, {"pk": "month", "p": "2025-08"}, auth.LOCAL)
    assert status == 404
    assert "Không tìm thấy đơn vị" in html and EVIL not in html and "&lt;script&gt;" in html
    assert 'href="/m/?pk=month&amp;p=2025-08"' in html  # back to the index, same period
    assert mobile.unit_page("99999", {"lang": "en"}, auth.LOCAL)[1].count("Unit not found") == 2  # title and h1


def test_a_unit_viewer_sees_only_their_own_units(exports):
    viewer = auth.User("ubnd.phongquang", "unit_viewer", (PQ,))
    assert mobile.unit_page("Xã Đan Điền", {}, viewer)[0] == 403
    assert mobile.unit_page(PQ, {}, viewer)[0] == 200
    status, html = mobile.index_page({}, viewer)
    assert status == 200 and re.findall(r'href="/m/(\d+)', html) == [PQ]


def test_text_from_the_exports_is_escaped(exports):
    status, html = mobile.unit_page(PQ, {}, auth.LOCAL)
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the overdue dossier's field, shown as text


def test_index_ranks_every_unit_with_status_and_links_keeping_the_period(exports):
    status, html = mobile.index_page({"pk": "month", "p": "2025-08", "lang": "en"}, auth.LOCAL)
    assert status == 200
    links = re.findall(r'<a href="/m/(\d+)\?([^"]*)"', html)
    assert len(links) == 40 and {q for _, q in links} == {"lang=en&amp;pk=month&amp;p=2025-08"}
    # August 2025: Phong Quảng resolved one dossier (P6, on its due day): 100 % on time, ranked first;
    # the 39 others have no resolved dossier that month: not ranked, listed after it
    assert links[0][0] == PQ
    first = html[html.index('<ol class="rank">'):].split("</li>")[0]
    assert ">1<" in first and "100.0%" in first and 'class="dot met"' in first
    assert html.count('class="dot ') == 1 and html.count('<span class="n"></span>') == 39
    assert '<form method="get" action="/m/"' in html and "<script" not in html
    # the form offers the months of the data (the chosen one selected) instead of repeating p in a hidden field
    assert '<option value="2025-08" selected>Aug 2025</option>' in html and 'name="p" value=' not in html
    assert '<input type="hidden" name="pk" value="month">' in html


def test_index_search_and_ranking_choice(exports):
    status, html = mobile.index_page({"q": "dan dien", "rank": "online_rate"}, auth.LOCAL)
    assert re.findall(r'href="/m/(\d+)', html) == [DD]
    assert '<option value="online_rate" selected>' in html and "1 đơn vị khớp với «dan dien»" in page_text(html)
    status, html = mobile.index_page({"q": "Quảng Ngạn"}, auth.LOCAL)  # a former commune finds its successor
    assert re.findall(r'href="/m/(\d+)', html) == [PQ]
    status, html = mobile.index_page({"q": EVIL}, auth.LOCAL)
    assert status == 200 and EVIL not in html and "Không có đơn vị nào khớp" in html


def test_no_sample_marker_on_other_data(exports):
    for params in ({}, {"lang": "en"}):
        for _status, html in (mobile.unit_page(PQ, params, auth.LOCAL), mobile.index_page(params, auth.LOCAL)):
            assert "DỮ LIỆU MẪU" not in html and "SAMPLE DATA" not in html


def test_the_sample_marker_shows_whenever_the_sample_is_loaded(make_exports, use_exports):
    data = make_exports(dossiers=DOSSIERS)
    # the same file, listed in the bundled sample's manifest: the data is the sample
    (data / "sample.json").write_text(json.dumps({"files": {"dossiers.csv": db.sha256(data / "dossiers.csv")}}))
    use_exports(data, built=True)
    for tag, params in (("DỮ LIỆU MẪU", {}), ("SAMPLE DATA", {"lang": "en"})):
        for status, html in (mobile.unit_page(PQ, params, auth.LOCAL), mobile.index_page(params, auth.LOCAL),
                             mobile.unit_page("nowhere", params, auth.LOCAL)):
            assert tag in html, status


def test_the_profile_the_ranking_and_the_attention_list_link_to_the_phone_page(exports):
    from apptest import open_app

    at = open_app("pages/profile.py", unit=PQ, pk="month", p="2025-08", lang="en")
    assert not at.exception, at.exception
    assert any("[:material/smartphone: Quick view for phones](/m/19873?lang=en&pk=month&p=2025-08)" in c.value for c in at.caption)
    at = open_app(pk="month", p="2025-08")
    assert not at.exception, at.exception
    ranking = at.dataframe[0].value
    links = dict(zip(ranking["Đơn vị"], ranking["Điện thoại"]))
    assert links["Phường Phong Quảng"] == "/m/19873?pk=month&p=2025-08" and len(links) == 40
    # Phong Quảng resolved 1 of 1 on time in August but has an overdue dossier: it needs attention
    attention = " ".join(m.value for m in at.markdown)
    assert "[xem nhanh](/m/19873?pk=month&p=2025-08)" in attention


def test_a_unit_without_any_data_says_so_and_is_never_ranked_last(exports):
    status, html = mobile.unit_page("19753", {}, auth.LOCAL)  # no row in the exports
    assert status == 200
    cards = Cards(html).cards
    assert cards["Tỷ lệ đúng hạn"] == "không có dữ liệu" and cards["Hồ sơ mới tiếp nhận"] == "không có dữ liệu"
    assert "không xếp hạng" in html and "hạng 40/" not in html
    assert html.count("<svg") == 2  # the two dossier charts, empty; no sector section


AGRI = (["unit", "year", "season", "crop", "area_ha", "yield_quintal_per_ha", "production_tonnes"], [
    ["Phường Phong Quảng", "2024", "Đông Xuân", "Lúa", "100", "45", "450"],
    ["Phường Phong Quảng", "2024", "Hè Thu", "Lúa", "100", "40", "400"],
    ["Phường Phong Quảng", "2025", "Đông Xuân", "Lúa", "100", "50", "500"],
    ["Phường Phong Quảng", "2025", "Hè Thu", "Lúa", "80", "40", "320"],
])


def test_sector_cards_follow_the_comparison_rules(make_exports, use_exports):
    """Rice against the same seasons a year earlier (never another quarter of the same year); tourism against
    the comparison's whole months; each card says what it is compared with."""
    use_exports(make_exports(dossiers=DOSSIERS, tourism=TOURISM, agriculture=AGRI), built=True)
    status, html = mobile.unit_page(PQ, {"pk": "month", "p": "2025-08"}, auth.LOCAL)
    cards = [" ".join(page_text(c).split()) for c in re.findall(r'<div class="card[^"]*">(.*?)<div class="r">', html, re.S)]
    rice = next(c for c in cards if c.startswith("Sản lượng lúa"))
    # 2025: 820 t against 2024: 850 t (the whole years' seasons: the period's year and the one before)
    assert rice.startswith("Sản lượng lúa 820 tấn ▼ −30 tấn so với cùng vụ năm 2024"), rice
    visitors = next(c for c in cards if c.startswith("Tổng lượt khách"))
    # August 2025: 330 visitors against July 2025: 440
    assert visitors.startswith("Tổng lượt khách 330 ▼ −110 so với Tháng 7/2025"), visitors


@pytest.mark.slow
def test_while_newer_exports_load_the_page_says_it_shows_the_previous_version(exports, monkeypatch):
    from communes import served

    version, problems = served.served_version()
    monkeypatch.setattr(served, "served_version", lambda: (dataclasses.replace(version, building=True), problems))
    for status, html in (mobile.unit_page(PQ, {}, auth.LOCAL), mobile.index_page({}, auth.LOCAL)):
        assert status == 200 and "Đang nạp dữ liệu mới; trang đang hiển thị phiên bản trước" in html
    assert "Đang nạp dữ liệu mới" not in mobile.unit_page(PQ, {"lang": "en"}, auth.LOCAL)[1]
    monkeypatch.undo()
    assert "Đang nạp dữ liệu mới" not in mobile.unit_page(PQ, {}, auth.LOCAL)[1]
