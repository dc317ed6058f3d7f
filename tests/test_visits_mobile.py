"""The phone page ``/m/{unit}``'s "Kết luận kiểm tra": the same items as the profile, overdue marked with
their days, free text escaped; no section when no follow-up list is loaded."""
from __future__ import annotations

import re
from html import unescape

import pytest
from test_visits import PD, VH, VISITS

from communes import auth
from communes.web import mobile

TRAP = "<script>alert(1)</script> **đậm**"


@pytest.fixture
def exports(make_exports, use_exports):
    rows = VISITS + [["2025-07-28", "Phong Dinh", "Phát hiện", TRAP, "<b>Sở</b>", "", "Chưa thực hiện", ""]]
    return use_exports(make_exports(visits=(VH, rows)), built=True)


def test_phone_page_lists_the_last_visit_open_first_overdue_marked(exports):
    status, html = mobile.unit_page("phong dinh", {}, auth.LOCAL)
    assert status == 200
    assert '<section id="visits">' in html and html.index('id="visits"') < html.index('id="backlog"')
    part = html[html.index('<section id="visits">'):html.index('<section id="backlog">')]
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", part)).split())
    assert "Lần kiểm tra gần nhất: 28/07/2025 · 5 nội dung, 4 chưa hoàn thành, 1 quá hạn" in text
    order = [text.index(x) for x in ("Bổ sung cán bộ", "Hướng dẫn nhiệm vụ", "Máy lấy số", "Niêm yết")]
    assert order == sorted(order)
    assert part.count('class="vi overdue"') == 2  # the last visit's one, and the earlier visit's
    assert "Quá hạn 4 ngày (hạn 01/08/2025)" in text and "Quá hạn 16 ngày (hạn 20/07/2025)" in text
    assert "Còn mở từ các lần kiểm tra trước (1)" in text
    assert "Quá hạn tính đến ngày 05/08/2025" in text
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; **đậm**" in part
    assert "&lt;b&gt;Sở&lt;/b&gt;" in part


def test_phone_page_of_a_unit_without_visits_says_so(exports):
    status, html = mobile.unit_page("19873", {}, auth.LOCAL)
    assert status == 200 and "Chưa có lần kiểm tra nào của đơn vị trong danh sách theo dõi." in html


def test_no_section_without_a_follow_up_list(make_exports, use_exports):
    use_exports(make_exports(), built=True)
    status, html = mobile.unit_page(PD, {}, auth.LOCAL)
    assert status == 200 and 'id="visits"' not in html
