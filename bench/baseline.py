"""The pandas baseline: the overview's numbers computed the way a typical pandas Streamlit app would.

Usage: ``python bench/baseline.py [--data DIR] [--runs 5] [--db-dir DIR]``. A typical app reads the CSV exports
with pandas (cached once), then on every rerun filters and groups the raw rows for the period
and the comparison period. This script does exactly that, checks that it produces the same
numbers as the product's queries (``overview/unit_table`` and ``kpi``), and prints both timings
and their ratio as a Markdown table.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import database  # noqa: E402
from communes import periods, queries, refdata, settings  # noqa: E402
from communes.views import overview  # noqa: E402

COUNTS = ["new_online", "new_direct", "new_postal", "carried_over", "received", "resolved_early",
          "resolved_on_time", "resolved_late", "resolved", "pending_in_time", "pending_overdue", "pending"]


def read_exports(data: Path, ref) -> pd.DataFrame:
    """What the typical app caches: the dossier export with names resolved to unit codes."""
    d = pd.read_csv(data / "dossiers.csv.gz", dtype=str, keep_default_na=False)
    for c in ("received_at", "due_at", "completed_at"):
        d[c] = pd.to_datetime(d[c].replace("", None), format="mixed")
    date_only = d["due_at"].dt.normalize() == d["due_at"]
    d.loc[date_only, "due_at"] += pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    d["before"] = d["received_at"] < pd.Timestamp(periods.MERGER)
    keys = d[["unit", "before"]].drop_duplicates()
    keys["unit_code"] = [refdata.resolve(ref, u, b).unit_code for u, b in zip(keys.unit, keys.before)]
    return d.merge(keys, on=["unit", "before"], how="left")


def biểu06(d: pd.DataFrame, p: periods.Period) -> pd.DataFrame:
    """Per-unit counts over the raw rows, on every rerun."""
    as_of = max(d.received_at.max(), d.completed_at.max()).normalize()
    s = pd.Timestamp(p.start)
    e = min(pd.Timestamp(p.end), as_of) + pd.Timedelta(days=1)
    live = d[(d.received_at < e) & (d.completed_at.isna() | (d.completed_at >= s))]
    new = live.received_at >= s
    done = live.completed_at.notna() & (live.completed_at < e)
    early = done & (live.completed_at.dt.normalize() < live.due_at.dt.normalize())
    late = done & (live.completed_at > live.due_at)
    overdue = ~done & (live.due_at < e - pd.Timedelta(microseconds=1))
    f = pd.DataFrame({
        "unit_code": live.unit_code,
        "new_online": new & (live.channel == "2"), "new_direct": new & (live.channel == "1"),
        "new_postal": new & (live.channel == "3"), "carried_over": ~new, "received": True,
        "resolved_early": early, "resolved_on_time": done & ~early & ~late, "resolved_late": late,
        "resolved": done, "pending_in_time": ~done & ~overdue, "pending_overdue": overdue, "pending": ~done,
    })
    return f.groupby("unit_code").sum().astype("int64")


def main() -> None:
    args = database.arguments(runs=5).parse_args()
    data = Path(args.data)
    ref = refdata.load(settings.get("province"))
    t0 = time.perf_counter()
    d = read_exports(data, ref)
    read_s = time.perf_counter() - t0
    res, con = database.built(args)

    def run(name, **params):
        return queries.run(name, con=con, **params)

    from bench.pages import BenchFrame  # noqa: E402

    p = periods.parse("2025-Q3")
    frame = BenchFrame(ref, p, p.previous(), "prev", "all", None)
    # same numbers?
    ours = run("kpi/dossiers", start=p.start, end=p.end, units=None, by_unit=True).set_index("unit_code")[COUNTS]
    theirs = biểu06(d, p)[COUNTS]
    assert np.array_equal(ours.sort_index().to_numpy(), theirs.sort_index().to_numpy()), "baseline differs"
    tp, tq = [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        biểu06(d, frame.period)
        biểu06(d, frame.compare)
        tp.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        overview.load(run, frame)
        tq.append((time.perf_counter() - t0) * 1000)
    mp, mq = statistics.median(tp), statistics.median(tq)
    print(f"Data: {data} ({len(d):,} dossier rows); baseline and product agree on every unit's Biểu 06 counts.\n")
    print("| what | pandas baseline | product (DuckDB rollups) | ratio |")
    print("|---|---:|---:|---:|")
    print(f"| overview rerun, warm (ms) | {mp:.0f} | {mq:.1f} | {mp / mq:.0f}× |")
    how = "validate + build" if res.built else "database already built: fingerprint check only"
    print(f"| first read of the exports (s) | {read_s:.1f} | {res.seconds:.1f} ({how}) | |")


if __name__ == "__main__":
    main()
