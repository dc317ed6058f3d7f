"""Rollup or live: which named query answers a dossier question, decided by one rule.

The build stores Biểu 06 for every *standard period* — each month, quarter and year the data spans, the
year to date and the same days a year earlier (table ``dossier_periods``) — per unit, per scope the frame
offers (all units, phường, xã, each peer group: ``dossier_scopes``) and per unit and field
(``queries/build/31_dossiers.sql``, with the macros of ``20_indicators.sql``). The rule, written once in
``Stored.has``: a question is read from those rows when its period is stored and, for one row over several
units, its set of units is a stored scope; any other question is computed live by the macros. Each
question has two files, the live one and ``<name>_stored``, which return the same columns and rows:

=====================  ============================  ===================================
question               live (the macros)             stored (the build's rows)
=====================  ============================  ===================================
``dossiers``           ``kpi/dossiers``              ``kpi/dossiers_stored``
``field_unit``         ``dossiers/field_unit``       ``dossiers/field_unit_stored``
``trend``              ``dossiers/trend``            ``dossiers/trend_stored``
=====================  ============================  ===================================

tests/test_dossiers_views.py checks every pair on every kind of period and scope. ``stored=None`` (the command
line, a test) reads the stored set first; pages pass the one they loaded with their data.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd


@dataclass(frozen=True)
class Stored:
    """The periods and scopes the build stored (``dossiers/stored``)."""
    periods: frozenset[tuple[date, date]]
    scopes: frozenset[tuple[str, ...] | None]

    @classmethod
    def load(cls, run) -> Stored:
        df = run("dossiers/stored")
        periods = {(pd.Timestamp(s).date(), pd.Timestamp(e).date())
                   for s, e in df.loc[df["what"] == "period", ["start", "end"]].itertuples(index=False)}
        scopes = {scope_key(None if u is None or u is pd.NA else list(u)) for u in df.loc[df["what"] == "scope", "units"]}
        return cls(frozenset(periods), frozenset(scopes))

    def has(self, start: date, end: date, units=None, by_unit: bool = True) -> bool:
        """The rule: [start, end] is a stored period and, unless the answer is by unit, ``units`` a stored scope.

        >>> s = Stored(frozenset({(date(2025, 7, 1), date(2025, 9, 30))}), frozenset({None, ("a", "b")}))
        >>> s.has(date(2025, 7, 1), date(2025, 9, 30), ["b", "a"], by_unit=False)
        True
        >>> s.has(date(2025, 7, 1), date(2025, 9, 30), ["a"], by_unit=False), s.has(date(2025, 7, 1), date(2025, 9, 30), ["a"])
        (False, True)
        >>> s.has(date(2025, 7, 2), date(2025, 9, 30))
        False
        """
        return (start, end) in self.periods and (by_unit or scope_key(units) in self.scopes)


def scope_key(units) -> tuple[str, ...] | None:
    """A set of units as the stored scopes are kept: sorted codes, None for all units."""
    return None if units is None else tuple(sorted(units))


def _stored(run, stored: Stored | None) -> Stored:
    return stored if stored is not None else Stored.load(run)


def dossiers(run, start: date, end: date, units=None, by_unit: bool = False, stored: Stored | None = None) -> pd.DataFrame:
    """Biểu 06 for [start, end] over ``units`` (None = all): one row per unit with dossiers when ``by_unit``,
    else one row for them together (none: no data)."""
    name = "kpi/dossiers_stored" if _stored(run, stored).has(start, end, units, by_unit) else "kpi/dossiers"
    return run(name, start=start, end=end, units=units, by_unit=by_unit)


def field_unit(run, start: date, end: date, units=None, stored: Stored | None = None) -> pd.DataFrame:
    """Biểu 06 per unit and field (lĩnh vực) for [start, end]: one row per unit and field with dossiers."""
    name = "dossiers/field_unit_stored" if _stored(run, stored).has(start, end) else "dossiers/field_unit"
    return run(name, start=start, end=end, units=units)


def trend(run, start: date, units=None, stored: Stored | None = None) -> pd.DataFrame:
    """Biểu 06 of ``units`` together, month by month from ``start`` to the data's as-of month (every month
    is stored, so the scope decides)."""
    name = "dossiers/trend_stored" if scope_key(units) in _stored(run, stored).scopes else "dossiers/trend"
    return run(name, start=start, units=units)
