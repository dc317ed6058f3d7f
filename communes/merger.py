"""Each unit before and after the merger: the 12 months before 1 July 2025 against the months since (at
most 12), and against those months a year earlier (``communes.comparisons``), one row per indicator.

Rates are recomputed from the phase's summed counts; volumes are per month of the months the dataset
covers in the phase, so phases of different lengths compare.
"""
from __future__ import annotations

import pandas as pd

from communes import fmt, peers
from communes.i18n import t

PHASES = ("before", "after", "after_ly")


MERGER_ROWS = [  # (key, kind, higher is better, per month of the dataset's months)
    ("new_dossiers", "count", None, "dossiers"),
    ("on_time_rate", "rate", True, None),
    ("online_rate", "rate", True, None),
    ("digitized_rate", "rate", True, None),
    ("overdue_rate", "rate", False, None),
    ("satisfaction_rate", "rate", True, None),
    ("visitors", "count", True, "tourism"),
    ("revenue_vnd", "money", True, "tourism"),
    ("aquaculture_tonnes", "tonnes", True, "fishery"),
    ("capture_tonnes", "tonnes", True, "fishery"),
]


def phase_months(row) -> dict[str, float]:
    """Months of a phase row per dataset: dossiers by the calendar, tourism and fishery by data months."""
    start, end = pd.Timestamp(row["start"]).date(), pd.Timestamp(row["end"]).date()
    return {"dossiers": peers.months_in(start, end), "tourism": row.get("tourism_months"),
            "fishery": row.get("fishery_months")}


def phase_row(merger: pd.DataFrame, phase: str) -> dict:
    """The row of ``phase`` as a dict ({} when the data has no such phase)."""
    rows = merger[merger["phase"] == phase]
    return rows.iloc[0].to_dict() if len(rows) else {}


def merger_table(merger: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator of MERGER_ROWS, one column per phase; counts per month, rates as they are.

    ``merger``: the unit's rows of ``compare/merger`` (one per phase). Adds ``change`` (after − before,
    in points for rates, relative for per-month counts) and ``change_ly`` (after − the same days a
    year earlier). Missing phase or data: null.
    """
    rows = {r["phase"]: r for r in merger.to_dict("records")}
    for r in rows.values():
        r["new_dossiers"] = peers.new_dossiers(r)
    out = []
    for key, kind, better, per in MERGER_ROWS:
        vals = {}
        for ph in PHASES:
            r = rows.get(ph)
            v = None if r is None else peers.as_float(r.get(key))
            if per and v is not None:
                v = peers.ratio(v, phase_months(r)[per])
            vals[ph] = v
        if kind == "rate":
            ch = None if None in (vals["after"], vals["before"]) else vals["after"] - vals["before"]
            ly = None if None in (vals["after"], vals["after_ly"]) else vals["after"] - vals["after_ly"]
        else:
            ch, ly = peers.relative_change(vals["after"], vals["before"]), peers.relative_change(vals["after"], vals["after_ly"])
        out.append({"key": key, "kind": kind, "higher_is_better": better, "per_month": bool(per), **vals,
                    "change": ch, "change_ly": ly})
    return pd.DataFrame(out)


def phase_spans(merger: pd.DataFrame, lang: str) -> str:
    """"Trước: 12 tháng trước sáp nhập (T7/2024–T6/2025); Sau: …; Cùng kỳ: …" from the phases' own dates."""
    parts = []
    for ph in PHASES:
        row = merger[merger["phase"] == ph]
        if len(row):
            s, e = pd.Timestamp(row["start"].iloc[0]), pd.Timestamp(row["end"].iloc[0])
            span = f"{fmt.month_short(s.year, s.month, lang)}–{fmt.month_short(e.year, e.month, lang)}"
            parts.append(t(f"peers.phase_{ph}", lang, span=span))
    return "; ".join(parts)
