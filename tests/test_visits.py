"""Site visits (the optional ``visits`` export): the reader's accepted variants and located refusals,
the merge rule (an item replaces its earlier self), and the overdue rule worked out by hand."""
from __future__ import annotations

from datetime import date

import duckdb
import pytest
from conftest import DOSSIER_HEADER, DOSSIERS, build_and_point, write_csv

from communes import db, queries, readers, refdata, staging, steward
from communes.views import visits as vv

PD, PX, DD = "19831", "19753", "19885"  # Phường Phong Dinh, Phường Phú Xuân, Xã Đan Điền
VH = ["visit_date", "unit", "kind", "text", "owner", "due", "status", "closed_on"]
# The fixture dossiers' latest time is 05/08/2025 (D10, received that day): the dashboard's data date.
VISITS = [
    # Phong Dinh, a first visit on 10/07/2025: one item done, one still open and overdue since 20/07
    ["2025-07-10", "Phường Phong Dinh", "Chỉ đạo", "Rà soát quy trình một cửa", "UBND phường", "2025-07-31",
     "Đã hoàn thành", "2025-07-30"],
    ["2025-07-10", "P. Phong Dinh", "Chỉ đạo", "Sửa mái che khu chờ", "UBND phường", "2025-07-20", "Chưa thực hiện", ""],
    # Phong Dinh, the last visit on 28/07/2025
    ["2025-07-28", "Phong Dinh", "Chỉ đạo", "Bổ sung cán bộ quản lý đô thị", "Sở Nội vụ", "2025-08-01",
     "Đang thực hiện", ""],
    ["2025-07-28", "19831", "Kiến nghị", "Hướng dẫn nhiệm vụ được phân cấp", "Sở Tư pháp", "2025-08-05",
     "Chưa thực hiện", ""],
    ["2025-07-28", "Phường Phong Dinh", "Phát hiện", "Máy lấy số thứ tự hỏng", "", "", "Chưa thực hiện", ""],
    ["2025-07-28", "Phường Phong Dinh", "Chỉ đạo", "Niêm yết đủ thủ tục", "UBND phường", "2025-07-30",
     "Đã hoàn thành", "2025-08-02"],
    # Phú Xuân: two open items, both past their deadline
    ["2025-07-15", "Phường Phú Xuân", "Kiến nghị", "Giao biên chế chính thức", "Sở Nội vụ", "2025-07-31",
     "Chưa thực hiện", ""],
    ["2025-07-15", "Phường Phú Xuân", "Chỉ đạo", "Kiện toàn bộ phận chuyên môn", "UBND phường", "2025-08-04",
     "Đang thực hiện", ""],
    # Đan Điền: a direction not yet due
    ["2025-07-20", "Xã Đan Điền", "Chỉ đạo", "Tập huấn kỹ năng số", "", "2025-08-10", "Chưa thực hiện", ""],
]


@pytest.fixture(scope="module")
def ref():
    return refdata.load("Thành phố Huế")


def read(ref, tmp_path, text: str, name: str = "visits.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    con = duckdb.connect()
    report = readers.read_into(con, path, "visits", ref)
    rows = None
    if not report.errors:
        cur = con.execute("select * from stg_visits order by source_row")
        rows = [dict(zip([d[0] for d in cur.description], r)) for r in cur.fetchall()]
    return report, rows


def messages(report) -> list[str]:
    return [str(p) for p in report.errors]


# --- the reader ------------------------------------------------------------------------------------

def test_vietnamese_headers_semicolons_day_first_dates_and_any_spelling(ref, tmp_path):
    text = ("Ngày kiểm tra;Đơn vị;Loại;Nội dung;Cơ quan chủ trì;Hạn;Trạng thái;Ngày hoàn thành;Ghi chú\n"
            "28/11/2025;P. Phong Dinh;kien nghi;Sớm giao biên chế;Sở Nội vụ;31/12/2025;dang thuc hien;;x\n"
            "28/11/2025;phong dinh;CHỈ ĐẠO;  Tập huấn quản lý đô thị ;;;Hoàn thành;15/01/2026;\n"
            "2025-11-28;19753;Phát hiện;=HYPERLINK(\"x\");;;Chưa thực hiện;;\n")
    report, rows = read(ref, tmp_path, text)
    assert not report.errors, messages(report)
    assert [(r["visit_date"], r["unit_code"], r["kind"], r["text"], r["owner"], r["due"], r["status"], r["closed_on"])
            for r in rows] == [
        (date(2025, 11, 28), PD, "Kiến nghị", "Sớm giao biên chế", "Sở Nội vụ", date(2025, 12, 31), "Đang thực hiện",
         None),
        (date(2025, 11, 28), PD, "Chỉ đạo", "Tập huấn quản lý đô thị", None, None, "Đã hoàn thành", date(2026, 1, 15)),
        (date(2025, 11, 28), PX, "Phát hiện", '=HYPERLINK("x")', None, None, "Chưa thực hiện", None),
    ]
    assert [r["source_row"] for r in rows] == [2, 3, 4]


def test_optional_columns_may_be_absent_and_stage_the_same_schema(ref, tmp_path):
    text = "visit_date,unit,kind,text,status\n2025-11-28,Phong Dinh,Chỉ đạo,Rà soát,Chưa thực hiện\n"
    con = duckdb.connect()
    path = tmp_path / "visits.csv"
    path.write_text(text, encoding="utf-8")
    assert not readers.read_into(con, path, "visits", ref).errors
    got = dict(con.execute("select column_name, column_type from (describe stg_visits)").fetchall())
    con.execute("drop table stg_visits")
    db._empty_staging(con, "visits")
    assert got == dict(con.execute("select column_name, column_type from (describe stg_visits)").fetchall())
    assert got["due"] == "DATE" and got["closed_on"] == "DATE"


def test_bad_values_are_refused_with_file_line_column_and_value(ref, tmp_path):
    text = ("Ngày kiểm tra,Đơn vị,Loại,Nội dung,Cơ quan chủ trì,Hạn,Trạng thái,Ngày hoàn thành\n"
            "28/11/2025,Phong Dinh,Đề xuất,Giao biên chế,,31/12/2025,Chưa thực hiện,\n"          # 2: kind
            "28/11/2025,Phong Dinh,Chỉ đạo,Tập huấn,,20/11/2025,Đang thực hiện,\n"               # 3: due before
            "28/11/2025,Phong Dinh,Chỉ đạo,Rà soát,,,Đã hoàn thành,27/11/2025\n"                 # 4: closed before
            "31/02/2025,Phong Dinh,Chỉ đạo,Ngày sai,,,Chưa thực hiện,\n"                         # 5: no such day
            "28/11/2025,Xã Quảng Công,Chỉ đạo,Tên cũ,,,Chưa thực hiện,\n"                        # 6: former commune
            "28/11/2025,Phong Dinh,Phát hiện,,,,Chưa thực hiện,\n"                               # 7: no text
            "28/11/2025,Phong Dinh,Phát hiện,Máy hỏng,,,Xong,\n"                                 # 8: status
            "28/11/2025,P. Phong Dinh,Chỉ đạo,Tập huấn,,,Đang thực hiện,\n")                     # 9: repeats line 3
    report, rows = read(ref, tmp_path, text)
    assert rows is None
    got = {(p.line, p.column): (p.value, p.expected) for p in report.errors}
    assert got[(2, "Loại")] == ("Đề xuất", "cần một trong: Kiến nghị, Chỉ đạo hoặc Phát hiện")
    assert got[(3, "Hạn")] == ("20/11/2025", "hạn trước ngày kiểm tra (28/11/2025)")
    assert got[(4, "Ngày hoàn thành")] == ("27/11/2025", "ngày hoàn thành trước ngày kiểm tra (28/11/2025)")
    assert got[(5, "Ngày kiểm tra")][0] == "31/02/2025"
    assert got[(6, "Đơn vị")][0] == "Xã Quảng Công"
    assert got[(7, "Nội dung")] == (None, "ô bắt buộc đang để trống")
    assert got[(8, "Trạng thái")][1] == "cần một trong: Chưa thực hiện, Đang thực hiện hoặc Đã hoàn thành"
    assert got[(9, "Đơn vị")] == ("P. Phong Dinh", "dòng lặp lại: đã có một dòng cho cùng ngày kiểm tra, đơn vị và nội "
                                                  "dung (ở dòng 3)")
    assert len(report.errors) == 8
    assert str(report.errors[0]).startswith("visits.csv, dòng 2, cột «Loại»: giá trị «Đề xuất»")


def test_a_completion_date_on_an_open_item_is_loaded_with_a_warning(ref, tmp_path):
    text = "visit_date,unit,kind,text,status,closed_on\n2025-11-28,Phong Dinh,Chỉ đạo,Rà soát,Đang thực hiện,2025-12-05\n"
    report, rows = read(ref, tmp_path, text)
    assert not report.errors and len(rows) == 1
    assert [(p.line, p.column, p.severity) for p in report.warnings] == [(2, "closed_on", "warning")]


# --- a database with the fixture ---------------------------------------------------------------

@pytest.fixture
def env(make_exports, tmp_path, monkeypatch):
    """A data folder (dossiers + visits) with its first version built; settings point at both."""
    return build_and_point(monkeypatch, make_exports(visits=(VH, VISITS)), tmp_path / "db")


def runner(dbdir):
    con = duckdb.connect(str(db.current_path(dbdir)), read_only=True)
    return lambda name, **p: queries.run(name, con=con, **p)


def data_date(run) -> date:
    return run("meta/data_span")["as_of"].iloc[0].date()


# --- the overdue rule, by hand ---------------------------------------------------------------------

def test_the_last_visit_open_first_with_days_overdue(env):
    run = runner(env[1])
    assert data_date(run) == date(2025, 8, 5)
    u = vv.unit_visits(run, PD, date(2025, 8, 5))
    assert (u.as_of, u.last_visit, u.visits) == (date(2025, 8, 5), date(2025, 7, 28), 2)
    # 28/07 visit: "Bổ sung" due 01/08, open → 5/8 − 1/8 = 4 days; "Hướng dẫn" due 05/08 = D → in time;
    # "Máy lấy số" no deadline → never overdue; "Niêm yết" done (late, on 02/08) → not overdue, listed last
    assert [(i.text, i.is_open, i.days_overdue) for i in u.items] == [
        ("Bổ sung cán bộ quản lý đô thị", True, 4),
        ("Hướng dẫn nhiệm vụ được phân cấp", True, None),
        ("Máy lấy số thứ tự hỏng", True, None),
        ("Niêm yết đủ thủ tục", False, None),
    ]
    # the 10/07 visit: its done item is not carried; "Sửa mái che" due 20/07 → 16 days
    assert [(i.text, i.days_overdue) for i in u.earlier_open] == [("Sửa mái che khu chờ", 16)]
    assert [i.text for i in u.overdue_items] == ["Bổ sung cán bộ quản lý đô thị", "Sửa mái che khu chờ"]
    assert vv.status_text(u.items[0], "vi") == "Quá hạn 4 ngày (hạn 01/08/2025)"
    assert vv.status_text(u.items[1], "vi") == "Chưa thực hiện · hạn 05/08/2025"
    assert vv.status_text(u.items[2], "en") == "Not started · no deadline"
    assert vv.status_text(u.items[3], "vi") == "Đã hoàn thành ngày 02/08/2025"


def test_a_later_date_in_the_list_moves_the_data_date(env):
    """The follow-up list mentions 09/08/2025 (a completion): overdue days are counted to that day."""
    data, dbdir = env
    rows = [r[:] for r in VISITS]
    rows[5][7] = "2025-08-09"
    write_csv(data / "visits.csv", VH, rows)
    db.build(data, dbdir)
    u = vv.unit_visits(runner(dbdir), PD, date(2025, 8, 5))
    assert u.as_of == date(2025, 8, 9)
    assert [(i.text, i.days_overdue) for i in u.items if i.is_open] == [
        ("Bổ sung cán bộ quản lý đô thị", 8), ("Hướng dẫn nhiệm vụ được phân cấp", 4), ("Máy lấy số thứ tự hỏng", None)]


def test_a_unit_without_visits(env):
    u = vv.unit_visits(runner(env[1]), "19873", date(2025, 8, 5))
    assert (u.last_visit, u.items, u.earlier_open, u.visits) == (None, [], [], 0)


def test_overview_counts_overdue_directions_and_the_units_with_most(env):
    run = runner(env[1])
    s = vv.overdue_summary(run, None, date(2025, 8, 5))
    # directions overdue: Phong Dinh "Bổ sung" (4 days) and "Sửa mái che" (16); Phú Xuân "Kiện toàn" (1 day).
    # Phú Xuân's overdue proposal counts among the items, not the directions; Đan Điền's is due 10/08.
    assert (s.directions, s.items, s.open_items, s.as_of) == (3, 4, 7, date(2025, 8, 5))
    # the longest overdue direction: Phong Dinh's "Sửa mái che" (16 days); Phú Xuân's "Kiện toàn" (1 day, not
    # its proposal's 5)
    assert s.top[["unit_code", "overdue_directions", "max_days_direction"]].values.tolist() == [[PD, 2, 16], [PX, 1, 1]]
    xa = vv.overdue_summary(run, [DD], date(2025, 8, 5))
    assert (xa.directions, xa.items, xa.open_items, len(xa.top)) == (0, 0, 1, 0)


def test_city_table_of_open_items_filters_and_downloads_formula_safe(env):
    from communes import exports

    run = runner(env[1])
    df = vv.open_items(run, None, date(2025, 8, 5))
    assert df["text"].tolist() == ["Sửa mái che khu chờ", "Giao biên chế chính thức", "Bổ sung cán bộ quản lý đô thị",
                                   "Kiện toàn bộ phận chuyên môn", "Hướng dẫn nhiệm vụ được phân cấp",
                                   "Tập huấn kỹ năng số", "Máy lấy số thứ tự hỏng"]
    assert df["days_overdue"].tolist()[:4] == [16, 5, 4, 1]
    assert len(vv.filter_open(df, ["Sở Nội vụ"], [])) == 2
    assert len(vv.filter_open(df, [""], [])) == 2  # no body named: Máy lấy số, Tập huấn
    assert vv.filter_open(df, [], ["Đang thực hiện"])["text"].tolist() == [
        "Bổ sung cán bộ quản lý đô thị", "Kiện toàn bộ phận chuyên môn"]
    assert len(vv.filter_open(df, [], [], overdue_only=True)) == 4
    view = vv.open_view(df.assign(text=["=cmd|' /C calc'!A0"] + df["text"].tolist()[1:]), "vi")
    days = view["Quá hạn (ngày)"]
    assert days.iloc[:4].tolist() == [16, 5, 4, 1] and days.iloc[4:].isna().all()
    assert exports.neutralise(view)["Nội dung"].iloc[0] == "'=cmd|' /C calc'!A0"


# --- the merge rule --------------------------------------------------------------------------------

def test_an_item_replaces_its_earlier_self_and_other_items_are_kept(env, tmp_path):
    data, dbdir = env
    up = write_csv(tmp_path / "theo-doi-ket-luan.csv", ["Ngày kiểm tra", "Đơn vị", "Loại", "Nội dung", "Hạn",
                                                         "Trạng thái", "Ngày hoàn thành"], [
        ["28/07/2025", "P. Phong Dinh", "Chỉ đạo", "Bổ sung cán bộ  quản lý Đô thị", "01/08/2025", "Đã hoàn thành",
         "04/08/2025"],  # same (visit, unit, text) but for case and spacing: replaces the open row
        ["28/07/2025", "Phong Dinh", "Chỉ đạo", "Bố trí thêm quầy", "", "Chưa thực hiện", ""],  # new
    ], delimiter=";")
    assert staging.guess_dataset(up.name) == "visits"
    plan = steward.dry_run(staging.stage(up, up.name, dbdir), "visits", data, dbdir)
    assert plan.ok, [str(p) for p in plan.problems]
    assert [(c["unit_code"], c["period"], c["rows_before"], c["rows_after"], c["status"]) for c in plan.changes] == [
        (PD, "2025-07-28 · bo sung can bo quan ly do thi", 1, 1, "replaced"),
        (PD, "2025-07-28 · bo tri them quay", 0, 1, "added")]
    assert (plan.rows_before, plan.rows_after, plan.added, plan.replaced) == (9, 10, 1, 1)
    steward.apply(plan, data_dir=data, directory=dbdir)
    run = runner(dbdir)
    u = vv.unit_visits(run, PD, date(2025, 8, 5))
    got = {i.text: (i.status, i.closed_on, i.owner) for i in u.items}
    # the replaced row is the upload's whole row (its spelling; its owner column was not sent, so it is empty)
    assert "Bổ sung cán bộ quản lý đô thị" not in got
    assert got["Bổ sung cán bộ  quản lý Đô thị"] == ("Đã hoàn thành", date(2025, 8, 4), None)
    assert got["Bố trí thêm quầy"] == ("Chưa thực hiện", None, None)
    assert len(u.items) == 5 and len(u.earlier_open) == 1
    assert vv.overdue_summary(run, None, date(2025, 8, 5)).directions == 2


# --- the sample ------------------------------------------------------------------------------------

def test_the_sample_carries_the_articles_visit_marked_as_sample(tmp_path, monkeypatch):
    import json

    from communes import settings

    data = settings.ROOT / "data"
    manifest = json.loads((data / "sample.json").read_text(encoding="utf-8"))
    assert manifest["files"]["visits.csv"] == db.sha256(data / "visits.csv")  # a sample file: marked as such
    note = manifest["notes"]["visits.csv"]
    assert note.startswith("Dữ liệu mẫu.") and "Phong Dinh" in note and "(28/11/2025)" in note
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "visits.csv").write_bytes((data / "visits.csv").read_bytes())
    write_csv(folder / "dossiers.csv", DOSSIER_HEADER, DOSSIERS)
    monkeypatch.setenv("COMMUNES_DB_DIR", str(tmp_path / "db"))
    res = db.build(folder, tmp_path / "db")
    assert [r.rows for r in res.reports if r.dataset == "visits"] == [16]
    run = runner(tmp_path / "db")
    # the sample's data date: its last dossier times are on Friday 30/10/2026
    u = vv.unit_visits(run, PD, date(2026, 10, 30))
    assert u.as_of == date(2026, 10, 30)  # the list's latest date (a visit on 10/09/2026) is earlier
    assert u.last_visit == date(2025, 11, 28) and len(u.items) == 9
    assert sum(i.kind == "Kiến nghị" for i in u.items) == 5
    # "Sớm giao biên chế chính thức …", due 31/03/2026, in progress: 30 + 31 + 30 + 31 + 31 + 30 + 30 = 213 days
    first = u.items[0]
    assert first.text.startswith("Sớm giao biên chế chính thức") and first.days_overdue == 213
    assert [i.days_overdue for i in u.items if i.overdue] == [213, 122, 122]


def test_the_follow_up_list_saved_as_xlsx_is_uploaded(env, tmp_path):
    """The office's own sheet: a title above the table, Excel dates, a status typed without diacritics."""
    import datetime as dt

    import openpyxl

    data, dbdir = env
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["THEO DÕI THỰC HIỆN KẾT LUẬN KIỂM TRA"])
    ws.append(["Ngày kiểm tra", "Đơn vị", "Loại", "Nội dung", "Cơ quan chủ trì", "Hạn", "Trạng thái",
               "Ngày hoàn thành"])
    ws.append([dt.datetime(2025, 7, 28), "Phường Phong Dinh", "Chỉ đạo", "Bổ sung cán bộ quản lý đô thị", "Sở Nội vụ",
               dt.datetime(2025, 8, 1), "da hoan thanh", dt.datetime(2025, 8, 4)])
    path = tmp_path / "theo-doi-ket-luan-kiem-tra.xlsx"
    wb.save(path)
    plan = steward.dry_run(staging.stage(path, path.name, dbdir), staging.guess_dataset(path.name), data, dbdir)
    assert plan.ok, [str(p) for p in plan.problems]
    assert (plan.dataset, plan.rows_upload, plan.replaced, plan.added) == ("visits", 1, 1, 0)
    steward.apply(plan, data_dir=data, directory=dbdir)
    u = vv.unit_visits(runner(dbdir), PD, date(2025, 8, 5))
    item = next(i for i in u.items if i.text == "Bổ sung cán bộ quản lý đô thị")
    assert (item.status, item.closed_on, item.overdue) == ("Đã hoàn thành", date(2025, 8, 4), False)
