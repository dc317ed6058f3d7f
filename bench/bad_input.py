"""Every bad input of the test corpora through the command line, as a steward would run it.

For each case: ``check DIR``, ``load DIR`` (after a good first version) and ``load FILE`` (the upload,
applied when valid). It counts what the lead asked for: bad inputs tried, refused cleanly by all three
(exit 1, a message naming the file, no traceback, the database and data folder unchanged), odd but valid
files accepted by all three, bad values that reached a database (a new version built from them), and
tracebacks. The commands run in this process (``communes.cli.main``), so an uncaught exception is a
traceback a user would have seen.

    python -m bench.bad_input                 # this checkout
    python -m bench.bad_input --repo OTHER    # another checkout's code against the same corpus
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", default=str(HERE), help="checkout whose code is measured (the corpus is this one's)")
    args = ap.parse_args()
    sys.path.insert(0, str(HERE / "tests"))
    sys.path.insert(0, str(Path(args.repo).resolve()))
    for name in [m for m in sys.modules if m == "communes" or m.startswith("communes.")]:
        del sys.modules[name]
    os.environ["COMMUNES_DATES_UNTIL"] = "2026-10-31"
    import test_bad_input as exports
    import test_bad_input_more as uploads
    import test_bad_values as values

    from communes import cli, db

    cases = ([(c.id, c.file, c.data, True, True) for c in values.BAD] +
             [(g[0], g[1], g[2], False, True) for g in values.GOOD] +
             [(c.id, c.file, c.data, True, True) for c in exports.CASES] +
             [(c.id, c.name, c.data, True, False) for c in uploads.UPLOADS if not c.env])
    totals = {"bad": 0, "refused": 0, "valid": 0, "accepted": 0, "reached": 0, "tracebacks": 0}
    details = []
    for case_id, name, content, bad, as_folder in cases:
        work = Path(tempfile.mkdtemp(prefix="bad-input-"))
        try:
            outcome = _one(cli, db, values, work, name, content, as_folder)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        totals["tracebacks"] += outcome["tracebacks"]
        if bad:
            totals["bad"] += 1
            totals["refused"] += outcome["all_refused"]
            totals["reached"] += outcome["reached"]
        else:
            totals["valid"] += 1
            totals["accepted"] += outcome["all_accepted"]
        if (bad and not outcome["all_refused"]) or (not bad and not outcome["all_accepted"]) or outcome["tracebacks"]:
            details.append((case_id, outcome))
    for case_id, outcome in details:
        print(f"  {case_id}: {outcome['codes']} tracebacks={outcome['tracebacks']} reached={outcome['reached']}"
              f"{' ' + outcome['trace'][-300:] if outcome['trace'] else ''}")
    print(f"bad inputs tried: {totals['bad']}; refused cleanly by check, load and upload: {totals['refused']}; "
          f"valid ones accepted: {totals['accepted']}/{totals['valid']}; bad values that reached a database: "
          f"{totals['reached']}; tracebacks: {totals['tracebacks']}")
    return 0


def _run(cli, argv) -> tuple[int | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    trace = ""
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:
            code = exc.code
        except BaseException:  # noqa: BLE001 — what a user would see as a traceback
            code, trace = None, traceback.format_exc()
    return code, err.getvalue() + out.getvalue(), trace


def _one(cli, db, values, work: Path, name: str, content: bytes, as_folder: bool) -> dict:
    data, dbdir, incoming = work / "data", work / "db", work / "in"
    data.mkdir()
    incoming.mkdir()
    (data / "dossiers.csv").write_bytes(values.dossiers())
    (data / "tourism.csv").write_bytes(values.tourism())
    (data / "agriculture.csv").write_bytes(values.agriculture())
    os.environ["COMMUNES_DATA_DIR"], os.environ["COMMUNES_DB_DIR"] = str(data), str(dbdir)
    db.build(data, dbdir)
    first = db.current_path(dbdir)
    codes, traces, named = [], [], []

    # the upload, applied when valid
    (incoming / name).write_bytes(content)
    dataset = name.split(".")[0] if name.split(".")[0] in ("dossiers", "tourism", "agriculture", "fishery",
                                                           "staffing", "units", "events", "visits") else None
    argv = ["load", str(incoming / name), "--db", str(dbdir)] + (["--dataset", dataset] if dataset else [])
    if dataset is None:  # the upload corpus names files as stewards do: the dataset comes from the case
        from test_bad_input_more import UPLOADS
        argv += ["--dataset", next(c.dataset for c in UPLOADS if c.name == name and c.data == content)]
    code, text, trace = _run(cli, argv)
    codes.append(code)
    traces.append(trace)
    named.append(name in text)
    upload_applied = db.current_path(dbdir) != first
    if upload_applied:  # a valid upload: back to the first version for the folder commands
        shutil.rmtree(dbdir)
        for p in data.iterdir():
            p.unlink()
        (data / "dossiers.csv").write_bytes(values.dossiers())
        (data / "tourism.csv").write_bytes(values.tourism())
        (data / "agriculture.csv").write_bytes(values.agriculture())
        db.build(data, dbdir)
        first = db.current_path(dbdir)
    reached = 0
    if as_folder:
        dataset_name = name.split(".")[0]
        for p in data.glob(f"{dataset_name}.*"):
            p.unlink()
        (data / name).write_bytes(content)
        for argv in (["check", str(data)], ["load", str(data), "--db", str(dbdir)]):
            code, text, trace = _run(cli, argv)
            codes.append(code)
            traces.append(trace)
            named.append(name in text)
        reached = int(db.current_path(dbdir) != first)
    reached_upload = int(upload_applied)
    ok_refused = all(c == 1 for c in codes) and all(named) and not any(traces)
    ok_accepted = all(c == 0 for c in codes) and not any(traces)
    return {"codes": codes, "tracebacks": sum(1 for t in traces if t), "trace": next((t for t in traces if t), ""),
            "all_refused": ok_refused and not reached and not reached_upload,
            "all_accepted": ok_accepted, "reached": max(reached, reached_upload)}


if __name__ == "__main__":
    raise SystemExit(main())
