"""Peer comparison and normalisation: medians and ranks within the city and within a peer group,
figures per 1,000 inhabitants, per km² and per official. Pure functions on plain values and DataFrames.

"No data is not zero": a unit whose value is missing is neither counted in a median nor ranked, so
it can never come last for lack of data; ``n`` in "hạng 7/38" counts the units that have a value.

>>> table = pd.DataFrame({"unit_code": ["a", "b", "c", "d"], "v": [0.9, 0.7, None, 0.95]})
>>> standing(table, "a", "v", higher_is_better=True, peers=["a", "b", "c"])
Standing(value=0.9, city_median=0.9, city_rank=2, city_n=3, peer_median=0.8, peer_rank=1, peer_n=2)
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import pandas as pd

from communes.i18n import t
from communes.missing import as_float


def median(values) -> float | None:
    """The median of the values that exist (None when none does).

    >>> median([3, None, 1, 2]), median([1, 2, 3, 10]), median([None])
    (2.0, 2.5, None)
    """
    xs = sorted(v for v in map(as_float, values) if v is not None)
    if not xs:
        return None
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


def rank(values: dict, code: str, higher_is_better: bool | None = True) -> tuple[int | None, int]:
    """``code``'s rank among ``values`` (unit code → value) and how many units were ranked.

    1 is the best (the largest when ``higher_is_better`` is True or None, the smallest when False);
    ties share the better rank ("min"). A unit without a value is not ranked: (None, n).

    >>> rank({"a": 0.9, "b": 0.95, "c": None, "d": 0.9}, "a")
    (2, 3)
    >>> rank({"a": 3, "b": 0, "c": 0}, "b", higher_is_better=False)
    (1, 3)
    >>> rank({"a": 3, "b": None}, "b")
    (None, 1)
    """
    clean = {k: as_float(v) for k, v in values.items()}
    ranked = {k: v for k, v in clean.items() if v is not None}
    mine = clean.get(code)
    if mine is None:
        return None, len(ranked)
    better = sum(1 for v in ranked.values() if (v < mine if higher_is_better is False else v > mine))
    return better + 1, len(ranked)


@dataclass(frozen=True)
class Standing:
    """One unit's value against the city and its peer group."""
    value: float | None
    city_median: float | None
    city_rank: int | None
    city_n: int
    peer_median: float | None
    peer_rank: int | None
    peer_n: int

    @property
    def vs_peers(self) -> float | None:
        """The value minus the peer-group median (None when either is missing)."""
        return None if self.value is None or self.peer_median is None else self.value - self.peer_median


def standing(table: pd.DataFrame, code: str, col: str, higher_is_better: bool | None, peers) -> Standing:
    """``code``'s value of ``col`` in ``table`` (one row per unit) against all rows and against ``peers``."""
    vals = dict(zip(table["unit_code"], table[col]))
    peer_vals = {k: v for k, v in vals.items() if k in set(peers)}
    r, n = rank(vals, code, higher_is_better)
    pr, pn = rank(peer_vals, code, higher_is_better)
    return Standing(as_float(vals.get(code)), median(vals.values()), r, n, median(peer_vals.values()), pr, pn)


def rank_text(rank_: int | None, n: int, lang: str = "vi", group: str | None = None) -> str:
    """"hạng 7/40", "hạng 3/19 xã"; "" when the unit is not ranked.

    >>> rank_text(7, 40), rank_text(3, 19, group="xã"), rank_text(2, 10, "en", "Coastal"), rank_text(None, 39)
    ('hạng 7/40', 'hạng 3/19 xã', 'rank 2/10 Coastal', '')
    """
    if rank_ is None:
        return ""
    if group:
        return t("peers.rank_in", lang, rank=rank_, total=n, group=group)
    return t("peers.rank", lang, rank=rank_, total=n)


# --- peer groups -----------------------------------------------------------------------------------

PEER_KINDS = ("group", "type")  # the unit's geographic group, or its type (phường / xã)


def peer_units(units: pd.DataFrame, code: str, kind: str = "group") -> list[str]:
    """The codes of ``code``'s peers (itself included): its geographic group, or its type.

    ``units`` has unit_code, unit_type and group_id. A unit without a geographic group (a province
    without a groups file) falls back to its type.

    >>> u = pd.DataFrame({"unit_code": ["a", "b", "c"], "unit_type": ["Xã", "Xã", "Phường"],
    ...                   "group_id": ["m", None, "m"]})
    >>> peer_units(u, "a"), peer_units(u, "a", "type"), peer_units(u, "b")
    (['a', 'c'], ['a', 'b'], ['a', 'b'])
    """
    row = units.loc[units["unit_code"] == code].iloc[0]
    if kind == "group" and isinstance(row.get("group_id"), str):
        return units.loc[units["group_id"] == row["group_id"], "unit_code"].tolist()
    return units.loc[units["unit_type"] == row["unit_type"], "unit_code"].tolist()


def similar_units(units: pd.DataFrame, code: str, peers: list[str], k: int = 2) -> list[str]:
    """Up to ``k`` peers closest in population (then in area) to ``code``, for a ready-made comparison.

    >>> u = pd.DataFrame({"unit_code": list("abcd"), "population": [100, 900, 120, 130], "area_km2": [1, 1, 1, 1]})
    >>> similar_units(u, "a", list("abcd"))
    ['c', 'd']
    """
    u = units.set_index("unit_code")
    me = u.loc[code]
    key = "population" if as_float(me.get("population")) is not None else "area_km2"
    others = [c for c in peers if c != code and c in u.index and as_float(u.at[c, key]) is not None]
    return sorted(others, key=lambda c: (abs(float(u.at[c, key]) - float(me[key])), c))[:k]


# --- normalisation ---------------------------------------------------------------------------------

def months_in(start: date, end: date) -> float:
    """The calendar months covered by [start, end] (whole days), partial months as fractions.

    >>> months_in(date(2025, 7, 1), date(2025, 9, 30)), months_in(date(2025, 7, 1), date(2025, 7, 16))
    (3.0, 0.5161290322580645)
    """
    if end < start:
        return 0.0
    total, y, m = 0.0, start.year, start.month
    while (y, m) <= (end.year, end.month):
        days = calendar.monthrange(y, m)[1]
        lo = start if (y, m) == (start.year, start.month) else date(y, m, 1)
        hi = end if (y, m) == (end.year, end.month) else date(y, m, days)
        total += ((hi - lo).days + 1) / days
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return total


def ratio(value, by, scale: float = 1.0) -> float | None:
    """``value × scale / by``; None when either is missing or ``by`` is not positive.

    >>> ratio(150, 3), ratio(5, 0), ratio(None, 3)
    (50.0, None, None)
    """
    v, b = as_float(value), as_float(by)
    if v is None or b is None or b <= 0:
        return None
    return v * scale / b


def per_1000(value, population) -> float | None:
    """Per 1,000 inhabitants.

    >>> per_1000(450, 30_000)
    15.0
    """
    return ratio(value, population, 1000.0)


def per_km2(value, area_km2) -> float | None:
    """Per square kilometre.

    >>> per_km2(1000, 40)
    25.0
    """
    return ratio(value, area_km2)


def per_official_month(value, staff, months: float) -> float | None:
    """Per official (cán bộ, công chức) per month: the article's workload measure.

    >>> per_official_month(3000, 50, 3.0)
    20.0
    >>> per_official_month(3000, 0, 3.0) is None
    True
    """
    per_month = ratio(value, months)
    return ratio(per_month, staff)


def new_dossiers(row) -> float | None:
    """New dossiers of a Biểu 06 row (online + in person + post); None when the row has no data.

    >>> new_dossiers({"new_online": 5, "new_direct": 3, "new_postal": 1})
    9.0
    """
    parts = [as_float(row.get(k)) for k in ("new_online", "new_direct", "new_postal")]
    return None if any(p is None for p in parts) else float(sum(parts))


def relative_change(now, before) -> float | None:
    """(now − before) / before, for counts; None when ``before`` is missing or 0.

    >>> relative_change(120, 100), relative_change(5, 0)
    (0.2, None)
    """
    n, b = as_float(now), as_float(before)
    if n is None or b is None or b == 0:
        return None
    return (n - b) / b


def best(values: list, higher_is_better: bool | None) -> set[int]:
    """Positions of the best value among ``values`` (ties all marked); empty without a direction or data.

    >>> best([0.9, None, 0.95, 0.95], True), best([3, 1, 2], False), best([1, 2], None)
    ({2, 3}, {1}, set())
    """
    xs = [as_float(v) for v in values]
    present = [v for v in xs if v is not None]
    if higher_is_better is None or len(present) < 2:
        return set()
    top = max(present) if higher_is_better else min(present)
    return {i for i, v in enumerate(xs) if v == top}
