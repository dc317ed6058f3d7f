"""The one path from a named ``.sql`` file to a DataFrame.

Every page and the CLI call ``run("<folder>/<name>", **params)``. The files under
``queries/`` (except ``build/``, which makes the database) are loaded once; each
file's ``$names`` are read and compared with what the caller passes, so a typo
fails at once with the file's name in the message. Values are bound, never
formatted into SQL text.

>>> sorted(QUERIES["kpi/dossiers"].params)
['by_unit', 'end', 'start', 'units']
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from communes import db, settings

QUERY_DIR = settings.ROOT / "queries"
_PARAM = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@dataclass(frozen=True)
class Query:
    name: str
    path: Path
    sql: str
    params: frozenset[str]


class QueryError(RuntimeError):
    pass


def _load_all() -> dict[str, Query]:
    out = {}
    for path in sorted(QUERY_DIR.rglob("*.sql")):
        rel = path.relative_to(QUERY_DIR).with_suffix("").as_posix()
        if rel.startswith("build/"):
            continue
        sql = path.read_text(encoding="utf-8")
        out[rel] = Query(rel, path, sql, frozenset(_PARAM.findall(_COMMENT.sub("", sql))))
    return out


QUERIES = _load_all()

_lock = threading.Lock()
_connections: dict[str, duckdb.DuckDBPyConnection] = {}


def connection(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A shared read-only connection to a database version (the current one by default)."""
    path = Path(path or db.current_path() or db.build().path)
    key = str(path)
    with _lock:
        if key not in _connections:
            _connections[key] = duckdb.connect(key, read_only=True)
        return _connections[key]


def command_connection(db_file: str | None = None, data_dir: str | None = None) -> duckdb.DuckDBPyConnection:
    """The database a command reads: the file given (``--db``), else the version built from the exports of
    ``data_dir`` (``--data``; the data folder by default). Raises ``ExportError`` when they are refused."""
    if db_file:
        return connection(Path(db_file))
    return connection(db.build(Path(data_dir) if data_dir else None).path)


def run(name: str, con: duckdb.DuckDBPyConnection | None = None, **params) -> pd.DataFrame:
    """Run the named query with ``params`` on a cursor of ``con``; return a DataFrame."""
    q = QUERIES.get(name)
    if q is None:
        raise QueryError(f"Không có truy vấn «{name}» trong {QUERY_DIR}")
    given = set(params)
    if given != q.params:
        raise QueryError(f"{q.path.name}: tham số cần {sorted(q.params)}, nhận {sorted(given)}")
    cur = (con or connection()).cursor()
    try:
        return cur.execute(q.sql, params).df()
    except duckdb.Error as exc:
        raise QueryError(f"Truy vấn «{name}» lỗi với tham số {params}: {exc}") from exc
    finally:
        cur.close()
