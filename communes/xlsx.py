"""An XLSX upload read as the CSV the reader expects (openpyxl read-only, row by row): the header row
found below any title, ISO dates, numbers never ambiguous, merged cells refused with their address and
Excel's row numbers kept as the CSV's line numbers."""
from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from communes.contract import DATASETS
from communes.readers import Problem
from communes.staging import READ_CHUNK, UploadError

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _merged_ranges(wb, ws) -> list[tuple[str, int, int]]:
    """Merged ranges of a sheet as (A1:B1, first row, last row), scanned from its XML in chunks
    (read-only worksheets do not expose them)."""
    out, tail = [], b""
    with wb._archive.open(ws._worksheet_path) as fh:
        while chunk := fh.read(READ_CHUNK):
            buf = tail + chunk
            last = 0
            for m in _MERGE.finditer(buf):
                c1, r1, c2, r2 = m.groups()
                ref = (c1 + r1 + (b":" + c2 + r2 if c2 else b"")).decode()
                out.append((ref, int(r1), int(r2 or r1)))
                last = m.end()
            tail = buf[max(last, len(buf) - 200):]
    return out


def _cell_text(v) -> str:
    """An Excel value as the reader expects it: ISO dates, numbers never ambiguous."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d") if v.time() == dt.time(0) else v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        s = repr(v)
        if "e" in s:
            s = f"{v:.10f}".rstrip("0").rstrip(".")
        # "12.345" would read as twelve thousand in a whole-number column and as ambiguous in a
        # decimal one; "12.3450" is plainly a decimal
        return s + "0" if re.fullmatch(r"-?\d+\.\d{3}", s) else s
    return str(v)


def xlsx_to_csv(src: Path, dst: Path, dataset: str, display: str) -> tuple[int, list[Problem]]:
    """Convert the first sheet to UTF-8 CSV; return (Excel row of the header, notes).

    The header is the first of the first 30 rows that names at least two of the dataset's columns
    (so a title above the table is skipped), else the first non-empty row. Merged cells in the
    header or below it are refused with their address; blank rows stay blank lines, so the
    reader's line numbers map back to Excel rows.
    """
    import openpyxl

    ds = DATASETS[dataset]
    try:
        wb = openpyxl.load_workbook(src, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a damaged or foreign file raises many kinds of error (in English: not shown)
        raise UploadError([Problem(display, None, None, None,
                                   "không đọc được tệp Excel (.xlsx): tệp hỏng, có mật khẩu hoặc không phải định dạng "
                                   ".xlsx; hãy mở bằng Excel và lưu lại dạng .xlsx hoặc CSV UTF-8")]) from None
    notes = []
    try:
        sheets = wb.worksheets
        if not sheets:
            raise UploadError([Problem(display, None, None, None, "tệp Excel không có trang tính nào")])
        ws = sheets[0]
        if len(sheets) > 1:
            notes.append(Problem(display, None, None, None,
                                 f"tệp có {len(sheets)} trang tính; chỉ đọc trang đầu «{ws.title}»", "warning"))
        header_row, first_nonempty = None, None
        for i, row in enumerate(ws.iter_rows(min_row=1, max_row=30, values_only=True), start=1):
            cells = [c for c in row if c not in (None, "")]
            if cells and first_nonempty is None:
                first_nonempty = i
            if sum(1 for c in cells if isinstance(c, str) and ds.column(c) is not None) >= 2:
                header_row = i
                break
        header_row = header_row or first_nonempty or 1
        merged = [(ref, a, b) for ref, a, b in _merged_ranges(wb, ws) if b >= header_row]
        if merged:
            in_header = [ref for ref, a, b in merged if a <= header_row <= b]
            if in_header:
                msg = (f"dòng tiêu đề có ô gộp ({', '.join(in_header[:10])}): mỗi cột cần một tiêu đề riêng trên một "
                       "dòng; hãy bỏ gộp ô (Merge & Center) và ghi tên cột vào từng ô")
                raise UploadError([Problem(display, header_row, None, None, msg)])
            refs = ", ".join(ref for ref, _, _ in merged[:10])
            raise UploadError([Problem(display, merged[0][1], None, None,
                                       f"vùng dữ liệu có ô gộp ({refs}): mỗi dòng phải có đủ giá trị; hãy bỏ gộp ô")])
        width = 0
        with open(dst, "w", encoding="utf-8", newline="") as out:
            w = csv.writer(out, lineterminator="\r\n")
            for i, row in enumerate(ws.iter_rows(min_row=header_row, values_only=True)):
                texts = [_cell_text(v).strip() if isinstance(v, str) else _cell_text(v) for v in row]
                if i == 0:
                    while texts and texts[-1] == "":
                        texts.pop()
                    width = len(texts)
                    if not width:
                        raise UploadError([Problem(display, None, None, None, "tệp rỗng: trang tính không có dữ liệu")])
                    w.writerow(texts)
                    continue
                texts = (texts + [""] * width)[:width]  # cells right of the last header have no column
                if any(texts):
                    w.writerow(texts)
                else:
                    out.write("\r\n")  # keep the line so line numbers stay Excel rows
    finally:
        wb.close()
    return header_row, notes
