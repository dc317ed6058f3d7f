"""The frame every page shares — language, period, comparison, scope, data version, user — without Streamlit.

The Streamlit sidebar (``communes.ui.frame``) draws it as widgets; the phone pages, the API, the
briefing and the benchmarks build it from URL-style parameters with ``from_params``. Both follow the
same rules: Vietnamese unless ``lang=en``; the latest complete quarter unless the URL names another
period the data covers; the previous period unless ``cmp=yoy``; every unit unless ``scope`` names a
type or a peer group (a unit viewer always sees their own units).

>>> from communes import refdata
>>> ref = refdata.load("Thành phố Huế")
>>> f = from_params({"pk": "month", "p": "2025-07", "cmp": "yoy"}, ref, date(2024, 1, 1), date(2025, 10, 16))
>>> f.period.code, f.compare.code, f.lang
('2025-07', '2024-07', 'vi')
>>> from_params({}, ref, date(2024, 1, 1), date(2025, 10, 16)).period.code
'2025-Q3'
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from communes import auth, comparisons, groups, periods, refdata
from communes.i18n import LANGS, t

PERIOD_KINDS = ["quarter", "month", "year", "ytd", "range"]
COMPARE = ["prev", "yoy"]
SCOPES_FIXED = ["all", "phuong", "xa"]
KEEPS = ("lang", "pk", "p", "from", "to", "cmp")  # what a link to another page keeps


@dataclass(frozen=True)
class DataVersion:
    """The database version a request reads: its file, its ``meta`` table, the exports' problems."""
    path: str
    meta: dict
    problems: tuple[str, ...] = ()
    building: bool = False  # newer exports are being loaded; this run shows the version before them

    @property
    def is_sample(self) -> bool:
        return self.meta.get("sample") == "true"


@dataclass(frozen=True)
class Frame:
    ref: refdata.RefData
    period: periods.Period
    compare: periods.Period
    compare_kind: str
    scope: str
    units: list[str] | None  # unit codes of the scope, None = all
    version: DataVersion | None
    as_of: date | None  # the data's latest day (None only for a briefing on an empty database)
    lang: str = "vi"
    user: auth.User = auth.LOCAL

    def t(self, key: str, **kw) -> str:
        return t(key, self.lang, **kw)

    def params(self) -> dict[str, str]:
        """The URL parameters that reopen this frame (defaults left out, as the sidebar leaves them out).

        >>> from communes import refdata
        >>> ref = refdata.load("Thành phố Huế")
        >>> f = from_params({"lang": "en", "pk": "month", "p": "2025-08"}, ref, date(2024, 1, 1), date(2025, 10, 16))
        >>> f.params()
        {'lang': 'en', 'pk': 'month', 'p': '2025-08'}
        """
        out = {}
        if self.lang != "vi":
            out["lang"] = self.lang
        kind = self.period.kind
        if kind != "quarter":
            out["pk"] = kind
        if kind in ("month", "quarter", "year"):
            if self.period != default_period(kind, self.as_of):
                out["p"] = self.period.code
        elif kind == "range":
            if self.period.start != date(self.as_of.year, 1, 1):
                out["from"] = self.period.start.isoformat()
            if self.period.end != self.as_of:
                out["to"] = self.period.end.isoformat()
        if self.compare_kind != "prev" and kind != "ytd":  # a year to date is always cùng kỳ: nothing to keep
            out["cmp"] = self.compare_kind
        return out


def scope_label(f: Frame) -> str:
    """The scope as the sidebar names it: "Tất cả đơn vị", "Chỉ xã", "Nhóm: Ven biển"…

    >>> from communes import refdata
    >>> f = from_params({"scope": "xa"}, refdata.load("Thành phố Huế"), date(2024, 1, 1), date(2025, 10, 16))
    >>> scope_label(f)
    'Chỉ xã'
    """
    if f.scope in SCOPES_FIXED:
        return f.t(f"scope.{f.scope}")
    g = groups.load(f.ref).get(f.scope)
    return f.t("scope.group", name=(g.name_vi if f.lang == "vi" else g.name_en)) if g else f.scope

def period_options(kind: str, first: date, as_of: date) -> list[str]:
    """The periods of ``kind`` the data covers, newest first (what the sidebar offers).

    >>> period_options("quarter", date(2025, 1, 1), date(2025, 8, 2))
    ['2025-Q3', '2025-Q2', '2025-Q1']
    """
    out = []
    if kind == "month":
        y, m = first.year, first.month
        while (y, m) <= (as_of.year, as_of.month):
            out.append(periods.month(y, m).code)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    elif kind == "quarter":
        for y in range(first.year, as_of.year + 1):
            out += [periods.quarter(y, q).code for q in range(1, 5) if periods.quarter(y, q).start <= as_of]
    elif kind == "year":
        out = [str(y) for y in range(first.year, as_of.year + 1)]
    return out[::-1]


def default_period(kind: str, as_of: date) -> periods.Period:
    """The period a kind opens on: the latest complete quarter; else the newest month or year (the
    first option the sidebar offers), the year to date, or 1 January to the as-of day."""
    if kind == "quarter":
        return periods.latest_complete_quarter(as_of)
    if kind == "month":
        return periods.month(as_of.year, as_of.month)
    if kind == "year":
        return periods.year(as_of.year)
    if kind == "ytd":
        return periods.ytd(as_of)
    return periods.Period(date(as_of.year, 1, 1), as_of, "range")


def scopes(ref: refdata.RefData, user: auth.User = auth.LOCAL) -> list[str]:
    """The scopes a user may choose: all, phường, xã and every peer group (a unit viewer: all only)."""
    if user.units is not None:
        return ["all"]
    return SCOPES_FIXED + groups.load(ref).ids()


def _date(text: str | None, default: date, first: date, as_of: date) -> date:
    try:
        d = date.fromisoformat(text) if text else default
    except ValueError:
        return default
    return min(max(d, first), as_of)


def from_params(params: Mapping[str, str], ref: refdata.RefData, first: date, as_of: date,
                version: DataVersion | None = None, user: auth.User = auth.LOCAL) -> Frame:
    """The frame a URL asks for; a parameter that is unknown or out of the data's span falls back to its default.

    ``first`` and ``as_of``: the first month and the latest day the data covers (``meta/data_span``).

    >>> from communes import refdata
    >>> ref = refdata.load("Thành phố Huế")
    >>> f = from_params({"pk": "range", "from": "2025-08-31", "to": "2025-07-01", "scope": "xa", "lang": "fr"},
    ...                 ref, date(2024, 1, 1), date(2025, 10, 16))
    >>> f.period.code, f.compare.code, f.lang, len(f.units)
    ('2025-07-01..2025-08-31', '2025-04-30..2025-06-30', 'vi', 19)
    """
    def get(key: str) -> str | None:
        v = params.get(key)
        return v.strip() if isinstance(v, str) else None

    lang = get("lang") if get("lang") in LANGS else "vi"
    kind = get("pk") if get("pk") in PERIOD_KINDS else PERIOD_KINDS[0]
    if kind in ("month", "quarter", "year"):
        code = get("p")
        try:
            code = periods.parse(code).code if code else None
        except ValueError:
            code = None
        period = periods.parse(code) if code in period_options(kind, first, as_of) else default_period(kind, as_of)
    elif kind == "ytd":
        period = periods.ytd(as_of)
    else:
        lo = _date(get("from"), date(as_of.year, 1, 1), first, as_of)
        hi = _date(get("to"), as_of, first, as_of)
        lo, hi = min(lo, hi), max(lo, hi)
        period = periods.Period(lo, hi, "range")
    cmp_kind = get("cmp") if get("cmp") in COMPARE else COMPARE[0]
    cmp_kind = comparisons.effective_kind(period, cmp_kind)  # a year to date: always cùng kỳ
    compare = comparisons.dates(period, cmp_kind)
    scope = get("scope") if get("scope") in scopes(ref, user) else "all"
    units = user.allowed(groups.scope_units(ref, scope))
    return Frame(ref, period, compare, cmp_kind, scope, units, version, as_of, lang, user)


def span(run) -> tuple[date, date]:
    """(first month, as-of day) of the loaded data, from ``meta/data_span``; 1/2024 and today when empty."""
    import pandas as pd

    df = run("meta/data_span")
    first = df.first_month.iloc[0].date() if len(df) and pd.notna(df.first_month.iloc[0]) else date(2024, 1, 1)
    as_of = df.as_of.iloc[0].date() if len(df) and pd.notna(df.as_of.iloc[0]) else date.today()
    return first, as_of
