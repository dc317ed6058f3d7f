"""Upload benchmark: a ~200 MB dossiers export uploaded, dry-run and applied, with time and peak memory.

Usage: ``python bench/upload.py [--big DIR] [--scale 25]``. Without ``--big`` it writes the sample at
``--scale`` (25 gives a ~200 MB ``dossiers.csv.gz``, ~14 M rows; about 1.5 min) into a temporary
folder. It then copies the bundled sample into a fresh data folder, builds its first version, and in
a fresh process (so the peak RSS is the upload's own) runs the steward's flow on the big file:

1. stage: stream the file to the staging folder in 1 MB chunks (as the page does with the upload);
2. dry run: validate it with DuckDB (reader), merge it into the stored dossiers, write the merged
   export, build the candidate version, check the merged rows read back identically, KPIs before → after;
3. apply: move the candidate in, swap the export into the data folder, point CURRENT.

Prints a Markdown table: phase, seconds, peak RSS so far (MB). Target: peak ≤ 1.5 GB. DuckDB's
buffer is capped by ``communes.db.MEMORY_LIMIT`` and spills to disk beyond it.
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

CHILD = """
import json, resource, sys, time
from pathlib import Path
from communes import staging, steward
big, data, dbdir = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
out = []
def mark(phase, t0, **extra):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.append(dict(phase=phase, seconds=time.perf_counter() - t0, peak_mb=peak, **extra))
t0 = time.perf_counter()
with open(big, "rb") as fh:
    staged = staging.stage(fh, big.name, dbdir)
mark("stage (stream to disk)", t0, bytes=staged.size)
t0 = time.perf_counter()
plan = steward.dry_run(staged, "dossiers", data, dbdir)
assert plan.ok, [str(p) for p in plan.problems[:5]]
mark("dry run (validate, merge, candidate, KPIs)", t0, steps={k: round(v, 1) for k, v in plan.timings.items()},
     rows_upload=plan.rows_upload, added=plan.added,
     replaced=plan.replaced, rows_before=plan.rows_before, rows_after=plan.rows_after)
t0 = time.perf_counter()
version = steward.apply(plan, data_dir=data, directory=dbdir)
mark("apply (swap in)", t0, version=version.name)
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--big", help="folder holding a big dossiers.csv.gz (default: generate one)")
    ap.add_argument("--scale", type=float, default=25)
    ap.add_argument("--workdir")
    args = ap.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-upload-"))
    if args.big:
        big = Path(args.big) / "dossiers.csv.gz"
    else:
        from communes.sample import write_sample

        gen = work / "big"
        gen.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        write_sample(gen, seed=1, scale=args.scale)
        print(f"generated scale {args.scale:g} in {time.perf_counter() - t0:.0f} s")
        big = gen / "dossiers.csv.gz"
    data, dbdir = work / "data", work / "db"
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(dbdir, ignore_errors=True)
    shutil.copytree(ROOT / "data", data)
    env = dict(os.environ, COMMUNES_DATA_DIR=str(data), COMMUNES_DB_DIR=str(dbdir),
               COMMUNES_UPLOAD_MAX_MB=str(max(250, big.stat().st_size // 2**20 + 1)))
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "communes", "load", str(data), "--db", str(dbdir)], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    print(f"base version (bundled sample) built in {time.perf_counter() - t0:.1f} s")
    res = subprocess.run([sys.executable, "-c", CHILD, str(big), str(data), str(dbdir)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=False)
    if res.returncode:
        print(res.stderr[-3000:])
        raise SystemExit(res.returncode)
    phases = json.loads(res.stdout.strip().splitlines()[-1])
    size = big.stat().st_size / 2**20
    print(f"\nUpload: {big.name}, {size:,.0f} MB; DuckDB memory limit per connection "
          f"{__import__('communes.db').db.MEMORY_LIMIT}\n")
    print("| phase | seconds | peak RSS so far (MB) | notes |")
    print("|---|---:|---:|---|")
    for p in phases:
        notes = ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in p.items()
                          if k not in ("phase", "seconds", "peak_mb"))
        print(f"| {p['phase']} | {p['seconds']:.1f} | {p['peak_mb']:,.0f} | {notes} |")
    total = sum(p["seconds"] for p in phases)
    print(f"| total | {total:.1f} | {max(p['peak_mb'] for p in phases):,.0f} | |")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
