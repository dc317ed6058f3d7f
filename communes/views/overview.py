"""Data of the overview page: city KPIs now and in the comparison period, and the unit table."""
from __future__ import annotations

from communes import kpi


def load(run, f) -> dict:
    return {
        "now": kpi.compute(f.period, f.units, run=run),
        "before": kpi.compute(f.compare, f.units, run=run),
        "table": run("overview/unit_table", start=f.period.start, end=f.period.end, units=f.units),
    }
