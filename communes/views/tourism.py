"""Data of the tourism page: city (scope) KPIs for three periods, the unit table, the monthly trend
with last year's months, the unit × month grid of the heat map, and the city-wide events.

Every figure comes from the ``tourism_indicators`` macro through named queries; the cards read the
scope-total row of ``tourism/unit_table``, the same macro call as ``kpi/tourism`` (what
``communes.kpi.compute`` runs), so both show the same numbers (tests/test_tourism_page.py).

>>> per_visitor(943_914)
'0,94 triệu đồng'
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from communes import fmt
from communes.changes import rel_change, rel_text
from communes.comparisons import compare_period, second_period
from communes.missing import value
from communes.periods import add_months, trend_window
from communes.tables import RAW_ONLY, first_row, ranked, split_total, two_tables

METRICS = ("visitors", "revenue_vnd")  # choices of the ranking / trend / heat map (URL codes)
CARD_KEYS = ("visitors", "visitors_domestic", "visitors_international", "overnight_guests", "revenue_vnd",
             "revenue_per_visitor_vnd")


# --- the page's data plan ----------------------------------------------------------------------------

def window(f) -> tuple[date, date]:
    """The months the trend and the heat map show (``periods.trend_window``)."""
    return trend_window(f.period, f.as_of)


Cards = dict  # indicator (CARD_KEYS) → the scope's figure, None for no data


@dataclass(frozen=True)
class TourismData:
    """Everything the tourism page shows for one frame."""
    cards: dict[str, Cards | None]  # "now", "before" (the compared months), "other" (None: no other comparison)
    units: pd.DataFrame  # one row per unit of the scope: the period's figures, and visitors / revenue before
    monthly: pd.DataFrame  # the scope, month by month from 12 months before the window (last year's line)
    grid: pd.DataFrame  # unit × month over the window (the heat map)
    events: pd.DataFrame  # city-wide events in the window: date, label
    window: tuple[date, date]  # the months the trend and the heat map show


def load(run, f) -> TourismData:
    other = second_period(f)
    tables, cards = {}, {}
    for name, p in (("now", f.period), ("before", compare_period(f))):
        tables[name], total = split_total(run("tourism/unit_table", start=p.start, end=p.end, units=f.units))
        cards[name] = first_row(total, CARD_KEYS)
    # the other comparison only needs the scope's totals: the kpi query itself
    cards["other"] = None if other is None else first_row(
        run("kpi/tourism", start=other.start, end=other.end, units=f.units, by_unit=False), CARD_KEYS)
    units = tables["now"].merge(tables["before"][["unit_code", "visitors", "revenue_vnd"]].rename(
        columns={"visitors": "visitors_before", "revenue_vnd": "revenue_vnd_before"}), on="unit_code", how="left")
    w0, w1 = window(f)
    monthly = run("tourism/monthly", start=add_months(w0, -12), end=w1, units=f.units)
    monthly["month"] = pd.to_datetime(monthly["month"])
    grid = run("tourism/unit_month", start=w0, end=w1, units=f.units)
    grid["month"] = pd.to_datetime(grid["month"])
    events = run("meta/city_events", start=w0, end=w1)
    return TourismData(cards, units, monthly, grid, events, (w0, w1))


def per_visitor(x, lang: str = "vi") -> str:
    """Revenue per visitor, always in millions so a column reads evenly.

    >>> per_visitor(943_914), per_visitor(1_218_600, "en")
    ('0,94 triệu đồng', '1.22 million VND')
    """
    text = fmt.number(None if value(x) is None else value(x) / 1e6, 2, lang)
    return text if value(x) is None else f"{text} {'triệu đồng' if lang == 'vi' else 'million VND'}"


def unit_table(units: pd.DataFrame, metric: str, t, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ranking table to show and to download (see ``two_tables``), ranked by ``metric``."""
    r = ranked(units, metric)
    name = t(f"tourism.metric.{metric}").lower()
    share = "visitors_share" if metric == "visitors" else "revenue_share"
    change = pd.Series([rel_change(value(a), value(b)) for a, b in zip(r[metric], r[f"{metric}_before"])])
    def count(x):
        return fmt.number(x, lang=lang)
    return two_tables([
        (t("tourism.col.rank"), r["rank"], fmt.rank_cell),
        (t("tourism.col.code"), r["unit_code"], RAW_ONLY),
        (t("col.unit"), r["unit_name"], None),
        (t("ind.visitors_domestic"), r["visitors_domestic"], count),
        (t("ind.visitors_international"), r["visitors_international"], count),
        (t("ind.visitors"), r["visitors"], count),
        (t("ind.overnight_guests"), r["overnight_guests"], count),
        (t("ind.revenue_vnd"), r["revenue_vnd"], lambda x: fmt.money(x, lang)),
        (t("tourism.revenue_per_visitor"), r["revenue_per_visitor_vnd"], lambda x: per_visitor(x, lang)),
        (t("tourism.col.share", metric=name), r[share], lambda x: fmt.percent(x, lang=lang)),
        (t("tourism.col.change", metric=name), change, lambda x: rel_text(x, lang) or fmt.NO_DATA[lang]),
    ])


def month_table(grid: pd.DataFrame, t) -> pd.DataFrame:
    """The unit × month figures behind the heat map, raw, for the CSV download (long format)."""
    g = grid.sort_values(["unit_code", "month"])
    return pd.DataFrame({
        t("tourism.col.code"): g["unit_code"], t("col.unit"): g["unit_name"],
        t("tourism.col.month"): g["month"].dt.strftime("%Y-%m"),
        t("ind.visitors_domestic"): g["visitors_domestic"], t("ind.visitors_international"): g["visitors_international"],
        t("ind.visitors"): g["visitors"], t("ind.overnight_guests"): g["overnight_guests"],
        t("ind.revenue_vnd"): g["revenue_vnd"],
    })


def events_text(events: pd.DataFrame, lang: str = "vi") -> str:
    """The events marked on a chart, for a caption under it: "▼ 11/08/2025: Sự cố …".

    >>> events_text(pd.DataFrame({"date": [date(2025, 10, 27)], "label": ["Lũ lịch sử"]}))
    '▼ 27/10/2025: Lũ lịch sử'
    """
    return " · ".join(f"▼ {fmt.date(d, lang)}: {label}" for d, label in zip(events["date"], events["label"]))
