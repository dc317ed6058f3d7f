"""Ingest benchmark: dossier rows validated and loaded per second, and peak memory.

Usage: ``python bench/ingest.py [--scales 1 10]``. Writes the sample at each scale into a
temporary folder, then times ``db.build`` (validation + atomic database build) in a fresh
process per scale, and prints a Markdown table. Target: 1 M dossier rows in ≤ 3 s.
"""
from __future__ import annotations

import argparse
import json
import os
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
from communes import db
t0 = time.perf_counter()
res = db.build(Path(sys.argv[1]), Path(sys.argv[2]))
secs = time.perf_counter() - t0
rows = {r.dataset: r.rows for r in res.reports}
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": secs, "rows": rows, "peak_mb": peak}))
"""


def run(scale: float, workdir: Path) -> dict:
    from communes.sample import write_sample

    data = workdir / f"data-{scale:g}"
    if not data.exists():
        data.mkdir(parents=True)
        t0 = time.perf_counter()
        write_sample(data, seed=0, scale=scale)
        gen = time.perf_counter() - t0
    else:
        gen = float("nan")
    out = subprocess.run([sys.executable, "-c", CHILD, str(data), str(workdir / f"db-{scale:g}-{time.time_ns()}")],
                         capture_output=True, text=True, cwd=ROOT, env=os.environ, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["generate_seconds"] = gen
    res["scale"] = scale
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", nargs="+", type=float, default=[1, 10])
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-ingest-"))
    print("| scale | dossier rows | all rows | validate + load (s) | dossier rows/s | peak RSS (MB) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for scale in args.scales:
        r = run(scale, workdir)
        d = r["rows"].get("dossiers", 0)
        total = sum(r["rows"].values())
        print(f"| {scale:g}× | {d:,} | {total:,} | {r['seconds']:.2f} | {d / r['seconds']:,.0f} | {r['peak_mb']:.0f} |")


if __name__ == "__main__":
    main()
