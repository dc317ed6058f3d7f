"""What each figure is compared with: one rule per kind of data, so every page and the briefing agree.

- **Dossiers** (dated records): the previous period of the same kind and length, or the same dates a
  year earlier ("cùng kỳ"). A year to date is always compared with the same dates a year earlier, as
  Vietnamese reports do (the previous 303 days would straddle two years).
- **Monthly datasets** (tourism, fishery) count the months whose first day lies in the period. Their
  comparison holds as many whole months: the months just before the period's first month, or the same
  months a year earlier. (For months, quarters and years this is the comparison period itself.)
- **Rice** is reported per year and season: it is compared with the same seasons of the year before,
  whichever comparison is chosen, never with another quarter or month of the same year. The seasons
  are matched unit by unit in SQL (``rice_indicators_year_before``).

>>> from communes import periods
>>> c = of(periods.ytd(date(2026, 10, 30)), "prev")
>>> c.kind, c.dates.start, c.dates.end
('yoy', datetime.date(2025, 1, 1), datetime.date(2025, 10, 30))
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from communes import periods
from communes.periods import Period

MONTHLY = ("tourism", "fishery")  # sections of communes.kpi.KEYS counted in whole months


def effective_kind(period: Period, kind: str) -> str:
    """The comparison actually used: a year to date is always compared with the same dates a year earlier.

    >>> effective_kind(periods.ytd(date(2026, 3, 5)), "prev"), effective_kind(periods.parse("2025-Q3"), "prev")
    ('yoy', 'prev')
    """
    return "yoy" if period.kind == "ytd" else kind


def dates(period: Period, kind: str) -> Period:
    """The comparison period of dated records (dossiers).

    >>> dates(periods.parse("2025-Q3"), "prev").code, dates(periods.parse("2025-Q3"), "yoy").code
    ('2025-Q2', '2024-Q3')
    """
    return period.last_year() if effective_kind(period, kind) == "yoy" else period.previous()


def months_in(period: Period) -> list[date]:
    """The first days of the months a monthly dataset counts for ``period`` (first day inside it).

    >>> [m.month for m in months_in(Period(date(2025, 7, 15), date(2025, 10, 31), "range"))]
    [8, 9, 10]
    """
    out, m = [], date(period.start.year, period.start.month, 1)
    if m < period.start:
        m = periods.month(*periods._shift_month(m.year, m.month, 1)).start
    while m <= period.end:
        out.append(m)
        m = periods.month(*periods._shift_month(m.year, m.month, 1)).start
    return out


def _months(first: date, k: int) -> Period:
    last = periods.month(*periods._shift_month(first.year, first.month, k - 1))
    kind = "month" if k == 1 else "range"
    return Period(first, last.end, kind)


def monthly(period: Period, kind: str) -> Period:
    """The whole months a monthly dataset is compared with: as many as ``period`` counts, just before
    its first month (previous period) or the same months a year earlier (cùng kỳ). A period counting
    no month keeps the dated comparison (it has no monthly figure to compare).

    >>> p = Period(date(2025, 7, 15), date(2025, 10, 31), "range")    # Aug–Oct 2025: 3 months
    >>> dates(p, "prev").start, [m.month for m in months_in(dates(p, "prev"))]   # 4 months: unfair
    (datetime.date(2025, 3, 28), [4, 5, 6, 7])
    >>> monthly(p, "prev").start, monthly(p, "prev").end
    (datetime.date(2025, 5, 1), datetime.date(2025, 7, 31))
    """
    mine = months_in(period)
    if not mine:
        return dates(period, kind)
    k = len(mine)
    if effective_kind(period, kind) == "yoy":
        first = mine[0].replace(year=mine[0].year - 1)
    else:
        first = date(*periods._shift_month(mine[0].year, mine[0].month, -k), 1)
    aligned = _months(first, k)
    plain = dates(period, kind)
    return plain if months_in(plain) == months_in(aligned) else aligned


def rice_years(period: Period) -> Period:
    """The calendar years rice is compared with: each year the period touches, one year earlier.

    >>> p = rice_years(periods.parse("2025-Q3")); (p.start, p.end)
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    """
    return Period(date(period.start.year - 1, 1, 1), date(period.end.year - 1, 12, 31),
                  "year" if period.start.year == period.end.year else "range")


@dataclass(frozen=True)
class Comparison:
    """The comparison of one period, per kind of data (see the module's rules)."""
    period: Period   # the period shown
    kind: str        # "prev" or "yoy", as used (a year to date: always "yoy")
    dates: Period    # dossiers
    monthly: Period  # tourism and fishery: whole months, as many as the period's
    rice: Period     # the years before (rice matched season by season)

    @property
    def months_aligned(self) -> bool:
        """True when the monthly datasets' comparison is not the dated one (the page says so)."""
        return (self.monthly.start, self.monthly.end) != (self.dates.start, self.dates.end)

    def label(self, section: str, lang: str = "vi") -> str:
        """The comparison of a section as a page names it: "Quý II/2025", "T5–T7/2025", "Năm 2024"."""
        if section in MONTHLY and self.months_aligned:
            return months_label(self.monthly, lang)
        if section == "agriculture":
            r = self.rice
            return r.label(lang) if r.kind == "year" else f"{r.start.year}–{r.end.year}"
        return self.dates.label(lang)

    def note(self, section: str, lang: str = "vi") -> str | None:
        """What a card of ``section`` says beside its change when its comparison is not the dated one:
        rice's seasons a year earlier, or the whole months of a monthly dataset (None otherwise)."""
        from communes.i18n import t

        if section == "agriculture":
            return t("compare.rice_note", lang, years=self.label(section, lang).removeprefix("Năm "))
        if section in MONTHLY and self.months_aligned:
            return t("compare.months_note", lang, months=self.label(section, lang),
                     n=len(months_in(self.monthly)))
        return None

    def for_section(self, section: str) -> Period:
        """The comparison period of a section of ``communes.kpi.KEYS``."""
        if section in MONTHLY:
            return self.monthly
        if section == "agriculture":
            return self.rice
        return self.dates


def of(period: Period, kind: str) -> Comparison:
    """Every comparison of ``period`` for the chosen ``kind`` ("prev" or "yoy")."""
    return Comparison(period, effective_kind(period, kind), dates(period, kind), monthly(period, kind),
                      rice_years(period))


def months_label(p: Period, lang: str = "vi") -> str:
    """A run of whole months: "T5–T7/2025", "T11/2024–T2/2025", "May–Jul 2025"; one month: "T7/2025".

    >>> months_label(Period(date(2025, 5, 1), date(2025, 7, 31), "range"))
    'T5–T7/2025'
    >>> months_label(Period(date(2024, 11, 1), date(2025, 2, 28), "range"), "en")
    'Nov 2024–Feb 2025'
    """
    from communes import fmt

    ms = months_in(p)
    if not ms:
        return p.label(lang)
    a, b = ms[0], ms[-1]
    if a == b:
        return fmt.month_short(a.year, a.month, lang)
    if a.year == b.year:
        if lang == "vi":
            return f"T{a.month}–T{b.month}/{a.year}"
        return f"{fmt.month_short(a.year, a.month, lang).split()[0]}–{fmt.month_short(b.year, b.month, lang)}"
    return f"{fmt.month_short(a.year, a.month, lang)}–{fmt.month_short(b.year, b.month, lang)}"


# --- a page's monthly comparisons (tourism, fishery), from its frame ---------------------------------

def compare_period(f) -> Period:
    """The months a monthly dataset of frame ``f`` is compared with: as many whole months as the
    period counts (``monthly``)."""
    return monthly(f.period, f.compare_kind)


def second_period(f) -> Period | None:
    """The other comparison a card shows under its delta: last year when the frame compares with
    the previous period, the previous period when it compares with last year, in whole months as
    ``compare_period``; None when both are the same dates (a year: the previous year is last year),
    so nothing is said twice, and for a year to date (compared with the same dates a year earlier only)."""
    if f.period.kind == "ytd":
        return None
    other = monthly(f.period, "prev" if f.compare_kind == "yoy" else "yoy")
    mine = compare_period(f)
    return None if (other.start, other.end) == (mine.start, mine.end) else other


def period_label(p: Period, lang: str) -> str:
    """A comparison's name on a monthly page: the period's own label, or its whole months.

    >>> period_label(Period(date(2025, 5, 1), date(2025, 7, 31), "range"), "vi"), period_label(periods.year(2024), "vi")
    ('T5–T7/2025', 'Năm 2024')
    """
    return months_label(p, lang) if p.kind == "range" else p.label(lang)
