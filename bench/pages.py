"""Page query benchmark: every page's data plan (``communes.views.*`` and the briefing's ``communes.briefing.data``), warm, median of runs.

Usage: ``python bench/pages.py [--data DIR] [--runs 7]``. Builds (or reuses) the database for
DIR (default: the bundled sample), then for each page times its ``load(run, frame)`` with
plain, uncached queries over several periods and scopes, and prints a Markdown table. The last column
times the same loads as the app runs them for a combination of filters not seen yet: queries without
parameters give one result per data version and are cached by ``communes.ui.data`` (st.cache_data), the
others run.
Targets: all of a page's queries ≤ 50 ms warm at sample scale, ≤ 0.5 s at 10×.
"""
from __future__ import annotations

import importlib
import pkgutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import database  # noqa: E402
from communes import groups, periods, queries, refdata, settings, views  # noqa: E402
from communes.frame import Frame  # noqa: E402


@dataclass(frozen=True)
class BenchFrame(Frame):
    """The pages' frame (``communes.frame.Frame``), with what a page picks with its own widgets: a unit
    (profile, drill-down) and extra choices (the compare page's units)."""
    version: object = None
    as_of: date = date(2026, 10, 31)
    unit: str | None = None
    extra: dict = field(default_factory=dict)


def frames(ref) -> list[BenchFrame]:
    out = []
    first = ref.units.unit_code.iloc[0]
    for code, scope in [("2025-Q3", "all"), ("2026-09", "xa"), ("2025", "all"), ("2025-07-01..2025-10-31", "phuong")]:
        p = periods.parse(code)
        out.append(BenchFrame(ref, p, p.previous(), "prev", scope, groups.scope_units(ref, scope), unit=first))
    return out


def calibration(con) -> str:
    """Two fixed timings printed beside the table, so runs on different days can be compared: the round trip
    of the smallest query (what each of a page's queries pays at least) and a fixed scan of 10 M integers."""
    def med(sql: str, n: int) -> float:
        times = []
        for _ in range(n):
            cur = con.cursor()
            t0 = time.perf_counter()
            cur.execute(sql).df()
            times.append((time.perf_counter() - t0) * 1000)
            cur.close()
        return statistics.median(times)

    return (f"`select 1` round trip {med('select 1', 50):.2f} ms, "
            f"`select sum(i) from range(10000000)` {med('select sum(i) from range(10000000) t(i)', 7):.1f} ms")


def main() -> None:
    args = database.arguments(runs=7).parse_args()
    _, con = database.built(args)
    nd = con.execute("select count(*) from dossiers").fetchone()[0]
    ref = refdata.load(settings.get("province"))

    def run(name, **params):
        return queries.run(name, con=con, **params)

    constant: dict[str, object] = {}

    def app_run(name, **params):
        """As the app runs it: a query without parameters gives one result per data version, which
        st.cache_data keeps (communes.ui.data); every other query runs."""
        if params:
            return run(name, **params)
        if name not in constant:
            constant[name] = run(name)
        return constant[name].copy()

    print(f"Data: {args.data} ({nd:,} dossier rows)  ")
    print(f"Machine speed now (this virtual machine's varies by up to ~1,7× over a day): {calibration(con)}\n")
    print("| page | queries per load (without parameters) | warm median (ms) | warm max (ms) | cold first (ms) "
          "| new filters in the app, median (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    pages = [f"communes.views.{m.name}" for m in pkgutil.iter_modules(views.__path__)] + ["communes.briefing.data"]
    for module in pages:
        view = importlib.import_module(module)
        counted = []

        def counting(name, counted=counted, **params):
            counted.append(name)
            return run(name, **params)

        fs = frames(ref)
        t0 = time.perf_counter()
        view.load(counting, fs[0])
        cold = (time.perf_counter() - t0) * 1000
        nq, n_const = len(counted), sum(1 for q in counted if not queries.QUERIES[q].params)
        times, app_times = [], []
        for _ in range(args.runs):
            for f in fs:
                for runner, out in ((run, times), (app_run, app_times)):
                    t0 = time.perf_counter()
                    view.load(runner, f)
                    out.append((time.perf_counter() - t0) * 1000)
        name = "briefing" if module == "communes.briefing.data" else module.rpartition(".")[2]
        print(f"| {name} | {nq} ({n_const}) | {statistics.median(times):.1f} | {max(times):.1f} | {cold:.1f} "
              f"| {statistics.median(app_times):.1f} |")


if __name__ == "__main__":
    main()
