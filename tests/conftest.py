"""Fixture factory: small, fixed export folders written to a temporary directory."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from communes import db, queries

DOSSIER_HEADER = ["dossier_id", "unit", "field", "channel", "received_at", "due_at", "completed_at", "digitized", "rating"]

# Phong Quảng (19873) in July 2025, with pre-merger dossiers under its former communes' names.
# Expected values for these rows are worked out by hand in test_indicators.py.
DOSSIERS = [
    ["D1", "Xã Quảng Công", "Hộ tịch", "1", "2025-06-20", "2025-07-02", "2025-07-01 10:00", "1", ""],
    ["D2", "Phường Phong Hải", "Đất đai", "1", "2025-06-25", "2025-06-30", "", "0", ""],
    ["D3", "Xã Quảng Ngạn", "Hộ tịch", "2", "2025-06-10", "2025-06-20", "2025-06-15", "1", ""],
    ["D4", "P. Phong Quảng", "Chứng thực", "1", "2025-07-03 08:00", "2025-07-03 16:00", "2025-07-03 17:10", "0", ""],
    ["D5", "Phong Quảng", "Hộ tịch", "2", "2025-07-03 09:00", "2025-07-03", "2025-07-03 15:30", "1", "Hài lòng"],
    ["D6", "Phường Phong Quảng", "Hộ tịch", "2", "2025-07-10", "2025-07-20", "2025-07-15", "1", "Không hài lòng"],
    ["D7", "Phường Phong Quảng", "Đất đai", "3", "2025-07-20", "2025-08-05", "", "0", ""],
    ["D8", "Phường Phong Quảng", "Đất đai", "2", "2025-07-25", "2025-07-31", "2025-08-02", "1", ""],
    ["D9", "Phường Phong Quảng", "Đất đai", "2", "2025-07-28", "2025-07-31 10:00", "", "0", ""],
    ["D10", "Phường Phong Quảng", "Hộ tịch", "2", "2025-08-05", "2025-08-07", "2025-08-05", "1", "Hài lòng"],
    ["D11", "Xã Đan Điền", "Hộ tịch", "2", "2025-07-05", "2025-07-10 16:00", "2025-07-10", "1", "Bình thường"],
]


def write_csv(path: Path, header: list[str], rows: list[list], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def make_exports(tmp_path):
    """Build an export folder: ``make_exports(dossiers=rows, tourism=(header, rows), …)``."""
    def factory(folder: str = "data", dossiers: list[list] | None = DOSSIERS, **others) -> Path:
        d = tmp_path / folder
        d.mkdir(exist_ok=True)
        if dossiers is not None:
            write_csv(d / "dossiers.csv", DOSSIER_HEADER, dossiers)
        for name, (header, rows) in others.items():
            write_csv(d / f"{name}.csv", header, rows)
        return d
    return factory


@pytest.fixture
def build_db(tmp_path):
    """Build a database version from an export folder; returns a read-only connection."""
    def factory(data_dir: Path):
        res = db.build(data_dir, tmp_path / "db")
        return queries.connection(res.path)
    return factory


@pytest.fixture
def use_exports(tmp_path, monkeypatch):
    """Point the app at an export folder, with a fresh database folder; Streamlit's caches cleared around the test.

    ``app_env`` fixtures call it: ``return use_exports(make_exports(...))``.
    """
    import streamlit as st

    def use(data: Path) -> Path:
        monkeypatch.setenv("COMMUNES_DATA_DIR", str(data))
        monkeypatch.setenv("COMMUNES_DB_DIR", str(tmp_path / "db"))
        return data

    st.cache_data.clear()
    st.cache_resource.clear()
    yield use
    st.cache_data.clear()
    st.cache_resource.clear()


# --- the browser tests (tests/test_browser*.py): one server for the session, Chromium per module ------

@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The dashboard (``python -m communes serve``) on the bundled sample, with a database of its own; the base URL."""
    from browser_helpers import streamlit_server

    try:
        with streamlit_server(tmp_path_factory.mktemp("browser-server")) as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (headless)."""
    from browser_helpers import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
