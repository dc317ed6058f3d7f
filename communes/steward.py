"""Data stewardship: stage an upload, dry-run it, apply it atomically, roll back, keep an audit log.

The flow a steward (or ``python -m communes load FILE``) follows::

    staged = stage(fileobj, "du-lich-07-2025.xlsx")      # streamed to disk, size-limited
    plan = dry_run(staged, "tourism")                     # every problem, or what would change
    if plan.ok and plan.changed:
        apply(plan)                                        # new version + data folder, atomically

**Merge rule.** An upload replaces, in the stored export of its dataset, the rows of the cells it
covers and keeps every other row, so monthly exports can be added one by one. A cell is a unit and a
period: (unit, month) for tourism and fishery, (unit, year, season) for agriculture, (unit, date)
for staffing and staffing_fields, the unit for units, the month for events (all units); for visits the cell
is one item, (visit date, unit, text), so a follow-up list re-sent with new statuses replaces its earlier rows.
Dossiers are matched by
``dossier_id``: an uploaded dossier replaces the stored one with the same id (its status may have
changed), new ids are added, and no dossier is ever removed by an upload.

**Dry run.** The upload is validated by the same reader as every export; when it is valid, the
merged export is written (canonical headers, ISO dates) and a complete candidate database is built
from it and the other stored exports, exactly as the apply will install it. The preview (rows added
and replaced per unit and period, key indicators before → after through ``communes.kpi.compute``)
is read from that candidate, so what is previewed is what gets applied.

**Apply.** Under the database folder's lock: check the data folder still holds what the dry run
merged with, move the candidate into the versions, swap the merged export into the data folder
(temporary name + ``os.replace``), point ``CURRENT`` at the new version, append to the audit log.
A session renders from one version file at a time, so it never sees a half-applied state.

Nothing here imports Streamlit; the page and the CLI both call these functions.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path, PureWindowsPath

import duckdb

from communes import db, fmt, increment, kpi, refdata, settings
from communes.contract import DATASETS
from communes.names import ascii_key
from communes.periods import Period
from communes.readers import ExportError, Problem, _fold, read_into

NOBODY = "không rõ"  # who, until login exists
AUDIT_FILE = "audit.jsonl"
STAGING = ".staging"
STALE_HOURS = 24
READ_CHUNK = 1 << 20

# A cell of the merge rule, per dataset: (column of the preview, SQL over table alias {t}).
CELLS: dict[str, list[tuple[str, str]]] = {
    "tourism": [("unit_code", "{t}.unit_code"), ("period", "strftime({t}.month, '%Y-%m')")],
    "fishery": [("unit_code", "{t}.unit_code"), ("period", "strftime({t}.month, '%Y-%m')")],
    "agriculture": [("unit_code", "{t}.unit_code"), ("period", "cast({t}.year as varchar) || ' ' || {t}.season")],
    "staffing": [("unit_code", "{t}.unit_code"), ("period", "strftime({t}.as_of, '%Y-%m-%d')")],
    "staffing_fields": [("unit_code", "{t}.unit_code"), ("period", "strftime({t}.as_of, '%Y-%m-%d')")],
    "units": [("unit_code", "{t}.unit_code"), ("period", "''")],
    "events": [("unit_code", "cast(null as varchar)"), ("period", "strftime({t}.date, '%Y-%m')")],
    "dossiers": [("unit_code", "{t}.unit_code"), ("period", "strftime({t}.received_at, '%Y-%m')")],
    # an item of a visit: a later list's row replaces its earlier self, so statuses are updated in place; its
    # text compares as the reader's repeated-row check does (without case, diacritics or repeated spaces)
    "visits": [("unit_code", "{t}.unit_code"),
               ("period", "strftime({t}.visit_date, '%Y-%m-%d') || ' · ' || " + _fold("{t}.text"))],
}
# The span of dates an upload covers, for the indicators before → after (None: no indicator).
SPAN = {
    "dossiers": "select min(received_at)::date, max(received_at)::date from upload",
    "tourism": "select min(month), last_day(max(month)) from upload",
    "fishery": "select min(month), last_day(max(month)) from upload",
    "agriculture": "select make_date(min(year), 1, 1), make_date(max(year), 12, 31) from upload",
}
KPI_KEYS = {
    "dossiers": ["received", "resolved", "on_time_rate", "online_rate", "digitized_rate", "pending_overdue"],
    "tourism": ["visitors", "visitors_domestic", "visitors_international", "revenue_vnd"],
    "agriculture": ["rice_area_ha", "rice_production_tonnes", "rice_yield_quintal_per_ha"],
    "fishery": ["aquaculture_tonnes", "capture_tonnes"],
}
# File names (ascii_key) that say which dataset an upload is: "du-lich-07-2025.xlsx" → tourism.
NAME_HINTS = {  # visits first: "kết luận" holds "lua" (rice)
    "visits": ("visit", "kiem tra", "ket luan", "kien nghi", "theo doi"),
    "dossiers": ("dossier", "ho so", "hoso", "tthc"), "tourism": ("tourism", "du lich", "dulich"),
    "agriculture": ("agri", "nong nghiep", "lua", "trong trot"), "fishery": ("fish", "thuy san", "thuysan"),
    "staffing_fields": ("staffing fields", "chuyen mon", "can bo linh vuc"),  # before "staffing": both say "staff"
    "staffing": ("staff", "nhan luc", "bien che", "can bo"), "units": ("units", "dan so", "don vi"),
    "events": ("event", "su kien"),
}


class UploadError(Exception):
    """An upload refused before or while staging (type, size, unreadable XLSX); carries problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class StaleError(RuntimeError):
    """The data folder changed between the dry run and the apply."""


# --- staging: stream the upload to disk ------------------------------------------------------------

@dataclass
class Staged:
    token: str
    dir: Path
    name: str  # the uploaded file's own name, for messages only (never a path, never HTML)
    raw: Path  # the bytes as uploaded
    kind: str  # "csv", "gz" or "xlsx"
    sha256: str
    size: int


def staging_root(directory: Path | None = None) -> Path:
    return Path(directory or db.db_dir()) / STAGING


def max_bytes() -> int:
    return int(float(settings.get("upload_max_mb")) * 1024 * 1024)


def clean_name(name: str) -> str:
    """The base name of an uploaded file, whatever path or separators the browser sent.

    >>> clean_name("C:\\\\Users\\\\a\\\\du lịch.xlsx"), clean_name("../../etc/passwd")
    ('du lịch.xlsx', 'passwd')
    """
    base = PureWindowsPath(str(name)).name
    base = base.rsplit("/", 1)[-1].strip().replace("\x00", "")
    return base or "tệp không tên"


def kind_of(name: str) -> str | None:
    """csv, gz or xlsx from the file name; None for anything else.

    >>> kind_of("a.CSV"), kind_of("b.csv.gz"), kind_of("c.xlsx"), kind_of("d.xls")
    ('csv', 'gz', 'xlsx', None)
    """
    low = name.lower()
    if low.endswith(".gz"):
        return "gz"
    if low.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    if low.endswith(".xlsx"):
        return "xlsx"
    return None


def _too_big(name: str, size: int) -> Problem:
    limit = float(settings.get("upload_max_mb"))
    return Problem(name, None, None, None,
                   f"tệp quá lớn: {fmt.number(size / 1024 / 1024, 1)} MB, vượt giới hạn {fmt.number(limit)} MB "
                   "(cài đặt COMMUNES_UPLOAD_MAX_MB); hãy nén tệp CSV thành .csv.gz hoặc tách theo tháng")


def stage(source, name: str, directory: Path | None = None) -> Staged:
    """Copy an upload (a binary file object, or a path) to the staging folder in 1 MB chunks.

    The size limit is checked before (when the size is known) and while copying; the whole file
    is never held in memory here.
    """
    name = clean_name(name)
    kind = kind_of(name)
    if kind is None:
        hint = (" (tệp .xls của Excel 97–2003: hãy lưu lại dạng .xlsx hoặc CSV UTF-8)"
                if name.lower().endswith(".xls") else "")
        raise UploadError([Problem(name, None, None, None, f"chỉ nhận tệp CSV, CSV.GZ hoặc XLSX{hint}")])
    limit = max_bytes()
    known = getattr(source, "size", None)
    if isinstance(source, (str, Path)):
        known = Path(source).stat().st_size
    if known is not None and known > limit:
        raise UploadError([_too_big(name, known)])
    root = staging_root(directory)
    _clean_stale(root)
    token = uuid.uuid4().hex
    folder = root / token
    folder.mkdir(parents=True)
    raw = folder / {"csv": "upload.csv", "gz": "upload.csv.gz", "xlsx": "upload.xlsx"}[kind]
    h, size = hashlib.sha256(), 0
    try:
        with contextlib.ExitStack() as stack:
            fh = stack.enter_context(open(source, "rb")) if isinstance(source, (str, Path)) else source
            if getattr(fh, "seekable", lambda: False)():
                fh.seek(0)  # a Streamlit upload read before (the bytes stay in Streamlit's own buffer)
            out = stack.enter_context(open(raw, "wb"))
            while chunk := fh.read(READ_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UploadError([_too_big(name, size)])
                h.update(chunk)
                out.write(chunk)
    except BaseException:
        discard(token, directory)
        raise
    return Staged(token, folder, name, raw, kind, h.hexdigest(), size)


def _clean_stale(root: Path) -> None:
    if not root.exists():
        return
    cutoff = time.time() - STALE_HOURS * 3600
    for d in root.iterdir():
        try:
            if d.stat().st_mtime < cutoff:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            pass


def discard(token_or_plan, directory: Path | None = None) -> None:
    """Remove a staged upload and its dry-run files."""
    token = getattr(token_or_plan, "token", token_or_plan)
    if not re.fullmatch(r"[0-9a-f]{32}", str(token)):
        return
    root = staging_root(directory)
    shutil.rmtree(root / token, ignore_errors=True)
    try:
        root.rmdir()  # only when empty
    except OSError:
        pass


def guess_dataset(name: str) -> str | None:
    """The dataset a file name suggests, if any.

    >>> guess_dataset("Du lịch tháng 7.xlsx"), guess_dataset("HoSo_2025-07.csv.gz"), guess_dataset("x.csv")
    ('tourism', 'dossiers', None)
    """
    key = ascii_key(re.sub(r"[_\-.]+", " ", name))
    squeezed = key.replace(" ", "")
    for ds, hints in NAME_HINTS.items():
        if any(h in key or h.replace(" ", "") in squeezed for h in hints):
            return ds
    return None


# --- XLSX → CSV (openpyxl read-only, row by row) ---------------------------------------------------

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


# --- dry run -----------------------------------------------------------------------------------------

@dataclass
class Plan:
    """What a dry run found; ``apply`` installs it when ``ok`` and ``changed``."""
    token: str
    dataset: str
    upload_name: str
    upload_sha256: str
    upload_bytes: int
    ok: bool = False
    problems: list[Problem] = field(default_factory=list)  # errors, then warnings, of the upload
    rows_upload: int = 0
    rows_before: int = 0
    rows_after: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    changes: list[dict] = field(default_factory=list)  # per unit and period
    kpis: list[dict] = field(default_factory=list)  # key, before, after
    period: tuple[str, str] | None = None
    export_name: str = ""
    base: dict = field(default_factory=dict)  # dataset → sha256 of the data folder's export at the dry run
    origin: str = "official"
    fingerprint: str = ""
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)  # seconds per step of the dry run
    stored_problems: bool = False  # the problems are in the stored exports, not in the upload
    build: str = ""  # "incremental": built on the current version's tables; "full": from every export
    build_reason: str | None = None  # why the build is full (Vietnamese), when it is

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def changed(self) -> bool:
        return self.ok and (self.added > 0 or self.replaced > self.unchanged)

    def summary(self) -> dict:
        d = asdict(self)
        d["problems"] = [str(p) for p in self.problems]
        return d


def _work_db(folder: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(folder / "work.duckdb"))
    con.execute(f"set memory_limit = '{db.MEMORY_LIMIT}'")
    con.execute("set enable_progress_bar = false")  # progress is reported by communes.progress
    spill = folder / "spill"
    spill.mkdir(exist_ok=True)
    con.execute("set temp_directory = ?", [str(spill)])
    return con


def _shift(problems: list[Problem], offset: int) -> list[Problem]:
    """Line numbers of a converted XLSX back to Excel rows (the header sat on row offset + 1)."""
    if not offset:
        return problems
    for p in problems:
        if p.line is not None:
            p.line += offset
    return problems


def dry_run(staged: Staged, dataset: str, data_dir: Path | None = None, directory: Path | None = None,
            progress=None) -> Plan:
    """Validate the staged upload as ``dataset``, merge it, build the candidate version, preview.

    A refused upload leaves nothing behind; a valid one keeps its staging folder for ``apply``
    (or ``discard``).
    """
    plan = None
    try:
        plan = _dry_run(staged, dataset, data_dir, directory, progress or _quiet)
    finally:
        if plan is None or not plan.ok:
            discard(staged.token, directory or db.db_dir())
    return plan


def _quiet(phase: str, rows: int, seconds: float) -> None:
    """The default progress report: none. ``progress(phase, rows, seconds)`` is called as each phase
    starts (reading, checking, building) with the rows handled so far and the seconds since the start."""


def _dry_run(staged: Staged, dataset: str, data_dir: Path | None, directory: Path | None, progress) -> Plan:
    t0 = time.perf_counter()
    if dataset not in DATASETS:
        raise ValueError(f"không có loại dữ liệu «{dataset}»")
    data_dir = Path(data_dir or settings.path("data_dir"))
    directory = Path(directory or db.db_dir())
    plan = Plan(staged.token, dataset, staged.name, staged.sha256, staged.size)
    readable, offset = staged.raw, 0
    for old in ("candidate.duckdb", "work.duckdb", "work.duckdb.wal", "upload-from-xlsx.csv"):
        (staged.dir / old).unlink(missing_ok=True)
    if staged.kind == "xlsx":
        readable = staged.dir / "upload-from-xlsx.csv"
        try:
            header_row, notes = xlsx_to_csv(staged.raw, readable, dataset, staged.name)
        except UploadError as exc:
            plan.problems = exc.problems
            return plan
        offset = header_row - 1
        plan.problems += notes
    ref = refdata.load(settings.get("province"))
    files = db.find_exports(data_dir)
    plan.base = {k: db.file_hash(p) for k, p in files.items()}
    base_path = files.get(dataset)
    plan.export_name = base_path.name if base_path else f"{dataset}.csv.gz" if dataset == "dossiers" else f"{dataset}.csv"
    current = db.current_path(directory)
    # built on the current version's tables when the rules allow it (communes/increment.py), else in full
    plan.build_reason = increment.eligible(current, data_dir, dataset)
    lazy = dataset == "dossiers" and plan.build_reason is None  # the stored rows read where they are
    member = None
    progress("reading", 0, 0)
    con = _work_db(staged.dir)
    try:
        rep = read_into(con, readable, dataset, ref, table="upload", display=staged.name)
        plan.timings["validate"] = time.perf_counter() - t0
        plan.problems = _shift(rep.errors, offset) + plan.problems + _shift(rep.warnings, offset)
        plan.rows_upload = rep.rows
        progress("checking", rep.rows, plan.timings["validate"])
        if rep.errors:
            return plan
        if not _load_base(con, dataset, base_path, current, ref, plan, lazy=lazy):
            return plan
        _merge(con, dataset, plan, materialise=not lazy)
        export = staged.dir / "export" / plan.export_name
        export.parent.mkdir(exist_ok=True)
        lead = None
        if lazy and plan.replaced:
            plan.build_reason = (f"tệp tải lên thay {fmt.number(plan.replaced)} hồ sơ đã lưu: tệp hồ sơ được ghi lại "
                                 "toàn bộ và dựng lại từ đầu")
        elif lazy:
            lead = increment.appendable(base_path, ",".join(c.name for c in DATASETS[dataset].columns), current)
            if lead is None:
                plan.build_reason = ("tệp hồ sơ đang lưu không theo dạng có thể ghi nối tiếp (tiêu đề, bảng mã, "
                                     "xuống dòng)")
        if lazy and plan.build_reason is None:
            member = increment.write_member(con, "upload", base_path, staged.dir, staged.name, lead, write=write_export)
            increment.append_export(base_path, member, export)
        else:
            if lazy:
                _materialise_merged(con, dataset)
            write_export(con, "merged", dataset, export)
        span = con.execute(SPAN[dataset]).fetchone() if dataset in SPAN else None
        plan.timings["merge_and_write"] = time.perf_counter() - t0 - plan.timings["validate"]
    finally:
        con.close()
    # the candidate: every stored export, this dataset's replaced by the merged one
    files[dataset] = export
    candidate = staged.dir / "candidate.duckdb"
    plan.build = "full" if plan.build_reason else "incremental"
    progress("building", plan.rows_after, 0)
    try:
        if plan.build == "incremental":
            increment.build(candidate, current, dataset, files, data_dir, {dataset: plan.export_name}, plan.origin,
                            work=staged.dir / "work.duckdb", member=member)
        else:
            db.build_into(candidate, files, data_dir, names={dataset: plan.export_name}, previous=current,
                          origins={dataset: plan.origin})
    except ExportError as exc:  # a stored export of another dataset is broken (or the merge did not round-trip)
        plan.problems = [p for p in exc.problems if p.severity == "error"]
        plan.stored_problems = True
        candidate.unlink(missing_ok=True)
        return plan
    plan.fingerprint = db.read_meta(candidate)["fingerprint"]
    plan.timings["candidate_build"] = time.perf_counter() - t0 - sum(plan.timings.values())
    if member is None:  # an appended export was read back by write_member already
        _check_round_trip(staged.dir, candidate, dataset, plan)
    plan.timings["read_back_check"] = time.perf_counter() - t0 - sum(plan.timings.values())
    if span and span[0] is not None:
        plan.period = (span[0].isoformat(), span[1].isoformat())
        plan.kpis = _kpis(dataset, Period(span[0], span[1], "range"), current, candidate)
        plan.timings["kpis"] = time.perf_counter() - t0 - sum(plan.timings.values())
    plan.ok = True
    plan.seconds = time.perf_counter() - t0
    progress("done", plan.rows_upload, plan.seconds)
    return plan


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"describe {table}").fetchall() if r[0] != "source_row"]


def _load_base(con, dataset: str, base_path: Path | None, current: Path | None, ref, plan: Plan,
               lazy: bool = False) -> bool:
    """The stored rows of the dataset as table ``base``: from the current version when it was built
    from the same file (no second validation), else read from the data folder. With ``lazy``, ``base``
    is a view of the current version's table (attached while the work database is open), not a copy."""
    if base_path is None:
        con.execute("create or replace table base as select * from upload limit 0")
        return True
    sha = db.file_hash(base_path)
    meta = db.read_meta(current) if current else {}
    entry = next((f for f in json.loads(meta.get("files") or "[]") if f.get("dataset") == dataset), None)
    if entry and entry.get("sha256") == sha:
        plan.origin = entry.get("origin") or "official"
        cols = ", ".join(_columns(con, "upload") + ["source_row"])
        con.execute(f"attach '{_sql_str(current)}' as cur (read_only)")
        if lazy:
            con.execute(f"create or replace temp view base as select {cols} from cur.{dataset}")
            return True
        con.execute(f"create or replace table base as select {cols} from cur.{dataset}")
        con.execute("detach cur")
        return True
    rep = read_into(con, base_path, dataset, ref, table="base")
    if rep.errors:
        plan.problems = rep.errors
        plan.stored_problems = True
        return False
    plan.origin = "official"
    return True


def _sql_str(path) -> str:
    return str(path).replace("'", "''")


def _cells(dataset: str, t: str) -> list[str]:
    return [expr.format(t=t) for _, expr in CELLS[dataset]]


def _materialise_merged(con, dataset: str) -> None:
    """The merged dossiers (``merged``): the stored ones not replaced, then the upload's."""
    con.execute("""create or replace table merged as
        select * from base b where not exists (select 1 from upload u where u.dossier_id = b.dossier_id)
        union all select * from upload""")


def _merge(con, dataset: str, plan: Plan, materialise: bool = True) -> None:
    cols = _columns(con, "upload")
    listed = ", ".join(cols)
    if dataset == "dossiers":
        if materialise:
            _materialise_merged(con, dataset)
        same = " and ".join(f"u.{c} is not distinct from b.{c}" for c in cols)
        rows = con.execute(f"""
            select u.unit_code, strftime(u.received_at, '%Y-%m') as period,
                   count(*) filter (where b.dossier_id is null) as added,
                   count(*) filter (where b.dossier_id is not null) as replaced,
                   count(*) filter (where b.dossier_id is not null and {same}) as unchanged
            from upload u left join base b on u.dossier_id = b.dossier_id
            group by all order by period, unit_code""").fetchall()
        plan.changes = [{"unit_code": u, "period": p, "added": a, "replaced": r, "unchanged": s}
                        for u, p, a, r, s in rows]
    else:
        match = " and ".join(f"{a} is not distinct from {b}" for a, b in zip(_cells(dataset, "u"), _cells(dataset, "b")))
        con.execute(f"""create or replace table merged as
            select * from base b where not exists (select 1 from upload u where {match})
            union all select * from upload""")
        names = [n for n, _ in CELLS[dataset]]

        def key(t):
            return ", ".join(f"{e} as {n}" for n, e in zip(names, _cells(dataset, t)))

        def on(a, b):
            return " and ".join(f"{a}.{n} is not distinct from {b}.{n}" for n in names)

        rows = con.execute(f"""
            with u as (select {key('u')}, count(*) as n_after from upload u group by all),
                 b as (select {key('b')}, count(*) as n_before from base b group by all),
                 s as (select {key('x')}, count(*) as n_same
                       from (select {listed} from upload intersect all select {listed} from base) x group by all)
            select u.unit_code, u.period, coalesce(b.n_before, 0), u.n_after, coalesce(s.n_same, 0)
            from u left join b on {on('u', 'b')} left join s on {on('u', 's')}
            order by u.period, u.unit_code""").fetchall()
        plan.changes = []
        for unit, period, before, after, same in rows:
            status = "added" if before == 0 else "unchanged" if same == after == before else "replaced"
            plan.changes.append({"unit_code": unit, "period": period, "rows_before": before, "rows_after": after,
                                 "status": status})
    plan.rows_before = con.execute("select count(*) from base").fetchone()[0]
    if dataset == "dossiers" and not materialise:
        plan.rows_after = plan.rows_before + con.execute(
            "select count(*) from upload u anti join base b using (dossier_id)").fetchone()[0]
    else:
        plan.rows_after = con.execute("select count(*) from merged").fetchone()[0]
    if dataset == "dossiers":
        plan.added = sum(c["added"] for c in plan.changes)
        plan.replaced = sum(c["replaced"] for c in plan.changes)
        plan.unchanged = sum(c["unchanged"] for c in plan.changes)
        kept = plan.rows_before - plan.replaced
    else:
        plan.added = sum(c["rows_after"] for c in plan.changes if c["status"] == "added")
        plan.replaced = sum(c["rows_before"] for c in plan.changes if c["status"] != "added")
        plan.unchanged = sum(c["rows_before"] for c in plan.changes if c["status"] == "unchanged")
        kept = plan.rows_before - plan.replaced
    # an upload merged into sample rows leaves a mix; one that replaces every sample row is official
    plan.origin = "mixed" if plan.origin in ("sample", "mixed") and kept > 0 else "official"


# --- the merged export: canonical headers, ISO dates, numbers that read back exactly --------------

def _number(col: str) -> str:
    s = f"cast({col} as varchar)"
    s = f"(case when contains({s}, 'e') then rtrim(rtrim(printf('%.10f', {col}), '0'), '.') else {s} end)"
    return f"(case when regexp_full_match({s}, '-?\\d+\\.\\d{{3}}') then {s} || '0' else {s} end)"


def _canonical(dataset: str) -> list[str]:
    out = []
    for c in DATASETS[dataset].columns:
        n = c.name
        if c.kind == "unit":
            e = "unit_label"
        elif c.kind == "int":
            e = f"cast({n} as varchar)"
        elif c.kind == "number":
            e = _number(n)
        elif c.kind == "date":
            e = f"strftime({n}, '%Y-%m-%d')"
        elif c.kind == "month":
            e = f"strftime({n}, '%Y-%m')"
        elif c.kind == "datetime":
            day = f"strftime({n}, '%Y-%m-%d')"
            if n == "due_at":  # a date-only due time was stored as the end of that day
                e = (f"case when strftime({n}, '%H:%M:%S.%f') = '23:59:59.999999' then {day} "
                     f"else strftime({n}, '%Y-%m-%d %H:%M:%S') end")
            else:
                e = f"case when cast({n} as time) = time '00:00:00' then {day} else strftime({n}, '%Y-%m-%d %H:%M:%S') end"
        elif c.kind == "bool":
            e = f"case when {n} then '1' else '0' end"
        elif c.kind == "enum:channel":
            e = f"case {n} when 'direct' then '1' when 'online' then '2' when 'postal' then '3' end"
        else:
            e = n
        out.append(f"{e} as {n}")
    return out


def write_export(con, table: str, dataset: str, path: Path) -> None:
    """Write ``table`` (staging schema) as an export the reader accepts and reads back identically."""
    # a cell part that is the same for every row (the period of units, the unit of events) orders nothing
    varying = [expr.format(t=table) for _, expr in reversed(CELLS[dataset]) if "{t}" in expr]
    order = "" if dataset == "dossiers" else " order by " + "".join(
        f"{e} nulls first, " for e in varying) + f"{table}.source_row"
    gz = "gzip" if path.name.endswith(".gz") else "none"
    con.execute(f"copy (select {', '.join(_canonical(dataset))} from {table}{order}) to '{_sql_str(path)}' "
                f"(format csv, header true, delimiter ',', quote '\"', escape '\"', compression '{gz}')")


def _check_round_trip(folder: Path, candidate: Path, dataset: str, plan: Plan) -> None:
    """The candidate's table must hold exactly the merged rows (the export read back): same count and
    same order-independent sum of row hashes (one scan of each side, no sort or spill)."""
    con = duckdb.connect(str(folder / "work.duckdb"))
    try:
        con.execute(f"set memory_limit = '{db.MEMORY_LIMIT}'")
        con.execute("set enable_progress_bar = false")  # progress is reported by communes.progress
        con.execute("set temp_directory = ?", [str(folder / "spill")])
        con.execute(f"attach '{_sql_str(candidate)}' as cand (read_only)")
        cols = ", ".join(_columns(con, "merged"))
        ours, theirs = (con.execute(f"select count(*), coalesce(sum(hash({cols})::hugeint), 0) from {t}").fetchone()
                        for t in ("merged", f"cand.{dataset}"))
    finally:
        con.close()
    if ours != theirs:
        raise RuntimeError(f"bản gộp đọc lại không khớp ({ours[0]} dòng gộp, {theirs[0]} dòng đọc lại); chưa áp dụng gì")


def _kpis(dataset: str, period: Period, current: Path | None, candidate: Path) -> list[dict]:
    keys = KPI_KEYS[dataset]

    def values(path):
        if path is None:
            return {}
        con = duckdb.connect(str(path), read_only=True)
        try:
            return kpi.compute(period, None, con=con)[dataset]
        finally:
            con.close()

    before, after = values(current), values(candidate)
    return [{"key": k, "before": before.get(k), "after": after.get(k)} for k in keys]


# --- apply, rollback, audit -------------------------------------------------------------------------

def apply(plan: Plan, who: str | None = None, data_dir: Path | None = None, directory: Path | None = None) -> Path:
    """Install a dry run's candidate: new version, merged export in the data folder, audit entry."""
    data_dir = Path(data_dir or settings.path("data_dir"))
    directory = Path(directory or db.db_dir())
    if not plan.ok:
        raise ValueError("bản chạy thử có lỗi: không thể áp dụng")
    if not plan.changed:
        raise ValueError("tệp tải lên không làm thay đổi dữ liệu: không có gì để áp dụng")
    folder = staging_root(directory) / plan.token
    candidate, export = folder / "candidate.duckdb", folder / "export" / plan.export_name
    if not candidate.exists() or not export.exists():
        raise StaleError("không còn kết quả chạy thử (đã áp dụng, đã hủy hoặc quá hạn); hãy chạy thử lại")
    with db.locked(directory):
        now = {k: db.file_hash(p) for k, p in db.find_exports(data_dir).items()}
        if now != plan.base:
            raise StaleError("dữ liệu đã thay đổi sau lần chạy thử (có người khác vừa nạp); hãy chạy thử lại")
        current = db.current_path(directory)
        version = db.promote(candidate, directory, point=False)
        tmp = data_dir / f".{plan.export_name}.upload-{plan.token}"
        try:
            shutil.copyfile(export, tmp)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, data_dir / plan.export_name)
        finally:
            tmp.unlink(missing_ok=True)
        for suffix in db.SUFFIXES:  # the dataset's export under another suffix would shadow or be shadowed
            other = data_dir / f"{plan.dataset}{suffix}"
            if other.name != plan.export_name and other.exists():
                other.unlink()
        db._point_to(directory, version.name)
        db._prune(directory, int(settings.get("keep_versions")))
        log(directory, action="upload", who=who, dataset=plan.dataset, file=plan.upload_name,
            sha256=plan.upload_sha256, bytes=plan.upload_bytes, rows_upload=plan.rows_upload,
            rows_added=plan.added, rows_replaced=plan.replaced, rows_before=plan.rows_before,
            rows_after=plan.rows_after, version=version.name, previous=current.name if current else None,
            build=plan.build, build_reason=plan.build_reason)
    discard(plan.token, directory)
    return version


def rollback(n: int, who: str | None = None, data_dir: Path | None = None, directory: Path | None = None) -> Path:
    """Make version ``n`` (0 = newest) current again, data folder included, and log it."""
    directory = Path(directory or db.db_dir())
    with db.locked(directory):
        current = db.current_path(directory)
        target = db.rollback(n, directory, data_dir)
        meta = db.read_meta(target)
        files = json.loads(meta.get("files") or "[]")
        log(directory, action="rollback", who=who, dataset=None, file=None, fingerprint=meta.get("fingerprint"),
            rows_after=sum(f.get("rows", 0) for f in files), version=target.name,
            previous=current.name if current else None)
    return target


def log(directory: Path, **entry) -> None:
    """Append one entry to the audit log (JSON Lines, in the database folder)."""
    who = entry.pop("who")  # None only without login; a signed-in user's name is written as given
    entry = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "who": NOBODY if who is None else who,
             **entry}
    path = Path(directory) / AUDIT_FILE
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def audit(directory: Path | None = None, limit: int = 200) -> list[dict]:
    """The audit log, newest first."""
    path = Path(directory or db.db_dir()) / AUDIT_FILE
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out[::-1][:limit]
