r"""Data of the Data page ("Dữ liệu"): what is loaded, who has not reported, and the tables of the
steward's flow (problems, changes, indicators before → after, versions, audit log).

``load`` runs every query of the page; the other functions are pure formatting (DataFrames of
text, so uploaded file names and cell values are shown as text, never as HTML or Markdown).
``completeness_summary(run, f)`` is the one-line summary the overview shows.

>>> md("**x**")
'\\*\\*x\\*\\*'
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pandas as pd

from communes import fmt
from communes.completeness import (  # noqa: F401 — the page shows the matrix and the summary line
    MONTHLY,
    completeness_summary,
    matrix,
    months,
    summary_line,
)
from communes.contract import DATASETS

VN_TIME = timezone(timedelta(hours=7))  # Việt Nam has no daylight saving time


# --- data plan ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DataPageData:
    """What the Data page shows: the loaded version and who has reported."""
    meta: dict  # the version's ``meta`` table: key → text (files as JSON, built_at, sample…)
    datasets: pd.DataFrame  # per dataset: the first and last dates its rows cover
    completeness: pd.DataFrame  # per dataset, unit and month of the look-back: rows reported
    warnings: pd.DataFrame  # the load warnings of every export
    months: list[date]  # the months the matrix shows, oldest first


def load(run, f) -> DataPageData:
    start, end, shown = months(f)
    meta = run("data/meta")
    return DataPageData(dict(zip(meta["key"], meta["value"])), run("data/datasets"),
                        run("data/completeness", start=start, end=end), run("data/warnings"), shown)


# --- what is loaded -------------------------------------------------------------------------------

def files(meta: dict) -> dict[str, dict]:
    return {x["dataset"]: x for x in json.loads(meta.get("files") or "[]")}


def when(iso: str | None, lang: str = "vi") -> str:
    """An ISO instant as Việt Nam time: "29/11/2026 11:40".

    >>> when("2026-11-29T04:40:31+00:00")
    '29/11/2026 11:40'
    """
    if not iso:
        return fmt.NO_DATA[lang]
    t = datetime.fromisoformat(iso).astimezone(VN_TIME)
    return f"{fmt.date(t.date(), lang)} {t:%H:%M}"


def dataset_table(d: DataPageData, t, lang: str) -> pd.DataFrame:
    """One row per dataset of the contract: file, rows, period, last update, checksum, origin."""
    loaded = files(d.meta)
    spans = d.datasets.set_index("dataset")
    rows = []
    for name in DATASETS:
        f = loaded.get(name)
        span = spans.loc[name] if name in spans.index else None
        has = f is not None
        rows.append({
            t("data.col.dataset"): t(f"data.ds.{name}"),
            t("data.col.file"): f["file"] if has else t("data.no_file"),
            t("data.col.rows"): fmt.number(f["rows"], lang=lang) if has else "—",
            t("data.col.from"): fmt.date(span["period_from"], lang) if has and pd.notna(span["period_from"]) else "—",
            t("data.col.to"): fmt.date(span["period_to"], lang) if has and pd.notna(span["period_to"]) else "—",
            t("data.col.updated"): when(f.get("updated_at") or d.meta.get("built_at"), lang) if has else "—",
            t("data.col.origin"): t(f"data.origin.{f.get('origin', 'official')}") if has else "—",
            t("data.col.warnings"): fmt.number(f.get("warnings", 0), lang=lang) if has else "—",
            t("data.col.sha"): f["sha256"] if has else "—",
        })
    return pd.DataFrame(rows)


def origin(meta: dict) -> str:
    """sample, official or mixed for the whole version."""
    kinds = {x.get("origin", "official") for x in files(meta).values()}
    if kinds == {"sample"}:
        return "sample"
    return "mixed" if kinds & {"sample", "mixed"} else "official"


# --- the steward's flow ---------------------------------------------------------------------------

def md(text) -> str:
    """Text safe inside Markdown (st.success, st.caption…): every markup character escaped (``fmt.plain``)."""
    return fmt.plain(str(text))


def problems_table(problems, t) -> pd.DataFrame:
    return pd.DataFrame([{
        t("data.col.file"): p.file, t("data.col.line"): "" if p.line is None else str(p.line),
        t("data.col.column"): p.column or "", t("data.col.value"): "" if p.value is None else str(p.value),
        t("data.col.expected"): p.expected,
    } for p in problems])


def warnings_table(df: pd.DataFrame, t) -> pd.DataFrame:
    return pd.DataFrame({
        t("data.col.dataset"): [t(f"data.ds.{x}") for x in df["dataset"]], t("data.col.file"): df["file"],
        t("data.col.line"): [str(x) for x in df["line"]], t("data.col.column"): df["col"].fillna(""),
        t("data.col.value"): df["value"].fillna(""), t("data.col.expected"): df["message"],
    })


def _unit(ref_units: pd.DataFrame, code) -> str:
    names = dict(zip(ref_units["unit_code"], ref_units["unit_name"]))
    return names.get(code, code) if code else "—"


def _period(p: str, lang: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})", p or "")
    if m:
        return fmt.month_short(int(m[1]), int(m[2]), lang)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", p or "")
    return fmt.date(date(int(m[1]), int(m[2]), int(m[3])), lang) if m else (p or "—")


def changes_table(plan, ref_units: pd.DataFrame, t, lang: str) -> pd.DataFrame:
    """Per unit and period: rows now and after (or dossiers added / replaced), and what happens."""
    def n(x):
        return fmt.number(x, lang=lang)

    out = []
    for c in plan.changes:
        row = {t("col.unit"): _unit(ref_units, c["unit_code"]), t("data.col.period"): _period(c["period"], lang)}
        if "added" in c:
            row |= {t("data.col.added"): n(c["added"]), t("data.col.replaced"): n(c["replaced"]),
                    t("data.col.unchanged"): n(c["unchanged"])}
        else:
            row |= {t("data.col.rows_before"): n(c["rows_before"]), t("data.col.rows_after"): n(c["rows_after"]),
                    t("data.col.change"): t(f"data.status.{c['status']}")}
        out.append(row)
    return pd.DataFrame(out)


def when_range(period: tuple[str, str] | None, lang: str) -> str:
    """The span an upload covers: "01/08/2025 – 31/08/2025".

    >>> when_range(("2025-08-01", "2025-08-31"), "vi")
    '01/08/2025 – 31/08/2025'
    """
    if not period:
        return "—"
    a, b = (date.fromisoformat(x) for x in period)
    return f"{fmt.date(a, lang)} – {fmt.date(b, lang)}"


def kpi_table(plan, t, lang: str) -> pd.DataFrame:
    out = []
    for k in plan.kpis:
        a, b, kind = k["before"], k["after"], fmt.kind_of(k["key"])
        change = None if a is None or b is None else fmt.indicator_change(b - a, kind, lang)
        out.append({t("data.col.indicator"): t(f"ind.{k['key']}"), t("data.col.before"): fmt.indicator(a, kind, lang),
                    t("data.col.after"): fmt.indicator(b, kind, lang), t("data.col.delta"): change or "—"})
    return pd.DataFrame(out)


def versions_table(vs: list[dict], t, lang: str) -> pd.DataFrame:
    out = []
    for i, v in enumerate(vs):
        fl = json.loads(v.get("files") or "[]")
        out.append({
            "#": str(i), t("data.col.built"): when(v.get("built_at"), lang),
            t("data.col.fingerprint"): v.get("fingerprint", "?"),
            t("data.col.contents"): ", ".join(t("data.ds." + x["dataset"]) + " " + fmt.number(x["rows"], lang=lang)
                                              for x in fl),
            t("data.col.state"): t("data.current") if v.get("current") else "",
        })
    return pd.DataFrame(out)


def audit_table(entries: list[dict], t, lang: str) -> pd.DataFrame:
    def n(x):
        return "" if x is None else fmt.number(x, lang=lang)

    return pd.DataFrame([{
        t("data.col.when"): when(e.get("at"), lang), t("data.col.who"): e.get("who") or "",
        t("data.col.action"): t(f"data.action.{e.get('action')}") if e.get("action") in ("upload", "rollback")
        else str(e.get("action")),
        t("data.col.dataset"): t(f"data.ds.{e['dataset']}") if e.get("dataset") in DATASETS else "",
        t("data.col.file"): e.get("file") or "", t("data.col.sha"): e.get("sha256") or e.get("fingerprint") or "",
        t("data.col.rows_upload"): n(e.get("rows_upload")), t("data.col.added"): n(e.get("rows_added")),
        t("data.col.replaced"): n(e.get("rows_replaced")),
        t("data.col.rows_after"): n(e.get("rows_after")), t("data.col.version"): e.get("version") or "",
    } for e in entries])
