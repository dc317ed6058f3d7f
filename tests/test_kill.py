"""A build killed with SIGKILL at any moment: the database stays usable, and the next ``load`` (or
``serve``, which runs one) removes what the killed build left (its ``.build-*`` file in the database
folder, its ``communes-spill-*`` folder in the temporary folder), never what a live build uses.
``serve`` reaps its finished build child (no zombie)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import DOSSIER_HEADER, DOSSIERS, write_csv

from communes import db, settings

pytestmark = pytest.mark.slow  # servers and commands in subprocesses

TH = ["unit", "month", "visitors_domestic", "visitors_international", "revenue_vnd"]


def _env(data: Path, dbdir: Path, tmp: Path) -> dict:
    return {**os.environ, "COMMUNES_DATA_DIR": str(data), "COMMUNES_DB_DIR": str(dbdir), "TMPDIR": str(tmp),
            "PYTHONUNBUFFERED": "1"}


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """Exports with a first version built, then changed (so the next load builds); TMPDIR of its own."""
    data, dbdir, tmp = tmp_path / "data", tmp_path / "db", tmp_path / "tmp"
    data.mkdir()
    tmp.mkdir()
    write_csv(data / "dossiers.csv", DOSSIER_HEADER, DOSSIERS)
    write_csv(data / "tourism.csv", TH, [["Xã Đan Điền", "2025-07", "300", "2", "200000"]])
    db.build(data, dbdir)
    write_csv(data / "tourism.csv", TH, [["Xã Đan Điền", "2025-07", "300", "2", "200000"],
                                         ["Xã Đan Điền", "2025-08", "310", "3", "210000"]])
    monkeypatch.setattr("tempfile.tempdir", str(tmp))
    return data, dbdir, tmp


def leftovers(dbdir: Path, tmp: Path) -> list[str]:
    return sorted([p.name for p in dbdir.glob(".build-*")] + [p.name for p in dbdir.glob(".CURRENT.*")] +
                  [p.name for p in tmp.glob(db.SPILL_PREFIX + "*")])


def usable(dbdir: Path) -> int:
    """Rows of tourism in the current version, read through the same checks the app makes."""
    cur = db.current_path(dbdir)
    assert cur is not None
    with duckdb.connect(str(cur), read_only=True) as con:
        assert dict(con.execute("select key, value from meta").fetchall())["fingerprint"]
        con.execute("select count(*) from dossier_days").fetchone()
        return con.execute("select count(*) from tourism").fetchone()[0]


def wait_for(condition, timeout: float = 120.0, proc: subprocess.Popen | None = None) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.005)
    return False


# the moments: as soon as the build file exists, a little later (reading, casting), later still (rollups)
KILL_POINTS = [("build_file_created", 0.0), ("reading", 0.3), ("rollups", 1.5), ("late", 3.0)]


@pytest.mark.parametrize("point, delay", KILL_POINTS, ids=[p for p, _ in KILL_POINTS])
def test_load_killed_leaves_a_usable_database_and_the_next_load_cleans(folders, point, delay):
    data, dbdir, tmp = folders
    first = db.current_path(dbdir)
    proc = subprocess.Popen([sys.executable, "-m", "communes", "load", str(data), "--db", str(dbdir)],
                            env=_env(data, dbdir, tmp), cwd=settings.ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: any(dbdir.glob(".build-*")), proc=proc), "the build never started"
        time.sleep(delay)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # the data in use: the version before, or (killed after the swap) the complete new one
    assert usable(dbdir) in (1, 2)
    if db.current_path(dbdir) == first:
        assert usable(dbdir) == 1

    done = subprocess.run([sys.executable, "-m", "communes", "load", str(data), "--db", str(dbdir)],
                          env=_env(data, dbdir, tmp), cwd=settings.ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert leftovers(dbdir, tmp) == []
    assert usable(dbdir) == 2 and db.read_meta(db.current_path(dbdir))["fingerprint"] == db.fingerprint(data)


def test_a_killed_build_does_leave_files_that_the_next_build_removes(folders):
    """Guard for the test above: the leftovers exist after a kill (the cleaning is not vacuous)."""
    data, dbdir, tmp = folders
    proc = subprocess.Popen([sys.executable, "-m", "communes", "load", str(data), "--db", str(dbdir)],
                            env=_env(data, dbdir, tmp), cwd=settings.ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: any(dbdir.glob(".build-*")) and any(tmp.glob(db.SPILL_PREFIX + "*/owner")), proc=proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    left = leftovers(dbdir, tmp)
    assert any(n.startswith(".build-") for n in left) and any(n.startswith(db.SPILL_PREFIX) for n in left)
    res = db.build(data, dbdir)  # in process: the same build the app's background thread runs
    assert res.built and leftovers(dbdir, tmp) == []


def test_a_live_spill_folder_is_never_removed(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    dead = tmp_path / (db.SPILL_PREFIX + "dead")  # a killed build's: owner written, lock released
    dead.mkdir()
    (dead / "owner").write_text("1")
    (dead / "duckdb_temp_block-1.block").write_bytes(b"x" * 100)
    fresh = tmp_path / (db.SPILL_PREFIX + "fresh")  # being set up (no owner yet), or an older build's
    fresh.mkdir()
    with db.spill_folder() as live:
        (live / "duckdb_temp_block-2.block").write_bytes(b"y" * 100)
        removed = db.clean_leftovers(tmp_path / "db")
        assert live.exists() and (live / "duckdb_temp_block-2.block").exists()
    assert removed == [dead] and not dead.exists() and fresh.exists()
    assert not live.exists()  # removed by its own build when done


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, state) of the processes whose parent is ``pid``."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) == pid:
                out.append((int(d.name), fields[0]))
    return out


def _serve(data: Path, dbdir: Path, tmp: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "communes", "serve", "--server.port", str(_free_port()),
                             "--server.headless", "true"], env=_env(data, dbdir, tmp), cwd=settings.ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    """Stop the server this test started, and its build child (they share the session we gave it)."""
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _state(pid: int) -> str | None:
    """The process's state letter (Z = zombie), None once it is gone (reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()[0]


def test_serve_reaps_its_build_child(folders):
    data, dbdir, tmp = folders
    proc = _serve(data, dbdir, tmp)
    try:
        children = []
        assert wait_for(lambda: bool(children.extend(
            pid for pid, _ in _children(proc.pid)
            if b"load" in Path(f"/proc/{pid}/cmdline").read_bytes()) or children), timeout=120, proc=proc)
        build = children[0]
        # the build child ends (it exits, then is a zombie until its parent waits for it) …
        assert wait_for(lambda: _state(build) in ("Z", None), timeout=300), _state(build)
        assert db.fingerprint(data) == db.read_meta(db.current_path(dbdir)).get("fingerprint")
        # … and is reaped: gone from the process table, while the server runs on
        assert wait_for(lambda: _state(build) is None, timeout=10), f"build child {build} left as {_state(build)}"
        assert proc.poll() is None
    finally:
        _stop(proc)


def test_serve_killed_while_building_then_the_next_start_cleans(folders):
    data, dbdir, tmp = folders
    first = db.current_path(dbdir)
    proc = _serve(data, dbdir, tmp)
    try:
        assert wait_for(lambda: any(dbdir.glob(".build-*")), timeout=300, proc=proc)
        time.sleep(0.5)
    finally:
        _stop(proc, signal.SIGKILL)  # the server and its build child at once
    assert db.current_path(dbdir) is not None and usable(dbdir) in (1, 2)
    if db.current_path(dbdir) == first:
        assert any(dbdir.glob(".build-*"))  # it was killed mid-build: there is something to clean
    proc = _serve(data, dbdir, tmp)
    try:
        assert wait_for(lambda: db.fingerprint(data) == db.read_meta(db.current_path(dbdir)).get("fingerprint")
                        and not any(dbdir.glob(".build-*")), timeout=300, proc=proc)
        assert leftovers(dbdir, tmp) == [] and usable(dbdir) == 2
    finally:
        _stop(proc)
