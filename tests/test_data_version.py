"""Which database version a run serves while the exports change (communes.served._Builds)."""
from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pytest
from conftest import DOSSIER_HEADER, DOSSIERS, write_csv

from communes import db, served


def _served_then_changed(data: Path, new_row: list[str]) -> tuple[served._Builds, str, str]:
    """A version built and served for ``data``, then ``new_row`` added to its dossiers: (builds, old path, new
    fingerprint)."""
    builds = served._Builds()
    old, _, _ = builds.version(db.fingerprint(data))
    write_csv(data / "dossiers.csv", DOSSIER_HEADER, DOSSIERS + [new_row])
    return builds, old, db.fingerprint(data)


def _wait(builds: served._Builds) -> None:
    with builds.lock:
        running = list(builds.running.values())
    for thread in running:
        thread.join(timeout=120)


def test_first_version_is_built_in_the_run(make_exports, use_exports):
    data = use_exports(make_exports())
    builds = served._Builds()
    path, problems, building = builds.version(db.fingerprint(data))
    assert (problems, building) == ([], False)
    assert db.read_meta(db.current_path()).get("fingerprint") == db.fingerprint(data)
    assert path == str(db.current_path())


@pytest.mark.slow
def test_changed_exports_are_built_in_the_background_while_the_old_version_is_served(make_exports, use_exports,
                                                                                     monkeypatch):
    builds, old, new_fp = _served_then_changed(
        use_exports(make_exports()), ["D12", "Xã Đan Điền", "Hộ tịch", "2", "2025-07-06", "2025-07-10", "2025-07-08", "1", ""])
    gate = threading.Event()
    real_build = served._build

    def slow_build(fp):  # hold the build until the runs below have been answered
        gate.wait(timeout=60)
        return real_build(fp)

    monkeypatch.setattr(served, "_build", slow_build)
    path, problems, building = builds.version(new_fp)
    assert (path, problems, building) == (old, [], True)  # answered at once, from the old version
    assert builds.version(new_fp) == (old, [], True)  # a second run: still one build
    assert len(builds.running) == 1
    gate.set()
    _wait(builds)
    path, problems, building = builds.version(new_fp)
    assert path != old and (problems, building) == ([], False)
    assert db.read_meta(Path(path))["fingerprint"] == new_fp
    con = duckdb.connect(path, read_only=True)
    assert con.execute("select count(*) from dossiers").fetchone()[0] == 12


def test_invalid_new_exports_keep_the_old_version_and_say_why(make_exports, use_exports):
    builds, old, new_fp = _served_then_changed(
        use_exports(make_exports()), ["D12", "Xã Không Có", "Hộ tịch", "2", "2025-07-06", "2025-07-10", "", "0", ""])
    assert builds.version(new_fp)[2] is True
    _wait(builds)
    path, problems, building = builds.version(new_fp)
    assert path == old and building is False
    assert any("dossiers.csv, dòng 13, cột «unit»: giá trị «Xã Không Có»" in p for p in problems)
    assert str(db.current_path()) == old


def _built_by_other_code(make_exports, use_exports) -> tuple[Path, str]:
    """Exports and the current version built for them, marked as built by other code (an earlier release)."""
    data = use_exports(make_exports())
    old, _, _ = served._Builds().version(db.fingerprint(data))
    with duckdb.connect(old) as con:
        con.execute("update meta set value = 'older-code' where key = 'code'")
    return data, old


def test_a_version_built_by_other_code_is_never_served(make_exports, use_exports):
    # After an upgrade the current version may lack a table the new queries read: the first run builds
    # the version for this code and waits, instead of serving the old one meanwhile.
    data, old = _built_by_other_code(make_exports, use_exports)
    write_csv(data / "dossiers.csv", DOSSIER_HEADER,
              DOSSIERS + [["D12", "Xã Đan Điền", "Hộ tịch", "2", "2025-07-06", "2025-07-10", "2025-07-08", "1", ""]])
    path, problems, building = served._Builds().version(db.fingerprint(data))
    assert path != old and (problems, building) == ([], False)
    assert db.servable(path) and not db.servable(old)
    assert db.read_meta(Path(path))["fingerprint"] == db.fingerprint(data)


def test_invalid_exports_with_only_a_version_of_other_code_serve_nothing(make_exports, use_exports):
    data, _ = _built_by_other_code(make_exports, use_exports)
    write_csv(data / "dossiers.csv", DOSSIER_HEADER,
              DOSSIERS + [["D12", "Xã Không Có", "Hộ tịch", "2", "2025-07-06", "2025-07-10", "", "0", ""]])
    path, problems, building = served._Builds().version(db.fingerprint(data))
    assert path is None and building is False
    assert any("dossiers.csv, dòng 13, cột «unit»: giá trị «Xã Không Có»" in p for p in problems)


def test_the_sample_manifest_names_the_version(make_exports, use_exports):
    # Whether the data says "sample" depends on data/sample.json: a manifest added (or removed) beside
    # unchanged exports is a new version, so the flag is never left from a build made without it.
    import hashlib
    import json
    data = use_exports(make_exports())
    plain = db.build(data)
    assert db.read_meta(plain.path)["sample"] == "false"
    digest = hashlib.sha256((data / "dossiers.csv").read_bytes()).hexdigest()
    (data / "sample.json").write_text(json.dumps({"files": {"dossiers.csv": digest}}), encoding="utf-8")
    marked = db.build(data)
    assert marked.fingerprint != plain.fingerprint and marked.built
    assert db.read_meta(marked.path)["sample"] == "true"
    (data / "sample.json").unlink()
    assert db.fingerprint(data) == plain.fingerprint
