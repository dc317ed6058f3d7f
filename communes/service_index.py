"""Service index estimated after Decision 766/QĐ-TTg, from the dossier export alone.

The official index has 100 points in six groups. The exports carry enough for four of them,
each scored as the data contract says; the other two are "not in the exports" and never count
as zero. The sum is an estimate over the points that can be computed (at most 72), never the
portal's official score.

- Processing progress (20): 20 × (resolved_early + resolved_on_time + pending_in_time) / received.
- Online services (12): the online dossier rate against the threshold T = 50 %.
- Digitisation (22): the digitisation rate against T = 80 %.
- Satisfaction (18): satisfaction with dossier handling against T = 90 %, where that rate is
  100 % − (overdue_rate + the share of rated dossiers rated "Không hài lòng").
- With a threshold: points = min(max, rate × max / T). The contract gives each computable group a
  single sub-indicator and no separate maximum for it, so that sub-indicator is scored on the
  group's maximum.

A figure with an empty denominator is None (no data), and so is a score built on it.

>>> row = {"received": 100, "resolved_early": 60, "resolved_on_time": 20, "pending_in_time": 10,
...        "online_rate": 0.25, "digitized_rate": 0.96, "overdue_rate": 0.04,
...        "resolved_rated": 50, "resolved_unsatisfied": 1}
>>> s = scores(row)
>>> s["progress"], s["online"], s["digitization"], round(s["satisfaction"], 2), round(s["total"], 2)
(18.0, 6.0, 22.0, 18.0, 64.0)
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from communes.missing import as_float


@dataclass(frozen=True)
class Group:
    key: str
    max: int
    computable: bool
    threshold: float | None = None  # T of the contract, for groups scored against a threshold


GROUPS = [
    Group("transparency", 18, False),
    Group("progress", 20, True),
    Group("online", 12, True, 0.50),
    Group("payment", 10, False),
    Group("digitization", 22, True, 0.80),
    Group("satisfaction", 18, True, 0.90),
]
MAX_TOTAL = sum(g.max for g in GROUPS)  # 100
MAX_COMPUTABLE = sum(g.max for g in GROUPS if g.computable)  # 72
SCORED = [g.key for g in GROUPS if g.computable]


def _ratio(num, den) -> float | None:
    num, den = as_float(num), as_float(den)
    return None if num is None or den is None or den <= 0 else num / den


def threshold_points(rate: float | None, max_points: float, threshold: float) -> float | None:
    """min(max, rate × max / T); None without data.

    >>> threshold_points(0.25, 12, 0.5), threshold_points(0.9, 22, 0.8), threshold_points(None, 12, 0.5)
    (6.0, 22.0, None)
    """
    if rate is None:
        return None
    return float(min(max_points, rate * max_points / threshold))


def handling_satisfaction(row) -> float | None:
    """100 % − (overdue_rate + share of rated dossiers rated "Không hài lòng"); None without data."""
    overdue = as_float(row.get("overdue_rate"))
    unhappy = _ratio(row.get("resolved_unsatisfied"), row.get("resolved_rated"))
    if overdue is None or unhappy is None:
        return None
    return max(0.0, 1.0 - (overdue + unhappy))


def rates(row) -> dict[str, float | None]:
    """The rate each computable group is scored on."""
    return {
        "progress": _ratio((as_float(row.get("resolved_early")) or 0) + (as_float(row.get("resolved_on_time")) or 0)
                           + (as_float(row.get("pending_in_time")) or 0), row.get("received")),
        "online": as_float(row.get("online_rate")),
        "digitization": as_float(row.get("digitized_rate")),
        "satisfaction": handling_satisfaction(row),
    }


def scores(row) -> dict[str, float | None]:
    """Points per computable group and their total (None when a group has no data)."""
    r = rates(row)
    out: dict[str, float | None] = {}
    for g in GROUPS:
        if not g.computable:
            continue
        if g.threshold is None:
            out[g.key] = None if r[g.key] is None else g.max * r[g.key]
        else:
            out[g.key] = threshold_points(r[g.key], g.max, g.threshold)
    parts = [v for v in out.values() if v is not None]
    out["total"] = sum(parts) if len(parts) == len(SCORED) else None
    out["scored_max"] = float(sum(g.max for g in GROUPS if g.computable and out.get(g.key) is not None))
    return out


def table(by_unit: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """One row per unit of ``units`` (unit_code, unit_name …) with its group points, total and rank.

    ``by_unit`` holds the Biểu 06 counts and rates per unit (kpi/dossiers with by_unit). A unit
    without dossiers keeps empty scores and no rank (no data is not ranked last).
    """
    rows = {r["unit_code"]: r for r in by_unit.to_dict("records")}
    out = []
    for u in units.to_dict("records"):
        r = rows.get(u["unit_code"])
        s = scores(r) if r is not None else dict.fromkeys([*SCORED, "total"])
        out.append({**u, **{k: s.get(k) for k in [*SCORED, "total"]}})
    df = pd.DataFrame(out)
    for k in [*SCORED, "total"]:
        df[k] = pd.to_numeric(df[k], errors="coerce")
    df["rank"] = df["total"].rank(ascending=False, method="min").astype("Int64")
    return df.sort_values(["rank", "unit_code"], na_position="last", ignore_index=True)
