"""Data of the overview page: city KPIs now and in the comparison period, every unit's indicators
in both periods (for the attention list and the ranking), 12-month sparklines, freshness and
who has not reported yet.

Indicators come from ``communes.kpi`` (dossiers through ``communes.rollups``: the build-time rollup for a
stored period, the macro otherwise), so they equal ``communes.kpi.compute`` by construction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from communes import comparisons, due_soon, fmt, kpi, rollups
from communes.completeness import completeness_summary
from communes.i18n import t
from communes.links import mobile_link, unit_link
from communes.missing import as_float, value

# Metrics the ranking offers: (indicator, higher is better, how to show it).
METRICS = {
    "on_time_rate": (True, "rate"),
    "overdue_rate": (False, "rate"),
    "pending_overdue": (False, "count"),
    "online_rate": (True, "rate"),
    "digitized_rate": (True, "rate"),
    "satisfaction_rate": (True, "rate"),
    "received": (True, "count"),
    "visitors": (True, "count"),
    "revenue_vnd": (True, "money"),
    "rice_production_tonnes": (True, "tonnes"),
    "aquaculture_tonnes": (True, "tonnes"),
}
SPARK_MONTHS = 12


def unit_table(run, ref, period, units, stored: rollups.Stored | None = None) -> pd.DataFrame:
    """Every unit of the scope with every indicator of ``kpi.KEYS`` (null where it has no rows): the dossier
    columns by unit (``kpi.by_unit``), the others from ``overview/unit_table`` (their macros)."""
    dossiers = kpi.by_unit(run, "dossiers", period, units, stored)
    df = run("overview/unit_table", start=period.start, end=period.end, units=units)
    df = df.merge(dossiers[["unit_code", *kpi.KEYS["dossiers"]]], on="unit_code", how="left")
    keys = [k for section in kpi.KEYS.values() for k in section]
    return ref.unit_rows(units).merge(df[["unit_code", *keys]], on="unit_code", how="left")


def metric_by_unit(run, ref, period, units, metric: str, stored: rollups.Stored | None = None) -> pd.DataFrame:
    """One indicator for every unit of the scope (null where it has no rows): the ranking's other period."""
    section = next(sec for sec, keys in kpi.KEYS.items() if metric in keys)
    df = kpi.by_unit(run, section, period, units, stored)
    return ref.unit_rows(units).merge(df[["unit_code", metric]], on="unit_code", how="left")


def city_kpis(run, period, units, stored: rollups.Stored | None = None) -> dict:
    """``kpi.compute(period, units)`` in two queries: dossiers (``kpi.section``) and the rest together."""
    row = run("overview/city", start=period.start, end=period.end, units=units).iloc[0]
    out = {"dossiers": kpi.section(run, "dossiers", period, units, stored)}
    for section in ("tourism", "agriculture", "fishery"):
        out[section] = {k: value(row[k]) for k in kpi.KEYS[section]}
    return out


def city_kpis_before(run, cmp, units, stored: rollups.Stored | None = None) -> dict:
    """``kpi.compute_compared(cmp, units)`` in two queries, as ``city_kpis``: dossiers over the comparison's
    dates, tourism and fishery over as many whole months, rice over the same seasons a year earlier."""
    p, m = cmp.period, cmp.monthly
    row = run("overview/city_before", start=p.start, end=p.end, m_start=m.start, m_end=m.end, units=units).iloc[0]
    out = {"dossiers": kpi.section(run, "dossiers", cmp.dates, units, stored)}
    for section in ("tourism", "agriculture", "fishery"):
        out[section] = {k: value(row[k]) for k in kpi.KEYS[section]}
    return out


def metric_before(run, ref, cmp, units, metric: str, stored: rollups.Stored | None = None) -> pd.DataFrame:
    """``metric_by_unit`` in the comparison: each kind of data compared by its own rule (communes.comparisons)."""
    section = next(sec for sec, keys in kpi.KEYS.items() if metric in keys)
    if section != "agriculture":
        return metric_by_unit(run, ref, cmp.for_section(section), units, metric, stored)
    df = run("kpi/rice_before", start=cmp.period.start, end=cmp.period.end, units=units, by_unit=True)
    return ref.unit_rows(units).merge(df[["unit_code", metric]], on="unit_code", how="left")


def ranking(now: pd.DataFrame, before: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Units ranked on ``metric`` (1 = best), with the rank in the comparison period and the change.

    Units without data are not ranked (rank null) and come after the ranked ones; ties share a rank.
    ``rank_change`` > 0 means the unit moved up.

    >>> now = pd.DataFrame({"unit_code": ["a", "b", "c"], "m": [0.9, 0.8, None]})
    >>> before = pd.DataFrame({"unit_code": ["a", "b", "c"], "m": [0.7, 0.85, 0.5]})
    >>> ranking(now, before, "m")[["unit_code", "rank", "rank_before", "rank_change"]].values.tolist()
    [['a', 1, 2, 1], ['b', 2, 1, -1], ['c', <NA>, 3, <NA>]]
    """
    higher = METRICS.get(metric, (True, ""))[0]
    out = now.copy()
    out["rank"] = out[metric].rank(ascending=not higher, method="min").astype("Int64")
    prev = before[["unit_code", metric]].rename(columns={metric: "value_before"})
    prev["rank_before"] = prev["value_before"].rank(ascending=not higher, method="min").astype("Int64")
    out = out.merge(prev, on="unit_code", how="left")
    out["rank_change"] = (out["rank_before"] - out["rank"]).astype("Int64")
    return out.sort_values(["rank", "unit_code"], na_position="last", ignore_index=True)


def sparklines(df: pd.DataFrame | None) -> dict[str, list]:
    """unit_code → its monthly values, oldest first (None where a month has no data; rice is seasonal)."""
    out = {}
    if df is None:
        return out
    for code, g in df.sort_values("month").groupby("unit_code", sort=False):
        out[code] = [as_float(v) for v in g["value"]]
    return out


@dataclass(frozen=True)
class OverviewData:
    """Everything the overview shows for one frame and the ranking's indicator."""
    now: dict[str, dict]  # ``kpi.compute``'s figures of the scope: section → indicator → value or None
    before: dict[str, dict]  # the same in the comparison (each kind of data by its own rule)
    table: pd.DataFrame  # every unit of the scope with every indicator of ``kpi.KEYS``
    table_before: pd.DataFrame  # the ranking's indicator for every unit in the comparison
    spark: pd.DataFrame | None  # the ranking indicator's last 12 months per unit (None: rice, seasonal)
    due_soon: tuple[date, pd.DataFrame]  # "Sắp đến hạn": the last day counted, and the units' counts
    freshness: pd.DataFrame  # per dataset: rows loaded and the latest date covered
    completeness: str  # who has not reported for the data's latest month, in one line


def load(run, f, metric: str = "on_time_rate") -> OverviewData:
    stored = rollups.Stored.load(run)
    cmp = comparisons.of(f.period, f.compare_kind)
    spark = "overview/sparklines" if metric in kpi.KEYS["dossiers"] else "overview/sparklines_monthly"
    return OverviewData(
        now=city_kpis(run, f.period, f.units, stored),
        before=city_kpis_before(run, cmp, f.units, stored),
        table=unit_table(run, f.ref, f.period, f.units, stored),
        table_before=metric_before(run, f.ref, cmp, f.units, metric, stored),
        spark=None if metric.startswith("rice_") else run(
            spark, end=min(f.period.end, f.as_of), months=SPARK_MONTHS, metric=metric, units=f.units),
        due_soon=due_soon.by_unit(run, f.as_of, f.units),
        freshness=run("meta/freshness"),
        completeness=completeness_summary(run, f),
    )


# --- presentation helpers (pure: the page lays out what these return) ----------------------------

def rank_change_text(rank, rank_before, change, lang: str) -> str:
    """"▲ 2", "▼ 1", "=", "mới" (ranked now, not before) or "" (not ranked now)."""
    if pd.isna(rank):
        return ""
    if pd.isna(rank_before):
        return t("overview.new", lang)
    return "▲ " + str(int(change)) if change > 0 else "▼ " + str(int(-change)) if change < 0 else "="


def ranking_view(ranked: pd.DataFrame, spark: dict, metric: str, f, target, keep: dict | None = None) -> pd.DataFrame:
    """The ranking as the page shows it: localised headers, formatted values, sparkline lists, links
    (carrying ``keep``: the language and period of the view, see ``ui.link_params``)."""
    kind, lg = METRICS[metric][1], f.lang
    view = pd.DataFrame({  # rank, unit and value first: what a phone shows without scrolling sideways
        t("rank", lg): [fmt.rank_cell(r) for r in ranked["rank"]],
        t("col.unit", lg): ranked["unit_name"],
        t(f"ind.{metric}", lg): [fmt.indicator(v, kind, lg) for v in ranked[metric]],
        t("overview.rank_change", lg): [rank_change_text(r, b, c, lg) for r, b, c in
                                        zip(ranked["rank"], ranked["rank_before"], ranked["rank_change"])],
        t("overview.before", lg, period=comparisons.of(f.period, f.compare_kind).label(
            next(sec for sec, keys in kpi.KEYS.items() if metric in keys), lg)):
            [fmt.indicator(v, kind, lg) for v in ranked["value_before"]],
        t("overview.spark", lg): [spark.get(c, []) for c in ranked["unit_code"]],
        t("ind.received", lg): ranked["received"],
    })
    if target is not None:
        view[t("overview.status", lg)] = [t(f"status.{target.status(v)}", lg) if target.status(v) else ""
                                         for v in ranked[metric]]
    view[t("mobile.phone_col", lg)] = [mobile_link(c, keep) for c in ranked["unit_code"]]
    view[t("overview.profile", lg)] = [unit_link(c, keep) for c in ranked["unit_code"]]  # last: the row's main link
    return view


def freshness_view(fr: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per dataset: rows loaded and the latest date covered ("chưa có tệp" when not loaded)."""
    def covers(rows, d):
        if not rows:
            return t("overview.not_loaded", lang)
        return "—" if d is None or pd.isna(d) else fmt.date(d, lang)
    return pd.DataFrame({
        t("overview.dataset", lang): [t(f"overview.ds_{x}", lang) for x in fr["dataset"]],
        t("overview.rows", lang): [fmt.number(x, lang=lang) for x in fr["rows"]],
        t("overview.covers_to", lang): [covers(r, d) for r, d in zip(fr["rows"], fr["covers_to"])],
    })
