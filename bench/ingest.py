"""Ingest benchmark: the plain read, the full build and a one-month upload, at several scales.

Usage: ``python bench/ingest.py [--scales 1 10] [--workdir DIR] [--repeat N] [--copies-of S]``.

For each scale it writes the sample (``communes.sample.write_sample``, seed 0) into ``DIR/data-S``
(kept for the next run), then measures, each in a fresh process so the peak RSS is the step's own:

1. **read**: a plain DuckDB read of ``dossiers.csv.gz`` into a table (``create table … as select *
   from read_csv(…)``, DuckDB's own type detection): the yardstick no build can beat;
2. **full build**: ``db.build`` of the whole sample folder (validation of every export, every table
   and rollup, the stored exports), and its ratio to the read;
3. **one-month upload**: the same sample without its last month's dossiers is built first (not
   timed); then that month's dossiers, as a file of their own, go through the steward's flow
   (stage, dry run, apply), as ``python -m communes load FILE --dataset dossiers`` does; its ratio
   to the full build, and its steps (the dry run's: validating the file, merging it and writing the export,
   building the candidate version, reading it back, the before → after indicators; then applying).

``--copies-of 10`` makes each scale above 10 from copies of the 10× sample's dossiers (each copy's ids
suffixed, the other exports as they are): ``write_sample`` needs more than an hour for 100× on this machine.

Each step runs ``--repeat`` times (default 1) and the fastest is kept. The machine's load average is
printed with the figures: the machine is shared, so compare ratios measured in one run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

READ = """
import json, resource, sys, time
import duckdb
ru0 = resource.getrusage(resource.RUSAGE_SELF)
cpu0 = ru0.ru_utime + ru0.ru_stime
t0 = time.perf_counter()
con = duckdb.connect()
con.execute("create table t as select * from read_csv(?)", [sys.argv[1]])
rows = con.execute("select count(*) from t").fetchone()[0]
secs = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": secs, "rows": rows, "cpu": ru.ru_utime + ru.ru_stime - cpu0, "peak_mb": ru.ru_maxrss / 1024}))
"""

BUILD = """
import json, resource, sys, time
from pathlib import Path
from communes import db
ru0 = resource.getrusage(resource.RUSAGE_SELF)
cpu0 = ru0.ru_utime + ru0.ru_stime
t0 = time.perf_counter()
res = db.build(Path(sys.argv[1]), Path(sys.argv[2]), force=True)
secs = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": secs, "rows": {r.dataset: r.rows for r in res.reports},
                  "cpu": ru.ru_utime + ru.ru_stime - cpu0, "peak_mb": ru.ru_maxrss / 1024}))
"""

UPLOAD = """
import json, resource, sys, time
from pathlib import Path
from communes import staging, steward
upload, data, dbdir = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
ru0 = resource.getrusage(resource.RUSAGE_SELF)
cpu0 = ru0.ru_utime + ru0.ru_stime
t0 = time.perf_counter()
staged = staging.stage(upload, upload.name, dbdir)
plan = steward.dry_run(staged, "dossiers", data, dbdir)
assert plan.ok, [str(p) for p in plan.problems[:5]]
steward.apply(plan, data_dir=data, directory=dbdir)
secs = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": secs, "rows": plan.rows_upload, "added": plan.added,
                  "path": getattr(plan, "build", "full"), "cpu": ru.ru_utime + ru.ru_stime - cpu0,
                  "peak_mb": ru.ru_maxrss / 1024, "steps": plan.timings, "apply": secs - sum(plan.timings.values())}))
"""


def child(code: str, *argv, env=None) -> dict:
    res = subprocess.run([sys.executable, "-c", code, *map(str, argv)], cwd=ROOT, capture_output=True, text=True,
                         env=env or os.environ, check=False)
    if res.returncode:
        sys.stderr.write(res.stderr[-3000:])
        raise SystemExit(res.returncode)
    return json.loads(res.stdout.strip().splitlines()[-1])


def split_last_month(src: Path, base: Path, upload: Path) -> str:
    """Write ``src`` without its last month's dossiers (by receipt) to ``base`` and that month to ``upload``."""
    import duckdb

    con = duckdb.connect()  # streamed from the file, in its order: at 100× a table of it would take 17 GB
    source = f"read_csv('{src}', all_varchar = true)"
    last = con.execute(f"select max(substr(received_at, 1, 7)) from {source}").fetchone()[0]
    for path, cond in ((base, "<>"), (upload, "=")):
        con.execute(f"copy (select * from {source} where substr(received_at, 1, 7) {cond} ?) to '{path}' "
                    "(header, delimiter ',', compression gzip)", [last])
    return last


def synthesize(src: Path, out: Path, copies: int) -> None:
    """A larger export made of ``copies`` copies of the sample at ``src`` (each copy's ids suffixed), the
    other exports as they are: the sample generator needs more than an hour for 100×, this a few minutes."""
    import duckdb

    out.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if f.name not in ("dossiers.csv.gz", "sample.json"):
            shutil.copy(f, out / f.name)
    con = duckdb.connect()
    con.execute(f"""copy (select t.* replace (t.dossier_id || '-' || k as dossier_id)
                          from read_csv('{src / "dossiers.csv.gz"}', all_varchar = true) t, range({copies}) r(k))
                    to '{out / "dossiers.csv.gz"}' (header, delimiter ',', compression gzip)""")
    (out / "sample.json").write_text("{}")  # marks the folder complete; names no file as the sample's


def best(n: int, code: str, *argv, env=None, before=None) -> dict:
    runs = []
    for _ in range(n):
        if before:
            before()
        runs.append(child(code, *argv, env=env))
    return min(runs, key=lambda r: r["seconds"])


def run(scale: float, work: Path, repeat: int, synth: float | None = None) -> dict:
    from communes.sample import write_sample

    data = work / f"data-{scale:g}"
    if not (data / "sample.json").exists():
        t0 = time.perf_counter()
        if synth and scale > synth:
            synthesize(work / f"data-{synth:g}", data, round(scale / synth))
            print(f"  ({scale:g}×: {round(scale / synth)} copies of the {synth:g}× sample, written in "
                  f"{time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        else:
            write_sample(data, seed=0, scale=scale)
            print(f"  (sample at {scale:g}× written in {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    export = data / "dossiers.csv.gz"
    read = best(repeat, READ, export)
    full = best(repeat, BUILD, data, work / f"db-full-{scale:g}",
                before=lambda: shutil.rmtree(work / f"db-full-{scale:g}", ignore_errors=True))

    base = work / f"base-{scale:g}"
    upload = work / f"upload-{scale:g}" / "dossiers-last-month.csv.gz"
    if not (work / f"month-{scale:g}").exists():
        shutil.rmtree(base, ignore_errors=True)
        shutil.copytree(data, base)
        upload.parent.mkdir(parents=True, exist_ok=True)
        month = split_last_month(export, base / "dossiers.csv.gz", upload)
        (base / "sample.json").unlink()  # the split file is not the sample's: it is loaded as official data
        (work / f"month-{scale:g}").write_text(month)
    month = (work / f"month-{scale:g}").read_text()
    env = dict(os.environ, COMMUNES_UPLOAD_MAX_MB=str(max(50, upload.stat().st_size // 2**20 + 1)))

    def fresh_base():  # the version the upload lands on: the sample without its last month
        for p in (work / "up-data", work / "up-db"):
            shutil.rmtree(p, ignore_errors=True)
        shutil.copytree(base, work / "up-data")
        child(BUILD, work / "up-data", work / "up-db", env=env)

    up = best(repeat, UPLOAD, upload, work / "up-data", work / "up-db", env=env, before=fresh_base)
    return {"scale": scale, "read": read, "full": full, "upload": up, "month": month}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", nargs="+", type=float, default=[1, 10])
    ap.add_argument("--workdir", default=None, help="keeps the generated samples between runs")
    ap.add_argument("--repeat", type=int, default=1, help="runs per step; the fastest is kept")
    ap.add_argument("--copies-of", type=float, default=None,
                    help="make a larger scale from copies of this (already written) scale's dossiers")
    args = ap.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    print("Wall-clock seconds, and CPU seconds (user + system, all threads) in brackets: on a busy machine the CPU")
    print("time shows the work done, the wall clock also the waiting for a core.")
    print("| scale | dossier rows | plain read (s) | full build (s) | build / read | one-month upload (s) "
          "| upload rows | upload path | upload / build | peak RSS build / upload (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    steps = []
    for scale in args.scales:
        r = run(scale, work, args.repeat, args.copies_of)
        rd, fb, up = r["read"], r["full"], r["upload"]
        steps.append(f"{scale:g}×: " + ", ".join(f"{k.replace('_', ' ')} {v:.2f}"
                                                  for k, v in {**up["steps"], "apply": up["apply"]}.items()))
        print(f"| {scale:g}× | {fb['rows'].get('dossiers', 0):,} | {rd['seconds']:.2f} [{rd['cpu']:.2f}] "
              f"| {fb['seconds']:.2f} [{fb['cpu']:.2f}] | {fb['seconds'] / rd['seconds']:.2f} [{fb['cpu'] / rd['cpu']:.2f}] "
              f"| {up['seconds']:.2f} [{up['cpu']:.2f}] | {up['rows']:,} ({r['month']}) | {up['path']} "
              f"| {up['seconds'] / fb['seconds']:.2f} [{up['cpu'] / fb['cpu']:.2f}] "
              f"| {fb['peak_mb']:,.0f} / {up['peak_mb']:,.0f} |", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("The one-month upload step by step (wall-clock seconds):")
    for line in steps:
        print(f"- {line}")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
