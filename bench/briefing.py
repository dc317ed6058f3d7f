"""Briefing deck benchmark: time to make the .pptx (data, slides, native charts, map shapes), cold and warm.

Usage: ``python bench/briefing.py [--data DIR] [--period 2025-Q3] [--runs 5]``. Builds (or reuses) the
database for DIR (default: the bundled sample), then times ``briefing.data.load`` + ``deck.build`` for
the city, a peer group and one unit, with plain uncached queries, and prints a Markdown table.
Target: a city deck in ≤ 5 s on this machine.
"""
from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

from pptx import Presentation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import database  # noqa: E402
from communes import briefing, periods, queries, refdata, settings  # noqa: E402
from communes.briefing import data as view  # noqa: E402
from communes.briefing import deck  # noqa: E402


def main() -> None:
    ap = database.arguments(runs=5)
    ap.add_argument("--period", default="2025-Q3")
    args = ap.parse_args()
    _, con = database.built(args)
    nd = con.execute("select count(*) from dossiers").fetchone()[0]
    ref = refdata.load(settings.get("province"))
    period = periods.parse(args.period)

    def run(name, **params):
        return queries.run(name, con=con, **params)

    span = run("meta/data_span")
    as_of = span["as_of"].iloc[0].date()
    print(f"Data: {args.data} ({nd:,} dossier rows); period {args.period}\n")
    print("| deck | slides | size (KB) | cold (s) | warm median (s) | of which data (s) | warm max (s) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, scope, unit in [("city", "all", None), ("peer group (coastal)", "coastal", None),
                               ("one unit (Phong Quảng)", "all", "Phong Quảng")]:
        f = briefing.frame(ref, period, "prev", scope, as_of)
        times, data_times = [], []
        for i in range(args.runs + 1):
            t0 = time.perf_counter()
            d = view.load(run, f, unit=unit)
            t1 = time.perf_counter()
            out = deck.build(d)
            t2 = time.perf_counter()
            if i == 0:
                cold = t2 - t0
            else:
                times.append(t2 - t0)
                data_times.append(t1 - t0)
        n = len(Presentation(io.BytesIO(out)).slides)
        print(f"| {label} | {n} | {len(out) / 1024:.0f} | {cold:.2f} | {statistics.median(times):.2f} "
              f"| {statistics.median(data_times):.2f} | {max(times):.2f} |")


if __name__ == "__main__":
    main()
