"""The DuckDB database: built from the exports, versioned, swapped in atomically.

A build validates every export, writes a new database file beside the current
one and only then points ``CURRENT`` at it (``os.replace``), so a running app keeps
serving the old version until the new one is complete, and a failed build changes
nothing. The fingerprint of the exports (and of the SQL that builds on them) names
the version and is part of every cache key.

A version is self-contained: besides the tables it keeps the exact bytes of the exports
it was built from, in read-only files beside it (``communes.sources``: listed in its table
``source_files``), so a rollback restores the data folder to what that version shows, and the
folder keeps following ``CURRENT`` (no separate store to keep in step, and pruning a version drops
its exports with it). Builds, rollbacks and steward
uploads take one lock on the database folder, so they never interleave.

>>> fingerprint_files({}) == fingerprint_files({})
True
"""
from __future__ import annotations

import contextvars
import fcntl
import functools
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from communes import groups, refdata, settings, sources
from communes.contract import DATASETS
from communes.readers import ExportError, Problem, insert_rows, read_into

SCHEMA_VERSION = "2"  # 2: the exports kept in files beside the version, not in it
BUILD_SQL = settings.ROOT / "queries" / "build"
MANIFEST = "sample.json"  # in the data folder: the bundled sample's checksums (see is_sample)
SUFFIXES = (".csv", ".csv.gz", ".tsv", ".txt")
MEMORY_LIMIT = "1GB"  # DuckDB's buffer for a build: larger exports spill to a temporary folder
WARNING_TYPES = ("varchar", "varchar", "bigint", "varchar", "varchar", "varchar")  # columns of load_warnings
_SQL_TYPES = {"text": "varchar", "int": "bigint", "number": "double", "date": "date", "datetime": "timestamp",
              "month": "date", "bool": "boolean"}


def find_exports(data_dir: Path) -> dict[str, Path]:
    """The export file of each dataset present in ``data_dir`` (``dossiers.csv.gz`` …)."""
    found = {}
    for name in DATASETS:
        for suffix in SUFFIXES:
            p = Path(data_dir) / f"{name}{suffix}"
            if p.exists():
                found[name] = p
                break
    return found


def _fed(h, path: Path):
    """``h`` (a hashlib object) updated with the bytes of ``path``, read a megabyte at a time."""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h


def sha256(path: Path) -> str:
    return _fed(hashlib.sha256(), path).hexdigest()


_HASHES: dict[tuple, str] = {}
_STATES: dict[tuple, object] = {}  # the hash object at the end of each file hashed here, to extend


def _key(path: Path) -> tuple:
    st = Path(path).stat()
    return str(path), st.st_size, st.st_mtime_ns


def file_hash(path: Path) -> str:
    """sha256 of a file, memoised on (path, size, mtime) so reruns do not rehash."""
    key = _key(path)
    if key not in _HASHES:
        h = _STATES[key] = _fed(hashlib.sha256(), path)
        _HASHES[key] = h.hexdigest()
    return _HASHES[key]


def note_appended_hash(base: Path, tail: Path, whole: Path) -> str:
    """The sha256 of ``whole``, which holds ``base``'s bytes then ``tail``'s, noted for ``file_hash``: taken on
    from ``base``'s hash (sha256 reads its input in order), so ``base``'s bytes are not read again (at 100×
    the stored dossier export is 750 MB: about half a second of an upload).

    >>> import tempfile; d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a").write_bytes(b"x" * 5), (d / "b").write_bytes(b"yz"), (d / "ab").write_bytes(b"xxxxxyz")
    >>> note_appended_hash(d / "a", d / "b", d / "ab") == sha256(d / "ab") == file_hash(d / "ab")
    True
    """
    key, start = _key(whole), _key(base)
    if key[1] != start[1] + _key(tail)[1]:
        raise ValueError(f"{whole} is not {base} followed by {tail}")
    file_hash(base)
    h = _STATES[key] = _fed(_STATES[start].copy(), tail)
    _HASHES[key] = h.hexdigest()
    return _HASHES[key]


def fingerprint_files(files: dict[str, Path], province: str = "", manifest: Path | None = None) -> str:
    """The version's name: the exports (names and contents), the province, the build SQL, the peer groups
    and the sample's manifest (``manifest``, when it exists: it decides whether the data says "sample")."""
    h = hashlib.sha256(f"{code_hash()}|{province}".encode())  # the schema and the build SQL
    for name in sorted(files):  # the file's name too: "x.csv.gz" is read as gzip, "x.csv" is not
        h.update(f"{name}:{Path(files[name]).name}:{file_hash(files[name])}".encode())
    if manifest is not None and Path(manifest).exists():
        h.update(b"sample.json:" + Path(manifest).read_bytes())
    gfile = settings.path("groups_file")
    if gfile.exists():
        h.update(gfile.read_bytes())
    return h.hexdigest()[:16]


@functools.cache
def code_hash() -> str:
    """What a version's tables depend on in the code: the schema version and the build SQL. A version built
    by other code (before an upgrade) may lack a table or column the queries read, so it is never served.

    >>> len(code_hash()) == 16 and code_hash() == code_hash()
    True
    """
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for sql in sorted(BUILD_SQL.glob("*.sql")):
        h.update(sql.name.encode() + b"\0" + sql.read_bytes())
    return h.hexdigest()[:16]


def validation_rules() -> str:
    """The settings a stored row was validated by (besides the code): an upload built on a version
    validated by other ones is built in full."""
    return json.dumps({"date_min": settings.get("date_min"), "due_max_months": str(settings.get("due_max_months")),
                       "dates_until": str(settings.get("dates_until")).strip()}, sort_keys=True)


def servable(path: Path | str | None) -> bool:
    """True when ``path`` is a version this code can serve (built by the same build SQL)."""
    return path is not None and built_here(read_meta(Path(path)))


def built_here(meta: dict) -> bool:
    """True when a version's metadata says this code built it (its tables are the ones the queries read)."""
    return meta.get("code") == code_hash()


def fingerprint(data_dir: Path | None = None) -> str:
    data_dir = Path(data_dir or settings.path("data_dir"))
    return fingerprint_files(find_exports(data_dir), settings.get("province"), data_dir / MANIFEST)


def is_sample(data_dir: Path, files: dict[str, Path]) -> bool:
    """True when any loaded file is byte-identical to the bundled sample's manifest."""
    manifest = Path(data_dir) / MANIFEST
    if not manifest.exists():
        return False
    known = set(json.loads(manifest.read_text(encoding="utf-8")).get("files", {}).values())
    return any(file_hash(p) in known for p in files.values())


# --- versions ------------------------------------------------------------------------------------

def db_dir() -> Path:
    return settings.path("db_dir")


_held = threading.local()


@contextmanager
def locked(directory: Path | None = None):
    """Hold the database folder's lock (re-entrant within a thread; other threads and processes wait).

    The lock is ``flock`` on the folder itself, so it leaves no file behind.
    """
    directory = Path(directory or db_dir())
    directory.mkdir(parents=True, exist_ok=True)
    key = str(directory.resolve())
    held = getattr(_held, "dirs", None)
    if held is None:
        held = _held.dirs = {}
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        held[key] = 1
        try:
            yield
        finally:
            held[key] = 0
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


SPILL_PREFIX = "communes-spill-"
_SPILL_OWNER = "owner"  # written once the folder's lock is held: a folder without it is still being set up
_UNOWNED_SPILL_DAYS = 1  # a spill folder without an owner file (older code) is removed only when this old


@contextmanager
def spill_folder():
    """A temporary folder for DuckDB to spill into, removed when done.

    The folder is locked (``flock`` on it) while in use, so ``clean_leftovers`` can tell the folder of
    a live build (locked) from the one a killed build left (the kernel released its lock).
    """
    path = Path(tempfile.mkdtemp(prefix=SPILL_PREFIX))
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        (path / _SPILL_OWNER).write_text(str(os.getpid()), encoding="utf-8")
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        os.close(fd)


def clean_leftovers(directory: Path | None = None, data_dir: Path | None = None) -> list[Path]:
    """Remove what a killed build, rollback or upload left behind; the removed paths.

    Call it holding the database folder's lock (``build`` does): the build file (``.build-*``), the
    pointer being written (``.CURRENT.*``), the exports being swapped in (``.<file>.restore-*``,
    ``.<file>.upload-*``) and a version's exports moved in without it (``communes-*.sources``) are only
    ever written under that lock, so whatever exists then belongs to a process that died. A spill
    folder in the temporary folder is removed only when its own lock is free, never while a live build
    (of any process) spills into it.
    """
    directory = Path(directory or db_dir())
    removed = []
    candidates = [*directory.glob(".build-*"), *directory.glob(".CURRENT.*"),
                  *(p for p in directory.glob("communes-*.sources") if not p.with_suffix(".duckdb").exists())]
    if data_dir is not None and Path(data_dir).is_dir():
        candidates += [*Path(data_dir).glob(".*.restore-*"), *Path(data_dir).glob(".*.upload-*")]
    for p in candidates:
        try:
            shutil.rmtree(p) if p.is_dir() else p.unlink()
            removed.append(p)
        except FileNotFoundError:
            pass
    for d in Path(tempfile.gettempdir()).glob(SPILL_PREFIX + "*"):
        if _remove_dead_spill(d):
            removed.append(d)
    return removed


def _remove_dead_spill(d: Path) -> bool:
    try:
        if not d.is_dir() or d.is_symlink():
            return False
        if not (d / _SPILL_OWNER).exists() and time.time() - d.stat().st_mtime < _UNOWNED_SPILL_DAYS * 86400:
            return False  # being set up right now, or an older build's (no lock to ask): left alone
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a live build holds it
        shutil.rmtree(d, ignore_errors=True)
        return not d.exists()
    finally:
        os.close(fd)


def current_path(directory: Path | None = None) -> Path | None:
    pointer = Path(directory or db_dir()) / "CURRENT"
    if not pointer.exists():
        return None
    p = pointer.parent / pointer.read_text(encoding="utf-8").strip()
    return p if p.exists() else None


def _point_to(directory: Path, name: str) -> None:
    tmp = directory / f".CURRENT.{os.getpid()}.{threading.get_ident()}"
    tmp.write_text(name, encoding="utf-8")
    os.replace(tmp, directory / "CURRENT")


def versions(directory: Path | None = None) -> list[dict]:
    """Database versions, newest first, with their metadata."""
    directory = Path(directory or db_dir())
    cur = current_path(directory)
    out = []
    for p in sorted(directory.glob("communes-*.duckdb"), reverse=True):
        meta = read_meta(p)
        meta.update(file=p.name, current=(cur is not None and p.name == cur.name))
        out.append(meta)
    return out


def rollback(n: int, directory: Path | None = None, data_dir: Path | None = None) -> Path:
    """Make version number ``n`` of ``versions()`` (0 = newest) current, data folder included.

    The exports stored in that version are written back into ``data_dir`` (each to a temporary
    name, then renamed over the old one; exports the version did not have are removed), and only
    then ``CURRENT`` is pointed at it, all under the folder's lock: the app's automatic rebuild
    waits, then finds the folder matching ``CURRENT`` and builds nothing.
    """
    directory = Path(directory or db_dir())
    data_dir = Path(data_dir or settings.path("data_dir"))
    with locked(directory):
        vs = versions(directory)
        if not 0 <= n < len(vs):
            raise ValueError(f"Không có phiên bản số {n}; có {len(vs)} phiên bản")
        target = directory / vs[n]["file"]
        restore_exports(target, data_dir)
        _point_to(directory, target.name)
    return target


def stored_exports(path: Path) -> list[dict]:
    """The exports a version stores: [{dataset, file, sha256, bytes}] (empty for versions built before)."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            rows = sources.listed(con)
    except duckdb.Error:
        return []
    return [{"dataset": d, "file": f, "sha256": h, "bytes": n} for d, f, h, n in rows]


def restore_exports(path: Path, data_dir: Path) -> None:
    """Write the exports stored in version ``path`` into ``data_dir`` (only those that differ)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    stored = stored_exports(path)
    if not stored:
        if fingerprint(data_dir) == read_meta(path).get("fingerprint"):
            return  # the folder already holds exactly this version's exports
        raise ValueError(f"Phiên bản {path.name} không lưu kèm tệp dữ liệu nên không thể khôi phục thư mục dữ liệu")
    wanted = {s["file"] for s in stored}
    with duckdb.connect(str(path), read_only=True) as con:
        for s in stored:
            dest = data_dir / s["file"]
            if dest.exists() and file_hash(dest) == s["sha256"]:
                continue
            tmp = data_dir / f".{s['file']}.restore-{os.getpid()}-{threading.get_ident()}"
            h = hashlib.sha256()
            try:
                with open(tmp, "wb") as out:
                    for chunk in sources.chunks(con, path, s["dataset"]):
                        out.write(chunk)
                        h.update(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                if h.hexdigest() != s["sha256"]:  # also a part file missing or of another size
                    raise ValueError(f"{s['file']}: tệp lưu trong phiên bản {path.name} bị hỏng (sai mã kiểm tra)")
                os.replace(tmp, dest)
            except OSError as exc:
                raise ValueError(f"{s['file']}: tệp lưu trong phiên bản {path.name} không đọc được ({exc})") from exc
            finally:
                tmp.unlink(missing_ok=True)
    for name in DATASETS:  # exports the version did not have, or had under another suffix
        for suffix in SUFFIXES:
            p = data_dir / f"{name}{suffix}"
            if p.exists() and p.name not in wanted:
                p.unlink()


def _prune(directory: Path, keep: int) -> None:
    cur = current_path(directory)
    for p in sorted(directory.glob("communes-*.duckdb"), reverse=True)[keep:]:
        if cur is None or p.name != cur.name:
            sources.remove(p)


def read_meta(path: Path) -> dict:
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            return read_meta_con(con)
    except duckdb.Error:
        return {}


def read_meta_con(con) -> dict:
    return dict(con.execute("select key, value from meta").fetchall())


def version_name(fp: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"communes-{stamp}-{fp}.duckdb"


def promote(candidate: Path, directory: Path | None = None, point: bool = True) -> Path:
    """Move a complete database file built by ``build_into`` into the versions (same file system)."""
    directory = Path(directory or db_dir())
    with locked(directory):
        final = directory / version_name(read_meta(candidate)["fingerprint"])
        sources.move(candidate, final)
        if point:
            _point_to(directory, final.name)
            _prune(directory, int(settings.get("keep_versions")))
    return final


# --- build ---------------------------------------------------------------------------------------

@dataclass
class BuildResult:
    path: Path
    fingerprint: str
    built: bool  # False when the current version already matched
    reports: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def warnings(self) -> list[Problem]:
        return [p for r in self.reports for p in r.warnings]


def _empty_staging(con, name: str) -> None:
    cols = []
    for c in DATASETS[name].columns:
        if c.kind == "unit":
            cols += ["unit_code varchar", "former_code varchar", "unit_label varchar"]
        else:
            cols.append(f"{c.name} {_SQL_TYPES.get(c.kind, 'varchar')}")
    cols.append("source_row bigint")
    con.execute(f"create or replace table stg_{name} ({', '.join(cols)})")


def validate(data_dir: Path, con: duckdb.DuckDBPyConnection | None = None) -> list:
    """Read every export of ``data_dir`` into ``con`` (in memory if none); the reports."""
    ref = refdata.load(settings.get("province"))
    con = con or duckdb.connect()
    return [read_into(con, path, name, ref) for name, path in find_exports(data_dir).items()]


_PROGRESS: contextvars.ContextVar = contextvars.ContextVar("build_progress", default=None)


@contextmanager
def reporting(progress):
    """Builds started within report their progress to ``progress(phase, rows, seconds)`` (communes.progress)."""
    token = _PROGRESS.set(progress)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def _report(phase: str, rows: int, t0: float) -> None:
    if (progress := _PROGRESS.get()) is not None:
        progress(phase, rows, time.perf_counter() - t0)


def build(data_dir: Path | None = None, directory: Path | None = None, force: bool = False) -> BuildResult:
    """Validate the exports and build a new database version; raise ExportError if invalid."""
    t0 = time.perf_counter()
    data_dir = Path(data_dir or settings.path("data_dir"))
    directory = Path(directory or db_dir())
    with locked(directory):  # a build waits for a steward's apply or rollback, then sees its result
        clean_leftovers(directory, data_dir)
        files = find_exports(data_dir)
        province = settings.get("province")
        fp = fingerprint_files(files, province, data_dir / MANIFEST)
        cur = current_path(directory)
        if cur is not None and not force and read_meta(cur).get("fingerprint") == fp:
            return BuildResult(cur, fp, False, seconds=time.perf_counter() - t0)
        if not files:
            raise ExportError([Problem(str(data_dir), None, None, None,
                                       "không có tệp dữ liệu nào (cần dossiers.csv, tourism.csv, … hoặc .csv.gz)")])
        final = directory / version_name(fp)
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=".build-", suffix=".duckdb")
        os.close(fd)
        os.unlink(tmp_name)
        tmp = Path(tmp_name)
        try:
            reports = build_into(tmp, files, data_dir, previous=cur)
            sources.move(tmp, final)
        finally:
            sources.remove(tmp)
        _point_to(directory, final.name)
        _prune(directory, int(settings.get("keep_versions")))
    return BuildResult(final, fp, True, reports, time.perf_counter() - t0)


def build_into(target: Path, files: dict[str, Path], data_dir: Path, names: dict[str, str] | None = None,
               previous: Path | None = None, origins: dict[str, str] | None = None) -> list:
    """Write a complete database for ``files`` at ``target`` (not a version yet; see ``promote``).

    ``names`` gives the file name each export has in the data folder when a file is read from
    elsewhere (a steward's merged export); ``origins`` forces a dataset's origin ("sample",
    "official" or "mixed"), otherwise it is inherited from ``previous`` for unchanged files.
    """
    names = {k: names.get(k, p.name) for k, p in files.items()} if names else {k: p.name for k, p in files.items()}
    fp = fingerprint_files(files, settings.get("province"), Path(data_dir) / MANIFEST)
    with spill_folder() as spill, duckdb.connect(str(target)) as con:
        con.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
        con.execute("set enable_progress_bar = false")  # progress is reported by communes.progress
        con.execute("set temp_directory = ?", [str(spill)])  # removed with the folder once the connection closes
        return _load(con, target, data_dir, files, names, fp, settings.get("province"), previous, origins or {})


def _origins(data_dir: Path, files: dict[str, Path], names: dict[str, str], previous: Path | dict | None,
             forced: dict[str, str]) -> dict[str, tuple[str, str]]:
    """(origin, updated_at) of each export: sample when byte-identical to the bundled sample's
    manifest, carried over from the previous version (its path, or its metadata) when unchanged, else
    official and now."""
    manifest = Path(data_dir) / MANIFEST
    known = set()
    if manifest.exists():
        known = set(json.loads(manifest.read_text(encoding="utf-8")).get("files", {}).values())
    before = {}
    if previous is not None:
        meta = previous if isinstance(previous, dict) else read_meta(previous)
        for f in json.loads(meta.get("files") or "[]"):
            before[(f.get("dataset"), f.get("sha256"))] = (f.get("origin"), f.get("updated_at"))
    now = datetime.now(UTC).isoformat(timespec="seconds")
    out = {}
    for name, path in files.items():
        sha = file_hash(path)
        origin, updated = before.get((name, sha), (None, None))
        if name in forced:
            origin = forced[name]
        elif sha in known:
            origin = "sample"
        out[name] = (origin or "official", updated or now)
    return out


def _store_sources(con, target: Path, files: dict[str, Path], names: dict[str, str]) -> None:
    """Keep each export's bytes beside the version being built at ``target`` (``communes.sources``)."""
    shutil.rmtree(sources.folder(target), ignore_errors=True)
    sources.folder(target).mkdir()
    con.execute(f"create table source_files ({sources.COLUMNS})")
    rows = []
    for name, path in files.items():
        expected = file_hash(path)
        sha, size = sources.write_part(path, sources.part_path(target, name, 0))
        if sha != expected:
            raise ExportError([Problem(names[name], None, None, None,
                                       "tệp đã thay đổi trong lúc nạp; hãy nạp lại")])
        rows.append((name, names[name], expected, 0, size))
    insert_rows(con, "source_files", rows, sources.TYPES)
    sources.sync(target)


def _load(con, target: Path, data_dir: Path, files: dict[str, Path], names: dict[str, str], fp: str, province: str,
          previous: Path | None, forced: dict[str, str]) -> list:
    ref = refdata.load(province)
    t0 = time.perf_counter()
    _report("reading", 0, t0)
    reports = _read_exports(con, files, names, ref, t0)
    errors = [p for r in reports for p in r.problems if p.severity == "error"]
    if errors:
        raise ExportError([p for r in reports for p in r.problems])
    for name in DATASETS:
        if name not in files:
            _empty_staging(con, name)
        con.execute(f"alter table stg_{name} rename to {name}")
    # one transaction for the rest (the reader numbers rows by rowid, so it reads outside one): one commit
    con.execute("begin")
    _reference_tables(con, ref)
    _report("building", sum(r.rows for r in reports), t0)
    for sql in sorted(BUILD_SQL.glob("*.sql")):
        con.execute(sql.read_text(encoding="utf-8"))
    _store_sources(con, target, files, names)
    origins = _origins(data_dir, files, names, previous, forced)
    loaded = []
    for r in reports:
        path = files[r.dataset]
        origin, updated = origins[r.dataset]
        loaded.append({"dataset": r.dataset, "file": names[r.dataset], "sha256": file_hash(path), "rows": r.rows,
                       "warnings": len(r.warnings), "bytes": path.stat().st_size, "origin": origin,
                       "updated_at": updated})
    meta = {
        "fingerprint": fp, "province": ref.province, "schema": SCHEMA_VERSION, "code": code_hash(),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sample": json.dumps(any(o in ("sample", "mixed") for o, _ in origins.values())),
        "files": json.dumps(loaded, ensure_ascii=False),
        "data_dir": str(data_dir),
        "rules": validation_rules(),
        "build": "full",
    }
    con.execute("create table meta (key varchar, value varchar)")
    insert_rows(con, "meta", list(meta.items()), ("varchar", "varchar"))
    warn_rows = [(r.dataset, p.file, p.line, p.column, p.value, p.expected) for r in reports for p in r.warnings]
    con.execute("create table load_warnings (dataset varchar, file varchar, line bigint, col varchar, "
                "value varchar, message varchar)")
    if warn_rows:
        insert_rows(con, "load_warnings", warn_rows, WARNING_TYPES)
    con.execute("commit")
    con.execute("checkpoint")
    _report("done", sum(r.rows for r in reports), t0)
    return reports


def _read_exports(con, files: dict[str, Path], names: dict[str, str], ref, t0: float) -> list:
    """The reader's report of every export, in the order of ``files``. The largest export is read on
    ``con`` and the others meanwhile on a second connection to the same database: a gzip export is
    parsed on one thread, so the other core reads the small exports in the meantime."""
    if not files:
        return []
    largest = max(files, key=lambda n: files[n].stat().st_size)
    others = [n for n in files if n != largest]
    done: dict = {}
    with con.cursor() as side, ThreadPoolExecutor(1) as pool:  # a cursor: its own temporary tables
        small = pool.submit(lambda: {n: read_into(side, files[n], n, ref, display=names[n]) for n in others})
        try:
            done[largest] = read_into(con, files[largest], largest, ref, display=names[largest])
        finally:
            done.update(small.result())
    _report("checking", sum(r.rows for r in done.values()), t0)
    return [done[n] for n in files]


def _reference_tables(con, ref) -> None:
    units = ref.units.copy()
    g = groups.load(ref)
    units["group_id"] = units.unit_code.map(g.unit_group)
    con.register("units_df", units)
    con.register("former_df", ref.former)
    con.register("groups_df", g.table())
    con.execute("""create table ref_units as
        select u.*, p.population, p.population / nullif(u.area_km2, 0) as density
        from units_df u left join (select unit_code, max(population) as population from units group by all) p
        using (unit_code) order by u.unit_code""")
    con.execute("create table ref_former as select * from former_df order by former_code")
    con.execute("create table ref_groups as select * from groups_df")
    for name in ("units_df", "former_df", "groups_df"):
        con.unregister(name)

