"""Data of the tourism page: city (scope) KPIs for three periods, the unit table, the monthly trend
with last year's months, the unit × month grid of the heat map, and the city-wide events.

Every figure comes from the ``tourism_indicators`` macro through named queries; the cards read the
scope-total row of ``tourism/unit_table``, the same macro call as ``kpi/tourism`` (what
``communes.kpi.compute`` runs), so both show the same numbers (tests/test_tourism_page.py).

>>> from datetime import date
>>> add_months(date(2025, 1, 1), -13)
datetime.date(2023, 12, 1)
"""
from __future__ import annotations

import calendar
import math
from datetime import date

import pandas as pd

from communes import comparisons, fmt
from communes.periods import Period

METRICS = ("visitors", "revenue_vnd")  # choices of the ranking / trend / heat map (URL codes)
CARD_KEYS = ("visitors", "visitors_domestic", "visitors_international", "overnight_guests", "revenue_vnd",
             "revenue_per_visitor_vnd")
MERGER = date(2025, 7, 1)


# --- small pure helpers shared with the agriculture page --------------------------------------------

def add_months(d: date, k: int) -> date:
    """The first day of the month ``k`` months after ``d``'s month."""
    i = d.year * 12 + d.month - 1 + k
    return date(i // 12, i % 12 + 1, 1)


def month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def window(f, months: int = 12) -> tuple[date, date]:
    """The months a trend shows: the ``months`` months up to the period's end (not past the data's
    as-of date), widened to the whole period when it is longer."""
    end = f.period.end if f.period.start > f.as_of else min(f.period.end, f.as_of)
    first = add_months(end, -(months - 1))
    start = min(first, date(f.period.start.year, f.period.start.month, 1))
    return start, month_end(end)


def compare_period(f) -> Period:
    """The months a monthly dataset is compared with: as many whole months as the period counts
    (``communes.comparisons.monthly``)."""
    return comparisons.monthly(f.period, f.compare_kind)


def second_period(f) -> Period | None:
    """The other comparison a card shows under its delta: last year when the frame compares with
    the previous period, the previous period when it compares with last year, in whole months as
    ``compare_period``; None when both are the same dates (a year: the previous year is last year),
    so nothing is said twice, and for a year to date (compared with the same dates a year earlier only)."""
    if f.period.kind == "ytd":
        return None
    other = comparisons.monthly(f.period, "prev" if f.compare_kind == "yoy" else "yoy")
    mine = compare_period(f)
    return None if (other.start, other.end) == (mine.start, mine.end) else other


def period_label(p: Period, lang: str) -> str:
    """A comparison's name on a monthly page: the period's own label, or its whole months."""
    return comparisons.months_label(p, lang) if p.kind == "range" else p.label(lang)


def value(x):
    """A plain Python number, or None for no data (NaN, NA, None)."""
    if x is None:
        return None
    try:
        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        pass
    x = x.item() if hasattr(x, "item") else x
    return None if isinstance(x, float) and not math.isfinite(x) else x


def first_row(df: pd.DataFrame, keys) -> dict:
    """The first row of a one-row indicator result as {key: value or None}; all None when empty."""
    row = df.iloc[0] if len(df) else None
    return {k: (value(row[k]) if row is not None else None) for k in keys}


def rel_change(a, b):
    """a / b − 1, rounded to the 0.1 % a card shows (so a change shown as "0,0 %" has no arrow);
    None when either is missing or b is 0 (no base to compare with).

    >>> rel_change(110, 100), rel_change(100_001, 100_000), rel_change(5, 0)
    (0.1, 0.0, None)
    """
    return None if a is None or b is None or b == 0 else round(a / b - 1, 3) + 0.0


def rel_text(r, lang: str = "vi") -> str | None:
    """A relative change as signed percent: ``+12,3 %``; None for no data."""
    if r is None:
        return None
    return fmt.signed(r * 100, 1, lang) + (" %" if lang == "vi" else "%")


def card_changes(a, before, other, other_period, t, lang: str = "vi") -> tuple:
    """A card's change against the comparison period (number and text, for the delta) and the line
    under the card against the other period (None when there is no other period).

    >>> card_changes(120, 100, None, None, None)
    (0.2, '+20,0 %', None)
    """
    r1 = rel_change(a, before)
    line = None
    if other_period is not None:
        r2 = rel_change(a, other)
        line = (t("tourism.vs", period=period_label(other_period, lang), change=rel_text(r2, lang))
                if r2 is not None else t("tourism.no_base", period=period_label(other_period, lang)))
    return r1, rel_text(r1, lang), line


# --- the page's data plan ----------------------------------------------------------------------------

def split_total(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A unit table's unit rows and its scope-total row (unit_code null) apart."""
    total = df["unit_code"].isna()
    return df[~total].reset_index(drop=True), df[total].reset_index(drop=True)


def load(run, f) -> dict:
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
    return {"cards": cards, "units": units, "monthly": monthly, "grid": grid, "events": events,
            "window": (w0, w1)}


def ranked(units: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Units with data ranked by ``metric`` (1 = highest, ties share a rank); units without data
    last with no rank (None), never ranked as zeros."""
    out = units.copy()
    has = out[metric].notna()
    out["rank"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out.loc[has, "rank"] = out.loc[has, metric].rank(ascending=False, method="min").astype("Int64")
    return out.sort_values(["rank", "unit_name"], na_position="last", ignore_index=True)


def per_visitor(x, lang: str = "vi") -> str:
    """Revenue per visitor, always in millions so a column reads evenly.

    >>> per_visitor(943_914), per_visitor(1_218_600, "en")
    ('0,94 triệu đồng', '1.22 million VND')
    """
    text = fmt.number(None if value(x) is None else value(x) / 1e6, 2, lang)
    return text if value(x) is None else f"{text} {'triệu đồng' if lang == 'vi' else 'million VND'}"


RAW_ONLY = object()  # a two_tables formatter: the column goes to the download only


def two_tables(columns: list[tuple[str, pd.Series, object]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """From ``(header, values, formatter)`` triples: the table to show (each value through its
    formatter, so no data reads "không có dữ liệu") and the table to download (raw values, empty
    cells for no data), with the same headers and rows. A formatter None keeps the values as they
    are; a list gives the shown texts directly; ``RAW_ONLY`` leaves the column out of the table shown.

    >>> show, raw = two_tables([("n", pd.Series([1, None]), lambda x: fmt.number(x))])
    >>> list(show["n"]), raw["n"].tolist()
    (['1', 'không có dữ liệu'], [1, <NA>])
    """
    show, raw = {}, {}
    for header, values, formatter in columns:
        vals = [value(x) for x in values]
        raw[header] = pd.Series(vals, dtype=object).convert_dtypes()  # whole numbers stay whole in the CSV
        if isinstance(formatter, list):
            show[header] = formatter
        elif formatter is not RAW_ONLY:
            show[header] = vals if formatter is None else [formatter(x) for x in vals]
    return pd.DataFrame(show), pd.DataFrame(raw)


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


def scope_label(f) -> str:
    """The scope as the sidebar names it: "Tất cả đơn vị", "Chỉ xã", "Nhóm: Ven biển"…"""
    from communes import groups

    if f.scope in ("all", "phuong", "xa"):
        return f.t(f"scope.{f.scope}")
    g = groups.load(f.ref).get(f.scope)
    return f.t("scope.group", name=(g.name_vi if f.lang == "vi" else g.name_en)) if g else f.scope


def events_text(events: pd.DataFrame, lang: str = "vi") -> str:
    """The events marked on a chart, for a caption under it: "▼ 11/08/2025: Sự cố …".

    >>> events_text(pd.DataFrame({"date": [date(2025, 10, 27)], "label": ["Lũ lịch sử"]}))
    '▼ 27/10/2025: Lũ lịch sử'
    """
    return " · ".join(f"▼ {fmt.date(d, lang)}: {label}" for d, label in zip(events["date"], events["label"]))
