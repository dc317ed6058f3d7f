"""The headline indicators of a period and a unit (or the whole province), as one dict.

This is what ``python -m communes kpi`` prints and what the pages show; both read
it through the same named queries, so their numbers match by construction.
"""
from __future__ import annotations

import math

import pandas as pd

from communes import queries
from communes.periods import Period

KEYS = {
    "dossiers": ["new_online", "new_direct", "new_postal", "carried_over", "received", "resolved_early",
                 "resolved_on_time", "resolved_late", "resolved", "pending_in_time", "pending_overdue", "pending",
                 "on_time_rate", "online_rate", "digitized_rate", "overdue_rate", "satisfaction_rate"],
    "tourism": ["visitors_domestic", "visitors_international", "visitors", "overnight_guests", "revenue_vnd"],
    "agriculture": ["rice_area_ha", "rice_production_tonnes", "rice_yield_quintal_per_ha"],
    "fishery": ["aquaculture_tonnes", "capture_tonnes"],
}
QUERY = {"dossiers": "kpi/dossiers", "tourism": "kpi/tourism", "agriculture": "kpi/rice", "fishery": "kpi/fishery"}


def _clean(v):
    """A plain JSON-ready Python value; NULL, NaN and ``pd.NA`` all become None."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def compute(period: Period, units: list[str] | None = None, con=None, run=None) -> dict:
    """Every indicator of the contract for ``period`` over ``units`` (None = all).

    ``run(name, **params)`` runs a named query (the app passes its cached runner);
    by default ``queries.run`` on ``con``.
    """
    run = run or (lambda name, **p: queries.run(name, con=con, **p))
    out = {}
    for section, keys in KEYS.items():
        df = run(QUERY[section], start=period.start, end=period.end, units=units, by_unit=False)
        row = df.iloc[0] if len(df) else None
        out[section] = {k: (_clean(row[k]) if row is not None else None) for k in keys}
    return out


def compute_compared(cmp, units: list[str] | None = None, con=None, run=None) -> dict:
    """The indicators of ``compute`` in the comparison ``cmp`` (a ``communes.comparisons.Comparison``):
    dossiers over the comparison's dates, tourism and fishery over as many whole months as the period,
    rice over the same seasons a year earlier. Same keys as ``compute``."""
    run = run or (lambda name, **p: queries.run(name, con=con, **p))
    out = {}
    for section, keys in KEYS.items():
        if section == "agriculture":
            df = run("kpi/rice_before", start=cmp.period.start, end=cmp.period.end, units=units, by_unit=False)
        else:
            p = cmp.for_section(section)
            df = run(QUERY[section], start=p.start, end=p.end, units=units, by_unit=False)
        row = df.iloc[0] if len(df) else None
        out[section] = {k: (_clean(row[k]) if row is not None else None) for k in keys}
    return out


def document(period: Period, unit_name: str | None, units: list[str] | None, con=None, run=None) -> dict:
    """What ``python -m communes kpi`` prints and ``/api/v1/kpi`` answers: the unit's name (None for the
    whole province), the period's first and last day, then ``compute``'s sections, then ``due_soon``:
    "Sắp đến hạn" at the data date, whatever the period (an added key; the others are unchanged)."""
    out = {"unit": unit_name, "period": {"start": period.start.isoformat(), "end": period.end.isoformat()}}
    out.update(compute(period, units, con=con, run=run))
    out["due_soon"] = due_soon_document(units, con=con, run=run)
    return out


def due_soon_document(units: list[str] | None, con=None, run=None) -> dict | None:
    """"Sắp đến hạn" of ``units`` at the data's as-of date (``communes.due_soon``) as plain JSON values;
    None when no data is loaded."""
    from communes import due_soon

    run = run or (lambda name, **p: queries.run(name, con=con, **p))
    span = run("meta/data_span")
    if not len(span) or pd.isna(span["as_of"].iloc[0]):
        return None
    ds = due_soon.load(run, pd.Timestamp(span["as_of"].iloc[0]).date(), units)
    return {"as_of": ds.as_of.isoformat(), "working_days": ds.days, "until": ds.until.isoformat(),
            "due_soon": ds.due_soon, "overdue": ds.overdue, "pending": ds.pending}
