"""An upload built on the previous version's tables equals a full build of the same data folder: every
table (every indicator of every unit and period, the daily rollups, the rows), the stored exports byte
for byte and the metadata; and the uploads the incremental rule cannot take are built in full, saying why."""
from __future__ import annotations

import csv
import gzip
import hashlib
import json
import math
import shutil
import threading
import time
from pathlib import Path

import duckdb
import pytest

from communes import db, sources, staging, steward
from communes.sample import write_sample


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """A small sample (all datasets; dossiers received, completed and due across months)."""
    out = tmp_path_factory.mktemp("sample")
    write_sample(out, seed=3, scale=0.02)
    (out / "sample.json").unlink()  # loaded as official data
    return out


def split(src: Path, keep, upload: Path, base: Path) -> int:
    """Write the dossiers of ``src`` whose receipt month ``keep`` refuses to ``upload``, the others to ``base``."""
    with gzip.open(src, "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, rows = rows[0], rows[1:]
    col = header.index("received_at")
    out = [r for r in rows if not keep(r[col][:7])]
    for path, part in ((base, [r for r in rows if keep(r[col][:7])]), (upload, out)):
        with gzip.open(path, "wt", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(part)
    return len(out)


def tables(con) -> list[str]:
    return [t for (t,) in con.execute("select table_name from information_schema.tables where table_schema = 'main' "
                                      "and table_catalog = current_database() order by 1").fetchall()]


def exports(version: Path) -> dict[str, str]:
    """sha256 of each export ``version`` keeps, read back part by part."""
    with duckdb.connect(str(version), read_only=True) as con:
        return {d: hashlib.sha256(b"".join(sources.chunks(con, version, d))).hexdigest()
                for d, *_ in sources.listed(con)}


def assert_same_as_full_build(version: Path, data: Path, tmp_path: Path) -> None:
    full = tmp_path / "full.duckdb"  # a full build of the same folder after the same history (origins, dates)
    db.build_into(full, db.find_exports(data), data, previous=version)
    with duckdb.connect(str(version), read_only=True) as con:
        con.execute(f"attach '{full}' as f (read_only)")
        names = tables(con)
        assert names == [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'f' and table_schema = 'main' "
            "order by 1").fetchall()]
        for t in names:
            if t in ("meta", "source_files"):
                continue
            cols = [r[0] for r in con.execute(f"describe {t}").fetchall()]
            assert cols == [r[0] for r in con.execute(f"describe f.{t}").fetchall()], t
            ours, theirs = (con.execute(f"select * from {x} order by all").fetchall() for x in (t, f"f.{t}"))
            assert len(ours) == len(theirs), t
            for a, b in zip(ours, theirs):  # doubles summed in another order may differ in their last bits
                assert all(math.isclose(x, y, rel_tol=1e-12) if isinstance(x, float) and isinstance(y, float)
                           else x == y for x, y in zip(a, b)), (t, a, b)
        con.execute("detach f")
    ours = exports(version)
    assert exports(full) == ours
    assert ours == {k: db.sha256(p) for k, p in db.find_exports(data).items()}  # what the data folder holds
    a, b = db.read_meta(version), db.read_meta(full)
    for key in ("built_at", "build", "lf_ended"):
        a.pop(key, None), b.pop(key, None)
    fa, fb = (sorted(json.loads(m.pop("files")), key=lambda f: f["dataset"]) for m in (a, b))
    assert fa == fb and a == b


def first_version(data: Path, dbdir: Path, monkeypatch) -> None:
    """Point the app's settings at the export folder ``data`` and the database folder ``dbdir``, and build
    the first version there: the version an upload is then built on."""
    monkeypatch.setenv("COMMUNES_DATA_DIR", str(data))
    monkeypatch.setenv("COMMUNES_DB_DIR", str(dbdir))
    db.build(data, dbdir)


@pytest.mark.parametrize("month", ["last", "middle"])
def test_a_month_of_dossiers_built_on_the_previous_version_equals_a_full_build(sample, tmp_path, monkeypatch, month):
    data, dbdir = tmp_path / "data", tmp_path / "db"
    shutil.copytree(sample, data)
    with gzip.open(sample / "dossiers.csv.gz", "rt", encoding="utf-8") as fh:
        months = sorted({line.split(",")[5][:7] for line in list(fh)[1:]})
    # the last month, as a steward adds them; or a month in the middle, whose dossiers are completed and
    # overdue in the months after it (every later period, the backlog and the year to date move)
    chosen = months[-1] if month == "last" else months[len(months) // 2]
    up = tmp_path / "thang.csv.gz"
    n = split(sample / "dossiers.csv.gz", lambda m: m != chosen, up, data / "dossiers.csv.gz")
    assert n > 50
    first_version(data, dbdir, monkeypatch)
    plan = steward.dry_run(staging.stage(up, up.name, dbdir), "dossiers", data, dbdir)
    assert plan.ok and plan.added == n and plan.replaced == 0
    assert (plan.build, plan.build_reason) == ("incremental", None)
    version = steward.apply(plan, who="kiểm thử", data_dir=data, directory=dbdir)
    assert db.read_meta(version)["build"] == "incremental"
    assert steward.audit(dbdir)[0]["build"] == "incremental"
    assert_same_as_full_build(version, data, tmp_path)
    # undoable: the previous version comes back with its export
    steward.rollback(1, data_dir=data, directory=dbdir)
    with gzip.open(data / "dossiers.csv.gz", "rt", encoding="utf-8") as fh:
        stored = sum(1 for _ in fh) - 1
    files = json.loads(db.read_meta(db.current_path(dbdir))["files"])
    assert stored == next(f["rows"] for f in files if f["dataset"] == "dossiers") == plan.rows_before
    assert db.fingerprint(data) == db.read_meta(db.current_path(dbdir))["fingerprint"]


def test_a_second_month_appends_again_without_reading_the_export_through(sample, tmp_path, monkeypatch):
    data, dbdir = tmp_path / "data", tmp_path / "db"
    shutil.copytree(sample, data)
    with gzip.open(sample / "dossiers.csv.gz", "rt", encoding="utf-8") as fh:
        months = sorted({line.split(",")[5][:7] for line in list(fh)[1:]})
    first, second = tmp_path / "m1.csv.gz", tmp_path / "m2.csv.gz"
    split(sample / "dossiers.csv.gz", lambda m: m < months[-2], tmp_path / "later.csv.gz", data / "dossiers.csv.gz")
    split(tmp_path / "later.csv.gz", lambda m: m == months[-1], first, second)
    first_version(data, dbdir, monkeypatch)
    for up in (first, second):
        plan = steward.dry_run(staging.stage(up, up.name, dbdir), "dossiers", data, dbdir)
        assert plan.build == "incremental", plan.build_reason
        version = steward.apply(plan, data_dir=data, directory=dbdir)
    assert json.loads(db.read_meta(version)["lf_ended"]) == [db.file_hash(data / "dossiers.csv.gz")]
    # the first append did not know how the stored gzip file ended, so it started with a line end (a blank
    # line, skipped by the reader); the second knew, from the version the first built
    with gzip.open(data / "dossiers.csv.gz", "rb") as fh:
        lines = fh.read().split(b"\n")
    assert lines.count(b"") == 2 and lines[-1] == b""
    assert_same_as_full_build(version, data, tmp_path)


def test_a_tourism_upload_is_built_on_the_previous_version_too(sample, tmp_path, monkeypatch):
    data, dbdir = tmp_path / "data", tmp_path / "db"
    shutil.copytree(sample, data)
    first_version(data, dbdir, monkeypatch)
    with open(sample / "tourism.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    up = tmp_path / "du-lich.csv"
    with open(up, "w", encoding="utf-8", newline="") as fh:  # the first rows again, domestic visitors changed
        w = csv.writer(fh, delimiter=";")
        w.writerow(rows[0])
        for r in rows[1:6]:
            w.writerow([str(int(v.replace(".", "")) + 7) if h == "Khách nội địa" else v for h, v in zip(rows[0], r)])
    plan = steward.dry_run(staging.stage(up, up.name, dbdir), "tourism", data, dbdir)
    assert plan.ok and plan.build == "incremental" and plan.changed
    version = steward.apply(plan, data_dir=data, directory=dbdir)
    assert_same_as_full_build(version, data, tmp_path)


def test_uploads_the_rule_cannot_take_are_built_in_full_and_say_why(sample, tmp_path, monkeypatch):
    data, dbdir = tmp_path / "data", tmp_path / "db"
    shutil.copytree(sample, data)
    first_version(data, dbdir, monkeypatch)
    # dossiers already stored, sent again with a completion: the export is rewritten, so built in full
    with gzip.open(sample / "dossiers.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    up = tmp_path / "ho-so.csv"
    with open(up, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(rows[0])
        w.writerows(rows[1:4])
        w.writerow(["H-MOI-1", *rows[4][1:]])
    plan = steward.dry_run(staging.stage(up, up.name, dbdir), "dossiers", data, dbdir)
    assert plan.ok and plan.replaced == 3 and plan.added == 1
    assert plan.build == "full" and "thay 3 hồ sơ" in plan.build_reason
    version = steward.apply(plan, data_dir=data, directory=dbdir)
    assert steward.audit(dbdir)[0]["build_reason"] == plan.build_reason
    assert_same_as_full_build(version, data, tmp_path)
    # the units export changes the reference tables every rollup joins
    shutil.copy(data / "units.csv", tmp_path / "don-vi.csv")
    plan = steward.dry_run(staging.stage(tmp_path / "don-vi.csv", "don-vi.csv", dbdir), "units", data, dbdir)
    assert plan.build == "full" and "đơn vị" in plan.build_reason
    staging.discard(plan)
    # a data folder that is not the current version's
    (data / "events.csv").write_text((data / "events.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    plan = steward.dry_run(staging.stage(up, up.name, dbdir), "dossiers", data, dbdir)
    assert plan.build == "full" and "thư mục dữ liệu" in plan.build_reason
    staging.discard(plan)


def test_an_appended_version_links_the_stored_bytes_and_keeps_them_once_the_older_version_is_pruned(
        sample, tmp_path, monkeypatch):
    data, dbdir = tmp_path / "data", tmp_path / "db"
    shutil.copytree(sample, data)
    with gzip.open(sample / "dossiers.csv.gz", "rt", encoding="utf-8") as fh:
        last = max(line.split(",")[5][:7] for line in list(fh)[1:])
    up = tmp_path / "thang.csv.gz"
    split(sample / "dossiers.csv.gz", lambda m: m != last, up, data / "dossiers.csv.gz")
    first_version(data, dbdir, monkeypatch)
    base = db.current_path(dbdir)
    plan = steward.dry_run(staging.stage(up, up.name, dbdir), "dossiers", data, dbdir)
    assert plan.build == "incremental", plan.build_reason
    version = steward.apply(plan, data_dir=data, directory=dbdir)
    kept = {p.name: p for p in sources.folder(version).iterdir()}
    assert sorted(n for n in kept if n.startswith("dossiers.")) == ["dossiers.0", "dossiers.1"]
    for p in sources.folder(base).iterdir():  # the base's bytes are linked, not copied
        assert kept[p.name].stat().st_ino == p.stat().st_ino
    assert all(p.stat().st_mode & 0o222 == 0 for p in kept.values())  # read-only
    assert kept["dossiers.1"].stat().st_size == (data / "dossiers.csv.gz").stat().st_size - \
        (sources.folder(base) / "dossiers.0").stat().st_size
    # the older version pruned: its file and folder go, the newer version's bytes stay and restore the folder
    wanted = db.file_hash(data / "dossiers.csv.gz")
    db._prune(dbdir, 1)
    assert not base.exists() and not sources.folder(base).exists()
    (data / "dossiers.csv.gz").unlink()
    db.restore_exports(version, data)
    assert db.sha256(data / "dossiers.csv.gz") == wanted
    # a part lost: the restore refuses, in Vietnamese, and leaves the folder as it was
    (data / "dossiers.csv.gz").unlink()
    kept["dossiers.1"].unlink()
    with pytest.raises(ValueError, match="không đọc được"):
        db.restore_exports(version, data)
    assert not (data / "dossiers.csv.gz").exists() and not list(data.glob(".*restore*"))


def test_a_folder_of_exports_left_without_its_version_is_removed_as_a_leftover(tmp_path):
    dbdir = tmp_path / "db"
    orphan, owned = dbdir / "communes-1-a.sources", dbdir / "communes-2-b.sources"
    for d in (orphan, owned):
        d.mkdir(parents=True)
        (d / "dossiers.0").write_bytes(b"x")
    (dbdir / "communes-2-b.duckdb").write_bytes(b"")
    assert db.clean_leftovers(dbdir) == [orphan]
    assert owned.exists() and not orphan.exists()


def test_a_version_of_the_older_layout_still_lists_and_restores_its_exports(tmp_path):
    """Versions built before the exports were kept beside them held the bytes in ``source_files.data``."""
    old = tmp_path / "db" / "communes-1-old.duckdb"
    old.parent.mkdir()
    body = b"unit,month,visitors_domestic\n" + b"x" * 10
    with duckdb.connect(str(old)) as con:
        con.execute("create table meta (key varchar, value varchar)")
        con.execute("create table source_files (dataset varchar, file varchar, sha256 varchar, part integer, data blob)")
        con.executemany("insert into source_files values (?, ?, ?, ?, ?)",
                        [("tourism", "tourism.csv", hashlib.sha256(body).hexdigest(), i, body[i * 20:(i + 1) * 20])
                         for i in (1, 0)])  # rows out of part order: read in part order
    assert db.stored_exports(old) == [{"dataset": "tourism", "file": "tourism.csv",
                                       "sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)}]
    data = tmp_path / "data"
    db.restore_exports(old, data)
    assert (data / "tourism.csv").read_bytes() == body


def test_the_head_start_copy_is_taken_whole_or_stopped_and_removed(tmp_path, monkeypatch):
    from communes import increment

    previous = tmp_path / "communes-1-a.duckdb"
    previous.write_bytes(bytes(range(256)) * 40_000)  # 10 MB
    sources.folder(previous).mkdir()
    (sources.folder(previous) / "dossiers.0").write_bytes(b"rows")
    monkeypatch.setattr(increment.HeadStart, "BLOCK", 1 << 20)
    head = increment.HeadStart(previous, tmp_path / "candidate.duckdb")
    head.take()
    assert head.candidate.read_bytes() == previous.read_bytes()
    assert (sources.folder(head.candidate) / "dossiers.0").stat().st_ino == \
        (sources.folder(previous) / "dossiers.0").stat().st_ino
    head.discard()  # taken: discarding it afterwards leaves it
    assert head.candidate.exists()

    # discarded while copying (the upload refused): stopped after the block under way, then removed
    sources.remove(head.candidate)
    calls, real, heads = [], increment.os.sendfile, []
    known = threading.Event()

    def first_block_waits(*args):
        calls.append(args)
        assert known.wait(10)
        assert heads[0]._stop.wait(10)  # the block under way ends once the dry run has asked to stop
        return real(*args)

    monkeypatch.setattr(increment.os, "sendfile", first_block_waits)
    heads.append(increment.HeadStart(previous, tmp_path / "candidate.duckdb"))
    head = heads[0]
    known.set()
    while not calls:  # the copy is under way
        time.sleep(0.01)
    head.discard()
    assert len(calls) == 1 and not head.candidate.exists() and not sources.folder(head.candidate).exists()

