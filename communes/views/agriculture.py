"""Data of the agriculture & fishery page: rice by unit and season for the calendar years the period
touches (and the year before), the scope's rice season by season over three years, the agriculture
load warnings, fishery by unit for three periods, the monthly fishery trend, fishery by unit and
month / year, and the city-wide events.

Rice cards read the scope rows of ``agriculture/rice`` and fishery cards the scope rows of
``agriculture/fishery_periods`` (the period, its comparison and the other comparison at once): the
same sums as ``rice_indicators`` / ``fishery_indicators``, which ``kpi/rice`` / ``kpi/fishery`` (what
``communes.kpi.compute`` runs) call, proven equal by tests/test_agriculture_page.py and
tests/test_agriculture_fishery.py.
A yield over several units or seasons always comes from the macros (production × 10 / area over the
rows summed); nothing here averages yields.

>>> season_code("Đông Xuân")
'dong-xuan'
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from communes import fmt
from communes.changes import rel_change, rel_text
from communes.comparisons import compare_period, second_period
from communes.missing import value
from communes.names import ascii_key
from communes.periods import add_months, trend_window
from communes.tables import RAW_ONLY, first_row, ranked, split_total, two_tables

RICE_KEYS = ("rice_area_ha", "rice_production_tonnes", "rice_yield_quintal_per_ha")
FISH_KEYS = ("aquaculture_tonnes", "capture_tonnes", "fishery_tonnes", "aquaculture_area_ha", "aquaculture_t_per_ha")
SEASON_ORDER = ("Đông Xuân", "Hè Thu", "Vụ Mùa", "Thu Đông", "Cả năm")
ALL = "all"  # the season choice "every season together"


def season_code(season: str) -> str:
    """The URL code of a season."""
    return ascii_key(season).replace(" ", "-")


def seasons_in(rice: pd.DataFrame) -> list[str]:
    """The seasons present in a rice result, in the farming calendar's order."""
    present = set(rice["season"].dropna())
    return [s for s in SEASON_ORDER if s in present] + sorted(present - set(SEASON_ORDER))


def rice_years(p) -> str:
    """The calendar years a period's rice figures cover: "2025" or "2024–2025"."""
    return str(p.start.year) if p.start.year == p.end.year else f"{p.start.year}–{p.end.year}"


# --- the page's data plan ----------------------------------------------------------------------------

GRAINS = ("month", "year")  # the fishery detail: by unit and month, or by unit and year


@dataclass(frozen=True)
class AgricultureData:
    """Everything the agriculture & fishery page shows for one frame."""
    rice_cards: dict[str, dict]  # "now", "last_year": the scope's rice (RICE_KEYS → figure or None)
    rice: pd.DataFrame  # ``agriculture/rice``: by period, level (unit, scope, city) and season
    scope_units: pd.DataFrame  # the reference rows of the units in scope
    rice_trend: pd.DataFrame  # the scope's rice season by season over three years
    warnings: pd.DataFrame  # the agriculture export's load warnings, with unit names
    fish_cards: dict[str, dict | None]  # "now", "before", "other" (None: no other comparison): FISH_KEYS
    fish_units: pd.DataFrame  # one row per unit: the period's fishery, and its total before
    fish_monthly: pd.DataFrame  # the scope's fishery month by month from 12 months before the window
    fish_detail: pd.DataFrame  # fishery by unit and month, or by unit and year (the grain asked for)
    events: pd.DataFrame  # city-wide events in the window: date, label
    window: tuple[date, date]  # the months the fishery trend shows


def load(run, f, grain: str = "month") -> AgricultureData:
    rice = run("agriculture/rice", start=f.period.start, end=f.period.end, units=f.units)
    rice_cards = {name: first_row(rows(rice, period, "scope", None), RICE_KEYS)
                  for name, period in (("now", "now"), ("last_year", "last_year"))}
    y1 = min(f.period.end, max(f.as_of, f.period.start)).year
    rice_trend = run("agriculture/rice_trend", start=date(y1 - 2, 1, 1), end=date(y1, 12, 31), units=f.units)
    ref = f.ref.units
    warnings = run("agriculture/warnings").merge(ref[["unit_code", "unit_name"]], on="unit_code", how="left")
    scope_units = ref[ref["unit_code"].isin(f.units)] if f.units is not None else ref

    other = second_period(f)
    cmp = compare_period(f)  # whole months, as many as the period's
    fishery = run("agriculture/fishery_periods", start=f.period.start, end=f.period.end, cmp_start=cmp.start,
                  cmp_end=cmp.end, other_start=None if other is None else other.start,
                  other_end=None if other is None else other.end, units=f.units)
    fish, fish_cards = {}, {}
    for name in ("now", "before", "other"):
        fish[name], total = split_total(fishery[fishery["period"] == name].drop(columns="period"))
        fish_cards[name] = first_row(total, FISH_KEYS)
    if other is None:
        fish_cards["other"] = None
    fish_units = fish["now"].merge(fish["before"][["unit_code", "fishery_tonnes"]].rename(
        columns={"fishery_tonnes": "fishery_tonnes_before"}), on="unit_code", how="left")
    w0, w1 = trend_window(f.period, f.as_of)
    fish_monthly = run("agriculture/fishery_monthly", start=add_months(w0, -12), end=w1, units=f.units)
    fish_monthly["month"] = pd.to_datetime(fish_monthly["month"])
    # only the detail the reader chose (month or year) is queried
    detail = run(f"agriculture/fishery_unit_{grain}", start=f.period.start, end=f.period.end, units=f.units)
    events = run("meta/city_events", start=w0, end=w1)
    return AgricultureData(rice_cards, rice, scope_units, rice_trend, warnings, fish_cards, fish_units, fish_monthly,
                           detail, events, (w0, w1))


# --- rice ----------------------------------------------------------------------------------------------

def rows(rice: pd.DataFrame, period: str, level: str, season: str | None) -> pd.DataFrame:
    """The rows of ``agriculture/rice`` for a period ("now", "last_year"), a level ("unit", "scope",
    "city") and a season (None = every season together), indexed by unit code."""
    r = rice[(rice["period"] == period) & (rice["level"] == level)]
    r = r[r["season"].isna()] if season is None else r[r["season"] == season]
    return r.set_index("unit_code", drop=False)


def season_rows(rice: pd.DataFrame) -> pd.DataFrame:
    """Each unit's rice season by season in the period (for the stacked production ranking)."""
    return rice[(rice["period"] == "now") & (rice["level"] == "unit") & rice["season"].notna()]


def rice_units(rice: pd.DataFrame, scope_units: pd.DataFrame, season: str | None,
               warnings: pd.DataFrame | None = None, years: tuple[int, int] | None = None) -> tuple[pd.DataFrame, dict]:
    """One row per unit of the scope for ``season`` (None = every season together): area, production,
    yield, share of the city, last year's yield, the gap to the city yield, the rank by production
    (units with rice only) and the number of load warnings on its rows of ``years`` (first, last);
    and the city's figures.

    A unit without rice keeps null figures (``has_rice`` False), is not ranked and sorts last.
    """
    out = scope_units[["unit_code", "unit_name", "short_name", "unit_type"]].set_index("unit_code", drop=False)
    now, before = rows(rice, "now", "unit", season), rows(rice, "last_year", "unit", season)
    city = first_row(rows(rice, "now", "city", season), RICE_KEYS)
    for k in RICE_KEYS + ("production_share",):
        out[k] = now[k].reindex(out.index)
    out["yield_last_year"] = before["rice_yield_quintal_per_ha"].reindex(out.index)
    out["production_last_year"] = before["rice_production_tonnes"].reindex(out.index)
    out["has_rice"] = out["rice_area_ha"].notna() | out["rice_production_tonnes"].notna()
    cy = city["rice_yield_quintal_per_ha"]
    out["yield_vs_city"] = out["rice_yield_quintal_per_ha"] - cy if cy is not None else float("nan")
    out["yield_vs_last_year"] = out["rice_yield_quintal_per_ha"] - out["yield_last_year"]
    out["rank"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    has = out["rice_production_tonnes"].notna()
    out.loc[has, "rank"] = out.loc[has, "rice_production_tonnes"].rank(ascending=False, method="min").astype("Int64")
    w = warnings[warnings["unit_code"].notna()] if warnings is not None and len(warnings) else None
    if w is not None and years is not None:
        w = w[w["year"].between(*years)]
    out["warnings"] = 0 if w is None else w.groupby("unit_code").size().reindex(out.index).fillna(0).astype(int)
    out = out.sort_values(["rank", "unit_name"], na_position="last").reset_index(drop=True)
    return out, city


def rice_table(units: pd.DataFrame, t, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rice table to show and to download: a unit without rice reads "không có lúa" (it grows
    none), never 0 and never "no data" as if it had failed to report."""
    none = t("agri.no_rice")
    def signed(x):
        return fmt.NO_DATA[lang] if x is None else fmt.signed(x, 1, lang)

    def shown(key, formatter):
        return [formatter(value(x)) if has else none for x, has in zip(units[key], units["has_rice"])]

    return two_tables([
        (t("tourism.col.rank"), units["rank"], fmt.rank_cell),
        (t("tourism.col.code"), units["unit_code"], RAW_ONLY),
        (t("col.unit"), units["unit_name"], None),
        (t("agri.col.area"), units["rice_area_ha"], shown("rice_area_ha", lambda x: fmt.hectares(x, lang))),
        (t("agri.col.yield"), units["rice_yield_quintal_per_ha"],
         shown("rice_yield_quintal_per_ha", lambda x: fmt.yield_(x, lang))),
        (t("agri.col.production"), units["rice_production_tonnes"],
         shown("rice_production_tonnes", lambda x: fmt.tonnes(x, lang))),
        (t("agri.col.share"), units["production_share"], shown("production_share", lambda x: fmt.percent(x, lang=lang))),
        (t("agri.col.yield_last_year"), units["yield_last_year"],
         shown("yield_last_year", lambda x: fmt.yield_(x, lang))),
        (t("agri.col.vs_last_year"), units["yield_vs_last_year"], shown("yield_vs_last_year", signed)),
        (t("agri.col.vs_city"), units["yield_vs_city"], shown("yield_vs_city", signed)),
        (t("agri.col.warnings"), units["warnings"], lambda n: fmt.number(n, lang=lang) if n else ""),
    ])


def warning_table(warnings: pd.DataFrame, units: list[str] | None, years: tuple[int, int], t, lang: str
                  ) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The load warnings about rows of the scope and the years shown (to show and to download), and
    how many other warnings the export has."""
    w = warnings.copy()
    mine = w["year"].between(*years) & (w["unit_code"].isin(units) if units is not None else True)
    rows, others = w[mine].reset_index(drop=True), int((~mine).sum())
    expected = [None if value(a) is None or value(y) is None else value(a) * value(y) / 10  # the check's own rule
                for a, y in zip(rows["area_ha"], rows["yield_quintal_per_ha"])]
    gap = [None if e in (None, 0) or value(p) is None else value(p) / e - 1 for p, e in zip(rows["production_tonnes"], expected)]
    unit = [n if (lbl is None or lbl == n) else f"{n} ({lbl})" for n, lbl in
            zip(rows["unit_name"].map(value), rows["unit_label"].map(value))]
    show, download = two_tables([
        (t("agri.warn.file"), rows["file"], None),
        (t("agri.warn.line"), rows["line"], lambda x: str(x)),
        (t("col.unit"), pd.Series(unit, dtype=object), lambda x: x or fmt.NO_DATA[lang]),
        (t("agri.warn.year"), rows["year"], lambda x: "" if x is None else str(x)),
        (t("agri.warn.season"), rows["season"], lambda x: x or ""),
        (t("agri.warn.crop"), rows["crop"], lambda x: x or ""),
        (t("agri.col.area"), rows["area_ha"], lambda x: fmt.hectares(x, lang)),
        (t("agri.col.yield"), rows["yield_quintal_per_ha"], lambda x: fmt.yield_(x, lang)),
        (t("agri.warn.production"), rows["production_tonnes"], lambda x: fmt.tonnes(x, lang, 1)),
        (t("agri.warn.expected"), pd.Series(expected, dtype=object), lambda x: fmt.tonnes(x, lang, 1)),
        (t("agri.warn.gap"), pd.Series(gap, dtype=object), lambda x: rel_text(x, lang) or fmt.NO_DATA[lang]),
    ])
    return show, download, others


# --- fishery -------------------------------------------------------------------------------------------

def fish_ranked(units: pd.DataFrame) -> pd.DataFrame:
    """Units ranked by total fishery output (1 = highest); units without fishery last, unranked."""
    return ranked(units, "fishery_tonnes")


def fish_table(units: pd.DataFrame, t, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    r = fish_ranked(units)
    change = pd.Series([rel_change(value(a), value(b)) for a, b in zip(r["fishery_tonnes"], r["fishery_tonnes_before"])],
                       dtype=object)
    def tonnes(x):
        return fmt.tonnes(x, lang, 1)
    return two_tables([
        (t("tourism.col.rank"), r["rank"], fmt.rank_cell),
        (t("tourism.col.code"), r["unit_code"], RAW_ONLY),
        (t("col.unit"), r["unit_name"], None),
        (t("ind.aquaculture_tonnes"), r["aquaculture_tonnes"], tonnes),
        (t("ind.capture_tonnes"), r["capture_tonnes"], tonnes),
        (t("agri.fish.total"), r["fishery_tonnes"], tonnes),
        (t("agri.fish.area"), r["aquaculture_area_ha"], lambda x: fmt.hectares(x, lang)),
        (t("agri.fish.per_ha"), r["aquaculture_t_per_ha"], lambda x: per_ha(x, lang)),
        (t("agri.fish.share"), r["fishery_share"], lambda x: fmt.percent(x, lang=lang)),
        (t("agri.fish.change"), change, lambda x: rel_text(x, lang) or fmt.NO_DATA[lang]),
    ])


def per_ha(x, lang: str = "vi") -> str:
    """Aquaculture output per hectare: ``1,69 tấn/ha``.

    >>> per_ha(1.6871), per_ha(None, "en")
    ('1,69 tấn/ha', 'no data')
    """
    text = fmt.number(x, 2, lang)
    return text if value(x) is None else f"{text} {'tấn/ha' if lang == 'vi' else 't/ha'}"


def fish_detail(rows: pd.DataFrame, grain: str, t, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fishery by unit and month (``grain`` "month") or by unit and year, to show and to download."""
    r = rows.sort_values(["unit_code", grain]).reset_index(drop=True)
    if grain == "month":
        when = pd.Series([fmt.month_short(m.year, m.month, lang) for m in pd.to_datetime(r["month"])], dtype=object)
        raw_when = pd.to_datetime(r["month"]).dt.strftime("%Y-%m")
    else:
        when = raw_when = r["year"].astype(str)
    def tonnes(x):
        return fmt.tonnes(x, lang, 1)
    show, download = two_tables([
        (t("tourism.col.code"), r["unit_code"], RAW_ONLY),
        (t("col.unit"), r["unit_name"], None),
        (t(f"agri.fish.{grain}"), raw_when, None),
        (t("ind.aquaculture_tonnes"), r["aquaculture_tonnes"], tonnes),
        (t("ind.capture_tonnes"), r["capture_tonnes"], tonnes),
        (t("agri.fish.total"), r["fishery_tonnes"], tonnes),
        (t("agri.fish.area"), r["aquaculture_area_ha"], lambda x: fmt.hectares(x, lang)),
    ] + ([(t("agri.fish.per_ha"), r["aquaculture_t_per_ha"], lambda x: per_ha(x, lang))] if grain == "year" else []))
    show[t(f"agri.fish.{grain}")] = when
    return show, download
