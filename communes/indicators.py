"""Every unit in one table: its facts, its indicators for a period and the figures derived from them (per
1,000 inhabitants, per km², per official and month); and each indicator's domain, kind (how it is shown) and
direction (which way is better). The profile, the compare page and the phone page read the same table.

Figures equal ``communes.kpi.compute`` for the same period and unit (the same macros); rates over several
months or former communes come from summed counts.

>>> IND["overdue_rate"].higher_is_better, label("new_per_1000", "vi")
(False, 'Hồ sơ mới / 1.000 dân')
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from communes import comparisons, kpi, peers, rollups
from communes.i18n import CATALOG, t

TREND_START = date(2024, 1, 1)  # the monthly trends start in January 2024 (before the merger)


# --- indicators: domain, how to show them, and which way is better (None: neither) ----------------

@dataclass(frozen=True)
class Ind:
    key: str
    domain: str
    kind: str  # rate, count, money, tonnes, hectares, yield, decimal
    higher_is_better: bool | None


INDICATORS = [
    Ind("on_time_rate", "dossiers", "rate", True),
    Ind("online_rate", "dossiers", "rate", True),
    Ind("digitized_rate", "dossiers", "rate", True),
    Ind("overdue_rate", "dossiers", "rate", False),
    Ind("satisfaction_rate", "dossiers", "rate", True),
    Ind("pending_overdue", "dossiers", "count", False),
    Ind("new_dossiers", "dossiers", "count", None),
    Ind("new_per_1000", "dossiers", "decimal", None),
    Ind("visitors", "tourism", "count", True),
    Ind("visitors_international", "tourism", "count", True),
    Ind("revenue_vnd", "tourism", "money", True),
    Ind("visitors_per_1000", "tourism", "decimal", True),
    Ind("rice_production_tonnes", "agriculture", "tonnes", True),
    Ind("rice_yield_quintal_per_ha", "agriculture", "yield", True),
    Ind("rice_area_ha", "agriculture", "hectares", None),
    Ind("aquaculture_tonnes", "fishery", "tonnes", True),
    Ind("capture_tonnes", "fishery", "tonnes", True),
    Ind("dossiers_per_official_month", "staffing", "decimal", False),
    Ind("staff_fill_rate", "staffing", "rate", True),
    Ind("concurrent_posts", "staffing", "count", False),
]
IND = {i.key: i for i in INDICATORS}
DOMAINS = ["dossiers", "tourism", "agriculture", "fishery", "staffing"]
TREND_METRICS = ["on_time_rate", "online_rate", "digitized_rate", "overdue_rate", "satisfaction_rate"]


def label(key: str, lang: str) -> str:
    """The indicator's name: the contract's (``ind.*``) or a derived one (``peers.ind.*``)."""
    return t(f"ind.{key}" if f"ind.{key}" in CATALOG else f"peers.ind.{key}", lang)


# --- data ----------------------------------------------------------------------------------------

def period_months(period, as_of: date) -> float:
    """Calendar months of ``period`` that the data covers (a running period stops at the as-of day)."""
    return peers.months_in(period.start, min(period.end, as_of))


def derive(table: pd.DataFrame, months: float) -> pd.DataFrame:
    """Add the derived columns: new dossiers, per 1,000 inhabitants, per km², per official and month.

    >>> df = pd.DataFrame({"new_online": [60], "new_direct": [30], "new_postal": [0], "staff": [10],
    ...                    "approved_posts": [12], "population": [9000], "area_km2": [30.0], "visitors": [None]})
    >>> derive(df, 3.0)[["new_dossiers", "dossiers_per_official_month", "new_per_1000", "staff_fill_rate"]].iloc[0].tolist()
    [90.0, 3.0, 10.0, 0.8333333333333334]
    """
    out = table.copy()
    rows = out.to_dict("records")
    out["new_dossiers"] = [peers.new_dossiers(r) for r in rows]
    out["new_per_1000"] = [peers.per_1000(r["new_dossiers"], r["population"]) for r in out.to_dict("records")]
    out["new_per_km2"] = [peers.per_km2(n, a) for n, a in zip(out["new_dossiers"], out["area_km2"])]
    out["visitors_per_1000"] = [peers.per_1000(v, p) for v, p in zip(out["visitors"], out["population"])]
    out["visitors_per_km2"] = [peers.per_km2(v, a) for v, a in zip(out["visitors"], out["area_km2"])]
    out["dossiers_per_official_month"] = [peers.per_official_month(n, s, months)
                                          for n, s in zip(out["new_dossiers"], out["staff"])]
    out["staff_fill_rate"] = [peers.ratio(s, a) for s, a in zip(out["staff"], out["approved_posts"])]
    return out


def unit_table(run, period, as_of: date, units=None, stored: rollups.Stored | None = None) -> pd.DataFrame:
    """Every unit (of ``units``; None = all) with facts, the period's indicators, staff and derived columns.

    The dossier columns by unit (``kpi.by_unit``: the build-time rollup for a stored period, the macro
    otherwise), the rest from ``compare/unit_table``; both give ``kpi.compute``'s numbers (tests/test_profile.py).
    """
    dossiers = kpi.by_unit(run, "dossiers", period, units, stored)
    df = run("compare/unit_table", start=period.start, end=period.end, units=units)
    df = df.merge(dossiers[["unit_code", *kpi.KEYS["dossiers"]]], on="unit_code", how="left")
    return derive(df, period_months(period, as_of))


def unit_table_before(run, period, compare_kind: str, as_of: date, units=None) -> pd.DataFrame:
    """``unit_table`` in the comparison of ``period``, each kind of data by its own rule
    (``communes.comparisons``): dossiers over the comparison's dates, tourism and fishery over as many
    whole months as the period, rice over the same seasons a year earlier."""
    cmp = comparisons.of(period, compare_kind)
    stored = rollups.Stored.load(run)
    df = unit_table(run, cmp.dates, as_of, units, stored)
    if cmp.months_aligned:
        months = unit_table(run, cmp.monthly, as_of, units, stored).set_index("unit_code")
        for k in [*kpi.KEYS["tourism"], *kpi.KEYS["fishery"]]:
            if k in df.columns and k in months.columns:
                df[k] = df["unit_code"].map(months[k])
    rice = run("kpi/rice_before", start=period.start, end=period.end, units=units, by_unit=True).set_index("unit_code")
    for k in kpi.KEYS["agriculture"]:
        if k in df.columns:
            df[k] = df["unit_code"].map(rice[k])
    return derive(df, period_months(cmp.dates, as_of))
