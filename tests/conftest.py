"""What the tests share: small, fixed export folders (a factory), and the bundled sample's database built
once per run.

The sample's database takes several seconds to build, so it is built once (``sample_db``) and every test
that only reads it shares it (``sample_con``). A test that builds, rolls back or uploads into a database
takes a copy of that folder (``copy_db``): a file copy, and a build on the unchanged sample then finds the
version current and builds nothing. Outside any fixture, the app's settings point at another copy
(``COMMUNES_DB_DIR``), so no test reads or writes the developer's ``var/db``.
"""
from __future__ import annotations

import atexit
import csv
import dataclasses
import functools
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from streamlit.components.v2 import manifest_scanner

from communes import db, queries, settings, sources

SAMPLE = settings.ROOT / "data"  # the bundled sample's exports

# Every new AppTest has Streamlit scan each installed distribution for component manifests (0,3–0,4 CPU-s
# with the 140 distributions of a development machine); the installed packages do not change during a
# run, so each worker scans once.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)

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


def xlsx_bytes(rows: list[list], merge: list[str] = (), above: list[list] = ()) -> bytes:
    """A one-sheet Excel workbook: the rows ``above`` the table (a title, a blank row…), then ``rows``, with
    the ranges of ``merge`` (``"A1:E1"``) merged."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in [*above, *rows]:
        ws.append(r)
    for m in merge:
        ws.merge_cells(m)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build_and_point(monkeypatch, data: Path, dbdir: Path) -> tuple[Path, Path]:
    """The first version of ``data`` in ``dbdir`` (``first_build``), and the settings pointed at both: (data, dbdir)."""
    monkeypatch.setenv("COMMUNES_DATA_DIR", str(data))
    monkeypatch.setenv("COMMUNES_DB_DIR", str(dbdir))
    first_build(data, dbdir)
    return data, dbdir


def copy_db(source: Path, dest: Path) -> Path:
    """Copy the current version of database folder ``source`` (its file and its exports' folder) and its
    ``CURRENT`` pointer into ``dest``.

    ``CURRENT`` names the version's file relative to its folder, so the copy stands on its own: a build
    in ``dest`` sees that version as current, and whatever is done there leaves ``source`` as it was.
    """
    current = db.current_path(source)
    if current is None:
        raise FileNotFoundError(f"{source}: no current database version to copy")
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(current, dest / current.name)
    shutil.copytree(sources.folder(current), sources.folder(dest / current.name), dirs_exist_ok=True)
    shutil.copyfile(Path(source) / "CURRENT", dest / "CURRENT")
    return dest


@pytest.fixture(scope="session", autouse=True)
def app_db(tmp_path_factory):
    """The database folder the app's settings name during the tests (``COMMUNES_DB_DIR``), empty at first:
    no test reads or writes the developer's ``var/db``. ``sample_db`` leaves a copy of the sample's
    database there, so a page opened on the default settings finds it built. A test that needs a folder
    of its own sets ``COMMUNES_DB_DIR`` itself."""
    folder = tmp_path_factory.mktemp("app-db")
    old = os.environ.get("COMMUNES_DB_DIR")
    os.environ["COMMUNES_DB_DIR"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("COMMUNES_DB_DIR", None)
    else:
        os.environ["COMMUNES_DB_DIR"] = old


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, app_db) -> Path:
    """The folder of the bundled sample's database, built once for the run. Read it only; to change a
    database, work on ``copy_db(sample_db, …)``.

    With pytest-xdist the workers share one folder: the first builds under its lock, the others wait
    and find it built. When a page opened on the default settings has already built the sample in
    ``app_db``, that version is copied instead of built again; otherwise ``app_db`` receives a copy.
    """
    if os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.getbasetemp().parent / "sample-db"  # the run's folder, above the workers'
    else:
        folder = tmp_path_factory.mktemp("sample-db")
    fingerprint = db.fingerprint(SAMPLE)

    def built(directory: Path) -> bool:
        cur = db.current_path(directory)
        return cur is not None and db.read_meta(cur).get("fingerprint") == fingerprint

    with db.locked(app_db), db.locked(folder):  # a page's background build in app_db finishes first
        if not built(folder):
            if built(app_db):
                copy_db(app_db, folder)
            else:
                db.build(SAMPLE, folder)
        if db.current_path(app_db) is None:
            copy_db(folder, app_db)
    return folder


@pytest.fixture(scope="session")
def sample_con(sample_db):
    """A read-only connection to the bundled sample's database (shared: never write through it)."""
    return queries.connection(db.current_path(sample_db))


def write_exports(d: Path, dossiers: list[list] | None = DOSSIERS, **others) -> Path:
    """An export folder ``d``: ``write_exports(d, dossiers=rows, tourism=(header, rows), …)``; the fixture
    dossiers unless told otherwise."""
    d.mkdir(exist_ok=True)
    if dossiers is not None:
        write_csv(d / "dossiers.csv", DOSSIER_HEADER, dossiers)
    for name, (header, rows) in others.items():
        write_csv(d / f"{name}.csv", header, rows)
    return d


@pytest.fixture
def make_exports(tmp_path):
    """Build an export folder: ``make_exports(dossiers=rows, tourism=(header, rows), …)``."""
    def factory(folder: str = "data", dossiers: list[list] | None = DOSSIERS, **others) -> Path:
        return write_exports(tmp_path / folder, dossiers, **others)
    return factory


# The versions built in this process, by what decides a build's content: the exports' fingerprint (names and
# bytes, build SQL, province, peer groups, sample manifest) and the settings (``COMMUNES_*``, e.g. the date
# bounds of the checks). Each is kept in a folder of its own with its build's result.
_BUILT: dict[tuple, tuple[Path, db.BuildResult]] = {}


@functools.cache
def _built_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="communes-test-builds-"))
    atexit.register(shutil.rmtree, root, True)
    return root


def _build_key(data_dir: Path) -> tuple:
    kept = {"COMMUNES_DB_DIR", "COMMUNES_DATA_DIR"}  # where things are, not what they hold
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("COMMUNES_") and k not in kept))
    return db.fingerprint(data_dir), env


def first_build(data_dir: Path, folder: Path) -> db.BuildResult:
    """``db.build(data_dir, folder)`` of a first version; when the same exports and settings were built
    before in this process, a file copy of that version instead (the same bytes a build would give, its time
    stamps aside), with that build's result (its reports, its warnings) naming the copy.

    Many tests start from the same small fixture exports: each is built once per worker, not once per test.
    """
    if db.current_path(folder) is not None:
        raise AssertionError(f"{folder} already holds a version: build on it with db.build")
    key = _build_key(data_dir)
    if key in _BUILT:
        kept, result = _BUILT[key]
        return dataclasses.replace(result, path=db.current_path(copy_db(kept, folder)))
    result = db.build(data_dir, folder)
    _BUILT[key] = (copy_db(folder, _built_root() / str(len(_BUILT))), result)
    return result


@pytest.fixture
def build_db(tmp_path):
    """Build a database version from an export folder; returns a read-only connection.

    Many tests read the same small fixture exports: the first build of each is kept, and a later test
    with the same exports and settings gets a file copy of it in its own folder (the same bytes a build
    would give, a build's time stamps aside). A second call in one test builds on its folder as usual.
    """
    def factory(data_dir: Path):
        folder = tmp_path / "db"
        if db.current_path(folder) is not None:
            return queries.connection(db.build(data_dir, folder).path)
        return queries.connection(first_build(data_dir, folder).path)
    return factory


@pytest.fixture
def use_exports(tmp_path, monkeypatch):
    """Point the app at an export folder, with a fresh database folder; Streamlit's caches cleared around the test.

    ``app_env`` fixtures call it: ``return use_exports(make_exports(...))``; the app then builds the
    database on its first run, as it does for a user. A module whose tests only read the pages passes
    ``built=True``: the folder starts with the version of these exports, copied as ``build_db`` does
    (settings that change what a build holds, such as ``COMMUNES_DATES_UNTIL``, are set before).
    """
    import streamlit as st

    def use(data: Path, built: bool = False) -> Path:
        monkeypatch.setenv("COMMUNES_DATA_DIR", str(data))
        monkeypatch.setenv("COMMUNES_DB_DIR", str(tmp_path / "db"))
        if built:
            first_build(data, tmp_path / "db")
        return data

    st.cache_data.clear()
    st.cache_resource.clear()
    yield use
    st.cache_data.clear()
    st.cache_resource.clear()


# --- the browser tests (tests/test_browser*.py): one server for the run, Chromium per module ----------

def pytest_xdist_auto_num_workers(config):
    """``-n auto`` starts two workers per core (at most eight): while one worker waits on what it started (a
    server, Chromium, a build in a subprocess), the other keeps the core busy."""
    return min(8, 2 * (os.cpu_count() or 1))


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` as this suite runs it: a test marked ``xdist_group`` goes to a worker with its group,
    every other test with its file, as under ``loadscope`` (so a file's module fixtures are set up once). The
    cases of a long test can so run side by side on several workers."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class GroupOrFile(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.rfind("@") > nodeid.rfind("]"):  # xdist appends "@group" to a grouped test's id
                return nodeid.rsplit("@", 1)[-1]
            return nodeid.rsplit("::", 1)[0]

    return GroupOrFile(config, log)


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium (through the ``browser`` fixture) carries the ``browser`` marker, so
    ``-m "not browser"`` leaves them all out without a list to keep up to date.

    Then the modules are put in order of their weight, the heaviest first, each module's tests kept together
    and in their order: with pytest-xdist a worker takes whole modules (or groups) in this order,
    and a long module taken last would leave the other workers idle at the end of the run. A module weighs
    more with every test that drives Chromium, then with every test marked ``slow``."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    weight: dict[str, list[int]] = {}  # file → [tests driving Chromium, slow tests, first position]
    for i, item in enumerate(items):
        w = weight.setdefault(item.nodeid.split("::")[0], [0, 0, i])
        w[0] -= bool(item.get_closest_marker("browser"))
        w[1] -= bool(item.get_closest_marker("slow"))
    items.sort(key=lambda item: weight[item.nodeid.split("::")[0]])  # stable: a file's tests keep their order


@pytest.fixture(scope="session")
def server(tmp_path_factory, sample_db):
    """The dashboard (``python -m communes serve``) on the bundled sample, with a database of its own (a copy
    of the sample's); the base URL. With pytest-xdist the workers share one server, so its query cache is
    warmed once: the first worker to need it starts it, the last to be done with it stops it."""
    from browser_helpers import shared_streamlit_server

    if os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.getbasetemp().parent / "browser-server"  # the run's, above the workers'
    else:
        folder = tmp_path_factory.mktemp("browser-server")
    try:
        with shared_streamlit_server(folder, lambda work: copy_db(sample_db, work / "db")) as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (its headless build, ``TEST_CHROMIUM``)."""
    from browser_helpers import CHROMIUM_ARGS, TEST_CHROMIUM
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=TEST_CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
