"""Reporting periods: parsing, labels and comparison periods.

>>> parse("2025-Q3")
Period(start=datetime.date(2025, 7, 1), end=datetime.date(2025, 9, 30), kind='quarter')
>>> parse("2025-07-01..2025-10-31").kind
'range'
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MERGER = date(2025, 7, 1)  # the day the 40 communes and wards replaced the 133 former ones


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str  # month, quarter, year, ytd, range

    @property
    def code(self) -> str:
        """The string ``parse`` reads back (used in URLs and the CLI)."""
        s, e = self.start, self.end
        if self.kind == "month":
            return f"{s:%Y-%m}"
        if self.kind == "quarter":
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{s.year}"
        return f"{s.isoformat()}..{e.isoformat()}"

    def label(self, lang: str = "vi") -> str:
        s, e = self.start, self.end
        if self.kind == "month":
            return f"Tháng {s.month}/{s.year}" if lang == "vi" else f"{calendar.month_abbr[s.month]} {s.year}"
        if self.kind == "quarter":
            q = (s.month - 1) // 3 + 1
            return f"Quý {_ROMAN[q]}/{s.year}" if lang == "vi" else f"Q{q} {s.year}"
        if self.kind == "year":
            return f"Năm {s.year}" if lang == "vi" else f"{s.year}"
        if lang == "vi":
            return f"{s:%d/%m/%Y} – {e:%d/%m/%Y}"
        return f"{s:%d %b %Y} – {e:%d %b %Y}"

    def previous(self) -> Period:
        """The period just before, of the same kind and length."""
        if self.kind == "month":
            return month(*_shift_month(self.start.year, self.start.month, -1))
        if self.kind == "quarter":
            y, m = _shift_month(self.start.year, self.start.month, -3)
            return quarter(y, (m - 1) // 3 + 1)
        if self.kind == "year":
            return year(self.start.year - 1)
        days = (self.end - self.start).days + 1
        return Period(self.start - timedelta(days=days), self.start - timedelta(days=1), "range")

    def last_year(self) -> Period:
        """The same period one year earlier."""
        return Period(_minus_year(self.start), _minus_year(self.end), self.kind)


def _minus_year(d: date) -> date:
    return d.replace(year=d.year - 1, day=min(d.day, calendar.monthrange(d.year - 1, d.month)[1]))


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def month(y: int, m: int) -> Period:
    return Period(date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), "month")


def quarter(y: int, q: int) -> Period:
    return Period(date(y, 3 * q - 2, 1), month(y, 3 * q).end, "quarter")


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), "year")


def ytd(as_of: date) -> Period:
    return Period(date(as_of.year, 1, 1), as_of, "ytd")


def latest_complete_quarter(as_of: date) -> Period:
    """The last quarter that ended on or before ``as_of``."""
    q = quarter(as_of.year, (as_of.month - 1) // 3 + 1)
    return q if q.end <= as_of else q.previous()


def parse(text: str) -> Period:
    """Read ``2025-07``, ``2025-Q3``, ``2025`` or ``2025-07-01..2025-10-31``."""
    t = text.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
        return month(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", t):
        return quarter(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})", t):
        return year(int(m[1]))
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", t):
        start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        if end < start:
            raise ValueError(f"Kỳ «{text}»: ngày kết thúc trước ngày bắt đầu")
        return Period(start, end, "range")
    raise ValueError(f"Kỳ «{text}» không hợp lệ: dùng 2025-07, 2025-Q3, 2025 hoặc 2025-07-01..2025-10-31")


# --- month arithmetic and the months a trend shows ------------------------------------------------

def add_months(d: date, k: int) -> date:
    """The first day of the month ``k`` months after ``d``'s month.

    >>> add_months(date(2025, 1, 31), -13), add_months(date(2025, 12, 5), 1)
    (datetime.date(2023, 12, 1), datetime.date(2026, 1, 1))
    """
    y, m = _shift_month(d.year, d.month, k)
    return date(y, m, 1)


def month_end(d: date) -> date:
    """The last day of ``d``'s month.

    >>> month_end(date(2024, 2, 10))
    datetime.date(2024, 2, 29)
    """
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def trend_window(period: Period, as_of: date | None, months: int = 12) -> tuple[date, date]:
    """The months a trend shows: the ``months`` months up to the period's end (not past the data's
    as-of date), widened to the whole period when it is longer; (first day, last day).

    >>> trend_window(quarter(2025, 3), date(2025, 10, 16))
    (datetime.date(2024, 10, 1), datetime.date(2025, 9, 30))
    >>> trend_window(quarter(2025, 4), date(2025, 10, 16))
    (datetime.date(2024, 11, 1), datetime.date(2025, 10, 31))
    """
    end = period.end if as_of is None or period.start > as_of else min(period.end, as_of)
    first = add_months(end, -(months - 1))
    start = min(first, date(period.start.year, period.start.month, 1))
    return start, month_end(end)
