"""The data version every door of the server serves, and the pages' cached queries on it.

The version is built (or rebuilt when the exports change, in a background thread while the previous one
is served) once per server process; ``runner(path)`` runs named queries on one version through
``st.cache_data``, keyed by the version's path, so the pages (``communes.ui.data``), the API and the phone
pages share one cache and the same numbers. Works outside a script run (the server's own routes).
"""
from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from communes import db, queries
from communes.frame import DataVersion
from communes.readers import ExportError


@st.cache_resource(max_entries=4)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(path, read_only=True)


def _build(fingerprint: str) -> tuple[str | None, list[str]]:
    """Build the database for the current exports; on error keep the current version and say why."""
    try:
        return str(db.build().path), []
    except ExportError as exc:
        cur = _servable_current()
        return (str(cur) if cur else None), [str(p) for p in exc.problems if p.severity == "error"]
    except Exception as exc:  # noqa: BLE001 — a failed build must never take the served version down
        cur = _servable_current()
        return (str(cur) if cur else None), [f"Lỗi khi xây cơ sở dữ liệu: {type(exc).__name__}: {exc}"]


def _servable_current() -> Path | None:
    """The current version, unless it was built by other code (an upgrade): its tables may not be the
    ones the queries read, so it is treated as no version at all and the first run builds and waits."""
    cur = db.current_path()
    return cur if cur is not None and db.servable(cur) else None


class _Builds:
    """The builds this server ran or runs, by fingerprint of the exports (one at a time, a few kept).

    When the exports change while a version is served, the new one is built in a background thread
    and every run meanwhile keeps the version it had (saying that newer data is on its way), instead
    of every session waiting for the build. With no version yet, the first run builds and waits.
    """

    def __init__(self, keep: int = 4):
        self.lock = threading.Lock()
        self.done: dict[str, tuple[str | None, list[str]]] = {}
        self.running: dict[str, threading.Thread] = {}
        self.keep = keep

    def _finish(self, fp: str) -> None:
        result = _build(fp)
        with self.lock:
            self.done[fp] = result
            self.running.pop(fp, None)
            while len(self.done) > self.keep:
                self.done.pop(next(iter(self.done)))

    def version(self, fp: str) -> tuple[str | None, list[str], bool]:
        """(path, problems, building): the version to serve for exports with fingerprint ``fp``."""
        with self.lock:
            if fp in self.done:
                return (*self.done[fp], False)
        cur = _servable_current()
        if cur is not None and _meta(str(cur)).get("fingerprint") == fp:
            return str(cur), [], False
        if cur is None:  # nothing to show meanwhile: build now, in this run
            self._finish(fp)
            return (*self.done[fp], False)
        with self.lock:
            if fp not in self.done and fp not in self.running:
                self.running[fp] = threading.Thread(target=self._finish, args=(fp,), name=f"build-{fp[:8]}",
                                                    daemon=True)
                self.running[fp].start()
        return str(cur), [], True


@st.cache_resource
def _builds() -> _Builds:
    return _Builds()


def building() -> bool:
    """True while this process builds a newer version in the background (the older one is served)."""
    builds = _builds()
    with builds.lock:
        return bool(builds.running)


def served_version() -> tuple[DataVersion | None, list[str]]:
    """The version every door serves now (built or being built as the pages do), or None and the
    problems when there is no valid data yet. Works outside a script run (the server's own routes)."""
    path, problems, building = _builds().version(db.fingerprint())
    if path is None:
        return None, problems
    return DataVersion(path, _meta(path), tuple(problems), building), problems


@st.cache_data(max_entries=8)
def _meta(path: str) -> dict:
    return dict(_connection(path).cursor().execute("select key, value from meta").fetchall())


@st.cache_data(max_entries=512, ttl=3600, show_spinner=False)
def _run(name: str, path: str, params: tuple) -> pd.DataFrame:
    return queries.run(name, con=_connection(path), **dict(params))


def runner(path: str):
    """``run(name, **params)`` on database version ``path``, through the pages' cache (the same keys)."""
    def run(name: str, **params) -> pd.DataFrame:
        frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
        return _run(name, path, frozen).copy()
    return run
