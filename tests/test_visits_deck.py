"""The briefing's slide "Kết luận lần kiểm tra trước" for one unit: in the deck (python-pptx) and on the
page (AppTest), the open items of the unit's last visit, the most overdue first."""
from __future__ import annotations

import io
from datetime import date

import pytest
from apptest import open_app
from pptx import Presentation
from test_visits import DD, PD, VH, VISITS

from communes import periods, queries, refdata
from communes.briefing import data as view
from communes.briefing import deck, frame
from communes.briefing import slides as sl

REF = refdata.load("Thành phố Huế")


@pytest.fixture
def con(make_exports, build_db):
    return build_db(make_exports(visits=(VH, VISITS)))


def load(con, unit, lang="vi"):
    f = frame(REF, periods.parse("2025-07"), "prev", "all", date(2025, 8, 5), lang)
    return view.load(lambda name, **p: queries.run(name, con=con, **p), f, unit=unit)


def cells(slide) -> list[list[str]]:
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    return [[c.text for c in r.cells] for r in table.rows]


def test_the_unit_deck_ends_with_the_last_visits_open_items(con):
    d = load(con, PD)
    prs = Presentation(io.BytesIO(deck.build(d)))
    assert [s.name for s in prs.slides][-2:] == ["merger", "visits"]
    s = prs.slides[-1]
    text = "\n".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
    assert "Kết luận lần kiểm tra trước" in text
    assert "Lần kiểm tra ngày 28/07/2025 · tính đến 05/08/2025" in text
    assert "1 nội dung đã hoàn thành." in text
    assert cells(s) == [
        ["Loại · hạn", "Tình trạng", "Nội dung (cơ quan chủ trì)"],
        ["Chỉ đạo · 01/08/2025", "Quá hạn 4 ngày", "Bổ sung cán bộ quản lý đô thị (Sở Nội vụ)"],
        ["Kiến nghị · 05/08/2025", "Chưa thực hiện", "Hướng dẫn nhiệm vụ được phân cấp (Sở Tư pháp)"],
        ["Phát hiện", "Chưa thực hiện", "Máy lấy số thứ tự hỏng"],
    ]
    # the overdue item's state is red (C62828), in the deck as on the page
    table = next(sh.table for sh in s.shapes if sh.has_table)
    assert str(table.cell(1, 1).text_frame.paragraphs[0].runs[0].font.color.rgb) == sl.COLOURS["not_met"]
    notes = s.notes_slide.notes_text_frame.text
    assert "visits.csv" in notes and "dữ liệu mẫu" not in notes


def test_slide_data_and_english(con):
    s = sl.visits_slide(load(con, PD, "en"), "en")
    assert s.title == "Conclusions of the last visit"
    assert s.table.rows[0][:2] == ["Direction · 1 Aug 2025", "4 days overdue"]
    assert s.table.status == ["not_met", None, None]


def test_a_visit_whose_items_are_all_done_says_so(make_exports, build_db):
    rows = [r for r in VISITS if r[1] in ("Phường Phong Dinh", "P. Phong Dinh", "Phong Dinh", "19831")]
    rows = [r[:6] + ["Đã hoàn thành", "2025-08-03"] if r[0] == "2025-07-28" else r for r in rows]
    con = build_db(make_exports(visits=(VH, rows)))
    s = sl.visits_slide(load(con, PD), "vi")
    assert s.table is None and s.bullets == ["Mọi nội dung của lần kiểm tra ngày 28/07/2025 đã hoàn thành."]


def test_no_slide_without_a_visit_or_for_the_city(con):
    assert "visits" not in [s.key for s in sl.build(load(con, "19873"))]  # Phong Quảng: no visit
    assert "visits" not in [s.key for s in sl.build(load(con, None))]
    assert "visits" in [s.key for s in sl.build(load(con, DD))]


def test_page_shows_the_slide_as_text(make_exports, use_exports):
    trap = "<i>nghiêng</i> **đậm**"
    use_exports(make_exports(visits=(VH, VISITS + [["2025-07-28", "Phong Dinh", "Phát hiện", trap, "", "",
                                                     "Đang thực hiện", ""]])), built=True)
    at = open_app("pages/briefing.py", pk="month", p="2025-07", unit=PD, slide="11")
    assert not at.exception, at.exception
    assert at.header[0].value == "Kết luận lần kiểm tra trước"
    body = " ".join(h.proto.body for h in at.get("html"))
    assert "Quá hạn 4 ngày" in body and "&lt;i&gt;nghiêng&lt;/i&gt; **đậm**" in body and "<i>" not in body
    assert [b.label for b in at.get("download_button")][-2:] == ["Tải CSV", "Tải Excel"]


def test_more_open_items_than_the_slide_holds_are_counted(make_exports, build_db):
    rows = [["2025-07-28", "Phong Dinh", "Chỉ đạo", f"Việc số {k}", "", f"2025-08-0{k}", "Chưa thực hiện", ""]
            for k in range(1, 9)]  # due 1–8 August; on 05/08 the first four are overdue by 4, 3, 2 and 1 days
    con = build_db(make_exports(visits=(VH, rows)))
    s = sl.visits_slide(load(con, PD), "vi")
    assert [r[2] for r in s.table.rows] == [f"Việc số {k}" for k in range(1, 7)]
    assert [r[1] for r in s.table.rows][:5] == ["Quá hạn 4 ngày", "Quá hạn 3 ngày", "Quá hạn 2 ngày", "Quá hạn 1 ngày",
                                                "Chưa thực hiện"]
    assert s.table.footer == "… và 2 việc khác chưa hoàn thành"
