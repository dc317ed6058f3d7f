"""Data of the compare page (So sánh): two to six units side by side — monthly trends as small multiples,
a KPI table with the best value of each row marked, figures per 1,000 inhabitants, per km² and per
official, and each unit's change across the merger.

The same table of every unit as the unit profile (``communes.indicators``), so a unit's
numbers are the same on both pages and equal ``communes.kpi.compute``.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from communes import fmt, indicators, peers
from communes.i18n import t
from communes.merger import merger_table

MIN_UNITS, MAX_UNITS = 2, 6
TREND_METRICS = [*indicators.TREND_METRICS, "new_dossiers", "visitors"]
NORMALISED = [  # (key, kind, higher is better): facts first, then volumes normalised
    ("population", "count", None),
    ("area_km2", "decimal", None),
    ("density", "count", None),
    ("new_per_1000", "decimal", None),
    ("new_per_km2", "decimal", None),
    ("dossiers_per_official_month", "decimal", None),  # a workload: heavier is not "worse performance"
    ("staff", "count", None),
    ("staff_fill_rate", "rate", True),
    ("visitors_per_1000", "decimal", True),
    ("visitors_per_km2", "decimal", True),
]
KPI_ROWS = [i for i in indicators.INDICATORS if i.domain != "staffing" and i.key not in ("new_per_1000", "visitors_per_1000")]


def default_units(f) -> list[str]:
    """Units to compare without a choice in the URL: the frame's ``extra["units"]`` (bench), else the
    frame's unit and its two most similar peers, else the scope's first three."""
    extra = (getattr(f, "extra", None) or {}).get("units")
    if extra:
        return list(extra)[:MAX_UNITS]
    codes = f.units or f.ref.units.unit_code.tolist()
    return codes[:3]


OPEN_METRIC = "on_time_rate"  # what the page opens on without a choice: the scope's top and bottom units
OPEN_EACH = 3


def top_and_bottom(table: pd.DataFrame, units: list[str], metric: str = OPEN_METRIC, k: int = OPEN_EACH) -> list[str]:
    """The ``k`` best and ``k`` worst of ``units`` on ``metric`` (higher is better), best first; units
    without data are left out (never "worst"), and a scope of at most 2k units with data gives them all.

    >>> t = pd.DataFrame({"unit_code": list("abcdefgh"), "m": [.9, .8, None, .95, .7, .85, .6, .99]})
    >>> top_and_bottom(t, list("abcdefg"), "m", 2)
    ['d', 'a', 'e', 'g']
    """
    rows = table[table["unit_code"].isin(units) & table[metric].notna()]
    rows = rows.sort_values([metric, "unit_code"], ascending=[False, True])
    codes = rows["unit_code"].tolist()
    return codes if len(codes) <= 2 * k else codes[:k] + codes[-k:]


@dataclass(frozen=True)
class CompareData:
    """Everything the compare page shows for the chosen units and one frame."""
    units: list[str]  # the unit codes compared, in the reader's order
    table: pd.DataFrame  # every unit (the city median column): facts, the period's indicators, derived columns
    trend: pd.DataFrame  # every unit, month by month since January 2024: dossiers
    monthly: pd.DataFrame  # every unit, month by month: tourism and fishery
    merger: pd.DataFrame  # the chosen units before and after the merger, one row per unit and phase


def load(run, f, units: list[str] | None = None) -> CompareData:
    """Everything the compare page shows for ``units`` (2–6 unit codes) and frame ``f``."""
    units = list(units or default_units(f))
    return CompareData(
        units=units,
        table=indicators.unit_table(run, f.period, f.as_of),  # every unit: the city median column
        trend=run("compare/trend", start=indicators.TREND_START, units=None),
        monthly=run("compare/monthly", start=indicators.TREND_START, units=None),
        merger=run("compare/merger", units=units),
    )


def parse_units(text: str | None, resolve, allowed: list[str]) -> tuple[list[str], list[str]]:
    """Unit codes from ``?units=a,b,c`` (codes or names, any spelling, via ``resolve(text)`` → code or
    None), in order, without repeats, only ``allowed`` ones, at most MAX_UNITS; and the tokens refused.

    >>> parse_units("19873, Đan Điền,19873,x", lambda s: {"Đan Điền": "19885"}.get(s, s if s.isdigit() else None),
    ...             ["19873", "19885"])
    (['19873', '19885'], ['x'])
    """
    out, bad = [], []
    for token in (text or "").split(","):
        token = token.strip()
        if not token:
            continue
        code = token if token in allowed else resolve(token)
        if code in allowed and code not in out:
            out.append(code)
        elif code is None or code not in allowed:
            bad.append(token)
    return out[:MAX_UNITS], bad


# --- the KPI table: one row per indicator, one column per unit, the best marked ---------------------

BEST = "★ "


def kpi_table(table: pd.DataFrame, units: list[str], lang: str, rows=None) -> pd.DataFrame:
    """Indicators × units (formatted), with the city median last; "★" marks the best unit of each
    row that has a direction (ties all marked). Rows where no chosen unit has data are left out.

    ``rows``: (key, kind, higher is better) triples; by default the profile's indicators.
    """
    rows = rows or [(i.key, i.kind, i.higher_is_better) for i in KPI_ROWS]
    names = table.set_index("unit_code")["short_name"]
    sub = table.set_index("unit_code").loc[units]
    out = []
    for key, kind, higher in rows:
        vals = [sub.at[u, key] for u in units]
        if all(peers.as_float(v) is None for v in vals):
            continue
        marked = peers.best(vals, higher)
        line = {t("peers.indicator", lang): indicators.label(key, lang)}
        for i, (u, v) in enumerate(zip(units, vals)):
            line[names[u]] = (BEST if i in marked else "") + fmt.indicator(peers.as_float(v), kind, lang)
        line[t("cmp.city_median", lang)] = fmt.indicator(peers.median(table[key]), kind, lang)
        out.append(line)
    return pd.DataFrame(out)


def normalised_table(table: pd.DataFrame, units: list[str], lang: str) -> pd.DataFrame:
    """Facts and volumes per 1,000 inhabitants, per km² and per official (rows where data allow)."""
    return kpi_table(table, units, lang, NORMALISED)


# --- trends: one small panel per unit ----------------------------------------------------------------

def trend_long(trend: pd.DataFrame, monthly: pd.DataFrame, units: list[str], metric: str) -> pd.DataFrame:
    """month, unit_code, value of ``metric`` for the chosen units, and the city median of each month
    (units without data that month are left out of the median)."""
    src = monthly if metric == "visitors" else trend.copy()
    if metric == "new_dossiers":
        src["new_dossiers"] = src[["new_online", "new_direct", "new_postal"]].sum(axis=1, min_count=3)
    src = src[["month", "unit_code", metric]].rename(columns={metric: "value"})
    city = src.groupby("month")["value"].agg(lambda s: peers.median(s.tolist()))
    out = src[src["unit_code"].isin(units)].copy()
    out["city_median"] = out["month"].map(city)
    return out.sort_values(["unit_code", "month"], ignore_index=True)


# --- before and after the merger, per unit -------------------------------------------------------------

MERGER_COLS = [("on_time_rate", "rate"), ("online_rate", "rate"), ("new_dossiers", "count")]


def merger_changes(merger: pd.DataFrame, units: list[str]) -> pd.DataFrame:
    """Per unit: before, after and change of the on-time and online rates (points) and of new dossiers
    per month (relative), from ``communes.merger.merger_table`` (rates recomputed from counts)."""
    rows = []
    for u in units:
        mt = merger_table(merger[merger["unit_code"] == u]).set_index("key")
        row = {"unit_code": u}
        for key, _ in MERGER_COLS:
            row |= {f"{key}_before": mt.at[key, "before"], f"{key}_after": mt.at[key, "after"],
                    f"{key}_change": mt.at[key, "change"]}
        rows.append(row)
    return pd.DataFrame(rows)


def merger_view(changes: pd.DataFrame, names: dict, lang: str) -> pd.DataFrame:
    """The before/after table as the page shows it: one row per indicator and phase, one column per unit
    (as the KPI table), formatted."""
    def change(v, kind):
        if v is None or pd.isna(v):
            return "—"
        return fmt.points(v, lang=lang) if kind == "rate" else f"{fmt.signed(v * 100, 1, lang)} %"
    rows = []
    for key, kind in MERGER_COLS:
        name = t("peers.new_dossiers_pm", lang) if key == "new_dossiers" else t(f"peers.short.{key}", lang)
        for part in ("before", "after", "change"):
            line = {t("peers.indicator", lang): t(f"cmp.{part}_of", lang, name=name)}
            for u, v in zip(changes["unit_code"], changes[f"{key}_{part}"]):
                line[names[u]] = change(v, kind) if part == "change" else fmt.indicator(v, kind, lang)
            rows.append(line)
    return pd.DataFrame(rows)
