"""More bad input, through the steward's upload path (stage → dry run): each upload is refused with a
Vietnamese message that locates the problem (file, line, column, value, what was expected), and the
loaded data stays exactly as it was: same CURRENT, same database bytes, same files in the data folder
with the same checksums, no new version. With tests/test_bad_input.py: well over 40 cases."""
from __future__ import annotations

import gzip
import os
from dataclasses import dataclass, field

import pytest
from conftest import DOSSIER_HEADER, DOSSIERS, first_build, xlsx_bytes
from test_bad_input import (
    AGRI_HEADER,
    TOURISM,
    TOURISM_HEADER,
    cp1258,
    dossiers,
    edit,
    good_exports,
    text,
    tourism,
)

from communes import db, staging, steward


@dataclass
class Up:
    id: str
    name: str  # the uploaded file's name
    dataset: str
    data: bytes
    expect: list[tuple]  # (line, column, value, fragment), errors in report order
    env: dict = field(default_factory=dict)


TOURISM_VI = ["Đơn vị", "Tháng", "Khách nội địa", "Khách quốc tế", "Doanh thu"]
XLSX_ROWS = [TOURISM_VI, ["Xã Đan Điền", "09/2025", 1200, 30, 5]]
FISHERY = ["unit", "month", "kind", "output_tonnes"]

UPLOADS = [
    # delimiters and encodings
    Up("semicolon_impossible_day_first_date", "hoso.csv", "dossiers",
       text(DOSSIER_HEADER, edit(DOSSIERS, 5, "received_at", "31/04/2025", DOSSIER_HEADER), ";").encode(),
       [(7, "received_at", "31/04/2025", "ngày phải có thật")]),
    Up("tab_negative_revenue", "dulich.tsv", "tourism",
       text(TOURISM_HEADER, edit(TOURISM, 1, "revenue_vnd", "-5", TOURISM_HEADER), "\t").encode(),
       [(3, "revenue_vnd", "-5", "số không được âm")]),
    Up("utf16_unknown_unit", "dulich.txt", "tourism",
       text(TOURISM_HEADER, edit(TOURISM, 0, "unit", "Phường Không Có", TOURISM_HEADER), "\t").encode("utf-16"),
       [(2, "unit", "Phường Không Có", "không có đơn vị hành chính nào")]),
    Up("windows_1258_bad_month", "dulich.csv", "tourism",
       cp1258(text(TOURISM_HEADER, edit(TOURISM, 2, "month", "Tháng 8", TOURISM_HEADER), ";")),
       [(4, "month", "Tháng 8", "cần tháng dạng 07/2025")]),
    Up("bom_utf8_month_first_date", "hoso.csv", "dossiers",
       b"\xef\xbb\xbf" + dossiers(6, "due_at", "12/31/2025"),
       [(8, "due_at", "12/31/2025", "cần ngày dạng 03/07/2025")]),
    # dates
    Up("day_first_month_13", "hoso.csv", "dossiers", dossiers(4, "received_at", "15/13/2025"),
       [(6, "received_at", "15/13/2025", "ngày phải có thật")]),
    Up("time_out_of_range", "hoso.csv", "dossiers", dossiers(3, "received_at", "03/07/2025 25:10"),
       [(5, "received_at", "03/07/2025 25:10", "cần ngày dạng 03/07/2025")]),
    # numbers: decimal commas, percent signs
    Up("decimal_comma_in_count", "dulich.csv", "tourism", tourism(0, "visitors_domestic", "1,5"),
       [(2, "visitors_domestic", "1,5", "cần một số nguyên")]),
    Up("percent_sign_in_amount", "dulich.csv", "tourism", tourism(2, "revenue_vnd", "95 %"),
       [(4, "revenue_vnd", "95 %", "cần một số")]),
    Up("percent_sign_in_count", "dulich.csv", "tourism", tourism(1, "visitors_international", "12%"),
       [(3, "visitors_international", "12%", "cần một số nguyên")]),
    Up("ambiguous_thousands_only", "thuysan.csv", "fishery",
       text(FISHERY, [["Xã Đan Điền", "2025-07", "Khai thác", "1.500"], ["Xã Đan Điền", "2025-08", "Khai thác", "2.250"]]).encode(),
       [(2, "output_tonnes", "1.500", "không rõ là số thập phân"), (3, "output_tonnes", "2.250", "không rõ")]),
    Up("negative_area", "lua.csv", "agriculture",
       text(AGRI_HEADER, [["Xã Đan Điền", "2025", "Hè Thu", "-50", "55", "275"]]).encode(),
       [(2, "area_ha", "-50", "số không được âm")]),
    # keys and names
    Up("duplicate_dossier_id", "hoso.csv", "dossiers", dossiers(6, "dossier_id", "D1"),
       [(8, "dossier_id", "D1", "mã hồ sơ trùng (đã có ở dòng 2)")]),
    Up("duplicate_fishery_cell", "thuysan.csv", "fishery",
       text(FISHERY, [["Xã Đan Điền", "2025-07", "Khai thác", "1"], ["Đan Điền", "07/2025", "khai thác", "2"]]).encode(),
       [(3, "unit", "Đan Điền", "đã có một dòng cho cùng đơn vị và kỳ (ở dòng 2)")]),
    Up("former_name_after_merger", "thuysan.csv", "fishery",
       text(FISHERY, [["Xã Quảng Công", "2025-09", "Khai thác", "1"]]).encode(),
       [(2, "unit", "Xã Quảng Công", "tên xã/phường cũ")]),
    Up("ambiguous_former_name", "dulich.csv", "tourism",
       tourism(rows=[["Huong Van", "2025-05", "1", "2", "3"]]),
       [(2, "unit", "Huong Van", "tên trùng nhau giữa nhiều xã/phường cũ")]),
    # structure
    Up("missing_column", "dulich.csv", "tourism",
       text(TOURISM_HEADER[:2] + TOURISM_HEADER[3:], [r[:2] + r[3:] for r in TOURISM]).encode(),
       [(1, None, None, "thiếu cột bắt buộc «visitors_domestic»")]),
    Up("short_row", "dulich.csv", "tourism", text(TOURISM_HEADER, [TOURISM[0], TOURISM[1][:3]]).encode(),
       [(3, None, "Xã Đan Điền,2025-07,300", "dòng thiếu cột (cần 5 cột)")]),
    Up("empty_upload", "dulich.csv", "tourism", b"", [(None, None, None, "tệp rỗng")]),
    # two exports pasted into one file: the second one's header (and byte-order mark) inside the data
    Up("header_repeated_inside", "hoso.csv", "dossiers",
       text(DOSSIER_HEADER, DOSSIERS[:3] + [["\ufeff" + DOSSIER_HEADER[0], *DOSSIER_HEADER[1:]]] + DOSSIERS[3:]).encode(),
       [(5, None, None, "lặp lại dòng tiêu đề")]),
    Up("header_repeated_in_other_case", "dulich.csv", "tourism",
       text(TOURISM_VI, [XLSX_ROWS[1], [h.upper() for h in TOURISM_VI], ["Xã Đan Điền", "10/2025", 1, 2, 3]]).encode(),
       [(3, None, None, "lặp lại dòng tiêu đề")]),
    Up("header_only", "dulich.csv", "tourism", text(TOURISM_HEADER, []).encode(),
       [(2, None, None, "tệp chỉ có dòng tiêu đề")]),
    Up("tourism_file_uploaded_as_dossiers", "hoso.csv", "dossiers", tourism(),
       [(1, None, None, f"thiếu cột bắt buộc «{c}»") for c in
        ("dossier_id", "field", "channel", "received_at", "due_at", "digitized")]),
    Up("binary_garbage", "dulich.csv", "tourism", os.urandom(4096).replace(b"\n", b"\x00"),
       [(None, None, None, "không phải tệp CSV")]),
    # compressed and Excel uploads
    Up("gzip_with_bad_value", "dulich.csv.gz", "tourism", gzip.compress(tourism(1, "visitors_domestic", "abc")),
       [(3, "visitors_domestic", "abc", "cần một số nguyên")]),
    Up("corrupt_gzip", "dulich.csv.gz", "tourism", b"\x1f\x8b\x08\x00garbage" * 50,
       [(None, None, None, "không đọc được tệp")]),
    Up("xlsx_merged_header_cells", "dulich.xlsx", "tourism",
       xlsx_bytes([["Đơn vị", "Tháng", "Lượt khách", None, "Doanh thu"], XLSX_ROWS[1]], merge=["C1:D1"]),
       [(1, None, None, "dòng tiêu đề có ô gộp (C1:D1)")]),
    Up("xlsx_merged_data_cells", "dulich.xlsx", "tourism",
       xlsx_bytes([TOURISM_VI, XLSX_ROWS[1], [None, "10/2025", 1, 2, 3]], merge=["A2:A3"]),
       [(2, None, None, "vùng dữ liệu có ô gộp (A2:A3)")]),
    Up("xlsx_bad_value_on_excel_row", "dulich.xlsx", "tourism",
       xlsx_bytes([TOURISM_VI, XLSX_ROWS[1], ["Xã Đan Điền", "10/2025", -4, 1, 1]], above=[["BÁO CÁO DU LỊCH"]]),
       [(4, "Khách nội địa", "-4", "số không được âm")]),
    Up("csv_text_named_xlsx", "dulich.xlsx", "tourism", tourism(), [(None, None, None, "không đọc được tệp Excel")]),
    Up("old_xls", "dulich.xls", "tourism", b"\xd0\xcf\x11\xe0" + b"\x00" * 100,
       [(None, None, None, "Excel 97–2003")]),
    Up("pdf_upload", "baocao.pdf", "tourism", b"%PDF-1.4", [(None, None, None, "chỉ nhận tệp CSV, CSV.GZ hoặc XLSX")]),
    Up("over_the_size_limit", "dulich.csv", "tourism", tourism() + b"x" * 3000,
       [(None, None, None, "tệp quá lớn")], env={"COMMUNES_UPLOAD_MAX_MB": "0.002"}),
]


def _state(data, dbdir) -> tuple:
    """What must not change: CURRENT, the database's bytes, the versions, the data folder's files."""
    cur = db.current_path(dbdir)
    versions = sorted(p.name for p in dbdir.glob("communes-*.duckdb"))
    files = {p.name: db.sha256(p) for p in sorted(data.iterdir())}
    return cur, db.sha256(cur), versions, files, (dbdir / steward.AUDIT_FILE).exists()


@pytest.mark.parametrize("case", UPLOADS, ids=[c.id for c in UPLOADS])
def test_bad_upload_is_refused_located_and_nothing_changes(tmp_path, monkeypatch, case):
    data, dbdir = good_exports(tmp_path / "data"), tmp_path / "db"
    monkeypatch.setenv("COMMUNES_DATA_DIR", str(data))
    monkeypatch.setenv("COMMUNES_DB_DIR", str(dbdir))
    for k, v in case.env.items():
        monkeypatch.setenv(k, v)
    first_build(data, dbdir)
    before = _state(data, dbdir)
    src = tmp_path / "incoming" / case.name
    src.parent.mkdir()
    src.write_bytes(case.data)

    try:
        with open(src, "rb") as fh:
            staged = staging.stage(fh, case.name, dbdir)
    except staging.UploadError as exc:
        errors = exc.problems
    else:
        plan = steward.dry_run(staged, case.dataset, data, dbdir)
        assert not plan.ok and not plan.changed and not plan.stored_problems
        errors = plan.errors
        with pytest.raises(ValueError):
            steward.apply(plan, data_dir=data, directory=dbdir)
        staging.discard(staged)

    assert _state(data, dbdir) == before
    assert not (dbdir / staging.STAGING).exists()
    assert [(p.line, p.column) for p in errors] == [(e[0], e[1]) for e in case.expect], [str(p) for p in errors]
    for p, (line, column, value, fragment) in zip(errors, case.expect):
        s = str(p)
        assert p.file == case.name and s.startswith(case.name)
        assert fragment in s
        if value is not None:
            assert value in (p.value or "") and value in s
        if line is not None:
            assert f"dòng {line}" in s
        if column is not None:
            assert f"cột «{column}»" in s


def test_corpus_size():
    from test_bad_input import CASES

    assert len({c.id for c in UPLOADS}) == len(UPLOADS) >= 25
    assert len(CASES) + len(UPLOADS) >= 40


def test_a_character_nobody_sees_is_named_in_the_message(make_exports):
    """A zero-width space inside a unit name: refused where it stands, and the message shows the character."""
    rows = [list(r) for r in DOSSIERS]
    rows[5][1] = "Phường\u200bPhong Quảng"
    errors = [p for report in db.validate(make_exports(dossiers=rows)) for p in report.errors]
    assert [(p.file, p.line, p.column, p.value) for p in errors] == [("dossiers.csv", 7, "unit", "Phường⟨U+200B⟩Phong Quảng")]
    assert "⟨U+200B⟩" in str(errors[0]) and "không có đơn vị hành chính nào mang tên này" in str(errors[0])
