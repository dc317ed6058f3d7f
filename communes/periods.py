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
