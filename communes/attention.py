""""Cần chú ý": the units below target, worst first, each with the reason in words.

A pure function over the unit table (one row per unit with the indicator columns of
``communes.kpi.KEYS``) and the targets of ``communes.targets.load()``; the overview and the
briefing both call it, so they list the same units in the same order.

Rules:

- A unit is listed when at least one indicator that has a target is on the wrong side of it
  (status "near" or "not_met"); an indicator without data is never a reason (no data is not zero),
  and a unit with no dossier at all is not listed.
- Reasons name each missed indicator with its value and target ("tỷ lệ đúng hạn 88,2 % < 95 %"),
  then the overdue dossiers still pending, when there are any ("14 hồ sơ quá hạn").
- Worst first: more red (not met) indicators first, then the larger total shortfall (in points of
  the targets missed, relative to each target), then more overdue dossiers, then the unit code.

>>> import pandas as pd
>>> from communes.targets import Target
>>> tg = {"on_time_rate": Target("on_time_rate", 0.95, "min", 0.02, "")}
>>> df = pd.DataFrame({"unit_code": ["1", "2"], "unit_name": ["Phường A", "Xã B"],
...                    "on_time_rate": [0.882, 0.97], "pending_overdue": [14, 3]})
>>> [(a.unit_name, a.reason) for a in needs_attention(df, tg)]
[('Phường A', 'tỷ lệ đúng hạn 88,2 % < 95 %; 14 hồ sơ quá hạn')]
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from communes import fmt
from communes.i18n import t
from communes.missing import as_float
from communes.targets import Target

# Indicators that may carry a target, in the order their reasons are written.
ORDER = ["on_time_rate", "overdue_rate", "online_rate", "digitized_rate", "satisfaction_rate"]


@dataclass(frozen=True)
class Attention:
    unit_code: str
    unit_name: str
    status: str  # "not_met" when any indicator is red, else "near"
    reasons: tuple[str, ...]
    red: int  # indicators not met
    shortfall: float  # sum of relative gaps to the targets missed
    overdue: int  # dossiers pending and overdue
    missed: tuple[str, ...] = field(default=())  # keys of the indicators missed

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def _value(row, key) -> float | None:
    return as_float(row.get(key)) if hasattr(row, "get") else None


def _reason(key: str, value: float, target: Target, lang: str) -> str:
    name = t(f"ind.{key}", lang)
    name = name[:1].lower() + name[1:]
    sign = ">" if target.direction == "max" else "<"
    whole = round(target.target * 100, 6).is_integer()
    return f"{name} {fmt.percent(value, lang=lang)} {sign} {fmt.percent(target.target, 0 if whole else 1, lang)}"


def needs_attention(table: pd.DataFrame, targets: dict[str, Target], lang: str = "vi") -> list[Attention]:
    """The units of ``table`` below at least one target, worst first (see the module's rules)."""
    keys = [k for k in ORDER if k in targets and k in table.columns]
    keys += sorted(k for k in targets if k in table.columns and k not in keys)
    out = []
    for row in table.to_dict("records"):
        missed, red, shortfall = [], 0, 0.0
        for key in keys:
            v, tg = _value(row, key), targets[key]
            status = tg.status(v)
            if status in ("near", "not_met"):
                missed.append(key)
                red += status == "not_met"
                gap = (tg.target - v) if tg.direction == "min" else (v - tg.target)
                shortfall += gap / tg.target if tg.target else gap
        if not missed:
            continue
        reasons = [_reason(k, _value(row, k), targets[k], lang) for k in missed]
        overdue = _value(row, "pending_overdue")
        overdue = int(overdue) if overdue else 0
        if overdue:
            key = "attention.overdue_one" if overdue == 1 else "attention.overdue"
            reasons.append(t(key, lang, n=fmt.number(overdue, lang=lang)))
        out.append(Attention(str(row["unit_code"]), str(row.get("unit_name", row["unit_code"])),
                             "not_met" if red else "near", tuple(reasons), red, shortfall, overdue, tuple(missed)))
    out.sort(key=lambda a: (-a.red, -a.shortfall, -a.overdue, a.unit_code))
    return out
