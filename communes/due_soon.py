""""Sắp đến hạn" (due soon): pending dossiers due within the next N working days of the data date.

The dossier rule is defined once, in SQL (``dossiers_due_soon`` in ``queries/build/21_due_soon.sql``):
pending and not yet overdue at the end of the data's as-of day, due on or before a last day. This module
gives that last day: the N-th working day after the as-of day, where weekends and Vietnamese public
holidays (Tết included, and the Saturdays worked in exchange for a bridge day) come from the ``holidays``
package's calendar for Vietnam, never from a hand-typed list. N is the setting ``due_soon_days``.

>>> until(date(2026, 2, 13), 2)      # Friday before Tết Bính Ngọ: the office reopens on Monday 23/02
datetime.date(2026, 2, 24)
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import holidays

from communes import settings


@functools.cache
def _calendar(year: int) -> holidays.HolidayBase:
    """Vietnam's public holidays for ``year`` and the next (a window may cross New Year), in Vietnamese."""
    return holidays.country_holidays("VN", years=(year, year + 1), language="vi")


def is_working_day(d: date) -> bool:
    """Monday to Friday and not a public holiday, or a Saturday worked in exchange for a bridge day.

    >>> is_working_day(date(2026, 4, 30)), is_working_day(date(2026, 8, 22)), is_working_day(date(2026, 5, 4))
    (False, True, True)
    """
    return _calendar(d.year).is_working_day(d)


def holiday_name(d: date) -> str | None:
    """The holiday's Vietnamese name, or None.

    >>> holiday_name(date(2026, 2, 17))
    'Tết Nguyên Đán'
    """
    return _calendar(d.year).get(d)


def until(as_of: date, days: int | None = None) -> date:
    """The last day a dossier may be due on to count as due soon: the ``days``-th working day after
    ``as_of`` (``days`` = the setting ``due_soon_days`` by default; 0 = the as-of day itself)."""
    n = default_days() if days is None else days
    if n < 0:
        raise ValueError(f"Số ngày làm việc «{n}» không hợp lệ: cần một số nguyên ≥ 0")
    return as_of if n == 0 else _calendar(as_of.year).get_nth_working_day(as_of, n)


def default_days() -> int:
    """The setting ``due_soon_days`` (default 2), checked."""
    raw = settings.get("due_soon_days")
    try:
        n = int(raw)
    except ValueError:
        n = -1
    if n < 0:
        raise ValueError(f"Thiết lập COMMUNES_DUE_SOON_DAYS «{raw}» không hợp lệ: cần một số nguyên ≥ 0")
    return n


def working_days_left(as_of: date, due: date) -> int:
    """Working days after ``as_of`` up to and including ``due`` (0: due on the as-of day itself).

    >>> working_days_left(date(2026, 4, 29), date(2026, 5, 4))   # 30/04, 01/05, the weekend: off
    1
    """
    cal = _calendar(as_of.year)
    return cal.get_working_days_count(as_of, due) - (1 if cal.is_working_day(as_of) else 0) if due > as_of else 0


@dataclass(frozen=True)
class DueSoon:
    """One unit's (or a scope's) due-soon count beside its overdue and pending counts, at the data date."""
    unit_code: str | None
    as_of: date
    days: int
    until: date
    due_soon: int
    overdue: int
    pending: int


def load_unit(run, unit_code: str, as_of: date, days: int | None = None) -> DueSoon:
    """The due-soon figures of one unit (for the profile and the phone page).

    ``run(name, **params)`` runs a named query (``ui.data`` in the app, ``queries.run`` elsewhere).
    A unit with nothing pending has 0 everywhere.
    """
    return load(run, as_of, [unit_code], days)


def load(run, as_of: date, units: list[str] | None = None, days: int | None = None) -> DueSoon:
    """The due-soon figures of ``units`` together (None = every unit; ``unit_code`` is set for one unit)."""
    n = default_days() if days is None else days
    last = until(as_of, n)
    df = run("dossiers/due_soon_units", until=last, units=units)
    return DueSoon(units[0] if units is not None and len(units) == 1 else None, as_of, n, last,
                   int(df["due_soon"].sum()), int(df["pending_overdue"].sum()), int(df["pending"].sum()))


def by_unit(run, as_of: date, units: list[str] | None, days: int | None = None):
    """(until, DataFrame): every unit of ``units`` with anything pending, most due soon first."""
    last = until(as_of, days)
    return last, run("dossiers/due_soon_units", until=last, units=units)


def rows(run, as_of: date, units: list[str] | None, days: int | None = None):
    """(until, DataFrame): the dossiers due soon of ``units``, with their working days left."""
    last = until(as_of, days)
    df = run("dossiers/due_soon_list", until=last, units=units)
    df["working_days_left"] = [working_days_left(as_of, d.date()) for d in df["due_at"]]
    return last, df


# --- presentation (pure: the pages lay out what these return) ------------------------------------

def most_text(units_df, names: dict, lang: str = "vi", k: int = 3) -> str:
    """The units with the most dossiers due soon: "Phú Xuân 20, Thuận Hóa 17, Kim Long 15".

    >>> import pandas as pd
    >>> most_text(pd.DataFrame({"unit_code": ["a", "b", "c"], "due_soon": [3, 0, 5]}), {"a": "A", "c": "C"})
    'C 5, A 3'
    """
    from communes import fmt

    top = units_df[units_df["due_soon"] > 0].sort_values(["due_soon", "unit_code"], ascending=[False, True]).head(k)
    return ", ".join(f"{names.get(c, c)} {fmt.number(n, lang=lang)}" for c, n in zip(top["unit_code"], top["due_soon"]))


def list_view(df, names: dict, lang: str = "vi"):
    """The due-soon dossiers as the dossier page shows them (sortable: dates stay dates)."""
    import pandas as pd

    from communes.i18n import t

    return pd.DataFrame({
        t("col.unit", lang): [names.get(c, c) for c in df["unit_code"]],
        t("dossiers.col_due", lang): pd.to_datetime(df["due_at"]),
        t("due_soon.col_days_left", lang): df["working_days_left"].astype("Int64"),
        t("dossiers.col_id", lang): df["dossier_id"],
        t("dossiers.field", lang): df["field"],
        t("dossiers.col_procedure", lang): df["procedure"],
        t("dossiers.col_received", lang): pd.to_datetime(df["received_at"]),
    })


def list_csv(df, names: dict, lang: str = "vi"):
    """The list for download: dates written the Vietnamese way (dd/mm/yyyy hh:mm)."""
    from communes.i18n import t

    out = list_view(df, names, lang)
    for c in (t("dossiers.col_received", lang), t("dossiers.col_due", lang)):
        out[c] = out[c].dt.strftime("%d/%m/%Y %H:%M")
    return out


def rule_text(as_of: date, last: date, days: int, lang: str = "vi") -> str:
    """The rule in one sentence, with the data date and the last day counted."""
    from communes import fmt
    from communes.i18n import t

    return t("due_soon.rule", lang, until=fmt.date(last, lang), days=days, as_of=fmt.date(as_of, lang))
