"""Values that look like data but are not: each is refused the same way by ``check``, by ``load DIR``
and by an upload's dry run (and its apply), with a Vietnamese message naming the file, the line, the
column and the value; the loaded data stays byte-identical. Odd but valid files are accepted by all
three. The dates' upper bound is pinned (setting ``dates_until``) so the messages do not change daily;
one test keeps the default (today)."""
from __future__ import annotations

import gzip
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import DOSSIER_HEADER, DOSSIERS, first_build
from test_bad_input import AGRI_HEADER, AGRICULTURE, TOURISM, TOURISM_HEADER, big_rows, good_exports, replace_export, text

from communes import db, staging, steward
from communes.readers import ExportError

UNTIL = "2026-10-31"  # the pinned "day the file is checked"


def dossiers(*edits, rows=None) -> bytes:
    """The fixture dossiers with cells changed: edits are (row index, column, value); row i sits on line i + 2."""
    rows = [list(r) for r in (rows or DOSSIERS)]
    for i, col, value in edits:
        rows[i][DOSSIER_HEADER.index(col)] = value
    return text(DOSSIER_HEADER, rows).encode()


def tourism(*edits, header=TOURISM_HEADER) -> bytes:
    rows = [list(r) for r in TOURISM]
    for i, col, value in edits:
        rows[i][TOURISM_HEADER.index(col)] = value
    return text(header, rows).encode()


def agriculture(*edits) -> bytes:
    rows = [list(r) for r in AGRICULTURE]
    for i, col, value in edits:
        rows[i][AGRI_HEADER.index(col)] = value
    return text(AGRI_HEADER, rows).encode()


STAFF_HEADER = ["unit", "as_of", "approved_posts", "staff", "concurrent_posts"]


def staffing(as_of: str) -> bytes:
    return text(STAFF_HEADER, [["Xã Đan Điền", "2025-07-01", "20", "18", "2"],
                               ["Xã Đan Điền", as_of, "20", "19", "1"]]).encode()


def big_tourism_with_nul() -> bytes:
    """~120 KB of valid rows with one NUL byte inside a cell on line 2602, far beyond the first 64 KB."""
    rows = big_rows()
    rows[2600][0] = rows[2600][0][:6] + "\x00" + rows[2600][0][6:]
    data = text(TOURISM_HEADER, rows).encode()
    assert data.index(b"\x00") > 1 << 16
    return data


REVENUE_MILLIONS = [*TOURISM_HEADER[:4], "Doanh thu (triệu đồng)"]
LONG_NAME = "Cấp giấy chứng nhận " * 10_000  # 200 000 characters: beyond Python's csv field limit too
HUGE_LINE = "x" * (17 << 20)  # beyond DuckDB's line limit
GOOD_HEADER = [*DOSSIER_HEADER[:3], "procedure", *DOSSIER_HEADER[3:]]


@dataclass
class Bad:
    id: str
    file: str  # the export's name in the data folder, and the uploaded file's name
    data: bytes
    expect: list[tuple]  # (line, column, value or None, fragment), errors in report order
    value_prefix: bool = False  # the message quotes the value cut (over-long cells)

    @property
    def dataset(self) -> str:
        return self.file.split(".")[0]


BAD = [
    # numbers: not finite, beyond their type, beyond reason (after a unit conversion too)
    Bad("nan_amount", "tourism.csv", tourism((0, "revenue_vnd", "NaN")), [(2, "revenue_vnd", "NaN", "cần một số")]),
    Bad("inf_amount", "tourism.csv", tourism((1, "revenue_vnd", "inf")), [(3, "revenue_vnd", "inf", "cần một số")]),
    Bad("minus_infinity_amount", "tourism.csv", tourism((2, "revenue_vnd", "-Infinity")),
        [(4, "revenue_vnd", "-Infinity", "cần một số")]),
    Bad("nan_area", "agriculture.csv", agriculture((1, "area_ha", "nan")), [(3, "area_ha", "nan", "cần một số")]),
    Bad("amount_1e308", "tourism.csv", tourism((0, "revenue_vnd", "1e308")),
        [(2, "revenue_vnd", "1e308", "số quá lớn")]),
    Bad("amount_1e308_in_millions", "tourism.csv", tourism((1, "revenue_vnd", "1e308"), header=REVENUE_MILLIONS),
        [(3, "Doanh thu (triệu đồng)", "1e308", "sau khi đổi theo đơn vị ở tiêu đề «Doanh thu (triệu đồng)»")]),
    Bad("amount_too_large_only_after_conversion", "tourism.csv",
        tourism((2, "revenue_vnd", "2000000000"), header=REVENUE_MILLIONS),
        [(4, "Doanh thu (triệu đồng)", "2000000000", "số quá lớn: vượt 1.000.000.000.000.000 sau khi đổi")]),
    Bad("amount_beyond_double", "tourism.csv", tourism((0, "revenue_vnd", "1e400")),
        [(2, "revenue_vnd", "1e400", "số quá lớn")]),
    Bad("count_beyond_64_bits", "tourism.csv", tourism((1, "visitors_domestic", "99999999999999999999")),
        [(3, "visitors_domestic", "99999999999999999999", "số quá lớn")]),
    Bad("negative_count_beyond_64_bits", "tourism.csv", tourism((2, "visitors_international", "-99999999999999999999")),
        [(4, "visitors_international", "-99999999999999999999", "số quá lớn")]),
    Bad("absurd_count", "tourism.csv", tourism((0, "visitors_domestic", "5.000.000.000.000")),
        [(2, "visitors_domestic", "5.000.000.000.000", "số quá lớn: vượt 1.000.000.000.000")]),
    # dates: two-digit years, before 2000, after the day the file is checked
    Bad("two_digit_year", "dossiers.csv", dossiers((9, "received_at", "05/08/25")),
        [(11, "received_at", "05/08/25", "năm phải ghi đủ 4 chữ số")]),
    Bad("two_digit_year_with_time", "dossiers.csv", dossiers((3, "completed_at", "03/07/25 17:10")),
        [(5, "completed_at", "03/07/25 17:10", "năm phải ghi đủ 4 chữ số")]),
    Bad("two_digit_year_month", "tourism.csv", tourism((0, "month", "07/25")),
        [(2, "month", "07/25", "năm phải ghi đủ 4 chữ số")]),
    Bad("received_before_2000", "dossiers.csv",
        dossiers((2, "received_at", "1999-12-31"), (2, "due_at", "2000-01-05"), (2, "completed_at", "2000-01-04")),
        [(4, "received_at", "1999-12-31", "ngày trước 01/01/2000")]),
    Bad("received_in_2099", "dossiers.csv", dossiers((6, "received_at", "2099-07-20"), (6, "due_at", "2099-08-05")),
        [(8, "received_at", "2099-07-20", "ngày sau ngày kiểm tra tệp (31/10/2026)")]),
    Bad("completed_in_the_future", "dossiers.csv", dossiers((5, "completed_at", "15/07/2027")),
        [(7, "completed_at", "15/07/2027", "ngày sau ngày kiểm tra tệp")]),
    Bad("year_0025_four_digits", "dossiers.csv", dossiers((0, "received_at", "20/06/0025")),
        [(2, "received_at", "20/06/0025", "ngày trước 01/01/2000")]),
    Bad("month_in_2099", "tourism.csv", tourism((2, "month", "2099-01")),
        [(4, "month", "2099-01", "ngày sau ngày kiểm tra tệp")]),
    Bad("month_before_2000", "tourism.csv", tourism((1, "month", "12/1999")),
        [(3, "month", "12/1999", "ngày trước 01/01/2000")]),
    Bad("fishery_month_in_the_future", "fishery.csv",
        text(["unit", "month", "kind", "output_tonnes"], [["Xã Đan Điền", "2026-11", "Khai thác", "12"]]).encode(),
        [(2, "month", "2026-11", "ngày sau ngày kiểm tra tệp")]),
    Bad("agriculture_year_2099", "agriculture.csv", agriculture((0, "year", "2099")),
        [(2, "year", "2099", "năm phải từ 2000 đến 2026")]),
    Bad("agriculture_two_digit_year", "agriculture.csv", agriculture((1, "year", "25")),
        [(3, "year", "25", "năm phải từ 2000 đến 2026")]),
    Bad("staffing_date_in_the_future", "staffing.csv", staffing("01/01/2030"),
        [(3, "as_of", "01/01/2030", "ngày sau ngày kiểm tra tệp")]),
    # order in time, by the time of day when both cells give one
    Bad("completed_before_received_same_day", "dossiers.csv", dossiers((3, "completed_at", "2025-07-03 07:00")),
        [(5, "completed_at", "2025-07-03 07:00", "ngày có kết quả trước ngày tiếp nhận (ô «received_at» của dòng này: "
                                                 "2025-07-03 08:00)")]),
    Bad("due_before_received", "dossiers.csv", dossiers((5, "due_at", "09/07/2025")),
        [(7, "due_at", "09/07/2025", "ngày hẹn trả trước ngày tiếp nhận")]),
    Bad("due_before_received_same_day", "dossiers.csv", dossiers((3, "due_at", "2025-07-03 07:30")),
        [(5, "due_at", "2025-07-03 07:30", "ngày hẹn trả trước ngày tiếp nhận")]),
    Bad("due_more_than_a_year_after_received", "dossiers.csv", dossiers((6, "due_at", "2026-07-21")),
        [(8, "due_at", "2026-07-21", "ngày hẹn trả quá 12 tháng sau ngày tiếp nhận")]),
    # binary content anywhere, over-long cells and lines
    Bad("nul_byte_beyond_64_kb", "tourism.csv", big_tourism_with_nul(),
        [(2602, "unit", "Phường␀ Phong Quảng", "ký tự NUL")]),
    Bad("nul_byte_in_an_ignored_column", "tourism.csv",
        text([*TOURISM_HEADER, "ghi chú"], [r + [""] for r in TOURISM[:2]] + [TOURISM[2] + ["a\x00b"]]).encode(),
        [(4, "ghi chú", "a␀b", "ký tự NUL")]),
    Bad("procedure_name_of_200_000_characters", "dossiers.csv",
        text(GOOD_HEADER, [r[:3] + [LONG_NAME if i == 4 else "Khai sinh"] + r[3:] for i, r in enumerate(DOSSIERS)]).encode(),
        [(6, "procedure", LONG_NAME[:200], "ô quá dài")], value_prefix=True),
    Bad("line_of_17_mb", "tourism.csv", tourism() + f"Xã Đan Điền,2025-09,1,2,{HUGE_LINE}\r\n".encode(),
        [(5, None, "Xã Đan Điền,2025-09,1,2,xxx", "dòng quá dài")], value_prefix=True),
    # a plain CSV named .csv.gz: the name says gzip, the bytes are not
    Bad("plain_csv_named_csv_gz", "dossiers.csv.gz", dossiers(), [(None, None, None, "không phải tệp nén gzip")]),
]


def _mixed_newlines() -> bytes:
    lines = text(DOSSIER_HEADER, DOSSIERS).split("\r\n")
    return "".join(line + ("\n" if i % 2 else "\r\n") for i, line in enumerate(lines[:-1])).encode()


def _mixed_newlines_gz() -> bytes:
    return gzip.compress(_mixed_newlines(), mtime=0)


GOOD = [  # odd but valid: (id, file, bytes, SQL on the loaded table, expected rows)
    ("mixed_crlf_and_lf", "dossiers.csv", _mixed_newlines(),
     "select count(*), count(completed_at) from dossiers", [(11, 8)]),
    ("mixed_crlf_and_lf_gzip", "dossiers.csv.gz", _mixed_newlines_gz(),
     "select count(*), strftime(max(received_at), '%Y-%m-%d') from dossiers", [(11, "2025-08-05")]),
    ("mixed_newlines_and_a_line_break_in_a_cell", "tourism.csv",
     b'unit,month,visitors_domestic,visitors_international,revenue_vnd\r\n"Xa\r\nDan Dien",2025-07,1,2,3\n'
     b"Phuong Phong Quang,2025-07,4,5,6\r\n",
     "select unit_code, visitors_domestic from tourism order by 1", [("19873", 4), ("19885", 1)]),
    ("due_exactly_twelve_months_after_received", "dossiers.csv", dossiers((6, "due_at", "2026-07-20")),
     "select strftime(due_at, '%Y-%m-%d') from dossiers where dossier_id = 'D7'", [("2026-07-20",)]),
    ("completed_later_the_same_day_without_a_time", "dossiers.csv", dossiers((3, "completed_at", "2025-07-03")),
     "select count(*) from dossiers where completed_at::date = date '2025-07-03'", [(2,)]),
    ("dates_on_both_bounds", "tourism.csv", tourism((0, "month", "2000-01"), (1, "month", "10/2026")),
     "select min(month), max(month) from tourism", [(date(2000, 1, 1), date(2026, 10, 1))]),
    ("procedure_name_of_1500_characters", "dossiers.csv",
     text(GOOD_HEADER, [r[:3] + ["T" * 1500] + r[3:] for r in DOSSIERS]).encode(),
     "select max(length(procedure)) from dossiers", [(1500,)]),
    ("large_but_reasonable_amounts", "tourism.csv",
     tourism((0, "revenue_vnd", "1.5E+6"), (1, "revenue_vnd", "999999999999999"), (2, "visitors_domestic", "1.000.000")),
     "select revenue_vnd, visitors_domestic from tourism order by unit_code, month",
     [(1500000.0, 1234), (1200000.0, 1000000), (999999999999999.0, 300)]),
]


def _state(data: Path, dbdir: Path) -> tuple:
    cur = db.current_path(dbdir)
    return (cur, db.sha256(cur), sorted(p.name for p in dbdir.iterdir()),
            {p.name: db.sha256(p) for p in sorted(data.iterdir())})


@pytest.fixture
def folders(tmp_path, monkeypatch):
    data, dbdir = good_exports(tmp_path / "data"), tmp_path / "db"
    monkeypatch.setenv("COMMUNES_DATA_DIR", str(data))
    monkeypatch.setenv("COMMUNES_DB_DIR", str(dbdir))
    monkeypatch.setenv("COMMUNES_DATES_UNTIL", UNTIL)
    first_build(data, dbdir)
    return data, dbdir


def _check_errors(errors, case: Bad, name: str) -> None:
    assert [(p.line, p.column) for p in errors] == [(e[0], e[1]) for e in case.expect], [str(p)[:300] for p in errors]
    for p, (line, column, value, fragment) in zip(errors, case.expect):
        s = str(p)
        assert p.file == name and s.startswith(name)
        assert fragment in p.expected, s[:300]
        if value is not None:
            assert (p.value.startswith(value) if case.value_prefix else p.value == value), p.value[:300]
            assert len(p.value) < 300  # an over-long cell is quoted cut, never whole
        if line is not None:
            assert f"dòng {line}" in s
        if column is not None:
            assert f"cột «{column}»" in s


@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_bad_value_refused_by_check_load_and_upload(tmp_path, folders, case):
    data, dbdir = folders
    before = _state(data, dbdir)
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / case.file).write_bytes(case.data)

    # the upload: dry run refused, apply impossible, nothing changed
    staged = staging.stage(incoming / case.file, case.file, dbdir)
    plan = steward.dry_run(staged, case.dataset, data, dbdir)
    assert not plan.ok and not plan.stored_problems
    _check_errors(plan.errors, case, case.file)
    with pytest.raises(ValueError):
        steward.apply(plan, data_dir=data, directory=dbdir)
    assert _state(data, dbdir) == before and not (dbdir / staging.STAGING).exists()

    # check and load of a data folder holding the file: the same problems
    replace_export(data, case.file, case.data)
    reports = db.validate(data)
    _check_errors([p for r in reports for p in r.errors], case, case.file)
    with pytest.raises(ExportError) as info:
        db.build(data, dbdir)
    _check_errors([p for p in info.value.problems if p.severity == "error"], case, case.file)
    assert _state(data, dbdir)[:3] == before[:3]


@pytest.mark.parametrize("case", GOOD, ids=[g[0] for g in GOOD])
def test_odd_but_valid_file_accepted_by_check_load_and_upload(tmp_path, folders, case):
    name, filename, content, sql, expected = case
    data, dbdir = folders
    incoming = tmp_path / "incoming" / filename
    incoming.parent.mkdir()
    incoming.write_bytes(content)
    dataset = filename.split(".")[0]
    plan = steward.dry_run(staging.stage(incoming, filename, dbdir), dataset, data, dbdir)
    assert plan.ok, [str(p) for p in plan.problems]
    staging.discard(plan)

    replace_export(data, filename, content)
    assert all(not r.errors for r in db.validate(data))
    res = db.build(data, dbdir)
    with duckdb.connect(str(res.path), read_only=True) as con:
        assert con.execute(sql).fetchall() == expected


def test_default_upper_bound_is_the_day_the_file_is_checked(tmp_path, monkeypatch):
    monkeypatch.delenv("COMMUNES_DATES_UNTIL", raising=False)
    today, tomorrow = date.today(), date.today() + timedelta(days=1)
    data = tmp_path / "data"
    data.mkdir()
    (data / "staffing.csv").write_bytes(text(STAFF_HEADER, [["Xã Đan Điền", today.isoformat(), "20", "18", "2"],
                                                            ["Xã Đan Điền", tomorrow.isoformat(), "20", "18", "2"]]).encode())
    errors = [p for r in db.validate(data) for p in r.errors]
    assert [(p.line, p.value) for p in errors] == [(3, tomorrow.isoformat())]
    assert f"ngày sau ngày kiểm tra tệp ({today:%d/%m/%Y})" in errors[0].expected


def test_bounds_are_settings(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "tourism.csv").write_bytes(tourism())  # months 2025-07 and 2025-08
    monkeypatch.setenv("COMMUNES_DATE_MIN", "2025-08-01")
    monkeypatch.setenv("COMMUNES_DATES_UNTIL", "2025-12-31")
    errors = [p for r in db.validate(data) for p in r.errors]
    assert [(p.line, p.column) for p in errors] == [(2, "month"), (3, "month")]
    monkeypatch.setenv("COMMUNES_DATE_MIN", "2025-07-01")
    monkeypatch.setenv("COMMUNES_DATES_UNTIL", "2025-07-31")
    errors = [p for r in db.validate(data) for p in r.errors]
    assert [(p.line, p.column) for p in errors] == [(4, "month")]
    monkeypatch.setenv("COMMUNES_DATE_MIN", "2000-01-01")
    monkeypatch.setenv("COMMUNES_DUE_MAX_MONTHS", "1")
    monkeypatch.setenv("COMMUNES_DATES_UNTIL", "2025-12-31")
    (data / "tourism.csv").unlink()
    (data / "dossiers.csv").write_bytes(dossiers((6, "due_at", "2025-08-21")))  # received 2025-07-20
    errors = [p for r in db.validate(data) for p in r.errors]
    assert [(p.line, p.column) for p in errors] == [(8, "due_at")] and "quá 1 tháng" in errors[0].expected


def test_renaming_a_loaded_csv_to_csv_gz_is_refused_by_load(folders):
    """The same bytes under a .gz name: the fingerprint sees the name, so load reads and refuses it."""
    data, dbdir = folders
    before = _state(data, dbdir)
    os.rename(data / "dossiers.csv", data / "dossiers.csv.gz")
    with pytest.raises(ExportError) as info:
        db.build(data, dbdir)
    assert [p.file for p in info.value.problems] == ["dossiers.csv.gz"]
    assert db.current_path(dbdir) == before[0]


# English words of system messages, and CamelCase exception names (BadZipFile, UnicodeDecodeError)
ENGLISH = re.compile(r"\b(?i:error|line|invalid|file|not|the|expected|could|failed|unable|cannot|byte|value|column|"
                     r"errno)\b|\b[A-Z]\w*(Error|File|Exception)\b")


@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_messages_speak_vietnamese_only(tmp_path, monkeypatch, case):
    """What the user reads, minus the quoted value, the file and column names, has no English word."""
    monkeypatch.setenv("COMMUNES_DATES_UNTIL", UNTIL)
    data = tmp_path / "data"
    data.mkdir()
    (data / case.file).write_bytes(case.data)
    problems = [p for r in db.validate(data) for p in r.problems]
    assert problems
    for p in problems:
        assert not ENGLISH.search(p.expected), p.expected
