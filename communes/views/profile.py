"""Data of the unit profile (Hồ sơ đơn vị): one unit against the city and its peers, its trends since
January 2024, before and after the merger, its backlog, its sectors and its staff workload.

``load(run, f, unit)`` runs every query the page needs; the other functions are pure and turn the
rows into what the page shows. Figures equal ``communes.kpi.compute`` for the same period and unit
(the same macros), and rates for several months or former communes come from summed counts.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from communes import due_soon, fmt, peers, refdata, specialists
from communes.i18n import t
from communes.indicators import (  # noqa: F401 — the profile page and the phone page read them here too
    IND,
    INDICATORS,
    TREND_METRICS,
    TREND_START,
    derive,
    label,
    unit_table,
    unit_table_before,
)
from communes.merger import PHASES, merger_table, phase_row, phase_spans  # noqa: F401 — as above


def default_unit(f) -> str:
    """The unit a profile opens on without a choice: the frame's (bench), else the scope's first."""
    unit = getattr(f, "unit", None)
    if unit:
        return unit
    codes = f.ref.units.unit_code.tolist()
    return (f.units or codes)[0]


@dataclass(frozen=True)
class ProfileData:
    """Everything the profile shows for one unit and one frame: the Streamlit page and the phone page
    (``communes.web.mobile``) both read it, so their numbers cannot disagree."""
    unit: str  # unit code
    table: pd.DataFrame  # every unit: facts, the period's indicators, staff, derived columns (``unit_table``)
    trend: pd.DataFrame  # every unit, month by month since January 2024: dossiers by channel and rates
    monthly: pd.DataFrame  # the unit, month by month: tourism and fishery
    merger: pd.DataFrame  # the unit before and after the merger, one row per phase
    former: pd.DataFrame  # the unit's former communes in the 12 months before the merger
    backlog: pd.DataFrame  # the unit's pending dossiers at the end of the period
    rice: pd.DataFrame  # the unit's rice by year and season (a null season: the year's total)
    events: pd.DataFrame  # events marked on the unit's charts (city-wide and its own)
    specialists: list  # the unit's dossiers per specialist by field (``specialists.FieldLoad``)
    due_soon: due_soon.DueSoon  # "Sắp đến hạn" beside the overdue count, at the data date

    @property
    def row(self) -> dict:
        """The unit's row of ``table``, as a dict."""
        return self.table.set_index("unit_code").loc[self.unit].to_dict() | {"unit_code": self.unit}

    def peer_codes(self, kind: str = "group") -> list[str]:
        """The unit's peers: its geographic group, or its type (``peers.PEER_KINDS``)."""
        return peers.peer_units(self.table, self.unit, kind)


def load(run, f, unit: str | None = None) -> ProfileData:
    """Everything the profile shows for ``unit`` and frame ``f`` (period, as-of date, language)."""
    unit = unit or default_unit(f)
    p = f.period
    return ProfileData(
        unit=unit,
        table=unit_table(run, p, f.as_of),
        trend=run("compare/trend", start=TREND_START, units=None),
        monthly=run("compare/monthly", start=TREND_START, units=[unit]),
        merger=run("compare/merger", units=[unit]),
        former=run("profile/former", unit=unit),
        backlog=run("dossiers/pending_list", start=p.start, end=p.end, unit=unit),
        rice=run("profile/rice", unit=unit),
        events=run("profile/events", unit=unit),
        specialists=specialists.load(run, p, f.as_of, [unit]),
        due_soon=due_soon.load_unit(run, unit, f.as_of),
    )


@dataclass(frozen=True)
class Resolved:
    """What ``?unit=`` names: the current unit's code, the former commune's name when the text named
    one (its successor is shown), or None and why."""
    code: str | None
    former_name: str | None = None
    error: str | None = None


def resolve_unit(ref, text: str) -> Resolved:
    """A unit code or any spelling of a current unit's or a former commune's name.

    >>> from communes import refdata
    >>> ref = refdata.load("Thành phố Huế")
    >>> resolve_unit(ref, "19873").code, resolve_unit(ref, "phong quang").code
    ('19873', '19873')
    >>> resolve_unit(ref, "Xã Quảng Ngạn")
    Resolved(code='19873', former_name='Xã Quảng Ngạn', error=None)
    >>> resolve_unit(ref, "Nowhere").code is None
    True
    """
    text = (text or "").strip()
    if text in set(ref.units.unit_code):
        return Resolved(text)
    m = refdata.resolve(ref, text, before_merger=False)
    if m.unit_code:
        return Resolved(m.unit_code)
    old = refdata.resolve(ref, text, before_merger=True) if not text.isdigit() else None
    if old is not None and old.unit_code:
        return Resolved(old.unit_code, ref.former.set_index("former_code").at[old.former_code, "former_name"])
    return Resolved(None, None, m.error)


# --- header --------------------------------------------------------------------------------------

def group_name(row, lang: str) -> str | None:
    name = row.get("group_name_vi") if lang == "vi" else row.get("group_name_en")
    return name if isinstance(name, str) else None


def facts_line(row, lang: str) -> str:
    """"Phường · Ven biển · 41,7 km² · 23.450 người · 562 người/km²" (unknown figures left out)."""
    kind = t(f"unit.{'phuong' if row['unit_type'] == 'Phường' else 'xa'}", lang)
    parts = [kind[:1].upper() + kind[1:]]
    if group_name(row, lang):
        parts.append(group_name(row, lang))
    if peers.as_float(row.get("area_km2")) is not None:
        parts.append(f"{fmt.number(row['area_km2'], 1, lang)} km²")
    if peers.as_float(row.get("population")) is not None:
        parts.append(t("peers.population_n", lang, n=fmt.number(row["population"], lang=lang)))
        parts.append(t("peers.density_n", lang, n=fmt.number(row["density"], lang=lang)))
    return " · ".join(parts)


def former_line(former: pd.DataFrame, lang: str) -> str:
    """"Hình thành từ 3 xã, phường cũ: Phường Phong Hải (Thị xã Phong Điền), …"."""
    f = former[former["former_name"].notna()]
    if not len(f):
        return t("peers.no_former", lang)
    names = [f"{n} ({d})" + (f" – {t('peers.split', lang)}" if s else "")
             for n, d, s in zip(f["former_name"], f["district"], f["split"].fillna(False))]
    return t("peers.formed_from", lang, n=len(f), names=", ".join(names))


# --- cards: the unit against the city and its peer group ---------------------------------------

@dataclass(frozen=True)
class Card:
    key: str
    label: str
    value: str
    change: float | None  # against the peer-group median
    change_text: str | None
    higher_is_better: bool | None
    note: str  # "TP: trung vị 95,1 %, hạng 7/40 · Nhóm: trung vị 95,4 %, hạng 3/7 Ven biển"


def peer_label(row, kind: str, lang: str) -> str:
    """How a peer group is named after a rank: "xã", "phường" or the geographic group's name."""
    if kind == "group" and group_name(row, lang):
        return group_name(row, lang)
    return t("unit.phuong" if row["unit_type"] == "Phường" else "unit.xa", lang)


def card(table: pd.DataFrame, unit: str, key: str, peer_codes: list[str], group: str, lang: str) -> Card:
    ind = IND[key]
    s = peers.standing(table, unit, key, ind.higher_is_better, peer_codes)
    city = t("peers.city_note", lang, median=fmt.indicator(s.city_median, ind.kind, lang),
             rank=peers.rank_text(s.city_rank, s.city_n, lang) or t("peers.not_ranked", lang))
    peer = t("peers.group_note", lang, median=fmt.indicator(s.peer_median, ind.kind, lang),
             rank=peers.rank_text(s.peer_rank, s.peer_n, lang, group) or t("peers.not_ranked", lang))
    return Card(key, label(key, lang), fmt.indicator(s.value, ind.kind, lang), s.vs_peers,
                fmt.indicator_change(s.vs_peers, ind.kind, lang), ind.higher_is_better, f"{city} · {peer}")


def has_data(df: pd.DataFrame, cols: list[str]) -> bool:
    """True when any row has any of ``cols`` (a section is shown only where the unit has data)."""
    present = [c for c in cols if c in df.columns]
    return bool(len(df)) and bool(df[present].notna().any().any()) if present else False


def sections(d: ProfileData) -> dict[str, bool]:
    """Which sector sections the unit has data for (at any time since January 2024); staffing when any
    unit has staff figures for the period (the unit itself may then show "no data")."""
    return {
        "tourism": has_data(d.monthly, ["visitors"]),
        "agriculture": has_data(d.rice, ["rice_production_tonnes"]),
        "fishery": has_data(d.monthly, ["aquaculture_tonnes", "capture_tonnes"]),
        "staffing": has_data(d.table, ["staff"]),
    }


# --- trend: the unit, its peers' median and the city's median, month by month --------------------

def trend_frame(trend: pd.DataFrame, unit: str, peer_codes: list[str], metric: str) -> pd.DataFrame:
    """month, the unit's new dossiers by channel and ``metric``, and the peer and city medians of ``metric``.

    Medians are over the units with data that month (a unit without dossiers is not a zero).
    """
    wide = trend.pivot(index="month", columns="unit_code", values=metric)
    mine = trend[trend["unit_code"] == unit].set_index("month")
    out = pd.DataFrame({
        "month": wide.index,
        "new_online": mine["new_online"].reindex(wide.index).values,
        "new_direct": mine["new_direct"].reindex(wide.index).values,
        "new_postal": mine["new_postal"].reindex(wide.index).values,
        "value": mine[metric].reindex(wide.index).values,
        "peer_median": [peers.median(r) for r in wide[[c for c in peer_codes if c in wide.columns]].values],
        "city_median": [peers.median(r) for r in wide.values],
    })
    return out.reset_index(drop=True)


# --- before and after the merger ------------------------------------------------------------------

def merger_views(table: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The before/after table as the page shows it: rates (changes in points) and volumes per month
    (changes in %), narrow enough for a phone; rows without any data dropped."""
    keep = table[table[list(PHASES)].notna().any(axis=1)]
    def change(v, scale):
        return "—" if v is None or pd.isna(v) else fmt.signed(v * 100, 1, lang)
    out = []
    for rates in (True, False):
        part = keep[(keep["kind"] == "rate") == rates]
        unit = t("peers.points" if rates else "peers.percent", lang)
        out.append(pd.DataFrame({
            t("peers.indicator", lang): [label(k, lang) + ("" if rates else f" {t('peers.per_month', lang)}")
                                         for k in part["key"]],
            **{t(f"peers.col_{ph}", lang): [fmt.indicator(v, k, lang) for v, k in zip(part[ph], part["kind"])] for ph in PHASES},
            t("peers.change", lang, unit=unit): [change(v, 100) for v in part["change"]],
            t("peers.change_ly", lang, unit=unit): [change(v, 100) for v in part["change_ly"]],
        }))
    return out[0], out[1]


def former_rows(former: pd.DataFrame, before: dict, unit_name: str, lang: str) -> list[dict]:
    """The former communes' rows, then the unit's total (its own "before" row: the same macros over the
    summed counts, so its rates are never an average of the rows above)."""
    rows = former.to_dict("records") + [{**before, "former_name": t("peers.former_total", lang, unit=unit_name)}]
    for r in rows:
        if not isinstance(r.get("former_name"), str):
            r["former_name"] = t("peers.former_unnamed", lang)
    return rows


def former_view(former: pd.DataFrame, before: dict, unit_name: str, lang: str) -> pd.DataFrame:
    """Per former commune in the 12 months before the merger: new dossiers per month and the rates."""
    rows = former_rows(former, before, unit_name, lang)
    months = peers.months_in(date(2024, 7, 1), date(2025, 6, 30))
    return pd.DataFrame({
        t("peers.former", lang): [r["former_name"] for r in rows],
        t("peers.new_dossiers_pm", lang): [fmt.number(peers.ratio(peers.new_dossiers(r), months), 0, lang) for r in rows],
        **{t(f"peers.short.{k}", lang): [fmt.percent(r.get(k), lang=lang) for r in rows]
           for k in ("on_time_rate", "online_rate", "digitized_rate", "overdue_rate")},
    })


def former_sectors_view(former: pd.DataFrame, before: dict, unit_name: str, lang: str) -> pd.DataFrame | None:
    """Per former commune: visitors and fishery output over the 12 months (None when neither has data)."""
    rows = former_rows(former, before, unit_name, lang)
    visitors = [peers.as_float(r.get("visitors")) for r in rows]
    fish = [_sum(r.get("aquaculture_tonnes"), r.get("capture_tonnes")) for r in rows]
    out = pd.DataFrame({t("peers.former", lang): [r["former_name"] for r in rows]})
    if any(v is not None for v in visitors):
        out[t("ind.visitors", lang)] = [fmt.number(v, lang=lang) for v in visitors]
    if any(v is not None for v in fish):
        out[t("peers.fishery_tonnes", lang)] = [fmt.tonnes(v, lang) for v in fish]
    return out if out.shape[1] > 1 else None


def _sum(*values) -> float | None:
    """The sum of the values that exist; None when none does (no data is not zero)."""
    xs = [v for v in map(peers.as_float, values) if v is not None]
    return sum(xs) if xs else None


# --- backlog and workload --------------------------------------------------------------------------

BACKLOG_ROWS = 30  # overdue dossiers listed on the page; the download has them all


def backlog_view(backlog: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Pending dossiers as listed: id, field, due date, and days overdue ("trong hạn" while within it)."""
    return pd.DataFrame({
        t("peers.col_id", lang): backlog["dossier_id"],
        t("peers.col_field", lang): backlog["field"],
        t("peers.col_due", lang): [fmt.date(d, lang) for d in backlog["due_at"]],
        t("peers.col_days", lang): [t("peers.in_time", lang) if pd.isna(x) else fmt.number(x, lang=lang)
                                    for x in backlog["days_overdue"]],
    })


def workload_frame(table: pd.DataFrame, peer_codes: list[str]) -> pd.DataFrame:
    """The peer group's units with staff, posts and dossiers per official per month (those with data)."""
    cols = ["unit_code", "short_name", "staff", "approved_posts", "concurrent_posts", "dossiers_per_official_month"]
    df = table.loc[table["unit_code"].isin(peer_codes), cols]
    return df[df["dossiers_per_official_month"].notna()].sort_values("dossiers_per_official_month",
                                                                     ascending=False, ignore_index=True)
