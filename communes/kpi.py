"""The headline indicators of a period and a unit (or the whole province), as one dict.

This is what ``python -m communes kpi`` prints and what the pages show; both read
it through the same named queries, so their numbers match by construction.
"""
from __future__ import annotations

import math

import pandas as pd

from communes import queries, rollups
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


def _row(df: pd.DataFrame, keys: list[str]) -> dict:
    """The first row of ``df`` as plain values; every key None when there is no row (no data)."""
    row = df.iloc[0] if len(df) else None
    return {k: (_clean(row[k]) if row is not None else None) for k in keys}


def by_unit(run, section: str, period: Period, units: list[str] | None = None,
            stored: rollups.Stored | None = None) -> pd.DataFrame:
    """One section's indicators for ``period``, one row per unit of ``units`` (None = all) with rows.
    Dossiers go through ``communes.rollups`` (the build's rollup for a stored period, else the macro).
    Counts are nullable integers, so a table of every unit joined to these rows keeps "8", not "8.0"."""
    if section == "dossiers":
        df = rollups.dossiers(run, period.start, period.end, units, by_unit=True, stored=stored)
    else:
        df = run(QUERY[section], start=period.start, end=period.end, units=units, by_unit=True)
    return df.astype(dict.fromkeys(df.select_dtypes("integer").columns, "Int64"))


def section(run, name: str, period: Period, units: list[str] | None = None,
            stored: rollups.Stored | None = None) -> dict:
    """One section of ``compute`` (``KEYS[name]``) for ``period`` over ``units`` together."""
    if name == "dossiers":
        df = rollups.dossiers(run, period.start, period.end, units, by_unit=False, stored=stored)
    else:
        df = run(QUERY[name], start=period.start, end=period.end, units=units, by_unit=False)
    return _row(df, KEYS[name])


def compute(period: Period, units: list[str] | None = None, con=None, run=None,
            stored: rollups.Stored | None = None) -> dict:
    """Every indicator of the contract for ``period`` over ``units`` (None = all).

    ``run(name, **params)`` runs a named query (the app passes its cached runner);
    by default ``queries.run`` on ``con``. ``stored``: what the build stored (``rollups.Stored``;
    read when not given).
    """
    run = run or (lambda name, **p: queries.run(name, con=con, **p))
    return {name: section(run, name, period, units, stored) for name in KEYS}


def compute_compared(cmp, units: list[str] | None = None, con=None, run=None,
                     stored: rollups.Stored | None = None) -> dict:
    """The indicators of ``compute`` in the comparison ``cmp`` (a ``communes.comparisons.Comparison``):
    dossiers over the comparison's dates, tourism and fishery over as many whole months as the period,
    rice over the same seasons a year earlier. Same keys as ``compute``."""
    run = run or (lambda name, **p: queries.run(name, con=con, **p))
    out = {}
    for name, keys in KEYS.items():
        if name == "agriculture":
            df = run("kpi/rice_before", start=cmp.period.start, end=cmp.period.end, units=units, by_unit=False)
            out[name] = _row(df, keys)
        else:
            out[name] = section(run, name, cmp.for_section(name), units, stored)
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
