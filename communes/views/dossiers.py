"""Data of the dossier page (Hồ sơ TTHC).

Biểu 06 figures come from ``communes.kpi`` and ``communes.rollups`` (the build-time rollup for a stored
period or scope, the macro otherwise), so they are the numbers ``communes.kpi.compute`` gives.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from communes import due_soon, fmt, kpi, rollups, specialists
from communes import service_index as si
from communes.i18n import t

TREND_START = date(2024, 1, 1)  # the dossier trend starts in January 2024 (before the merger)
SECTIONS = ("field", "backlog", "index", "drill", "specialists", "due_soon")
BUCKETS = ["1-3", "4-7", "8-30", ">30"]


def scope_units(ref, units) -> pd.DataFrame:
    """The reference rows (code, names, type) of the units in scope, in code order (``RefData.unit_rows``)."""
    return ref.unit_rows(units)


@dataclass(frozen=True)
class DossiersData:
    """Everything the dossier page shows for one frame; the detail parts not asked for are None."""
    now: dict  # the scope's dossier indicators (``kpi.compute``'s "dossiers" section)
    before: dict  # the same in the comparison period
    trend: pd.DataFrame  # the scope month by month since January 2024
    events: pd.DataFrame  # city-wide events
    types: dict[str, dict]  # "phuong", "xa": the dossier indicators of each unit type
    units: pd.DataFrame  # the reference rows of the units in scope
    by_unit: pd.DataFrame  # the dossier indicators of every unit of the scope
    due_soon_units: tuple[date, pd.DataFrame]  # "Sắp đến hạn": the last day counted, and the units' counts
    field: pd.DataFrame | None = None  # field × unit
    backlog: pd.DataFrame | None = None  # overdue pending dossiers per unit and age bucket
    specialists: list | None = None  # dossiers per specialist by unit and field (``specialists.FieldLoad``)
    unit: str | None = None  # the unit of the drill-down
    unit_trend: pd.DataFrame | None = None
    unit_events: pd.DataFrame | None = None
    pending: pd.DataFrame | None = None  # the unit's pending dossiers
    due_soon: tuple[date, pd.DataFrame] | None = None  # the dossiers due soon, with their working days left


def load(run, f, unit: str | None = None, sections=SECTIONS) -> DossiersData:
    """Everything the dossier page shows for frame ``f``; ``sections`` limits the detail parts."""
    stored = rollups.Stored.load(run)
    p, units = f.period, f.units
    ref_units = f.ref.unit_rows(units)
    types = {}
    for code, kind in (("phuong", "Phường"), ("xa", "Xã")):
        type_units = f.ref.units.loc[f.ref.units.unit_type == kind, "unit_code"].tolist()
        types[code] = kpi.section(run, "dossiers", p, type_units, stored)
    out = {
        "now": kpi.section(run, "dossiers", p, units, stored),
        "before": kpi.section(run, "dossiers", f.compare, units, stored),
        "trend": rollups.trend(run, TREND_START, units, stored),
        "events": None,  # city-wide events: filled below, from the unit's query when there is one
        "types": types,
        "units": ref_units,
        "by_unit": kpi.by_unit(run, "dossiers", p, units, stored),
    }
    if "field" in sections:
        out["field"] = rollups.field_unit(run, p.start, p.end, units, stored)
    if "backlog" in sections:
        out["backlog"] = run("dossiers/backlog", start=p.start, end=p.end, units=units)
    if "specialists" in sections:
        out["specialists"] = specialists.load(run, p, f.as_of, units)
    if "drill" in sections:
        unit = unit or getattr(f, "unit", None) or (ref_units.unit_code.iloc[0] if len(ref_units) else None)
        if unit is not None:
            out["unit"] = unit
            out["unit_trend"] = run("dossiers/unit_trend", unit=unit, start=TREND_START)
            out["unit_events"] = run("dossiers/events", unit=unit)
            out["pending"] = run("dossiers/pending_list", start=p.start, end=p.end, unit=unit)
    # "Sắp đến hạn" at the data date, beside the overdue card; the list only in its detail view
    out["due_soon_units"] = due_soon.by_unit(run, f.as_of, units)
    if "due_soon" in sections:
        out["due_soon"] = due_soon.rows(run, f.as_of, units)
    ev = out.get("unit_events")
    out["events"] = run("dossiers/events", unit=None) if ev is None else ev[ev["unit_code"].isna()].reset_index(drop=True)
    return DossiersData(**out)


def backlog_table(backlog: pd.DataFrame, units: pd.DataFrame, with_data: set) -> pd.DataFrame:
    """Overdue pending dossiers per unit of ``units`` and bucket (columns in BUCKETS order) + total.

    A unit with dossiers but nothing overdue has 0 in every bucket; a unit without any dossier in the
    period has no data (empty), and comes last.
    """
    wide = backlog.pivot_table(index="unit_code", columns="bucket", values="dossiers", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=BUCKETS, fill_value=0)
    df = units[["unit_code", "short_name", "unit_type"]].merge(wide, left_on="unit_code", right_index=True, how="left")
    has = df["unit_code"].isin(with_data)
    for b in BUCKETS:
        df[b] = df[b].fillna(0).astype("Int64").where(has, pd.NA)
    df["total"] = df[BUCKETS].sum(axis=1, min_count=1).astype("Int64").where(has, pd.NA)
    return df.sort_values(["total", "unit_code"], ascending=[False, True], na_position="last", ignore_index=True)


def as_of_text(f, lang: str) -> str:
    """The instant the backlog is judged at: the period's last day, or the data's as-of date if earlier."""
    return fmt.date(min(f.period.end, f.as_of), lang)


def types_view(types: dict[str, dict], lang: str) -> pd.DataFrame:
    """Phường against xã: one row per indicator, one column per unit type (formatted)."""
    keys = ["received", "resolved", "pending_overdue", "on_time_rate", "online_rate", "digitized_rate",
            "overdue_rate", "satisfaction_rate"]
    def show(k, v):
        return fmt.percent(v, lang=lang) if k.endswith("_rate") else fmt.number(v, lang=lang)
    return pd.DataFrame({
        t("dossiers.indicator", lang): [t(f"ind.{k}", lang) for k in keys],
        t("dossiers.type_phuong", lang): [show(k, types["phuong"].get(k)) for k in keys],
        t("dossiers.type_xa", lang): [show(k, types["xa"].get(k)) for k in keys],
    })


def field_view(df: pd.DataFrame, names: dict, lang: str) -> pd.DataFrame:
    """The field × unit breakdown as a flat table (for the CSV download)."""
    return pd.DataFrame({
        t("col.unit", lang): [names.get(c, c) for c in df["unit_code"]],
        t("dossiers.field", lang): df["field"],
        t("ind.received", lang): df["received"],
        t("ind.resolved", lang): df["resolved"],
        t("ind.on_time_rate", lang): [fmt.percent(v, lang=lang) for v in df["on_time_rate"]],
        t("ind.pending_overdue", lang): df["pending_overdue"],
    })


def backlog_view(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    cols = {"short_name": t("col.unit", lang), "unit_type": t("col.type", lang)}
    cols |= {b: t(f"dossiers.bucket_{b.replace('-', '_').replace('>', '')}", lang) for b in BUCKETS}
    cols["total"] = t("ind.pending_overdue", lang)
    return table[list(cols)].rename(columns=cols)


def index_groups_view(lang: str) -> pd.DataFrame:
    """The six groups of Decision 766 with their maximum and how this estimate treats each."""
    return pd.DataFrame({
        t("dossiers.si_group", lang): [t(f"dossiers.si_{g.key}", lang) for g in si.GROUPS],
        t("dossiers.si_max", lang): [g.max for g in si.GROUPS],
        t("dossiers.si_how", lang): [t(f"dossiers.si_how_{g.key}", lang) if g.computable
                                     else t("dossiers.si_not_in_exports", lang) for g in si.GROUPS],
    })


def index_view(scores: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """Per unit: rank, points per computable group, total; and each score column's maximum."""
    view = pd.DataFrame({t("rank", lang): [fmt.rank_cell(r) for r in scores["rank"]], t("col.unit", lang): scores["unit_name"]})
    maxima = {}
    for g in si.GROUPS:
        if g.computable:
            col = f"{t(f'dossiers.si_{g.key}', lang)} ({g.max})"
            view[col] = scores[g.key].round(1)
            maxima[col] = g.max
    col = t("dossiers.si_total", lang, max=si.MAX_COMPUTABLE)
    view[col] = scores["total"].round(1)
    maxima[col] = si.MAX_COMPUTABLE
    return view, maxima


def pending_view(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One unit's pending dossiers: id, field, procedure, received, due, days overdue (sortable)."""
    return pd.DataFrame({
        t("dossiers.col_id", lang): df["dossier_id"],
        t("dossiers.field", lang): df["field"],
        t("dossiers.col_procedure", lang): df["procedure"],
        t("dossiers.col_received", lang): pd.to_datetime(df["received_at"]),
        t("dossiers.col_due", lang): pd.to_datetime(df["due_at"]),
        t("dossiers.col_days", lang): df["days_overdue"].astype("Int64"),
        t("dossiers.col_status", lang): [t("dossiers.status_overdue" if o else "dossiers.status_in_time", lang)
                                         for o in df["overdue"]],
    })


def pending_csv(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The pending list for the CSV: dates written the Vietnamese way (dd/mm/yyyy hh:mm)."""
    out = pending_view(df, lang)
    for c in (t("dossiers.col_received", lang), t("dossiers.col_due", lang)):
        out[c] = out[c].dt.strftime("%d/%m/%Y %H:%M")
    return out
