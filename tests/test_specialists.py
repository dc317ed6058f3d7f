"""Specialists by field: the staffing_fields export's reader cases, dossiers per specialist worked out by
hand on the fixture dossiers (tests/conftest.py), and the profile and dossier pages (AppTest)."""
from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest
from apptest import open_app, shown

from communes import db, periods, queries, readers, refdata, settings, staging
from communes import specialists as sv

PQ, DD = "19873", "19885"  # Phường Phong Quảng; Xã Đan Điền
# conftest.DOSSIERS, new dossiers of Phong Quảng: June 2025 Hộ tịch 2 (D1, D3), Đất đai 1 (D2), under former
# communes; July Chứng thực 1 (D4), Hộ tịch 2 (D5, D6), Đất đai 3 (D7, D8, D9); August Hộ tịch 1 (D10).
# Đan Điền: July Hộ tịch 1 (D11). The data's as-of day is 05/08/2025 (D10).
STAFFING_FIELDS = (["Đơn vị", "Tính đến ngày", "Lĩnh vực", "Số cán bộ chuyên môn"], [
    ["Phường Phong Quảng", "01/07/2025", "Đất đai", "2"],
    ["Phường Phong Quảng", "01/07/2025", "hộ tịch", "1"],  # the dossiers say "Hộ tịch": the same field
    ["Phường Phong Quảng", "01/07/2025", "Chứng thực", "0"],
    ["Phường Phong Quảng", "01/07/2025", "Xây dựng", "0"],  # no dossier in the field: not flagged
    ["Phường Phong Quảng", "01/08/2025", "Đất đai", "3"],  # after July: counts from August's periods on
    ["P. Phong Quảng", "01/10/2025", "Chứng thực", "1"],  # after Q3 ends: not Q3's
    ["Xã Đan Điền", "15/07/2025", "Hộ tịch", "4"],
])


@pytest.fixture(scope="module")
def ref():
    return refdata.load("Thành phố Huế")


@pytest.fixture
def con(make_exports, build_db):
    return build_db(make_exports(staffing_fields=STAFFING_FIELDS))


def rows_of(con, period: str, units=None) -> dict:
    run = lambda name, **p: queries.run(name, con=con, **p)  # noqa: E731
    return {(r.unit_code, r.field): r for r in sv.load(run, periods.parse(period), date(2025, 8, 5), units)}


# --- dossiers per specialist, by hand ------------------------------------------------------------

def test_july_one_month_latest_row_on_or_before_the_end(con):
    r = rows_of(con, "2025-07")
    assert r[(PQ, "Hộ tịch")].per_specialist_month == pytest.approx(2 / 1 / 1)
    assert r[(PQ, "Đất đai")].per_specialist_month == pytest.approx(3 / 1 / 2)  # the 01/07 row: 2 specialists
    assert r[(PQ, "Đất đai")].as_of == date(2025, 7, 1)
    assert r[(DD, "Hộ tịch")].per_specialist_month == pytest.approx(1 / 1 / 4)
    c = r[(PQ, "Chứng thực")]
    assert (c.new_dossiers, c.specialists, c.no_specialist, c.per_specialist_month) == (1, 0, True, None)
    x = r[(PQ, "Xây dựng")]
    assert (x.new_dossiers, x.specialists, x.no_specialist) == (0, 0, False)
    assert [k.field for k in sv.for_unit(list(r.values()), PQ)] == ["Chứng thực", "Hộ tịch", "Đất đai", "Xây dựng"]


def test_a_running_quarter_counts_the_months_the_data_covers(con):
    # Q3/2025 is judged on 05/08/2025: 1 + 5/31 = 36/31 months
    r = rows_of(con, "2025-Q3")
    assert r[(PQ, "Đất đai")].months == pytest.approx(36 / 31)
    assert r[(PQ, "Đất đai")].per_specialist_month == pytest.approx(3 / (36 / 31) / 3)  # the 01/08 row: 3
    assert r[(PQ, "Hộ tịch")].per_specialist_month == pytest.approx(3 / (36 / 31) / 1)  # D5, D6, D10
    assert r[(PQ, "Chứng thực")].no_specialist  # the 01/10 row is after 30/09
    assert sv.load_text(r[(PQ, "Hộ tịch")], "vi") == "2,6" and sv.load_text(r[(PQ, "Hộ tịch")], "en") == "2.6"
    assert sv.load_text(r[(PQ, "Chứng thực")], "vi") == "không có cán bộ chuyên môn"


def test_before_any_staffing_row_the_load_is_no_data_not_a_flag(con):
    r = rows_of(con, "2025-06")
    assert {k: (v.new_dossiers, v.specialists) for k, v in r.items()} == {
        (PQ, "Hộ tịch"): (2, None), (PQ, "Đất đai"): (1, None)}
    assert not sv.flagged(list(r.values())) and not sv.city_rows(list(r.values()))
    assert sv.units_without(list(r.values()), [PQ, DD]) == [PQ]
    assert sv.load_text(r[(PQ, "Hộ tịch")], "vi") == "không có dữ liệu"


def test_the_city_table_is_worst_first_and_scoped(con):
    rows = rows_of(con, "2025-07", [PQ, DD])
    city = sv.city_rows(list(rows.values()))
    assert [(r.unit_code, r.field) for r in city] == [
        (PQ, "Chứng thực"), (PQ, "Hộ tịch"), (PQ, "Đất đai"), (DD, "Hộ tịch"), (PQ, "Xây dựng")]
    assert set(rows_of(con, "2025-07", [DD])) == {(DD, "Hộ tịch")}
    view = sv.view(city, "vi", {PQ: "Phong Quảng", DD: "Đan Điền"})
    assert view.iloc[0].tolist() == ["Phong Quảng", "Chứng thực", "không có cán bộ chuyên môn", "0", "1,0", "01/07/2025"]
    assert view.iloc[2].tolist() == ["Phong Quảng", "Đất đai", "1,5", "2", "3,0", "01/07/2025"]


# --- the reader --------------------------------------------------------------------------------------

def read(ref, tmp_path, text: str):
    path = tmp_path / "staffing_fields.csv"
    path.write_text(text, encoding="utf-8")
    con = duckdb.connect()
    report = readers.read_into(con, path, "staffing_fields", ref)
    rows = None if report.errors else con.execute(
        "select unit_code, as_of, field, specialists from stg_staffing_fields order by source_row").fetchall()
    return report, rows


def test_reader_accepts_vietnamese_headers_and_formats(ref, tmp_path):
    report, rows = read(ref, tmp_path, "ĐƠN VỊ;Ngày;Lĩnh vực;Cán bộ chuyên môn\n"
                                       "P. Phong Quảng;01/07/2025;Đất đai;2\nXa Dan Dien;2025-07-15; Xây dựng ;0\n")
    assert not report.errors, [str(p) for p in report.errors]
    assert rows == [(PQ, date(2025, 7, 1), "Đất đai", 2), (DD, date(2025, 7, 15), "Xây dựng", 0)]


@pytest.mark.parametrize("text, line, column, expected", [
    ("unit,as_of,field,specialists\nPhong Quảng,2025-07-01,Đất đai,-1\n", 2, "specialists", "số không được âm"),
    ("unit,as_of,field,specialists\nPhong Quảng,2025-07-01,Đất đai,1,5\n", 2, None, "thừa cột"),
    ("unit,as_of,field,specialists\nPhong Quảng,2025-07-01,Đất đai,hai\n", 2, "specialists", "số nguyên"),
    ("unit,as_of,field,specialists\nPhong Quảng,2025-07-01,,2\n", 2, "field", "để trống"),
    ("unit,as_of,field,specialists\nPhong Quảng,31/02/2025,Đất đai,2\n", 2, "as_of", "ngày phải có thật"),
    ("unit,as_of,field,specialists\nXã Quảng Công,2025-07-01,Đất đai,2\n", 2, "unit", "Quảng Công"),  # a former commune
    ("unit,as_of,field,specialists\nPhong Quảng,2025-07-01,Đất đai,2\nP. Phong Quảng,01/07/2025,đất  đai,3\n",
     3, "unit", "dòng lặp lại"),  # the same unit, date and field, spelt otherwise
    ("unit,as_of,specialists\nPhong Quảng,2025-07-01,2\n", 1, None, "thiếu cột bắt buộc «field»"),
])
def test_reader_refuses_with_file_line_column_and_value(ref, tmp_path, text, line, column, expected):
    report, rows = read(ref, tmp_path, text)
    assert rows is None
    hits = [p for p in report.errors if expected in str(p)]
    assert hits, [str(p) for p in report.errors]
    assert hits[0].file == "staffing_fields.csv" and hits[0].line == line and hits[0].column == column


def test_an_upload_named_for_specialists_is_not_taken_for_staffing():
    assert staging.guess_dataset("staffing_fields.csv") == "staffing_fields"
    assert staging.guess_dataset("Cán bộ chuyên môn 07-2025.xlsx") == "staffing_fields"
    assert staging.guess_dataset("nhan-luc-2025.csv") == "staffing"


# --- the sample --------------------------------------------------------------------------------------

def test_the_sample_has_specialists_by_field_marked_as_sample():
    data = settings.ROOT / "data"
    path = data / "staffing_fields.csv"
    assert json.loads((data / "sample.json").read_text(encoding="utf-8"))["files"]["staffing_fields.csv"] == db.sha256(path)
    assert db.is_sample(data, {"staffing_fields": path})
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Đơn vị,Tính đến ngày,Lĩnh vực,Số cán bộ chuyên môn"
    rows = [x.split(",") for x in lines[1:]]
    assert {r[1] for r in rows} == {"2025-07-01", "2026-01-01", "2026-07-01"}
    assert len(rows) == 40 * 3 * 8  # every unit, date and dossier field
    zero = [r for r in rows if r[3] == "0"]
    assert zero and {r[2] for r in zero} <= {"Đất đai", "Xây dựng"}  # the article's shortage: land and construction


# --- the pages -----------------------------------------------------------------------------------------

@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports(staffing_fields=STAFFING_FIELDS), built=True)


def test_profile_shows_the_units_fields_with_the_flag(app_env):
    at = open_app("pages/profile.py", pk="month", p="2025-07", unit=PQ)
    assert not at.exception, at.exception
    assert "Cán bộ chuyên môn theo lĩnh vực" in [h.value for h in at.subheader]
    assert any("1 lĩnh vực có hồ sơ nhưng không có cán bộ chuyên môn: Chứng thực" in e.value for e in at.warning)
    table = next(shown(x.value) for x in at.table if "Cán bộ chuyên môn" in shown(x.value).columns)
    assert table["Lĩnh vực"].tolist() == ["Chứng thực", "Hộ tịch", "Đất đai", "Xây dựng"]
    assert table["Hồ sơ / cán bộ chuyên môn / tháng"].tolist() == ["không có cán bộ chuyên môn", "2,0", "1,5", "—"]


def test_dossier_page_city_table_worst_first(app_env):
    at = open_app("pages/dossiers.py", pk="month", p="2025-07", view="specialists")
    assert not at.exception, at.exception
    assert any("1 lĩnh vực của 1 đơn vị" in e.value for e in at.warning)
    df = at.dataframe[-1].value
    assert df["Đơn vị"].tolist()[:2] == ["Phong Quảng", "Phong Quảng"]
    assert df["Lĩnh vực"].tolist() == ["Chứng thực", "Hộ tịch", "Đất đai", "Hộ tịch", "Xây dựng"]
    en = open_app("pages/dossiers.py", pk="month", p="2025-07", view="specialists", lang="en")
    assert en.dataframe[-1].value["Dossiers per specialist per month"].tolist()[:3] == ["no specialist", "2.0", "1.5"]


def test_dossier_page_without_the_export_says_so(make_exports, use_exports):
    use_exports(make_exports(), built=True)
    at = open_app("pages/dossiers.py", pk="month", p="2025-07", view="specialists")
    assert not at.exception, at.exception
    assert any("staffing_fields" in i.value for i in at.info)


def test_phone_page_shows_the_same_rows(app_env):
    from html import unescape

    from communes import auth
    from communes.web import mobile

    status, html = mobile.unit_page("phong quang", {"pk": "month", "p": "2025-07"}, auth.LOCAL)
    assert status == 200
    part = html[html.index('<section id="specialists">'):]
    part = part[:part.index("</section>")]
    text = " ".join(unescape(part).replace("<", " <").split())
    assert "1 lĩnh vực có hồ sơ nhưng không có cán bộ chuyên môn: Chứng thực." in text
    rows = [list(row.split("<td>")[1:]) for row in part.split("<tr>")[2:]]
    cells = [[unescape(c.split("</td>")[0]) for c in r] for r in rows]
    assert cells == [["Chứng thực", "không có cán bộ chuyên môn", "0"], ["Hộ tịch", "2,0", "1"],
                     ["Đất đai", "1,5", "2"], ["Xây dựng", "—", "0"]]
    status, html = mobile.unit_page("dan dien", {"pk": "month", "p": "2025-06"}, auth.LOCAL)
    assert status == 200 and 'id="specialists"' not in html  # no staffing row by 30/06/2025: no section


def test_data_and_overview_pages_list_the_export_with_its_dates(app_env):
    at = open_app("pages/data.py")
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "Tệp" in d.value.columns or "File" in d.value.columns)
    row = table[table.iloc[:, 0] == "Cán bộ chuyên môn theo lĩnh vực"].iloc[0].tolist()
    assert "staffing_fields.csv" in row and "7" in row and "01/07/2025" in row and "01/10/2025" in row
    ov = open_app(pk="month", p="2025-07")
    fresh = ov.dataframe[-1].value
    assert dict(zip(fresh.iloc[:, 0], fresh.iloc[:, -1]))["Cán bộ chuyên môn theo lĩnh vực"] == "01/10/2025"
