"""The DuckDB database: built from the exports, versioned, swapped in atomically.

A build validates every export, writes a new database file beside the current
one and only then points ``CURRENT`` at it (``os.replace``), so a running app keeps
serving the old version until the new one is complete, and a failed build changes
nothing. The fingerprint of the exports (and of the SQL that builds on them) names
the version and is part of every cache key.

>>> fingerprint_files({}) == fingerprint_files({})
True
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from communes import groups, refdata, settings
from communes.contract import DATASETS
from communes.readers import ExportError, Problem, read_into

SCHEMA_VERSION = "1"
BUILD_SQL = settings.ROOT / "queries" / "build"
SUFFIXES = (".csv", ".csv.gz", ".tsv", ".txt")
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


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


_HASHES: dict[tuple, str] = {}


def file_hash(path: Path) -> str:
    """sha256 of a file, memoised on (path, size, mtime) so reruns do not rehash."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _HASHES:
        _HASHES[key] = sha256(path)
    return _HASHES[key]


def fingerprint_files(files: dict[str, Path], province: str = "") -> str:
    h = hashlib.sha256(f"{SCHEMA_VERSION}|{province}".encode())
    for name in sorted(files):
        h.update(f"{name}:{file_hash(files[name])}".encode())
    for sql in sorted(BUILD_SQL.glob("*.sql")):
        h.update(sql.read_bytes())
    gfile = settings.path("groups_file")
    if gfile.exists():
        h.update(gfile.read_bytes())
    return h.hexdigest()[:16]


def fingerprint(data_dir: Path | None = None) -> str:
    data_dir = Path(data_dir or settings.path("data_dir"))
    return fingerprint_files(find_exports(data_dir), settings.get("province"))


def is_sample(data_dir: Path, files: dict[str, Path]) -> bool:
    """True when any loaded file is byte-identical to the bundled sample's manifest."""
    manifest = Path(data_dir) / "sample.json"
    if not manifest.exists():
        return False
    known = set(json.loads(manifest.read_text(encoding="utf-8")).get("files", {}).values())
    return any(file_hash(p) in known for p in files.values())


# --- versions ------------------------------------------------------------------------------------

def db_dir() -> Path:
    return settings.path("db_dir")


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


def rollback(n: int, directory: Path | None = None) -> Path:
    """Point CURRENT at version number ``n`` of ``versions()`` (0 = newest)."""
    directory = Path(directory or db_dir())
    vs = versions(directory)
    if not 0 <= n < len(vs):
        raise ValueError(f"Không có phiên bản số {n}; có {len(vs)} phiên bản")
    _point_to(directory, vs[n]["file"])
    return directory / vs[n]["file"]


def _prune(directory: Path, keep: int) -> None:
    cur = current_path(directory)
    for p in sorted(directory.glob("communes-*.duckdb"), reverse=True)[keep:]:
        if cur is None or p.name != cur.name:
            p.unlink(missing_ok=True)


def read_meta(path: Path) -> dict:
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            return dict(con.execute("select key, value from meta").fetchall())
    except duckdb.Error:
        return {}


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


def build(data_dir: Path | None = None, directory: Path | None = None, force: bool = False) -> BuildResult:
    """Validate the exports and build a new database version; raise ExportError if invalid."""
    t0 = time.perf_counter()
    data_dir = Path(data_dir or settings.path("data_dir"))
    directory = Path(directory or db_dir())
    directory.mkdir(parents=True, exist_ok=True)
    files = find_exports(data_dir)
    province = settings.get("province")
    fp = fingerprint_files(files, province)
    cur = current_path(directory)
    if cur is not None and not force and read_meta(cur).get("fingerprint") == fp:
        return BuildResult(cur, fp, False, seconds=time.perf_counter() - t0)
    if not files:
        raise ExportError([Problem(str(data_dir), None, None, None,
                                   "không có tệp dữ liệu nào (cần dossiers.csv, tourism.csv, … hoặc .csv.gz)")])

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    final = directory / f"communes-{stamp}-{fp}.duckdb"
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=".build-", suffix=".duckdb")
    os.close(fd)
    os.unlink(tmp_name)
    tmp = Path(tmp_name)
    try:
        with duckdb.connect(str(tmp)) as con:
            reports = _load(con, data_dir, files, fp, province)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    _point_to(directory, final.name)
    _prune(directory, int(settings.get("keep_versions")))
    return BuildResult(final, fp, True, reports, time.perf_counter() - t0)


def _load(con, data_dir: Path, files: dict[str, Path], fp: str, province: str) -> list:
    ref = refdata.load(province)
    reports = [read_into(con, path, name, ref) for name, path in files.items()]
    errors = [p for r in reports for p in r.problems if p.severity == "error"]
    if errors:
        raise ExportError([p for r in reports for p in r.problems])
    for name in DATASETS:
        if name not in files:
            _empty_staging(con, name)
        con.execute(f"alter table stg_{name} rename to {name}")
    _reference_tables(con, ref)
    for sql in sorted(BUILD_SQL.glob("*.sql")):
        con.execute(sql.read_text(encoding="utf-8"))
    loaded = []
    for r in reports:
        path = files[r.dataset]
        loaded.append({"dataset": r.dataset, "file": path.name, "sha256": file_hash(path), "rows": r.rows,
                       "warnings": len(r.warnings)})
    meta = {
        "fingerprint": fp, "province": ref.province, "schema": SCHEMA_VERSION,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "sample": json.dumps(is_sample(data_dir, files)), "files": json.dumps(loaded, ensure_ascii=False),
        "data_dir": str(data_dir),
    }
    con.execute("create table meta (key varchar, value varchar)")
    con.executemany("insert into meta values (?, ?)", list(meta.items()))
    warn_rows = [(r.dataset, p.file, p.line, p.column, p.value, p.expected) for r in reports for p in r.warnings]
    con.execute("create table load_warnings (dataset varchar, file varchar, line bigint, col varchar, "
                "value varchar, message varchar)")
    if warn_rows:
        con.executemany("insert into load_warnings values (?, ?, ?, ?, ?, ?)", warn_rows)
    con.execute("checkpoint")
    return reports


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

