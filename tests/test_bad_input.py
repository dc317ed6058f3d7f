"""Bad exports: each is refused whole, with a Vietnamese message that locates the problem, and the
database already built stays exactly as it was (same CURRENT, same bytes, no leftover files)."""
from __future__ import annotations

import csv
import gzip
import io
import os
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import DOSSIER_HEADER, DOSSIERS, first_build, xlsx_bytes

from communes import db
from communes.readers import ExportError

TOURISM_HEADER = ["unit", "month", "visitors_domestic", "visitors_international", "revenue_vnd"]
TOURISM = [
    ["Phường Phong Quảng", "2025-07", "1234", "56", "1500000"],  # line 2
    ["Xã Đan Điền", "2025-07", "300", "2", "200000"],  # line 3
    ["Phường Phong Quảng", "2025-08", "1000", "40", "1200000"],  # line 4
]
AGRI_HEADER = ["unit", "year", "season", "area_ha", "yield_quintal_per_ha", "production_tonnes"]
AGRICULTURE = [
    ["Phường Phong Quảng", "2025", "Hè Thu", "100", "60", "600"],  # line 2
    ["Xã Đan Điền", "2025", "Hè Thu", "50", "55", "275"],  # line 3
]


def text(header, rows, delimiter=",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def edit(rows, index, column, value, header):
    """A copy of ``rows`` with one cell changed (``index`` is 0-based: row i sits on line i + 2)."""
    out = [list(r) for r in rows]
    out[index][header.index(column)] = value
    return out


def dossiers(index=None, column=None, value=None, rows=None) -> bytes:
    rows = rows if rows is not None else DOSSIERS
    if index is not None:
        rows = edit(rows, index, column, value, DOSSIER_HEADER)
    return text(DOSSIER_HEADER, rows).encode("utf-8")


def tourism(index=None, column=None, value=None, rows=None, header=TOURISM_HEADER) -> bytes:
    rows = rows if rows is not None else TOURISM
    if index is not None:
        rows = edit(rows, index, column, value, header)
    return text(header, rows).encode("utf-8")


def agriculture(index=None, column=None, value=None) -> bytes:
    rows = AGRICULTURE if index is None else edit(AGRICULTURE, index, column, value, AGRI_HEADER)
    return text(AGRI_HEADER, rows).encode("utf-8")


# ten current units (a current name is accepted on a record from before the merger too)
BIG_UNITS = ["Phường Phú Xuân", "Phường Kim Long", "Phường Vỹ Dạ", "Phường Hương An", "Phường Thủy Xuân",
             "Phường An Cựu", "Phường Phong Điền", "Phường Phong Phú", "Phường Phong Quảng", "Xã Quảng Điền"]


def big_rows() -> list[list[str]]:
    """3000 valid tourism rows (~120 KB): 300 months from January 2001 for each of ten units."""
    return [[BIG_UNITS[i // 300], f"{2001 + i % 300 // 12}-{i % 12 + 1:02d}", "1", "2", "3"] for i in range(3000)]


def big_tourism_with_bad_bytes() -> tuple[bytes, int, str]:
    """~120 KB of valid UTF-8 with invalid bytes on one line well beyond the first 64 KB sniffed."""
    rows = big_rows()
    body = text(TOURISM_HEADER, rows).encode("utf-8")
    month = rows[2500][1]
    line = 2502
    marker = f"{rows[2500][0]},{month},".encode()
    at = body.index(marker)
    assert at > 1 << 16
    bad = body[:at] + b"Ph\xff\xfeng Qu\xe1ng," + month.encode() + b"," + body[at + len(marker):]
    return bad, line, month


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(s: str) -> bytes:
    out = []
    for ch in unicodedata.normalize("NFC", s):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
            out.append((base + "".join(c for c in d if c in _TONES)).encode("cp1258"))
    return b"".join(out)


@dataclass
class Case:
    id: str
    file: str  # name the bad file takes in the export folder (it replaces that dataset's good file)
    data: bytes
    expect: list[tuple]  # (line, column, value, fragment of the Vietnamese explanation), in report order
    value_contains: bool = False  # compare the value by substring (whole CSV lines quoted back)
    extra: dict = field(default_factory=dict)


MISSING = [(1, None, None, f"thiếu cột bắt buộc «{c}»") for c in
           ("dossier_id", "field", "channel", "received_at", "due_at", "digitized")]
_big, _big_line, _big_month = big_tourism_with_bad_bytes()
# the same file with, further on, an unreadable count: its line must not shift past the rejected row
_row = big_rows()[2568]
_big2 = _big.replace(f"{_row[0]},{_row[1]},1,".encode(), f"{_row[0]},{_row[1]},x,".encode())
assert _big2 != _big
_MULTILINE = edit(DOSSIERS, 1, "field", "Hộ tịch\n(khai sinh)", DOSSIER_HEADER)  # D2 spans lines 3-4

CASES = [
    # dates
    Case("impossible_date", "dossiers.csv", dossiers(3, "received_at", "31/02/2025"),
         [(5, "received_at", "31/02/2025", "ngày phải có thật")]),
    Case("year_day_month_date", "dossiers.csv", dossiers(5, "received_at", "2025/31/07"),
         [(7, "received_at", "2025/31/07", "cần ngày dạng 03/07/2025")]),
    Case("month_first_date", "dossiers.csv", dossiers(6, "due_at", "07/31/2025"),
         [(8, "due_at", "07/31/2025", "cần ngày dạng 03/07/2025")]),
    Case("month_13", "dossiers.csv", dossiers(7, "completed_at", "13/13/2025"),
         [(9, "completed_at", "13/13/2025", "ngày phải có thật")]),
    Case("bad_month", "tourism.csv", tourism(1, "month", "13/2025"),
         [(3, "month", "13/2025", "cần tháng dạng 07/2025")]),
    Case("completed_before_received", "dossiers.csv", dossiers(5, "completed_at", "05/07/2025"),
         [(7, "completed_at", "05/07/2025", "ngày có kết quả trước ngày tiếp nhận")]),
    # numbers
    Case("text_in_integer_column", "tourism.csv", tourism(1, "visitors_domestic", "nhiều"),
         [(3, "visitors_domestic", "nhiều", "cần một số nguyên")]),
    Case("text_in_number_column", "agriculture.csv", agriculture(0, "area_ha", "khoảng 10"),
         [(2, "area_ha", "khoảng 10", "cần một số")]),
    Case("negative_number", "tourism.csv", tourism(0, "revenue_vnd", "-1500000"),
         [(2, "revenue_vnd", "-1500000", "số không được âm")]),
    Case("negative_count", "tourism.csv", tourism(2, "visitors_domestic", "-3"),
         [(4, "visitors_domestic", "-3", "số không được âm")]),
    Case("decimal_in_integer_column", "tourism.csv", tourism(2, "visitors_international", "12,5"),
         [(4, "visitors_international", "12,5", "cần một số nguyên")]),
    Case("mixed_number_styles", "tourism.csv",
         tourism(rows=edit(edit(edit(TOURISM, 0, "revenue_vnd", "1.500.000,5", TOURISM_HEADER),
                                1, "revenue_vnd", "200.000,25", TOURISM_HEADER), 2, "revenue_vnd", "1,200,000.5",
                           TOURISM_HEADER)),
         [(4, "revenue_vnd", "1,200,000.5", "cột trộn hai kiểu số")]),
    Case("ambiguous_thousands_in_decimal_column", "tourism.csv",
         tourism(rows=edit(edit(TOURISM, 0, "revenue_vnd", "1.500", TOURISM_HEADER), 2, "revenue_vnd", "1.200",
                           TOURISM_HEADER)),
         [(2, "revenue_vnd", "1.500", "không rõ là số thập phân hay phân cách hàng nghìn"),
          (4, "revenue_vnd", "1.200", "không rõ là số thập phân hay phân cách hàng nghìn")]),
    # keys and names
    Case("duplicate_dossier_id", "dossiers.csv", dossiers(4, "dossier_id", "D2"),
         [(6, "dossier_id", "D2", "mã hồ sơ trùng (đã có ở dòng 3)")]),
    Case("tourism_duplicate_unit_month", "tourism.csv", tourism(2, "month", "07/2025"),
         [(4, "unit", "Phường Phong Quảng", "đã có một dòng cho cùng đơn vị và kỳ (ở dòng 2)")]),
    Case("tourism_duplicate_by_other_spelling", "tourism.csv",
         tourism(rows=TOURISM + [["P. Phong Quảng", "07/2025", "1", "1", "1"]]),
         [(5, "unit", "P. Phong Quảng", "đã có một dòng cho cùng đơn vị và kỳ (ở dòng 2)")]),
    Case("agriculture_duplicate_season", "agriculture.csv",
         text(AGRI_HEADER, AGRICULTURE + [["19873", "2025", "hè thu", "1", "10", "1"]]).encode(),
         [(4, "unit", "19873", "đã có một dòng cho cùng đơn vị và kỳ (ở dòng 2)")]),
    Case("unknown_unit", "dossiers.csv", dossiers(5, "unit", "Phường Atlantis"),
         [(7, "unit", "Phường Atlantis", "không có đơn vị hành chính nào mang tên này từ ngày 01/07/2025")]),
    Case("former_name_after_merger", "dossiers.csv", dossiers(6, "unit", "Xã Quảng Công"),
         [(8, "unit", "Xã Quảng Công", "tên xã/phường cũ, không còn từ ngày 01/07/2025")]),
    Case("former_thuan_hoa_after_merger_is_not_thuan_hoa", "dossiers.csv", dossiers(7, "unit", "Phường Thuận Hòa"),
         [(9, "unit", "Phường Thuận Hòa", "tên xã/phường cũ")]),
    Case("ambiguous_former_name", "tourism.csv", tourism(0, "month", "2025-05", rows=edit(
        TOURISM, 0, "unit", "Huong Van", TOURISM_HEADER)),
         [(2, "unit", "Huong Van", "tên trùng nhau giữa nhiều xã/phường cũ")]),
    # cells and enumerations
    Case("empty_required_cell", "dossiers.csv", dossiers(3, "field", ""),
         [(5, "field", None, "ô bắt buộc đang để trống")]),
    Case("bad_channel", "dossiers.csv", dossiers(9, "channel", "Fax"),
         [(11, "channel", "Fax", "cần một trong: 1, 2, 3")]),
    Case("bad_channel_number", "dossiers.csv", dossiers(0, "channel", "4"),
         [(2, "channel", "4", "cần một trong: 1, 2, 3")]),
    Case("bad_boolean", "dossiers.csv", dossiers(10, "digitized", "có lẽ"),
         [(12, "digitized", "có lẽ", "cần 1/0, Có/Không, true/false hoặc x/để trống")]),
    Case("bad_rating", "dossiers.csv", dossiers(4, "rating", "Tuyệt vời"),
         [(6, "rating", "Tuyệt vời", "Hài lòng, Bình thường, Không hài lòng")]),
    Case("bad_season", "agriculture.csv", agriculture(1, "season", "Vụ Xuân"),
         [(3, "season", "Vụ Xuân", "Đông Xuân, Hè Thu")]),
    # structure
    Case("missing_required_column", "tourism.csv",
         text([h for h in TOURISM_HEADER if h != "visitors_international"],
              [r[:3] + r[4:] for r in TOURISM]).encode(),
         [(1, None, None, "thiếu cột bắt buộc «visitors_international»")]),
    Case("two_columns_with_one_meaning", "tourism.csv",
         text(TOURISM_HEADER + ["Đơn vị"], [r + [r[0]] for r in TOURISM]).encode(),
         [(1, "Đơn vị", "Đơn vị", "cột trùng nghĩa với cột «unit»")]),
    Case("short_row", "dossiers.csv",
         text(DOSSIER_HEADER, DOSSIERS[:2] + [DOSSIERS[2][:-1]] + DOSSIERS[3:]).encode(),
         [(4, None, ",".join(DOSSIERS[2][:-1]), "dòng thiếu cột (cần 9 cột)")]),
    Case("long_row", "dossiers.csv",
         text(DOSSIER_HEADER, DOSSIERS[:8] + [DOSSIERS[8] + ["thừa"]] + DOSSIERS[9:]).encode(),
         [(10, None, ",".join(DOSSIERS[8] + ["thừa"]), "dòng thừa cột (cần 9 cột)")]),
    Case("short_row_after_a_cell_with_a_line_break", "dossiers.csv",
         text(DOSSIER_HEADER, _MULTILINE[:4] + [_MULTILINE[4][:-2]] + _MULTILINE[5:]).encode(),
         [(7, None, ",".join(DOSSIERS[4][:-2]), "dòng thiếu cột (cần 9 cột)")]),
    Case("unterminated_quote", "tourism.csv",
         tourism() + '"Xã Đan Điền,2025-08,1,2,3\r\nXã Đan Điền,2025-09,1,2,3\r\n'.encode(),
         [(5, None, '"Xã Đan Điền,2025-08', "dấu ngoặc kép")], value_contains=True),
    Case("empty_file", "tourism.csv", b"", [(None, None, None, "tệp rỗng")]),
    Case("blank_utf16_file", "tourism.csv", "\r\n".encode("utf-16"), [(None, None, None, "tệp rỗng")]),
    Case("header_only", "tourism.csv", text(TOURISM_HEADER, []).encode(),
         [(2, None, None, "tệp chỉ có dòng tiêu đề, không có dòng dữ liệu")]),
    Case("binary_garbage", "tourism.csv", bytes(range(256)) * 64, [(None, None, None, "không phải tệp CSV (dữ liệu nhị phân)")]),
    Case("xlsx_renamed_csv", "tourism.csv", xlsx_bytes([TOURISM_HEADER, *TOURISM]),
         [(None, None, None, "không phải tệp CSV (tệp Excel (.xlsx) bị đặt tên .csv)")]),
    Case("corrupt_gzip", "tourism.csv.gz", b"\x1f\x8b\x08\x00" + bytes(range(256)) * 8,
         [(None, None, None, "không đọc được tệp")]),
    Case("truncated_gzip", "tourism.csv.gz", gzip.compress(_big)[:5000], [(None, None, None, "không đọc được tệp")]),
    Case("tourism_columns_in_dossiers_file", "dossiers.csv", tourism(),
         MISSING, extra={"hint": "(tệp này giống dữ liệu «tourism»)"}),
    # encodings
    Case("invalid_utf8_beyond_first_64_kb", "tourism.csv", _big,
         [(_big_line, None, _big_month, "không đúng bảng mã UTF-8")], value_contains=True),
    Case("invalid_utf8_then_a_bad_value", "tourism.csv", _big2,
         [(_big_line, None, _big_month, "không đúng bảng mã UTF-8"),
          (2 + 12 * 214, "visitors_domestic", "x", "cần một số nguyên")], value_contains=True),
    Case("utf16_file_with_a_bad_value", "tourism.csv",
         text(TOURISM_HEADER, edit(TOURISM, 2, "visitors_domestic", "-7", TOURISM_HEADER), "\t").encode("utf-16"),
         [(4, "visitors_domestic", "-7", "số không được âm")]),
    Case("windows_1258_file_with_unknown_unit", "tourism.csv",
         cp1258(text(TOURISM_HEADER, edit(TOURISM, 1, "unit", "Xã Đan Điềm", TOURISM_HEADER), ";")),
         [(3, "unit", "Xã Đan Điềm", "không có đơn vị hành chính nào")]),
]


def good_exports(d: Path) -> Path:
    """A data folder with the valid fixture dossiers, tourism and agriculture."""
    d.mkdir()
    (d / "dossiers.csv").write_bytes(dossiers())
    (d / "tourism.csv").write_bytes(tourism())
    (d / "agriculture.csv").write_bytes(agriculture())
    return d


def replace_export(data_dir: Path, filename: str, data: bytes) -> None:
    """Put ``data`` in the folder as ``filename``, in place of the dataset's export under any name."""
    dataset = filename.split(".")[0]
    for p in data_dir.glob(f"{dataset}.*"):
        p.unlink()
    (data_dir / filename).write_bytes(data)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_export_is_refused_with_located_message_and_database_unchanged(tmp_path, monkeypatch, case):
    data_dir, db_dir = good_exports(tmp_path / "data"), tmp_path / "db"
    good = first_build(data_dir, db_dir)
    assert good.built and not good.warnings
    current = db.current_path(db_dir)
    checksum = db.sha256(current)
    listing = sorted(os.listdir(db_dir))

    replace_export(data_dir, case.file, case.data)
    scratch = tmp_path / "scratch"  # where readers put transcoded copies (UTF-16, Windows-1258)
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(ExportError) as info:
        db.build(data_dir, db_dir)

    # (ii) nothing changed: same version, same bytes, no new or half-written files
    assert db.current_path(db_dir) == current
    assert db.sha256(current) == checksum
    assert sorted(os.listdir(db_dir)) == listing
    assert list(scratch.iterdir()) == []

    # (i) every error is in the bad file, located, in Vietnamese
    errors = [p for p in info.value.problems if p.severity == "error"]
    assert [(p.line, p.column) for p in errors] == [(e[0], e[1]) for e in case.expect], [str(p) for p in errors]
    for p, (line, column, value, fragment) in zip(errors, case.expect):
        s = str(p)
        assert p.file == case.file and s.startswith(case.file)
        assert fragment in p.expected and fragment in s
        if case.value_contains:
            assert value in p.value and value in s
        else:
            assert p.value == value
            if value is not None:
                assert f"giá trị «{value}»" in s
        if line is not None:
            assert f"dòng {line}" in s
        if column is not None:
            assert f"cột «{column}»" in s
        if "hint" in case.extra:
            assert case.extra["hint"] in s
    assert case.file in str(info.value)


def test_at_least_twenty_distinct_bad_inputs():
    assert len({c.id for c in CASES}) == len(CASES) >= 20


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    data_dir, db_dir = good_exports(tmp_path / "data"), tmp_path / "db"
    first_build(data_dir, db_dir)
    rows = edit(edit(edit(DOSSIERS, 0, "channel", "9", DOSSIER_HEADER), 4, "received_at", "30/02/2025", DOSSIER_HEADER),
                10, "unit", "Xã Không Tồn Tại", DOSSIER_HEADER)
    replace_export(data_dir, "dossiers.csv", dossiers(rows=rows))
    with pytest.raises(ExportError) as info:
        db.build(data_dir, db_dir)
    assert [(p.line, p.column, p.value) for p in info.value.problems] == [
        (2, "channel", "9"), (6, "received_at", "30/02/2025"), (12, "unit", "Xã Không Tồn Tại")]


def test_errors_in_two_files_are_all_reported(tmp_path):
    data_dir, db_dir = good_exports(tmp_path / "data"), tmp_path / "db"
    first_build(data_dir, db_dir)
    replace_export(data_dir, "tourism.csv", tourism(0, "visitors_domestic", "abc"))
    replace_export(data_dir, "agriculture.csv", agriculture(1, "year", "hai nghìn"))
    with pytest.raises(ExportError) as info:
        db.build(data_dir, db_dir)
    assert sorted((p.file, p.line, p.column) for p in info.value.problems) == [
        ("agriculture.csv", 3, "year"), ("tourism.csv", 2, "visitors_domestic")]


def test_many_bad_rows_are_capped_and_counted(tmp_path):
    rows = [["Phường Phong Quảng", f"{2000 + i // 12}-{i % 12 + 1:02d}", "1", "2", "3"] for i in range(120)]
    rows = [r if i % 2 else r[:4] for i, r in enumerate(rows)]  # 60 short rows
    data_dir, db_dir = good_exports(tmp_path / "data"), tmp_path / "db"
    first_build(data_dir, db_dir)
    replace_export(data_dir, "tourism.csv", text(TOURISM_HEADER, rows).encode())
    with pytest.raises(ExportError) as info:
        db.build(data_dir, db_dir)
    located = [p for p in info.value.problems if p.line is not None]
    assert len(located) == 50 and located[0].line == 2 and located[-1].line == 100
    assert any(p.line is None and "10 dòng khác" in p.expected for p in info.value.problems)


def test_good_build_after_a_refused_one_still_works(tmp_path):
    data_dir, db_dir = good_exports(tmp_path / "data"), tmp_path / "db"
    first = first_build(data_dir, db_dir)
    replace_export(data_dir, "tourism.csv", b"")
    with pytest.raises(ExportError):
        db.build(data_dir, db_dir)
    replace_export(data_dir, "tourism.csv", tourism(0, "visitors_domestic", "1.235"))
    second = db.build(data_dir, db_dir)
    assert second.built and second.path != first.path
    assert db.current_path(db_dir) == second.path
