"""Targets for the KPI cards, from one settings file, each with its source.

>>> tg = load()
>>> tg["on_time_rate"].status(0.96), tg["on_time_rate"].status(0.94), tg["on_time_rate"].status(0.90)
('met', 'near', 'not_met')
>>> tg["on_time_rate"].status(None) is None
True
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from communes import settings


@dataclass(frozen=True)
class Target:
    key: str
    target: float
    direction: str  # "min": at least; "max": at most
    amber: float  # how far on the wrong side still counts as "near"
    source: str

    def status(self, value: float | None) -> str | None:
        """``met``, ``near`` or ``not_met``; None when there is no data."""
        if value is None:
            return None
        gap = value - self.target if self.direction == "min" else self.target - value
        if gap >= 0:
            return "met"
        return "near" if -gap <= self.amber else "not_met"

    def meets(self, value: float | None) -> bool | None:
        s = self.status(value)
        return None if s is None else s == "met"


def load(path: Path | None = None) -> dict[str, Target]:
    path = Path(path or settings.path("targets_file"))
    if not path.exists():
        return {}
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    return {k: Target(k, float(v["target"]), v.get("direction", "min"), float(v.get("amber", 0)), v.get("source", ""))
            for k, v in doc.items()}
