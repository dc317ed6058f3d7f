"""Specialists by field: dossiers per specialist (cán bộ chuyên môn) by unit and procedure field.

What it counts, for a period P and a unit's field (the data contract's definition):

    dossiers per specialist per month = new dossiers of the field received in P
                                        ÷ months of P that the data covers
                                        ÷ specialists of the field in the unit's latest
                                          ``staffing_fields`` row on or before the end of P

- new dossiers: every channel (online, in person, by post), received in P; carried-over and pending
  dossiers are not counted (they are the same workload counted again);
- months: calendar months of P, partial months as fractions, a period still running stopping at the
  data's as-of day (``peers.months_in``), so a month and a quarter read on the same scale;
- specialists: per unit and field, the row with the latest ``as_of`` not after P's end; each row keeps
  its own date, which the tables show. Fields are matched without case or diacritics.

A field with dossiers and 0 specialists is flagged "không có cán bộ chuyên môn", never divided by zero;
a field without any staffing row by then is "no data" (not 0 specialists, not flagged).

``load(run, period, as_of, units)`` returns typed rows (``FieldLoad``) that the profile, the dossier
page and the phone page share; the other functions are pure.

>>> r = FieldLoad("19873", "Đất đai", new_dossiers=90, specialists=2, as_of=date(2025, 7, 1), months=3.0)
>>> r.per_specialist_month, r.no_specialist
(15.0, False)
>>> FieldLoad("19873", "Xây dựng", 12, 0, date(2025, 7, 1), 3.0).no_specialist
True
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from communes import fmt, peers
from communes.i18n import t
from communes.missing import is_missing

QUERY = "specialists/field_load"


@dataclass(frozen=True)
class FieldLoad:
    unit_code: str
    field: str
    new_dossiers: int  # received in the period, every channel
    specialists: int | None  # latest row on or before the period's end; None: no row (no data)
    as_of: date | None  # the date of that row
    months: float  # months of the period the data covers

    @property
    def no_specialist(self) -> bool:
        """Dossiers in the field and no specialist: "không có cán bộ chuyên môn"."""
        return self.specialists == 0 and self.new_dossiers > 0

    @property
    def per_specialist_month(self) -> float | None:
        """New dossiers per specialist per month; None without specialists or months."""
        if not self.specialists or self.months <= 0:
            return None
        return self.new_dossiers / self.months / self.specialists

    @property
    def per_month(self) -> float | None:
        return self.new_dossiers / self.months if self.months > 0 else None


def months(period, as_of: date) -> float:
    """Months of ``period`` the data covers (a running period stops at the as-of day)."""
    return peers.months_in(period.start, min(period.end, as_of))


def load(run, period, as_of: date, units: list[str] | None = None) -> list[FieldLoad]:
    """Every (unit, field) of ``units`` (None: all) with new dossiers in ``period`` or specialists on record."""
    df = run(QUERY, start=period.start, end=period.end, units=None if units is None else sorted(units))
    m = months(period, as_of)
    return [FieldLoad(r.unit_code, r.field, int(r.new_dossiers),
                      None if is_missing(r.specialists) else int(r.specialists),
                      None if is_missing(r.as_of) else pd.Timestamp(r.as_of).date(), m)
            for r in df.itertuples(index=False)]


def worst_first(rows: list[FieldLoad]) -> list[FieldLoad]:
    """Flagged fields first (most dossiers first), then the heaviest load per specialist, then the rest
    (no dossiers or no staffing row) by dossiers."""
    def key(r: FieldLoad):
        per = r.per_specialist_month
        return (0 if r.no_specialist else 1 if per is not None else 2,
                -(per or 0.0), -r.new_dossiers, r.unit_code, r.field)
    return sorted(rows, key=key)


def for_unit(rows: list[FieldLoad], unit: str) -> list[FieldLoad]:
    """One unit's fields, worst first."""
    return worst_first([r for r in rows if r.unit_code == unit])


def has_staffing(rows: list[FieldLoad]) -> bool:
    """True when any row has a specialists figure (the export is loaded and covers the period)."""
    return any(r.specialists is not None for r in rows)


def flagged(rows: list[FieldLoad]) -> list[FieldLoad]:
    return [r for r in rows if r.no_specialist]


def load_text(r: FieldLoad, lang: str) -> str:
    """The load as a cell reads: "12,5", "không có cán bộ chuyên môn", "—" or "không có dữ liệu"."""
    if r.no_specialist:
        return t("spec.none", lang)
    if r.per_specialist_month is not None:
        return fmt.number(r.per_specialist_month, 1, lang)
    return "—" if r.specialists == 0 else t("spec.no_data", lang)  # "—": neither dossiers nor specialists


def view(rows: list[FieldLoad], lang: str, names: dict[str, str] | None = None) -> pd.DataFrame:
    """The rows as a table (text cells, Vietnamese number and date format); a unit column when ``names``."""
    out = {}
    if names is not None:
        out[t("spec.col_unit", lang)] = [names.get(r.unit_code, r.unit_code) for r in rows]
    out |= {  # the load right after the field: what a phone shows without scrolling sideways
        t("spec.col_field", lang): [r.field for r in rows],
        t("spec.col_load", lang): [load_text(r, lang) for r in rows],
        t("spec.col_specialists", lang): ["—" if r.specialists is None else fmt.number(r.specialists, lang=lang)
                                          for r in rows],
        t("spec.col_per_month", lang): [fmt.number(r.per_month, 1, lang) for r in rows],
        t("spec.col_as_of", lang): ["—" if r.as_of is None else fmt.date(r.as_of, lang) for r in rows],
    }
    return pd.DataFrame(out)


def city_rows(rows: list[FieldLoad]) -> list[FieldLoad]:
    """The city table: the fields of units that report specialists, worst first (units without any
    staffing row for the period are left out and counted by ``units_without``)."""
    reporting = {r.unit_code for r in rows if r.specialists is not None}
    return worst_first([r for r in rows if r.unit_code in reporting])


def units_without(rows: list[FieldLoad], units: list[str]) -> list[str]:
    """Units of ``units`` with dossiers but no specialists row by the period's end."""
    reporting = {r.unit_code for r in rows if r.specialists is not None}
    return [u for u in units if u not in reporting and any(r.unit_code == u and r.new_dossiers for r in rows)]
