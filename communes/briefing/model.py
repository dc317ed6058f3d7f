"""What a slide is made of, as plain data: cards, tables and chart series with their labels already
formatted, so the page (``communes.briefing.show``) and the deck (``communes.briefing.deck``) draw the
same text. ``communes.briefing.slides`` fills them from the briefing's data.

>>> show("on_time_rate", 0.961, "vi"), keep_together(show("on_time_rate", 0.961, "vi")) == "96,1\u00a0%"
('96,1 %', True)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from communes import fmt

COLOURS = {"now": "1F4E79", "before": "9DB9D3", "target": "B0B0B0",
           "met": "2E7D32", "near": "E08E0B", "not_met": "C62828", None: "9E9E9E", "other": "D0D0D0"}


@dataclass
class Series:
    name: str
    values: list  # floats, None = no data (no bar)
    labels: list[str]  # the values as people read them ("96,1 %"), shown on the bars
    color: str = COLOURS["now"]
    point_colors: list[str] | None = None  # per point (status colours), overriding ``color``


@dataclass
class Chart:
    key: str  # "kpi", "ranking", "resolution", "channels", "visitors", "fishery", "merger"
    type: str  # "column", "bar" (horizontal) or "doughnut"
    title: str
    categories: list[str]
    series: list[Series]
    number_format: str = "#,##0"  # Excel format of the values (the labels carry the Vietnamese text)
    value_max: float | None = None
    value_min: float | None = None  # set (and the value axis shown) when the axis does not start at 0


@dataclass
class Card:
    label: str
    value: str
    change: str | None  # "+0,8 điểm % so với quý II"
    target: str | None  # "Chỉ tiêu ≥ 95 % · Đạt"
    status: str | None  # met / near / not_met / None


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    status: list[str | None]
    footer: str = ""


@dataclass
class Slide:
    key: str
    title: str
    subtitle: str = ""
    bullets: list[str] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    table: Table | None = None
    map: pd.DataFrame | None = None  # unit_code, short_name, value, label, status, in_scope
    notes: str = ""


# --- formatting ------------------------------------------------------------------------------------

def show(key: str, value, lang: str) -> str:
    """An indicator's value as the slides print it."""
    return fmt.indicator(value, fmt.kind_of(key), lang)


def keep_together(text: str) -> str:
    """No line break between a number and its "%" (a no-break space; the data's text keeps plain spaces).

    >>> keep_together("86,3 % (gần đạt)") == "86,3\u00a0% (gần đạt)"
    True
    """
    return text.replace(" %", "\u00a0%").replace(" điểm\u00a0%", "\u00a0điểm\u00a0%")
