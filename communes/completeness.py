"""Who has reported what: each unit's monthly exports (dossiers, tourism, fishery) against the months it
is expected to report, as a matrix for the Data page and one summary line for the overview.

A unit is expected to report a dataset each month when it reported it at least once in the
``LOOKBACK`` months up to the data's latest month; a unit that never reports it is "—", not late.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from communes import fmt
from communes.names import ascii_key
from communes.periods import add_months

MONTHLY = ("dossiers", "tourism", "fishery")  # datasets with a units × months completeness matrix
WINDOW = 6  # months shown in the matrix
LOOKBACK = 12  # a unit is expected to report a dataset it reported at least once in these months


def months(f) -> tuple[date, date, list[date]]:
    """(first month of the look-back, last month, the WINDOW months shown), ending at the data's as-of month."""
    end = date(f.as_of.year, f.as_of.month, 1)
    return add_months(end, -(LOOKBACK - 1)), end, [add_months(end, -k) for k in range(WINDOW - 1, -1, -1)]


def expected(comp: pd.DataFrame, dataset: str) -> set[str]:
    """Units that reported ``dataset`` at least once in the look-back: those expected each month."""
    return set(comp.loc[comp["dataset"] == dataset, "unit_code"])


def reported(comp: pd.DataFrame, dataset: str, month: date) -> set[str]:
    c = comp[(comp["dataset"] == dataset) & (pd.to_datetime(comp["month"]) == pd.Timestamp(month))]
    return set(c["unit_code"])


def matrix(comp: pd.DataFrame, units: pd.DataFrame, dataset: str, shown: list[date], t, lang: str) -> pd.DataFrame:
    """Units × months: dossiers received (✓ for the other datasets), "chưa báo cáo", or "—" for a unit that does not report
    this dataset (none in the look-back). Units with the most months missing first."""
    c = comp[comp["dataset"] == dataset].copy()
    c["month"] = pd.to_datetime(c["month"])
    counts = {(u, m.date()): n for u, m, n in zip(c["unit_code"], c["month"], c["n_rows"])}
    exp = expected(comp, dataset)
    missing_text, na_text = t("data.not_reported"), "—"
    out = []
    for code, name in zip(units["unit_code"], units["unit_name"]):
        row = {t("col.unit"): name}
        for m in shown:
            n = counts.get((code, m))
            row[fmt.month_short(m.year, m.month, lang)] = (
                (fmt.number(n, lang=lang) if dataset == "dossiers" else "✓") if n is not None
                else missing_text if code in exp else na_text)
        out.append(row)
    df = pd.DataFrame(out)
    cols = df.columns[1:]
    df["_missing"] = (df[cols] == missing_text).sum(axis=1)
    df["_na"] = (df[cols] == na_text).all(axis=1)
    return df.sort_values(["_missing", "_na", t("col.unit")], ascending=[False, True, True]).drop(
        columns=["_missing", "_na"]).reset_index(drop=True)


def month_status(comp: pd.DataFrame, units: pd.DataFrame, dataset: str, month: date) -> tuple[int, int, list[str]]:
    """(units reported, units expected, short names of the expected units that have not reported)."""
    codes = set(units["unit_code"])  # only the units given (a unit viewer's own): nothing said of the others
    exp, rep = expected(comp, dataset) & codes, reported(comp, dataset, month) & codes
    names = dict(zip(units["unit_code"], units["short_name"]))
    missing = sorted((names.get(u, u) for u in exp - rep), key=ascii_key)
    return len(exp & rep), len(exp), missing


def summary_line(comp: pd.DataFrame, units: pd.DataFrame, month: date, t, lang: str) -> str:
    parts = []
    for ds in MONTHLY:
        done, total, missing = month_status(comp, units, ds, month)
        if not total:
            continue
        text = t("data.summary.part", dataset=t(f"data.ds.{ds}"), done=done, total=total)
        if missing:
            shown = ", ".join(missing[:3]) + (f" +{len(missing) - 3}" if len(missing) > 3 else "")
            text += " " + t("data.summary.missing", names=shown)
        parts.append(text)
    when_ = fmt.month(month.year, month.month, lang)
    when_ = when_[0].lower() + when_[1:] if lang == "vi" else when_  # "Báo cáo tháng 8/2025"
    if not parts:
        return t("data.summary.none", month=when_)
    return t("data.summary", month=when_, parts=" · ".join(parts))


def completeness_summary(run, f) -> str:
    """One line for the overview: who has not reported each monthly dataset for the data's latest month.

    E.g. "Báo cáo tháng 10/2026: Hồ sơ TTHC 40/40 · Du lịch 31/32, chưa báo cáo: A Lưới 1 · …"
    """
    start, end, _ = months(f)
    comp = run("data/completeness", start=start, end=end)
    allowed = f.user.allowed(None)
    units = f.ref.units if allowed is None else f.ref.units[f.ref.units["unit_code"].isin(allowed)]
    return summary_line(comp, units, end, f.t, f.lang)
