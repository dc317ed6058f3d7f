"""Readers: one export file → one typed, name-resolved staging table in DuckDB.

The file is read by DuckDB as text, then every column is checked and cast in SQL,
so a million rows validate in about a second. Every problem is collected with its
file, line (header = line 1), column, value and what was expected, in Vietnamese.
A file with any error is refused whole: nothing is written to the target table.

>>> import duckdb, tempfile, pathlib
>>> from communes import refdata
>>> p = pathlib.Path(tempfile.mkdtemp()) / "units.csv"
>>> _ = p.write_text("Đơn vị;Dân số\\nP. Phong Quảng;51.234\\n", encoding="utf-8")
>>> con = duckdb.connect()
>>> read_into(con, p, "units", refdata.load("Thành phố Huế")).rows
1
>>> con.sql("select unit_code, population from stg_units").fetchall()
[('19873', 51234)]
"""
from __future__ import annotations

import codecs
import csv
import gzip
import logging
import os
import re
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from communes import contract, periods, settings
from communes.contract import DATASETS, ENUM_HELP, ENUMS, FALSE_WORDS, TRUE_WORDS, Dataset
from communes.names import ascii_key, nfc
from communes.refdata import RefData, resolve

_MERGER = f"date '{periods.MERGER.isoformat()}'"  # SQL text of the merger day (the build's merger_date())

_log = logging.getLogger(__name__)
MAX_PER_KIND = 50  # located messages kept per (column, problem); the rest are counted
# a text column of at most this many distinct spellings is normalised once per spelling, through an ENUM of
# them (_lookups); one of more (dossier ids) cell by cell, which costs less than an ENUM of every id
LOOKUP_MAX = 10_000
_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
_TIME_SUFFIXES = ["", " %H:%M", " %H:%M:%S", "T%H:%M", "T%H:%M:%S"]
DATETIME_FORMATS = [d + t for d in _DATE_FORMATS for t in _TIME_SUFFIXES]
MONTH_FORMATS = ["%Y-%m", "%m/%Y", "%m-%Y", *_DATE_FORMATS]


@dataclass
class Problem:
    file: str
    line: int | None
    column: str | None
    value: str | None
    expected: str
    severity: str = "error"

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"dòng {self.line}")
        if self.column:
            where.append(f"cột «{self.column}»")
        value = "" if self.value is None else f"giá trị «{self.value}»: "
        return f"{', '.join(where)}: {value}{self.expected}"


@dataclass
class ReadReport:
    dataset: str
    file: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


class ExportError(Exception):
    """Raised when exports break the contract; carries every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} lỗi trong dữ liệu xuất:\n" + "\n".join(str(p) for p in errors[:20]))


# --- file level: compression, encoding, delimiter, header ----------------------------------------

@dataclass
class _Prepared:
    path: Path  # UTF-8 text DuckDB can read (the original, or a transcoded copy)
    delim: str
    header: list[str]
    temp: Path | None = None


def _open_bytes(path: Path):
    return gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")


def _sniff_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a character cut at the end of the sample
            return "utf-8"
    # Mostly valid UTF-8 with a few bad bytes is a damaged UTF-8 file (DuckDB then names the
    # lines); Windows-1258 text almost never forms valid multi-byte UTF-8 sequences.
    text = head.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return "utf-8" if good > bad else "cp1258"


GZIP_MAGIC = b"\x1f\x8b"
CSV_FIELD_LIMIT = 1 << 30  # Python's csv module refuses fields over 128 KB by default; cells are judged by the rules
DUCKDB_MAX_LINE = 16 << 20  # bytes; a longer line is refused with its line number
_ENCODING_NAMES = {"utf-16": "UTF-16", "cp1258": "Windows-1258", "utf-8": "UTF-8", "utf-8-sig": "UTF-8"}


def _os_reason(exc: BaseException, gz: bool) -> str:
    """Why a file could not be read, in Vietnamese (never the system's English message)."""
    if isinstance(exc, FileNotFoundError):
        return "không tìm thấy tệp"
    if isinstance(exc, PermissionError):
        return "không có quyền đọc tệp"
    if isinstance(exc, IsADirectoryError):
        return "đây là một thư mục, không phải tệp"
    if gz or isinstance(exc, (EOFError, zlib.error, gzip.BadGzipFile)):
        return "không đọc được tệp: tệp nén .gz bị hỏng hoặc không trọn vẹn (hãy nén lại hoặc gửi tệp CSV chưa nén)"
    return "không đọc được tệp (lỗi đọc đĩa)"


def _transcode(path: Path, encoding: str, report: ReadReport, newlines: bool = False) -> Path | None:
    """A UTF-8 copy of ``path`` (NFC text; with ``newlines``, every line break made LF), or None
    with the problem located by line when a byte cannot be decoded."""
    fd, name = tempfile.mkstemp(suffix=".csv", prefix="communes-")
    temp = Path(name)
    dec = codecs.getincrementaldecoder(encoding)(errors="strict" if not newlines else "surrogateescape")
    line, cr = 1, False
    try:
        with _open_bytes(path) as raw, os.fdopen(fd, "w", encoding="utf-8", newline="",
                                                 errors="surrogateescape") as out:
            while chunk := raw.read(1 << 20):
                state = dec.getstate()
                try:
                    text = dec.decode(chunk)
                except UnicodeDecodeError as exc:
                    dec.setstate(state)
                    line += dec.decode(chunk[:exc.start]).count("\n")
                    report.problems.append(Problem(
                        report.file, line, None, None,
                        f"dòng có ký tự không đọc được theo bảng mã {_ENCODING_NAMES.get(encoding, encoding)} "
                        "(hãy lưu lại tệp dạng «CSV UTF-8»)"))
                    temp.unlink(missing_ok=True)
                    return None
                if newlines:  # CRLF, CR and LF in one file: all LF (a CRLF may straddle two chunks)
                    if cr and text.startswith("\n"):
                        text = text[1:]
                    cr = text.endswith("\r")
                    text = text.replace("\r\n", "\n").replace("\r", "\n")
                line += text.count("\n")
                out.write(text if newlines else nfc(text))
    except (OSError, EOFError, zlib.error) as exc:  # a .gz damaged after the first 64 KB
        report.problems.append(Problem(report.file, None, None, None, _os_reason(exc, path.name.endswith(".gz"))))
        temp.unlink(missing_ok=True)
        return None
    return temp


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 13))


def _binary(head: bytes) -> bool:
    """Many control bytes: not text at all. A stray NUL in a text file is located by its line later."""
    n = len(head) - len(head.translate(None, _CONTROL))
    return n > max(3, len(head) // 100)


def _prepare(path: Path, report: ReadReport) -> _Prepared | None:
    gz = path.name.lower().endswith(".gz")
    try:
        with open(path, "rb") as fh:
            magic = fh.read(2)
        if gz and magic != GZIP_MAGIC:
            report.problems.append(Problem(report.file, None, None, None,
                                           "tệp mang đuôi .gz nhưng không phải tệp nén gzip: hãy bỏ đuôi .gz khỏi tên "
                                           "tệp CSV, hoặc nén lại bằng gzip"))
            return None
        with _open_bytes(path) as fh:
            head = fh.read(1 << 16)
    except (OSError, EOFError, zlib.error) as exc:  # a damaged .gz raises zlib.error
        report.problems.append(Problem(report.file, None, None, None, _os_reason(exc, gz)))
        return None
    if not head.strip(b"\r\n\t \xef\xbb\xbf\xff\xfe\x00"):  # nothing but blanks and a UTF-8/UTF-16 BOM
        report.problems.append(Problem(report.file, None, None, None, "tệp rỗng: cần ít nhất dòng tiêu đề và một dòng dữ liệu"))
        return None
    encoding = _sniff_encoding(head)
    if encoding != "utf-16" and (_binary(head) or head.startswith(b"PK\x03\x04")):
        what = "tệp Excel (.xlsx) bị đặt tên .csv" if head.startswith(b"PK") else "dữ liệu nhị phân"
        report.problems.append(Problem(report.file, None, None, None, f"không phải tệp CSV ({what})"))
        return None
    temp = None
    target = path
    if encoding in ("utf-16", "cp1258"):
        temp = target = _transcode(path, encoding, report)
        if temp is None:
            return None
        with open(target, encoding="utf-8") as fh:
            head_text = fh.read(65536)
    else:
        head_text = head.decode("utf-8-sig", errors="replace")
    first = head_text.lstrip("\ufeff").splitlines()[0] if head_text.strip() else ""
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delim = max(counts, key=counts.get)
    csv.field_size_limit(CSV_FIELD_LIMIT)
    header = next(csv.reader([first], delimiter=delim)) if first else []
    return _Prepared(target, delim, [nfc(h).strip().lstrip("\ufeff") for h in header], temp)


def _line_numbers(prep: _Prepared, rowids: set[int], rejected: set[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Editor line of each data row DuckDB kept, and of each record DuckDB rejected.

    DuckDB numbers rejected rows by CSV record (header = 1, blank lines counted, a quoted
    cell spanning lines counted once), which is not the editor's line once a cell holds a
    line break; its kept rows are numbered by rowid, skipping blank and rejected records.
    """
    out: dict[int, int] = {}
    rej: dict[int, int] = {}
    opener = gzip.open if str(prep.path).endswith(".gz") else open
    csv.field_size_limit(CSV_FIELD_LIMIT)
    with opener(prep.path, "rt", encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=prep.delim)
        next(reader, None)
        rowid, record, last = 0, 1, reader.line_num
        for rec in reader:
            start, last, record = last + 1, reader.line_num, record + 1
            if record in rejected:
                rej[record] = start
                continue
            if not rec:
                continue
            if rowid in rowids:
                out[rowid] = start
            rowid += 1
            if len(out) == len(rowids) and len(rej) == len(rejected):
                break
    return out, rej


# --- column level: SQL expressions that cast, and SQL conditions that find errors ---------------

def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_VN_STYLE = ["-?\\d+,\\d{1,2}|-?\\d+,\\d{4,}", "-?\\d{1,3}(\\.\\d{3})+,\\d+", "-?\\d{1,3}(\\.\\d{3}){2,}"]
_EN_STYLE = ["-?\\d+\\.\\d{1,2}|-?\\d+\\.\\d{4,}", "-?\\d{1,3}(,\\d{3})+\\.\\d+", "-?\\d{1,3}(,\\d{3}){2,}"]


def _style(v: str, patterns: list[str]) -> str:
    return "(" + " or ".join(f"regexp_full_match({v}, '{p}')" for p in patterns) + ")"


def _number_plan(con, table: str, src: str, integer: bool) -> tuple[str | None, str | None, str | None]:
    """Decide a column's number format from all its cells.

    Returns (cleaning SQL, refusal reason, SQL condition on the cells the refusal is about).
    """
    v = f"trim({_q(src)})"
    dot3_p, comma3_p = "-?\\d{1,3}(\\.\\d{3})+", "-?\\d{1,3}(,\\d{3})+"
    vn_c, en_c = _style(v, _VN_STYLE), _style(v, _EN_STYLE)
    dot3_c, comma3_c = f"regexp_full_match({v}, '{dot3_p}')", f"regexp_full_match({v}, '{comma3_p}')"
    if integer:  # a dot or comma followed by exactly three digits separates thousands
        return f"replace(replace({v}, '.', ''), ',', '')", None, None
    vn, en, dot3, comma3 = con.execute(
        f"select count(*) filter (where {vn_c}), count(*) filter (where {en_c}), "
        f"count(*) filter (where {dot3_c}), count(*) filter (where {comma3_c}) from {table}").fetchone()
    if vn and en:  # point at the cells of the less common style
        minority = en_c if en <= vn else vn_c
        return None, ("cột trộn hai kiểu số (dấu phẩy thập phân kiểu Việt Nam «1.234,5» và dấu chấm thập phân kiểu "
                      f"quốc tế «1,234.5»: {vn} ô kiểu Việt Nam, {en} ô kiểu quốc tế); hãy thống nhất một kiểu cho cả cột"
                      ), minority
    if vn:
        return f"replace(replace({v}, '.', ''), ',', '.')", None, None
    if en:
        return f"replace({v}, ',', '')", None, None
    if dot3 and comma3:
        return None, ("cột có cả «1.234» và «1,234»: không rõ dấu nào là phân cách hàng nghìn"), (
            comma3_c if comma3 <= dot3 else dot3_c)
    if dot3 or comma3:
        sample = "1.234" if dot3 else "1,234"
        return None, (f"cột chỉ có số dạng «{sample}»: không rõ là số thập phân hay phân cách hàng nghìn; "
                      "hãy ghi thêm chữ số thập phân hoặc bỏ dấu phân cách"), dot3_c if dot3 else comma3_c
    return v, None, None


@dataclass
class _Col:
    spec: contract.Column
    header: str
    src: str  # raw column name in the raw table
    expr: str = ""  # typed value
    checks: list[tuple[str, str]] = field(default_factory=list)  # (condition → error, expected)
    join: str = ""  # lookup table of distinct spellings → normalised text, joined when materialising
    err: str = ""  # column of the cell's first broken check (index into checks), once materialised


def _column_stats(con, raw: str, cols: list[_Col]) -> dict[str, object]:
    """One scan for what the plan needs to know of every column: how many distinct spellings a text
    column has (roughly: it only decides how the column is normalised) and the distinct spellings of
    the columns read through a lookup (yes/no, the enumerations)."""
    parts = {}
    for c in cols:  # each a scan of one column (a distinct aggregate beside others is slower than alone)
        k = c.spec.kind
        if k in ("text", "unit"):
            parts[c.src] = f"(select approx_count_distinct({_q(c.src)}) from {raw})"
        elif k == "bool" or k.startswith("enum:"):  # the distinct cells first, then their trimmed forms
            parts[c.src] = f"(select list(distinct trim(k)) from (select distinct {_q(c.src)} as k from {raw}))"
    if not parts:
        return {}
    row = con.execute(f"select {', '.join(parts.values())}").fetchone()
    return dict(zip(parts, row))


def _plan_columns(con, raw: str, ds: Dataset, cols: list[_Col], report: ReadReport, ref: RefData) -> None:
    stats = _column_stats(con, raw, cols)
    for c in cols:
        v = f"nullif(trim({_q(c.src)}), '')"
        k = c.spec.kind
        required = c.spec.required and k != "bool"
        if required:
            c.checks.append((f"{v} is null", "ô bắt buộc đang để trống"))
        if k in ("text", "unit"):
            c.expr = f"nfc_normalize({v})"
            if stats[c.src] <= LOOKUP_MAX:  # normalise each distinct spelling once, not every cell
                c.join = f"_nfc_{c.src}"
                con.execute(f"create or replace temp table {c.join} as select k, nfc_normalize(nullif(trim(k), '')) as v "
                            f"from (select distinct {_q(c.src)} as k from {raw})")
                c.expr = f"{c.join}.v"
            c.checks.append((f"length({_q(c.src)}) > {contract.MAX_TEXT}",
                             f"ô quá dài (tối đa {fmt_int(contract.MAX_TEXT)} ký tự): không phải một giá trị của cột này"))
        elif k in ("int", "number"):
            clean, refusal, cells = _number_plan(con, raw, c.src, k == "int")
            if refusal:  # every cell concerned is listed with its line (up to MAX_PER_KIND)
                c.checks.append((cells, refusal))
                c.expr = "null"
                continue
            scale = ds.scale_for(c.header)
            if k == "int":
                pattern = "-?\\d{1,3}([.,]\\d{3})+|-?\\d+"
                well_formed = f"regexp_full_match({v}, '{pattern}')"
                c.checks.append((f"{v} is not null and not {well_formed}", "cần một số nguyên (ví dụ 1234 hoặc 1.234)"))
                c.expr = f"try_cast(nullif({clean}, '') as bigint)"
                # beyond 64 bits try_cast gives null: refused here, never reported as an empty cell
                c.checks.append((f"{v} is not null and {well_formed} and ({c.expr} is null or {c.expr} > {contract.MAX_INT})",
                                 f"số quá lớn: vượt {fmt_int(contract.MAX_INT)}"))
                if c.spec.year:
                    lo, hi = settings.date_min().year, settings.dates_until().year
                    c.checks.append((f"{c.expr} not between {lo} and {hi}", f"năm phải từ {lo} đến {hi}"))
            else:
                # plain decimal digits only: NaN, inf and words are not numbers
                well_formed = f"regexp_full_match({clean}, '-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?')"
                c.checks.append((f"{v} is not null and not coalesce({well_formed}, false)",
                                 "cần một số (ví dụ 1234,5 hoặc 1.234,5)"))
                c.expr = f"(case when {well_formed} then try_cast({clean} as double) end)" + (
                    f" * {scale}" if scale != 1 else "")
                unit = f" sau khi đổi theo đơn vị ở tiêu đề «{c.header}» (× {fmt_int(scale)})" if scale != 1 else ""
                c.checks.append((f"{v} is not null and coalesce({well_formed}, false) "
                                 f"and not (abs({c.expr}) <= {contract.MAX_NUMBER})",
                                 f"số quá lớn: vượt {fmt_int(contract.MAX_NUMBER)}{unit}"))
            c.checks.append((f"{c.expr} < 0", "số không được âm"))
        elif k in ("date", "datetime"):
            # ISO text goes through DuckDB's native cast (fast); anything else through day-first formats
            fmts = "[" + ", ".join(f"'{f}'" for f in DATETIME_FORMATS) + "]"
            iso = "'\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?'"
            short = f"regexp_full_match({v}, '{_SHORT_YEAR}')"
            c.expr = (f"(case when regexp_full_match({v}, {iso}) then try_cast({v} as timestamp) "
                      f"when {short} then null else try_strptime({v}, {fmts}) end)")
            if k == "date":
                c.expr = f"cast({c.expr} as date)"
            c.checks.append((f"{v} is not null and {c.expr} is null and not {short}",
                             "cần ngày dạng 03/07/2025 hoặc 2025-07-03 (có thể kèm giờ 14:30); ngày phải có thật"))
            # a short year never gives a date: only cells without one are matched against the pattern
            c.checks.append((f"{v} is not null and {c.expr} is null and {short}",
                             "năm phải ghi đủ 4 chữ số (03/07/2025, không phải 03/07/25)"))
            _date_bounds(c, f"cast({c.expr} as date)")
        elif k == "month":
            fmts = "[" + ", ".join(f"'{f}'" for f in MONTH_FORMATS) + "]"
            short = f"regexp_full_match({v}, '{_SHORT_MONTH}')"
            c.expr = f"(case when {short} then null else cast(date_trunc('month', try_strptime({v}, {fmts})) as date) end)"
            c.checks.append((f"{v} is not null and {c.expr} is null and not {short}", "cần tháng dạng 07/2025 hoặc 2025-07"))
            c.checks.append((f"{v} is not null and {c.expr} is null and {short}",
                             "năm phải ghi đủ 4 chữ số (07/2025, không phải 07/25)"))
            _date_bounds(c, c.expr)
        elif k == "bool":
            c.expr = f"{c.src}__b"
        elif k.startswith("enum:"):
            c.expr = f"{c.src}__e"
        if k in ("bool",) or k.startswith("enum:"):
            _plan_lookup(c, stats[c.src])


_SHORT_YEAR = "\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2}([ T].*)?"  # 03/07/25: the century is a guess, never made
_SHORT_MONTH = "\\d{1,2}[/.-]\\d{2}|" + _SHORT_YEAR


def fmt_int(x: float) -> str:
    """1000000 → 1.000.000 (the messages are Vietnamese)."""
    return f"{int(x):,}".replace(",", ".")


def _day(d) -> str:
    return d.strftime("%d/%m/%Y")


def _date_bounds(c: _Col, day: str) -> None:
    """Dates lie between the settings date_min and dates_until (today); a column that may lie
    ahead (a due date) has only the lower bound here, and its window after ``not_before``."""
    lo, hi = settings.date_min(), settings.dates_until()
    c.checks.append((f"{day} < date '{lo.isoformat()}'",
                     f"ngày trước {_day(lo)}: ngoài khoảng số liệu hợp lệ (cài đặt COMMUNES_DATE_MIN)"))
    if not c.spec.ahead:
        c.checks.append((f"{day} > date '{hi.isoformat()}'",
                         f"ngày sau ngày kiểm tra tệp ({_day(hi)}): số liệu không thể có trước khi xảy ra"))
    elif not c.spec.not_before:  # a deadline on its own: within due_max_months of the day the file is checked
        months = int(settings.get("due_max_months"))
        c.checks.append((f"{day} > date '{hi.isoformat()}' + interval {months} month",
                         f"ngày quá {months} tháng sau ngày kiểm tra tệp ({_day(hi)}) (cài đặt COMMUNES_DUE_MAX_MONTHS)"))


def _plan_lookup(c: _Col, values: list) -> None:
    """Map a small set of distinct spellings (``values``) through Python, as a join-free CASE."""
    cases, bad = [], []
    for val in values:
        if val is None:
            continue
        key = ascii_key(val)
        if c.spec.kind == "bool":
            mapped = "true" if key in TRUE_WORDS else "false" if key in FALSE_WORDS else None
        else:
            hit = ENUMS[c.spec.kind[5:]].get(key)
            mapped = None if hit is None else "'" + hit.replace("'", "''") + "'"
        if mapped is None:
            if val:
                bad.append(val)
            continue
        cases.append(f"when '{val.replace(chr(39), chr(39) * 2)}' then {mapped}")
    default = "false" if c.spec.kind == "bool" else "null"
    c.expr = f"(case trim({_q(c.src)}) {' '.join(cases)} else {default} end)" if cases else default
    if bad:
        expected = ("cần 1/0, Có/Không, true/false hoặc x/để trống" if c.spec.kind == "bool"
                    else "cần một trong: " + ENUM_HELP[c.spec.kind[5:]])
        listed = ", ".join("'" + b.replace("'", "''") + "'" for b in bad)
        c.checks.append((f"trim({_q(c.src)}) in ({listed})", expected))


def _record_date_expr(ds: Dataset, cols: dict[str, _Col]) -> str:
    if ds.date_column == "season_date":
        return (f"make_date(cast({cols['year'].expr} as bigint), "
                f"case when {cols['season'].expr} = 'Đông Xuân' then 6 else 12 end, "
                f"case when {cols['season'].expr} = 'Đông Xuân' then 30 else 31 end)")
    if ds.date_column and ds.date_column in cols:
        return f"cast({cols[ds.date_column].expr} as date)"
    return _UNDATED  # undated facts describe the current units


_UNDATED = "date '2099-01-01'"


def _rows_view(ds: Dataset) -> str:
    return f"_rows_{ds.name}"


def _typed_view(ds: Dataset) -> str:
    return f"_typed_{ds.name}"


def _materialise(con, raw: str, ds: Dataset, cols: dict[str, _Col], header: list[str],
                 work: str) -> tuple[str, list[tuple]]:
    """One pass over the raw text: every typed value, every cell's first broken rule and the staging
    table's rows, written once as table ``work`` (the staging table's columns, in the raw rows' order,
    then the flags of the checks, dropped once the checks are done: ``_finish_staging``).

    Each cell's first broken rule is a small number (``__e<i>``: the index of the rule in the column's
    checks; null: none), each rule across columns of ``_time_order_rules`` a flag (``__o<k>``), a NUL byte
    anywhere in the row ``__nul`` and a unit name that does not resolve ``__eu``: the checks are evaluated
    once, and counting them reads a few small columns. Returns the name of a view of ``work`` beside the raw
    text, row by row (what the checks and their messages read: the typed values by their names in
    ``cols``, the raw cells, ``_r`` the raw row's number; ``_typed_view``: the same without the raw cells),
    and the rules across columns, on their flags.
    """
    params: dict[str, list] = {}
    indices = _lookups(con, raw, cols, params)
    typed, aliases, extra = [], [], []
    for i, c in enumerate(cols.values()):
        if c.expr in ("", "null", "false"):
            continue
        name = f"__t{i}"
        typed.append(f"{c.expr} as {name}")
        c.checks = [(cond.replace(c.expr, name), expected) for cond, expected in c.checks]
        c.expr = name
    flags = []
    for i, c in enumerate(cols.values()):
        if c.checks:
            c.err = f"__e{i}"
            whens = " ".join(f"when {cond} then {k}" for k, (cond, _) in enumerate(c.checks))
            flags.append(f"cast(case {whens} end as tinyint) as {c.err}")
    staging = _staging_select(ds, cols)
    for c in cols.values():  # the typed value under its staging name, else stored beside it
        if c.expr.startswith("__t"):
            same = next((n for n, e in staging if e == c.expr), None)
            if same is None:
                extra.append(c.expr)
            else:
                aliases.append(f"w.{_q(same)} as {c.expr}")
    rules = _time_order_rules(cols)
    nul = " or ".join(f"strpos({_q(f'c{i}')}, chr(0)) > 0" for i in range(len(header))) or "false"
    named = [*flags]
    names = order = ""
    if "unit" in cols:
        when = _record_date_expr(ds, cols)
        before = f"coalesce({when} < {_MERGER}, false)"
        u = cols["unit"]
        if u.join:  # the unit of each distinct spelling, before and after the merger, looked up by its index
            params.update(_unit_lists(con, params[u.join]))
            pick = {f: f"case when {before} then (${f}_1::{t}[])[{u.join}] else (${f}_0::{t}[])[{u.join}] end"
                    for f, t in (("unit_code", "varchar"), ("former_code", "varchar"), ("unit_error", "boolean"))}
            named += [f"{pick['unit_code']} as __unit_code", f"{pick['former_code']} as __former_code",
                      f"coalesce({pick['unit_error']}, false) as __eu"]
        else:  # more than LOOKUP_MAX spellings: joined, and the rows sorted back into the file's order
            names = f"left join _names _n on _n.name = {u.expr} and _n.before = {before}"
            named += ["_n.unit_code as __unit_code", "_n.former_code as __former_code",
                      "_n.error is not null as __eu"]
            order = "order by _r"
    select = [f"{e} as {_q(n)}" for n, e in staging] + extra + [c.err for c in cols.values() if c.err] + [
        f"({cond}) as __o{k}" for k, (*_, cond, _) in enumerate(rules)] + [f"({nul}) as __nul"]
    if "unit" in cols:
        select.append("__eu")
    # _r is the raw row's number (0 = the first data record); without a join the rows keep their order
    con.execute(f"""create or replace table {work} as
        with k as (select {', '.join([f'{raw}.rowid as _r', f'{raw}.*', *indices])} from {raw}),
             t as (select {', '.join(['k.*', *typed])} from k),
             n as (select {', '.join(['t.*', *named])} from t {names})
        select {', '.join(select)} from n {order}""", params)
    for c in cols.values():
        if c.join:
            con.execute(f"drop type if exists {c.join}")
    rows, typed = _rows_view(ds), _typed_view(ds)
    con.execute(f"create or replace temp view {typed} as select w.*, w.source_row - 2 as _r"
                f"{''.join(', ' + a for a in aliases)} from {work} w")
    con.execute(f"create or replace temp view {rows} as select t.*, r.* from {typed} t positional join {raw} r")
    return rows, [(c, ref, f"__o{k}", expected) for k, (c, ref, _, expected) in enumerate(rules)]


def _lookups(con, raw: str, cols: dict[str, _Col], params: dict[str, list]) -> list[str]:
    """Each column normalised through its table of distinct spellings (``c.join``, made by the plan) is
    read through an ENUM of those spellings instead of a join: the cell's index in the ENUM (a column
    named ``c.join`` of the pass) picks its normalised text from a list (``params``), so the pass has no
    join and keeps the rows in the file's order. The SQL of the indices; each lookup table is dropped and
    ``c.join`` names the index (and its ENUM type) from then on."""
    out = []
    for c in cols.values():
        if not c.join:
            continue
        table, c.join = c.join, f"__k_{c.src}"
        con.execute(f"drop type if exists {c.join}")
        con.execute(f"create temp type {c.join} as enum (select k from {table} where k is not null)")
        labels = con.execute(f"select enum_range(null::{c.join})").fetchone()[0] or []
        normal = dict(con.execute(f"select k, v from {table} where k is not null").fetchall())
        params[c.join] = [normal[k] for k in labels]
        c.checks = [(cond.replace(c.expr, f"(${c.join}::varchar[])[{c.join}]"), e) for cond, e in c.checks]
        c.expr = f"(${c.join}::varchar[])[{c.join}]"
        out.append(f"enum_code(cast({raw}.{_q(c.src)} as {c.join})) + 1 as {c.join}")
        con.execute(f"drop table {table}")
    return out


def _unit_lists(con, normalised: list) -> dict[str, list]:
    """The unit code, former code and whether the name failed to resolve, of each spelling of the unit
    column (``normalised``: their normalised names, in the order of the column's ENUM), after (``_0``) and
    before (``_1``) the merger, from the resolved names (``_names``)."""
    names = {(n, b): (code, former, error is not None)
             for n, b, code, former, error in con.execute("select * from _names").fetchall()}
    out: dict[str, list] = {f"{f}_{e}": [] for f in ("unit_code", "former_code", "unit_error") for e in (0, 1)}
    for name in normalised:
        for era in (0, 1):
            code, former, error = names.get((name, bool(era)), (None, None, None))
            out[f"unit_code_{era}"].append(code)
            out[f"former_code_{era}"].append(former)
            out[f"unit_error_{era}"].append(error)
    return out


_RESOLVED: dict[tuple, tuple] = {}


def _resolve(ref: RefData, name: str, before: bool):
    """``refdata.resolve``, remembered per reference data, name and era (the same few hundred names
    come back in every export and every upload)."""
    key = (id(ref), name, before)
    hit = _RESOLVED.get(key)
    if hit is None or hit[0] is not ref:
        if len(_RESOLVED) > 100_000:
            _RESOLVED.clear()
        hit = _RESOLVED[key] = (ref, resolve(ref, name, before))
    return hit[1]


def _resolve_units(con, raw: str, cols: dict[str, _Col], ds: Dataset, ref: RefData) -> None:
    """Resolve each distinct unit name once in Python, before and after the merger when the rows are dated
    (the era of a row is only known once its date is read, in the same pass as the join back by value)."""
    unit = cols["unit"]
    if unit.join:  # the distinct spellings, normalised, are at hand
        names = con.execute(f"select distinct v from {unit.join} where v is not null").fetchall()
    else:
        names = con.execute(f"select distinct v from (select {unit.expr} as v from {raw}) "
                            "where v is not null").fetchall()
    eras = (False,) if _record_date_expr(ds, cols) == _UNDATED else (False, True)
    rows = []
    for (name,) in names:
        for before in eras:
            m = _resolve(ref, name, before)
            rows.append((name, before, m.unit_code, m.former_code, m.error))
    con.execute("create or replace temp table _names (name varchar, before boolean, unit_code varchar, "
                "former_code varchar, error varchar)")
    insert_rows(con, "_names", rows, ("varchar", "boolean", "varchar", "varchar", "varchar"))


def insert_rows(con, table: str, rows: list[tuple], types: tuple[str, ...]) -> None:
    """Insert ``rows`` into ``table`` in one statement (one list parameter per column, unnested side by side):
    ``executemany`` runs one statement per row, a tenth of a second for a few hundred rows."""
    if not rows:
        return
    columns = [list(col) for col in zip(*rows, strict=True)]
    unnest = ", ".join(f"unnest(?::{t}[])" for t in types)
    con.execute(f"insert into {table} select {unnest}", columns)


# --- the reader ----------------------------------------------------------------------------------

def read_into(con: duckdb.DuckDBPyConnection, path: Path, dataset: str, ref: RefData,
              table: str | None = None, display: str | None = None) -> ReadReport:
    """Validate ``path`` as ``dataset`` and, when it has no error, create ``stg_<dataset>``.

    ``display`` is the file name the messages give (an upload staged under another name).
    """
    ds = DATASETS[dataset]
    table = table or f"stg_{dataset}"
    report = ReadReport(dataset, display or Path(path).name)
    prep = _prepare(Path(path), report)
    if prep is None:
        return report
    try:
        _read(con, prep, ds, ref, table, report)
    except (duckdb.Error, csv.Error, OSError, EOFError, zlib.error, UnicodeError, ValueError, OverflowError) as exc:
        # a file no rule foresaw: refused in Vietnamese (the detail goes to the debug log, not to the user)
        _log.debug("reading %s failed", report.file, exc_info=True)
        report.problems.append(Problem(report.file, None, None, None,
                                       _duckdb_reason(exc) if isinstance(exc, duckdb.Error) else
                                       "không đọc được tệp: nội dung không theo định dạng CSV mong đợi"))
    finally:
        if prep.temp:
            prep.temp.unlink(missing_ok=True)
    return report


MAX_SHOWN = 200  # characters of a value quoted back in a message


def _visible(ch: str) -> str:
    """A character as a message shows it: NUL as ␀, another one nobody sees (a control or format character,
    a zero-width or non-breaking space) by its code point; tabs, line ends and the rest as they are."""
    if ch == "\x00":
        return "␀"
    return ch if ch.isprintable() or ch in "\t\r\n" else f"⟨U+{ord(ch):04X}⟩"


def _shown(value: str | None) -> str | None:
    r"""A cell as a message quotes it: the characters nobody sees made visible (``_visible``), an over-long
    cell cut.

    >>> _shown("Phường\u200bPhong Quảng"), _shown("a\x00b"), _shown("12\u00a0500")
    ('Phường⟨U+200B⟩Phong Quảng', 'a␀b', '12⟨U+00A0⟩500')
    """
    if value is None:
        return None
    if not value.isprintable():
        value = "".join(map(_visible, value))
    return value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + f"… ({fmt_int(len(value))} ký tự)"


def _read(con, prep: _Prepared, ds: Dataset, ref: RefData, table: str, report: ReadReport) -> None:
    f = report.file
    cols: dict[str, _Col] = {}
    for i, h in enumerate(prep.header):
        spec = ds.column(h) if h else None
        if spec is None:
            continue  # unknown extra columns are kept out
        if spec.name in cols:
            report.problems.append(Problem(f, 1, h, h, f"cột trùng nghĩa với cột «{cols[spec.name].header}»"))
            continue
        cols[spec.name] = _Col(spec, h, f"c{i}")
    for spec in ds.columns:
        if spec.required and spec.name not in cols:
            names = ", ".join([spec.name, *spec.aliases])
            other = _guess_dataset(prep.header, ds.name)
            hint = f" (tệp này giống dữ liệu «{other}»)" if other else ""
            report.problems.append(Problem(f, 1, None, None, f"thiếu cột bắt buộc «{spec.name}» (chấp nhận: {names}){hint}"))
    if report.errors:
        return

    raw = f"_raw_{ds.name}"
    ncols = len(prep.header)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols)) + "}"
    for attempt in range(2):
        con.execute("drop table if exists reject_errors; drop table if exists reject_scans")
        try:
            con.execute(
                f"create or replace temp table {raw} as select * from read_csv(?, delim=?, header=true, auto_detect=false, "
                f"columns={columns}, quote='\"', escape='\"', strict_mode=true, null_padding=false, "
                f"max_line_size={DUCKDB_MAX_LINE}, store_rejects=true, encoding='utf-8')", [str(prep.path), prep.delim])
            break
        except duckdb.Error as exc:
            # DuckDB's parser stops on a file mixing CRLF and LF line ends: read a copy with LF only
            before = len(report.problems)
            normalised = _transcode(prep.path, "utf-8", report, newlines=True) if attempt == 0 else None
            if normalised is None:
                if len(report.problems) == before:
                    report.problems.append(Problem(f, None, None, None, _duckdb_reason(exc)))
                return
            if prep.temp:
                prep.temp.unlink(missing_ok=True)
            prep.path = prep.temp = normalised
    rejected = {int(r[0]) for r in con.execute("select distinct line from reject_errors").fetchall()}
    nrej = len(rejected)
    rejects = con.execute(
        "select line, any_value(csv_line), any_value(error_type) from reject_errors group by line order by line limit ?",
        [MAX_PER_KIND]).fetchall()
    reject_lines = _line_numbers(prep, set(), rejected)[1] if rejected else {}
    for line, csv_line, etype in rejects:
        msg = {"MISSING COLUMNS": f"dòng thiếu cột (cần {ncols} cột)",
               "TOO MANY COLUMNS": f"dòng thừa cột (cần {ncols} cột)",
               "INVALID ENCODING": "dòng có ký tự không đúng bảng mã UTF-8 (hãy lưu lại tệp dạng «CSV UTF-8»)",
               "UNQUOTED VALUE": 'dấu ngoặc kép (") không khớp: một ô mở ngoặc kép mà không đóng đúng chỗ',
               "LINE SIZE OVER MAXIMUM": f"dòng quá dài (hơn {DUCKDB_MAX_LINE >> 20} MB): không phải một dòng số liệu",
               }.get(etype, "dòng không đọc được (sai cấu trúc CSV)")
        report.problems.append(Problem(f, reject_lines.get(int(line), int(line)), None,
                                       _shown((csv_line or "").strip("\r\n")), msg))
    if nrej > MAX_PER_KIND:
        report.problems.append(Problem(f, None, None, None, f"… và {nrej - MAX_PER_KIND} dòng khác không đọc được"))

    report.rows = con.execute(f"select count(*) from {raw}").fetchone()[0]
    if report.rows == 0 and not nrej:
        report.problems.append(Problem(f, 2, None, None, "tệp chỉ có dòng tiêu đề, không có dòng dữ liệu"))
        return
    _plan_columns(con, raw, ds, list(cols.values()), report, ref)
    if "unit" in cols:
        _resolve_units(con, raw, cols, ds, ref)
    work = f"{table}__checking"
    try:
        rows, order_rules = _materialise(con, raw, ds, cols, prep.header, work)
        _check(con, prep, ds, cols, report, rows, work, order_rules, rejected)
        con.execute(f"drop view {rows}")
        con.execute(f"drop view {_typed_view(ds)}")
        if not report.errors:
            _finish_staging(con, work, table)
    finally:
        con.execute(f"drop view if exists {_rows_view(ds)}")
        con.execute(f"drop view if exists {_typed_view(ds)}")
        con.execute(f"drop table if exists {work}")
        con.execute(f"drop table if exists {raw}")


def _check(con, prep: _Prepared, ds: Dataset, cols: dict[str, _Col], report: ReadReport, rows: str, work: str,
           order_rules: list[tuple], rejected: set[int]) -> None:
    """Every rule of every cell and across columns, located (file, line, column, value) into ``report``."""
    f = report.file
    located, ordered = _collect_errors(con, rows, ds, cols, prep.header, order_rules, work)
    located += _dataset_checks(con, rows, ds, cols) + ordered
    seen = set()  # one message per cell: the first rule it breaks
    located = [t for t in located if (t[0], t[1]) not in seen and not seen.add((t[0], t[1]))]
    repeated = _repeated_headers(con, rows, prep.header, {t[0] for t in located if t[4] == "error"})
    if repeated:  # one message for such a line, instead of one per cell that is not a value
        located = [t for t in located if t[0] not in repeated] + [
            (r, None, None, "dòng này lặp lại dòng tiêu đề (có lẽ hai tệp bị ghép nối vào nhau): hãy xoá dòng này",
             "error") for r in sorted(repeated)]
    if located:
        rowids = {t[0] for t in located} | {t[5] for t in located if len(t) > 5}
        lines = _line_numbers(prep, rowids, rejected)[0]
        for rowid, col, value, expected, severity, *ref in located:
            if ref:
                expected = expected.format(ref_line=lines.get(ref[0]))
            report.problems.append(Problem(f, lines.get(rowid), col, _shown(value), expected, severity))
        report.problems.sort(key=lambda p: (p.line is None, p.line or 0))


def _repeated_headers(con, rows: str, header: list[str], rowids: set[int]) -> set[int]:
    """Of the rows ``rowids`` (rows with an error), those whose every named cell is its column's header
    (case, spaces and a byte-order mark aside): the header line again, as when two exports are pasted
    into one file."""
    named = [(i, h.strip().lower()) for i, h in enumerate(header) if h and h.strip()]
    if not named or not rowids:
        return set()
    same = " and ".join(f"lower(trim(replace({_q(f'c{i}')}, chr(65279), ''))) = ?" for i, _ in named)
    found = con.execute(f"select _r from {rows} where _r in (select unnest(?::bigint[])) and {same}",
                        [sorted(rowids), *(h for _, h in named)]).fetchall()
    return {r for (r,) in found}


def _fold(expr: str) -> str:
    """SQL for a text without case, diacritics or repeated spaces (``names.ascii_key`` in spirit)."""
    return (f"trim(regexp_replace(lower(strip_accents(replace(replace({expr}, 'đ', 'd'), 'Đ', 'D'))), "
            f"'\\s+', ' ', 'g'))")


def _duckdb_reason(exc: BaseException) -> str:
    """A DuckDB error while reading a file, in Vietnamese, with the line when DuckDB gives one."""
    text = str(exc)
    m = re.search(r"\bline:?\s*(\d+)", text, re.IGNORECASE)
    where = f" (gần dòng {m.group(1)})" if m else ""
    if "gzip" in text.lower() or "zlib" in text.lower() or "compress" in text.lower():
        return "không đọc được tệp: tệp nén .gz bị hỏng hoặc không trọn vẹn (hãy nén lại hoặc gửi tệp CSV chưa nén)"
    if "maximum line size" in text.lower():
        return f"không đọc được tệp CSV: có dòng dài hơn {DUCKDB_MAX_LINE >> 20} MB{where}"
    return f"không đọc được tệp CSV: cấu trúc tệp không hợp lệ{where}; hãy lưu lại tệp dạng «CSV UTF-8» từ Excel"


def _guess_dataset(header: list[str], wanted: str) -> str | None:
    best, score = None, 0
    for name, ds in DATASETS.items():
        hits = sum(1 for h in header if ds.column(h) is not None)
        if name != wanted and hits > score:
            best, score = name, hits
    mine = sum(1 for h in header if DATASETS[wanted].column(h) is not None)
    return best if score > mine else None


def _collect_errors(con, raw: str, ds: Dataset, cols: dict[str, _Col], header: list[str],
                    order_rules: list[tuple], work: str) -> tuple[list[tuple], list[tuple]]:
    """The located errors of the cells, then those of the order between columns (``order_rules``).

    ``raw`` is the view of the checked rows beside their text (``_materialise``), ``work`` the table of
    their flags: one scan of the flags counts every rule's failures; only the failing rules are then located.
    """
    parts = []
    params = []
    # a NUL byte in any cell, the columns the contract ignores included, is binary content (first: it
    # explains any other problem of the cell)
    nuls = [(f"c{i}", h or None, f"strpos({_q(f'c{i}')}, chr(0)) > 0",
             "ô chứa ký tự NUL (mã 0): tệp có dữ liệu nhị phân, không phải văn bản CSV") for i, h in enumerate(header)]
    checks = [(c.src, c.header, f"{c.err} = {k}", expected) for c in cols.values()
              for k, (_, expected) in enumerate(c.checks)]
    conds = ["__nul"] + [cond for *_, cond, _ in checks] + [rule[2] for rule in order_rules]
    if "unit" in cols:
        conds.append("__eu")
    counts = con.execute(f"select {', '.join(f'count(*) filter (where {cond})' for cond in conds)} "
                         f"from {work}").fetchone()
    named = "unit" in cols and counts[-1]
    order_rules = [rule for rule, n in zip(order_rules, counts[1 + len(checks):]) if n]
    checks = [chk for chk, n in zip(checks, counts[1:]) if n]
    if counts[0]:  # the columns with a NUL byte, counted in the text
        found = con.execute(f"select {', '.join(f'count(*) filter (where {cond})' for *_, cond, _ in nuls)} "
                            f"from {raw}").fetchone()
        checks = [chk for chk, n in zip(nuls, found) if n] + checks
    for src, col, cond, expected in checks:
        parts.append(f"(select _r, ? as col, {_q(src)} as val, ? as exp from {raw} where {cond} "
                     f"order by _r limit {MAX_PER_KIND})")
        params += [col, expected]
    if named:
        u = cols["unit"]
        when = _record_date_expr(ds, cols)
        # a row whose date cell could not be read has that error already: its name is not judged against
        # an era it may not belong to ("tên cũ" for a pre-merger row whose month is malformed)
        dc = cols.get(ds.date_column) if ds.date_column else None
        unread = f" and not ({when} is null and nullif(trim({_q(dc.src)}), '') is not null)" if dc else ""
        parts.append(f"""(select {raw}._r, ? as col, {_q(u.src)} as val, _n.error as exp from {raw}
            join _names _n on _n.name = {u.expr} and _n.before = coalesce({when} < {_MERGER}, false)
            where _n.error is not null{unread} order by {raw}._r limit {MAX_PER_KIND})""")
        params.append(u.header)
    located = []
    if parts:
        rows = con.execute(" union all ".join(parts), params).fetchall()
        located = [(r[0], r[1], r[2], r[3], "error") for r in rows]
    return located, _time_order(con, raw, order_rules)


def _dataset_checks(con, raw: str, ds: Dataset, cols: dict[str, _Col]) -> list[tuple]:
    """Rules across columns: unique keys, completion after receipt, production ≈ area × yield."""
    out = []
    if ds.name == "dossiers":
        idc = cols["dossier_id"]
        dup = con.execute(f"""
            with ids as (select _r as r, {idc.expr} as k from {_typed_view(ds)}),
                 dups as (select k, min(r) as first from ids group by k having count(*) > 1)
            select ids.r, ids.k, dups.first from ids join dups using (k) where ids.r > dups.first
            order by ids.r limit {MAX_PER_KIND}""").fetchall()
        for rowid, value, first in dup:
            out.append((rowid, idc.header, value, "mã hồ sơ trùng (đã có ở dòng {ref_line})", "error", first))
    elif ds.key:
        # text keys (a crop, a field) compare without case or diacritics: "Đất đai" and "đất đai" are one field
        keys = ["_n.unit_code" if k == "unit" else _fold(cols[k].expr) if cols[k].spec.kind == "text" else cols[k].expr
                for k in ds.key if k in cols]
        if "unit" in cols and len(keys) == len([k for k in ds.key if k in cols]):
            u = cols["unit"]
            when = _record_date_expr(ds, cols)
            joined = (f"from {raw} join _names _n on _n.name = {u.expr} "
                      f"and _n.before = coalesce({when} < {_MERGER}, false)")
            part = ", ".join(keys)
            former = "coalesce(_n.former_code, '')"
            known = " and ".join(f"{k} is not null" for k in keys)  # unreadable keys are reported already
            for rowid, value, first in con.execute(
                    f"select {raw}._r, {_q(u.src)}, min({raw}._r) over (partition by {part}, {former}) {joined} "
                    f"where {known} "
                    f"qualify row_number() over (partition by {part}, {former} order by {raw}._r) > 1 "
                    f"order by 1 limit {MAX_PER_KIND}").fetchall():
                out.append((rowid, u.header, value,
                            f"dòng lặp lại: đã có một dòng {ds.key_words} (ở dòng {{ref_line}})", "error", first))
    if ds.name == "visits":
        out += _visit_checks(con, raw, cols)
    if ds.name == "agriculture":
        a, y, p = cols["area_ha"].expr, cols["yield_quintal_per_ha"].expr, cols["production_tonnes"].expr
        for rowid, value in con.execute(
                f"select _r, {_q(cols['production_tonnes'].src)} from {raw} "
                f"where {a} > 0 and abs({p} - {a} * {y} / 10) > 0.02 * ({a} * {y} / 10) "
                f"order by _r limit {MAX_PER_KIND}").fetchall():
            out.append((rowid, cols["production_tonnes"].header, value,
                        "sản lượng lệch quá 2 % so với diện tích × năng suất / 10 (cảnh báo; số liệu vẫn được nạp)",
                        "warning"))
    return out


def _visit_checks(con, raw: str, cols: dict[str, _Col]) -> list[tuple]:
    """A deadline or a completion before the visit is refused; a completion date on an item whose
    status is not done is loaded with a warning (one of the two cells is out of date)."""
    out = []
    visit = cols["visit_date"].expr
    for name, what in (("due", "hạn"), ("closed_on", "ngày hoàn thành")):
        if name not in cols:
            continue
        c = cols[name]
        for rowid, value, when in con.execute(
                f"select _r, {_q(c.src)}, strftime({visit}, '%d/%m/%Y') from {raw} where {c.expr} < {visit} "
                f"order by _r limit {MAX_PER_KIND}").fetchall():
            out.append((rowid, c.header, value, f"{what} trước ngày kiểm tra ({when})", "error"))
    if "closed_on" in cols:
        c, status = cols["closed_on"], cols["status"].expr
        for rowid, value, st in con.execute(
                f"select _r, {_q(c.src)}, {status} from {raw} where {c.expr} is not null "
                f"and {status} is distinct from '{contract.DONE}' and {status} is not null "
                f"order by _r limit {MAX_PER_KIND}").fetchall():
            out.append((rowid, c.header, value, f"có ngày hoàn thành nhưng trạng thái là «{st}» (cảnh báo; "
                        f"ngày hoàn thành chỉ ghi khi trạng thái là «{contract.DONE}»)", "warning"))
    return out


def _label(c: _Col) -> str:
    """«ngày có kết quả»: the column's first Vietnamese name, lower case, for messages."""
    return (c.spec.aliases[0] if c.spec.aliases else c.spec.name).lower()


def _time_order_rules(cols: dict[str, _Col]) -> list[tuple]:
    """A column may not precede its ``not_before`` column: by time when both cells give one, else by
    day (a date without a time is that whole day); one that may lie ahead stays within
    ``due_max_months`` of it. The rules as (column, its reference, SQL condition on the materialised
    table, expected); a cell with an error of its own is not compared."""
    out = []
    months = int(settings.get("due_max_months"))
    for c in cols.values():
        ref = cols.get(c.spec.not_before)
        if ref is None or c.expr in ("", "null"):
            continue
        timed = f"(trim({_q(c.src)}) like '%:%' and trim({_q(ref.src)}) like '%:%')"
        before = (f"case when {timed} then cast({c.expr} as timestamp) < cast({ref.expr} as timestamp) "
                  f"else cast({c.expr} as date) < cast({ref.expr} as date) end")
        valid = f"{c.expr} is not null and {ref.expr} is not null" + "".join(
            f" and {col.err} is null" for col in (c, ref) if col.err)
        rules = [(before, f"{_label(c)} trước {_label(ref)} (ô «{ref.header}» của dòng này: {{ref_value}})")]
        if c.spec.ahead:
            rules.append((f"cast({c.expr} as date) > cast({ref.expr} as date) + interval {months} month",
                          f"{_label(c)} quá {months} tháng sau {_label(ref)} (ô «{ref.header}» của dòng này: "
                          "{ref_value})"))
        out += [(c, ref, f"{valid} and ({cond})", expected) for cond, expected in rules]
    return out


def _time_order(con, raw: str, rules: list[tuple]) -> list[tuple]:
    """The cells breaking ``rules`` (those of ``_time_order_rules`` found broken), located."""
    out = []
    for c, ref, cond, expected in rules:
        for rowid, value, ref_value in con.execute(
                f"select _r, {_q(c.src)}, {_q(ref.src)} from {raw} where {cond} order by _r "
                f"limit {MAX_PER_KIND}"
        ).fetchall():
            out.append((rowid, c.header, value, expected.replace("{ref_value}", (ref_value or "").strip()), "error"))
    return out


_NULL_TYPES = {"int": "bigint", "number": "double", "date": "date", "datetime": "timestamp", "month": "date"}


def _staging_select(ds: Dataset, cols: dict[str, _Col]) -> list[tuple[str, str]]:
    """The staging table's columns, as (name, SQL over the typed values, the raw cells, ``_r`` and the
    resolved unit ``__unit_code``, ``__former_code``): every export of a dataset gives one schema."""
    select = []
    for spec in ds.columns:
        if spec.name == "unit":
            continue
        c = cols.get(spec.name)
        if c is None:  # an absent optional column keeps its type, so every export gives one schema
            default = "'Lúa'" if spec.name == "crop" else "false" if spec.kind == "bool" else \
                f"cast(null as {_NULL_TYPES.get(spec.kind, 'varchar')})"
            select.append((spec.name, default))
        elif spec.name == "due_at":  # a due date without a time means the end of that day
            v = f"trim({_q(c.src)})"
            select.append((spec.name, f"case when {v} like '%:%' then {c.expr} "
                                      f"else {c.expr} + interval 1 day - interval 1 microsecond end"))
        elif spec.name == "crop":  # rice is "Lúa" however the file cases or spaces it: "lúa", " LÚA "
            folded = f"lower(nfc_normalize(regexp_replace(trim({c.expr}), '\\s+', ' ', 'g')))"
            select.append((spec.name, f"case when {c.expr} is null or {folded} = 'lúa' then 'Lúa' else {c.expr} end"))
        else:
            select.append((spec.name, c.expr))
    if "unit" in cols:
        select = [("unit_code", "__unit_code"), ("former_code", "__former_code"), ("unit_label", cols["unit"].expr),
                  *select]
    elif any(spec.name == "unit" for spec in ds.columns):  # optional unit column absent (events)
        select = [(n, "cast(null as varchar)") for n in ("unit_code", "former_code", "unit_label")] + select
    select.append(("source_row", "_r + 2"))
    return select


def _finish_staging(con, work: str, table: str) -> None:
    """The checked rows become ``table``: the flags of the checks dropped, the table renamed (no copy)."""
    flags = [r[0] for r in con.execute(f"describe {work}").fetchall() if r[0].startswith("__")]
    con.execute("".join(f"alter table {work} drop column {_q(name)};" for name in flags) +
                f"drop table if exists {table}; alter table {work} rename to {table}")
