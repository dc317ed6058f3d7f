"""A steward's upload built from the previous version's tables instead of from every export.

A full build reads and validates every export and computes every rollup. An upload changes one dataset,
so the candidate version is the previous version's file, copied, with only what the upload can change
recomputed (``build``):

- the uploaded dataset's table: for dossiers, the new dossiers appended to the stored ones (the merged
  export is the stored export with the new rows appended, so every stored row keeps its line); for the
  other datasets (small files), the merged export read again by the reader;
- the daily dossier rollups (``dossier_key_days``, ``dossier_days``, ``dossier_field_days``): only the
  rows of the (unit, day) pairs the new dossiers touch. A dossier adds to the day it was received, the day
  it was completed, and the days it became overdue while open and stopped being so (15_dossier_days.sql):
  its rows are recomputed over every stored dossier, so a day shared with older dossiers stays exact;
- the dossier figures of the standard periods (``dossier_unit_period``, ``dossier_scope_period``,
  ``dossier_unit_field_period``): a period's figures read the days up to its end (carried over, pending
  and overdue at its end) and the data's as-of date (a period running at it is judged at it), so every
  period ending on or after the first touched day, or after the earlier as-of date, is recomputed, with the
  periods that are new (a new month, the year to date moved on); the others cannot change;
- every other table of the build SQL (as-of date, open and backlog rows, merger phases, sector tables,
  visits): recomputed whole, as the full build does; they are small or read by one scan.

The rule is stated on what a figure reads, not on the sample. ``eligible`` says when it does not apply
and a full build is made instead (the reason goes to the plan, the output and the audit log): no
servable previous version, a data folder that is not the previous version's, other build code or
validation settings, the units export (it changes the reference tables every rollup joins), dossiers
that replace stored ones (the export is rewritten: a full build reads it back), warnings in the upload.
``tests/test_increment.py`` checks that the result equals a full build's, table by table, and that the
stored exports are the same bytes.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from communes import db, readers, refdata, settings, sources
from communes.readers import ExportError, read_into

# The tables the incremental build patches instead of recomputing, with the macro of their rows and
# what their rows are keyed by: "days" (unit_code, day) or "periods" (kind, start, end).
PATCHED = {
    "dossier_key_days": ("days", "dossier_key_day_rows", "dossiers"),
    "dossier_days": ("days", "dossier_day_rows", "dossier_key_days"),
    "dossier_field_days": ("days", "dossier_field_day_rows", "dossier_key_days"),
    "dossier_unit_period": ("periods", "dossier_unit_period_rows", None),
    "dossier_scope_period": ("periods", "dossier_scope_period_rows", None),
    "dossier_unit_field_period": ("periods", "dossier_unit_field_period_rows", None),
}
_TARGET = re.compile(r"^\s*create\s+or\s+replace\s+table\s+(\w+)", re.IGNORECASE)


def eligible(previous: Path | None, data_dir: Path, dataset: str) -> str | None:
    """None when an upload of ``dataset`` can be built on ``previous``; else why not (in Vietnamese)."""
    if previous is None:
        return "chưa có phiên bản nào để dựng tiếp"
    meta = db.read_meta(previous)
    if not db.built_here(meta):
        return "phiên bản đang dùng được dựng bởi mã khác (đã nâng cấp)"
    if meta.get("rules") != db.validation_rules():
        return "cài đặt kiểm tra dữ liệu đã thay đổi"
    if not sources.folder(previous).is_dir():
        return "phiên bản đang dùng không lưu kèm tệp dữ liệu theo cách hiện nay"
    if meta.get("fingerprint") != db.fingerprint(data_dir):
        return "thư mục dữ liệu không còn đúng với phiên bản đang dùng"
    if dataset == "units":
        return "tệp đơn vị thay đổi dữ liệu tham chiếu mà mọi bảng tổng hợp dùng"
    return None


def _statements():
    for sql in sorted(db.BUILD_SQL.glob("*.sql")):
        for st in duckdb.extract_statements(sql.read_text(encoding="utf-8")):
            text = st.query
            body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
            m = _TARGET.match(body)
            yield (m.group(1).lower() if m else None), text


class HeadStart:
    """The previous version copied to the candidate's path (its file; its exports linked) on a thread of its
    own, while the dry run validates and merges the upload: the copy is mostly the disk's and the kernel's
    work. ``build`` waits for it (``take``); ``discard`` stops it (between blocks of ``BLOCK`` bytes: a
    refused upload is answered at once) and removes it when it is not used (the upload refused, or built
    in full)."""

    BLOCK = 64 << 20

    def __init__(self, previous: Path, candidate: Path):
        self.candidate = candidate
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(1)
        self._copy = self._pool.submit(self._run, previous, candidate)
        self.done = False  # built on, or discarded

    def _run(self, previous: Path, candidate: Path) -> None:
        sources.copy_version(previous, candidate, self._stop, self.BLOCK)

    def take(self) -> None:
        self.done = True
        try:
            self._copy.result()
        finally:
            self._pool.shutdown()

    def discard(self) -> None:
        if self.done:
            return
        self.done = True
        self._stop.set()
        self._copy.exception()  # waited for; a stopped or failed copy is removed like a finished one
        self._pool.shutdown()
        sources.remove(self.candidate)


def build(candidate: Path, previous: Path, dataset: str, files: dict[str, Path], data_dir: Path,
          names: dict[str, str], origin: str, work: Path | None = None, member: Path | None = None,
          progress=None, head: HeadStart | None = None) -> list:
    """Write at ``candidate`` the version ``previous`` becomes with ``dataset``'s export ``files[dataset]``.

    For dossiers, ``work`` is the dry run's database holding the validated upload (table ``upload``, new
    dossiers only) and ``member`` the bytes appended to the stored export; for another dataset the merged
    export is read again. ``head``: the copy of ``previous`` already started (``HeadStart``). Returns the
    reader's reports (the one of the dataset read again, if any).
    """
    if head is not None:
        head.take()
    else:
        sources.copy_version(previous, candidate)
    reports = []
    with db.spill_folder() as spill, duckdb.connect(str(candidate)) as con:
        con.execute(f"set memory_limit = '{db.MEMORY_LIMIT}'")
        con.execute("set enable_progress_bar = false")  # progress is reported by communes.progress
        con.execute("set temp_directory = ?", [str(spill)])
        old_as_of = con.execute("select as_of from dossier_as_of_t").fetchone()[0]
        con.execute("create temp table _old_periods as select kind, start, \"end\" from dossier_periods")
        if dataset != "dossiers":  # outside a transaction: the reader numbers rows by rowid
            rows, report = _replace_dataset(con, dataset, files[dataset], names[dataset])
            reports.append(report)
        con.execute("begin")
        if dataset == "dossiers":
            con.execute(f"attach '{_sql_str(work)}' as w (read_only)")
            rows = _append_dossiers(con)
            con.execute("detach w")
        if progress:
            progress("building", 0, 0)
        for target, text in _statements():
            if target in PATCHED and dataset == "dossiers":
                _patch(con, target, old_as_of)
            elif target not in PATCHED:
                con.execute(text)
        _sources(con, candidate, dataset, files[dataset], names[dataset], member)
        _meta(con, previous, dataset, files, data_dir, names, origin, rows, reports, member)
        con.execute("commit")
        con.execute("checkpoint")
    return reports


def _sql_str(path) -> str:
    return str(path).replace("'", "''")


def _append_dossiers(con) -> int:
    """Append the upload's dossiers after the stored ones, numbered as the merged export's lines read
    back, and note the (unit, day) pairs they touch."""
    n = con.execute("select count(*) from dossiers").fetchone()[0]
    con.execute("create temp table _added as select * replace "
                f"({n} + row_number() over (order by source_row) + 1 as source_row) from w.upload")
    con.execute("insert into dossiers select * from _added order by source_row")
    con.execute("create temp table _touched as with dossiers as (select * from _added) "
                "select distinct unit_code, day from dossier_key_day_rows()")
    return n + con.execute("select count(*) from _added").fetchone()[0]


def _replace_dataset(con, dataset: str, export: Path, name: str):
    """Read the merged export of a dataset again (the reader's full checks, its line numbers) into its table."""
    report = read_into(con, export, dataset, refdata.load(settings.get("province")), display=name)
    if report.errors:
        raise ExportError(report.problems)
    con.execute(f"drop table {dataset}")
    con.execute(f"alter table stg_{dataset} rename to {dataset}")
    con.execute("delete from load_warnings where dataset = ?", [dataset])
    warn = [(dataset, p.file, p.line, p.column, p.value, p.expected) for p in report.warnings]
    if warn:
        readers.insert_rows(con, "load_warnings", warn, db.WARNING_TYPES)
    return report.rows, report


def _patch(con, table: str, old_as_of) -> None:
    grain, macro, source = PATCHED[table]
    if grain == "days":
        touched = "(unit_code, day) in (select (unit_code, day) from _touched)"
        if source == "dossiers":
            # a superset of the dossiers with an event on a touched day (every event is on or after the
            # day received, and on the day received, completed, or overdue from the due time): the exact
            # rows are then kept by the touched pairs
            first = con.execute("select min(day) from _touched").fetchone()[0]
            if first is None:
                return
            since = f"timestamp '{first.isoformat()}' - interval 1 day"
            shadow = (f"dossiers as (select * from main.dossiers where unit_code in (select unit_code from _touched) "
                      f"and (received_at >= {since} or completed_at >= {since} or due_at >= {since}))")
        else:
            shadow = f"{source} as (select * from main.{source} where {touched})"
        con.execute(f"delete from {table} where {touched}")
        con.execute(f"insert into {table} with {shadow} select * from {macro}() where {touched}")
        return
    # periods: those ending on or after the first touched day, those the earlier as-of date cut short (their
    # figures were judged at it), and new ones
    con.execute("""create or replace temp table _periods as
        select p.kind, p.start, p."end" from dossier_periods p
        where p."end" >= (select min(day) from _touched) or p."end" > cast(? as date)
           or (p.kind, p.start, p."end") not in (select (kind, start, "end") from _old_periods)""",
                [old_as_of.date() if hasattr(old_as_of, "date") else old_as_of])
    key = "(kind, start, \"end\")"
    con.execute(f"delete from {table} where {key} in (select {key} from _periods) "
                f"or {key} not in (select {key} from dossier_periods)")
    con.execute(f"insert into {table} with dossier_periods as (select p.* from main.dossier_periods p "
                f"semi join _periods using (kind, start, \"end\")) select * from {macro}()")


def _sources(con, candidate: Path, dataset: str, export: Path, name: str, member: Path | None) -> None:
    """The candidate's copy of the export (``communes.sources``): for an append, the previous version's parts
    (linked) and the new bytes as a part of their own; else the export as the only part."""
    sha = db.file_hash(export)
    if member is not None:
        part = con.execute("select coalesce(max(part) + 1, 0) from source_files where dataset = ?",
                           [dataset]).fetchone()[0]
        path = member
    else:
        for (old,) in con.execute("select part from source_files where dataset = ?", [dataset]).fetchall():
            sources.part_path(candidate, dataset, old).unlink()
        con.execute("delete from source_files where dataset = ?", [dataset])
        part, path = 0, export
    mismatch = RuntimeError(f"{name}: bản lưu trong phiên bản mới không khớp tệp dữ liệu; chưa áp dụng gì")
    got, size = sources.write_part(path, sources.part_path(candidate, dataset, part))
    if got != db.file_hash(path):
        raise mismatch
    con.execute("update source_files set sha256 = ?, file = ? where dataset = ?", [sha, name, dataset])
    con.execute("insert into source_files values (?, ?, ?, ?, ?)", [dataset, name, sha, part, size])
    sources.sync(candidate)
    # the parts kept are the previous version's (linked, never written); with the new one they make the export
    parts = con.execute("select part, bytes from source_files where dataset = ?", [dataset]).fetchall()
    on_disk = sum(sources.part_path(candidate, dataset, p).stat().st_size for p, _ in parts)
    if not sum(n for _, n in parts) == on_disk == export.stat().st_size:
        raise mismatch


def _meta(con, previous: Path, dataset: str, files: dict[str, Path], data_dir: Path, names: dict[str, str],
          origin: str, rows: int, reports: list, member: Path | None) -> None:
    stored = db.read_meta_con(con)  # the previous version's, copied with its file
    before = {f["dataset"]: f for f in json.loads(stored.get("files") or "[]")}
    origins = db._origins(data_dir, files, names, stored, {dataset: origin})
    loaded = []
    for name, path in files.items():
        entry = dict(before.get(name) or {})
        o, updated = origins[name]
        if name == dataset:
            warnings = len(reports[0].warnings) if reports else 0
            entry = {"dataset": name, "file": names[name], "sha256": db.file_hash(path), "rows": rows,
                     "warnings": warnings, "bytes": path.stat().st_size}
        entry.update(origin=o, updated_at=updated)
        loaded.append(entry)
    meta = {
        "fingerprint": db.fingerprint_files(files, settings.get("province"), Path(data_dir) / db.MANIFEST),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sample": json.dumps(any(o in ("sample", "mixed") for o, _ in origins.values())),
        "files": json.dumps(loaded, ensure_ascii=False),
        "data_dir": str(data_dir),
        "build": "incremental",
    }
    if member is not None:
        meta["lf_ended"] = json.dumps([db.file_hash(files[dataset])])
    for k, v in meta.items():
        con.execute("delete from meta where key = ?", [k])
        con.execute("insert into meta values (?, ?)", [k, v])


# --- the dossiers export, appended to ---------------------------------------------------------------

def appendable(base: Path | None, header: str, previous: Path | None = None) -> bytes | None:
    """What to write before rows given as ``header`` + LF lines appended to the stored export ``base`` so
    that the whole reads back as one file (same header, UTF-8, LF line ends); None when they cannot be.

    The rows follow the last byte of ``base``: when it is not known to be a line end, they start with one
    (a blank line, which the reader skips, if it was). A gzip file's last byte is known only once it is
    read through, so it is taken from ``previous`` (an export the app appended to ends with a line end:
    meta ``lf_ended``), never read.
    """
    if base is None or not base.exists() or not base.name.endswith((".csv", ".csv.gz")):
        return None
    gz = base.name.endswith(".gz")
    known = previous is not None and db.file_hash(base) in json.loads(db.read_meta(previous).get("lf_ended") or "[]")
    try:
        with (gzip.open(base, "rb") if gz else open(base, "rb")) as fh:
            head = fh.read(1 << 16)
            if not head.startswith(header.encode() + b"\n") or readers._sniff_encoding(head) != "utf-8" or b"\r" in head:
                return None
            if known:
                return b""
            if gz:
                return b"\n"
            fh.seek(-1, os.SEEK_END)
            return b"" if fh.read(1) == b"\n" else b"\n"
    except (OSError, EOFError, zlib.error):
        return None


def write_member(con, table: str, base: Path, folder: Path, display: str, lead: bytes = b"", *, write) -> Path:
    """Write the rows of ``table`` (staging schema) as the bytes to append to ``base``; check they read back.

    The rows are written as an export of their own (the merged export's header, ISO dates), read again by
    the reader and compared with ``table`` (same count, same order-free sum of row hashes); the bytes
    appended are ``lead`` and that file without its header line, as a gzip member of their own for a
    ``.gz`` export. ``write(con, table, dataset, path)`` writes a staging table as an export: the steward's
    ``write_export``, handed in by the steward, which calls this module (so neither imports the other back).
    """
    echo = folder / "appended.csv"
    con.execute(f"create or replace temp table _ordered as select * from {table} order by source_row")
    write(con, "_ordered", "dossiers", echo)
    rep = read_into(con, echo, "dossiers", refdata.load(settings.get("province")), table="_echo", display=display)
    if rep.errors:
        raise RuntimeError(f"các dòng thêm vào đọc lại không được ({rep.errors[0]}); chưa áp dụng gì")
    cols = ", ".join(r[0] for r in con.execute(f"describe {table}").fetchall() if r[0] != "source_row")
    ours, theirs = (con.execute(f"select count(*), coalesce(sum(hash({cols})::hugeint), 0) from {t}").fetchone()
                    for t in (table, "_echo"))
    con.execute("drop table _echo")
    if ours != theirs:
        raise RuntimeError("các dòng thêm vào đọc lại không khớp; chưa áp dụng gì")
    data = echo.read_bytes()
    data = lead + data[data.index(b"\n") + 1:]
    member = folder / "appended.member"
    member.write_bytes(gzip_members(data) if base.name.endswith(".gz") else data)
    echo.unlink()
    return member


GZIP_PIECE = 8 << 20  # bytes of text per gzip member: compressed side by side, one per core


def gzip_members(data: bytes) -> bytes:
    """``data`` (lines of text) gzip-compressed as members of about ``GZIP_PIECE`` bytes each, cut at line
    ends and compressed in parallel (zlib releases the GIL): read through, they are ``data``.

    >>> text = b"".join(b"%d,x\\n" % i for i in range(3_000_000))
    >>> packed = gzip_members(text)
    >>> gzip.decompress(packed) == text and packed.count(b"\\x1f\\x8b\\x08") > 1
    True
    """
    pieces, start = [], 0
    while start < len(data):
        end = data.find(b"\n", start + GZIP_PIECE)
        end = len(data) if end < 0 else end + 1
        pieces.append(data[start:end])
        start = end
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        return b"".join(pool.map(lambda piece: gzip.compress(piece, compresslevel=6, mtime=0), pieces))


def append_export(base: Path, member: Path, export: Path) -> None:
    """The merged export: the stored export's bytes, then the member's (its hash taken on from the stored one's)."""
    shutil.copyfile(base, export)
    with open(export, "ab") as out, open(member, "rb") as fh:
        shutil.copyfileobj(fh, out, 1 << 20)
    db.note_appended_hash(base, member, export)
