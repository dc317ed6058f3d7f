"""The briefing as a list of slides: plain data (titles, sentences, cards, tables, chart series with
their formatted labels, speaker notes) built once from ``communes.briefing.data.load``'s ``BriefingData``, then
drawn twice: by the page (Streamlit) and by ``communes.briefing.deck`` (python-pptx). Page and deck
therefore show the same slides with the same numbers.

Slides, in order: title; key messages; KPI cards against targets; units needing attention; ranking;
map (when ``communes.geo`` can draw the units); dossiers; tourism; agriculture and fishery; for one
unit, before and after the merger and the open items of its last site visit.
"""
from __future__ import annotations

import math

import pandas as pd

from communes import attention, fmt
from communes.briefing import messages as msg
from communes.briefing.data import BriefingData
from communes.briefing.model import COLOURS, Card, Chart, Series, Slide, Table, show
from communes.i18n import t
from communes.missing import as_float

TARGET_KEYS = ["on_time_rate", "online_rate", "digitized_rate", "satisfaction_rate", "overdue_rate"]
RESOLUTION = [("dossiers", "resolved_early"), ("dossiers", "resolved_on_time"), ("dossiers", "resolved_late"),
              ("dossiers", "pending_in_time"), ("dossiers", "pending_overdue")]
CHANNELS = [("dossiers", "new_online"), ("dossiers", "new_direct"), ("dossiers", "new_postal")]
VISITORS = [("tourism", "visitors_domestic"), ("tourism", "visitors_international"), ("tourism", "overnight_guests")]
FISHERY = [("fishery", "aquaculture_tonnes"), ("fishery", "capture_tonnes")]
MERGER_RATES = ["on_time_rate", "online_rate", "digitized_rate", "overdue_rate", "satisfaction_rate"]
RANK_METRIC = "on_time_rate"
RANK_SPLIT = 20  # more units than this: the ranking is shown in two charts side by side
TABLE_ROWS = 10  # units needing attention listed on the slide; the rest are counted


def _label(key: str, value, lang: str) -> str:
    return "" if value is None else show(key, value, lang)


def _pair_chart(key, type_, title, items, d, lang, number_format="#,##0", value_max=None, before=None,
                before_label=None) -> Chart:
    """Indicators ``items`` ((section, key) pairs) in the period and the comparison period."""
    now, prev = d.now, before or d.before
    cats = [t(f"ind.{k}", lang) for _, k in items]
    s_now = Series(d.period.label(lang), [now[s][k] for s, k in items],
                   [_label(k, now[s][k], lang) for s, k in items], COLOURS["now"])
    s_prev = Series(before_label or d.compare.label(lang), [prev[s][k] for s, k in items],
                    [_label(k, prev[s][k], lang) for s, k in items], COLOURS["before"])
    return Chart(key, type_, title, cats, [s_now, s_prev], number_format, value_max)


def _vs(d, lang) -> str:
    return t("compare.vs", lang, period=d.compare.label(lang))


# --- notes -----------------------------------------------------------------------------------------

SOURCES = {  # slide → datasets it reads
    "title": ["dossiers", "tourism", "agriculture", "fishery"],
    "messages": ["dossiers", "tourism", "agriculture", "fishery"],
    "kpi": ["dossiers"], "attention": ["dossiers"], "ranking": ["dossiers"], "map": ["dossiers"],
    "dossiers": ["dossiers"], "tourism": ["tourism"], "farm": ["agriculture", "fishery"], "merger": ["dossiers"],
    "visits": ["visits"],
}


def notes(d: BriefingData, key: str, lang: str) -> str:
    """Speaker notes: data source, period, scope, as-of date, and "dữ liệu mẫu" for the sample."""
    files = d.meta["files"]
    srcs = [t(f"brief.src_{ds}", lang, file=files.get(ds, t("brief.no_file", lang))) for ds in SOURCES[key]]
    p, c = d.period, d.compare
    lines = [t("brief.note_source", lang, sources="; ".join(srcs))]
    if key in ("kpi", "attention", "ranking", "map", "messages"):
        tg = d.targets
        lines.append(t("brief.note_targets", lang, targets="; ".join(
            f"{t(f'ind.{k}', lang)}: {_sign(tg[k])} {msg.target_text(tg[k], lang)} ({tg[k].source})"
            for k in TARGET_KEYS if k in tg)))
    lines.append(t("brief.note_period", lang, period=p.label(lang), start=fmt.date(p.start, lang),
                   end=fmt.date(p.end, lang)))
    if key not in ("merger", "visits"):
        lines.append(t("brief.note_compare", lang, period=c.label(lang), start=fmt.date(c.start, lang),
                       end=fmt.date(c.end, lang)))
    if key in ("farm", "messages"):
        ly = d.last_year
        lines.append(t("brief.note_rice", lang, years=msg.years_text(p, lang), ly=msg.years_text(ly, lang)))
    if key == "merger":
        lines.append(t("brief.note_merger", lang, formers=", ".join(_formers(d))))
    lines.append(t("brief.note_scope", lang, scope=d.scope.name(lang)))
    if d.as_of:
        lines.append(t("brief.note_as_of", lang, date=fmt.date(d.as_of, lang)))
    lines.append(t("brief.note_rules", lang))
    if d.meta["sample"]:
        lines.append(t("brief.note_sample", lang))
    return "\n".join(lines)


def _sign(target) -> str:
    return "≥" if target.direction == "min" else "≤"


def _formers(d) -> list[str]:
    f = d.ref.former
    return f.loc[f["unit_code"] == d.scope.unit, "former_name"].tolist()


# --- slides ----------------------------------------------------------------------------------------

def title_slide(d, lang) -> Slide:
    sc = d.scope
    bullets = [t("brief.s_title_period", lang, period=d.period.label(lang),
                 start=fmt.date(d.period.start, lang), end=fmt.date(d.period.end, lang)),
               _vs(d, lang)[:1].upper() + _vs(d, lang)[1:]]
    if d.as_of:
        bullets.append(t("updated_to", lang, date=fmt.date(d.as_of, lang)))
    sub = d.ref.province if sc.kind != "city" else ""
    return Slide("title", t("brief.s_title", lang, scope=sc.name(lang)), sub, bullets)


def messages_slide(d, lang) -> Slide:
    return Slide("messages", t("brief.s_messages", lang), d.period.label(lang), msg.key_messages(d, lang))


def kpi_slide(d, lang) -> Slide:
    tg, now, before = d.targets, d.now["dossiers"], d.before["dossiers"]
    keys = [k for k in TARGET_KEYS if k in tg] or TARGET_KEYS
    cards = []
    for k in keys:
        v, b = now[k], before[k]
        change = None
        if v is not None and b is not None:
            change = f"{fmt.points(v - b, lang=lang)} {_vs(d, lang)}"
        target, status = None, None
        if k in tg:
            status = tg[k].status(v)
            word = t(f"status.{status}", lang) if status else t("no_data", lang)
            target = f"{t('brief.target', lang)} {_sign(tg[k])} {msg.target_text(tg[k], lang)} · {word}"
        cards.append(Card(t(f"ind.{k}", lang), show(k, v, lang), change, target, status))
    chart = _pair_chart("kpi", "column", t("brief.c_kpi", lang), [("dossiers", k) for k in keys], d, lang,
                        "0.0%", 1.0)
    return Slide("kpi", t("brief.s_kpi", lang), f"{d.period.label(lang)} · {d.scope.name(lang)}",
                 cards=cards, charts=[chart])


def attention_slide(d, lang) -> Slide:
    sc, table = d.scope, d.table
    rows = table if sc.units is None else table[table["unit_code"].isin(sc.units)]
    flags = attention.needs_attention(rows, d.targets, lang)
    short = dict(zip(table["unit_code"], table["short_name"]))
    sub = f"{d.period.label(lang)} · {sc.name(lang)}"
    if sc.kind == "unit":
        if rows["received"].isna().all():
            bullets = [t("brief.unit_no_data", lang)]
        elif flags:
            bullets = [t("brief.unit_missed", lang, name=sc.name(lang))] + list(flags[0].reasons)
        else:
            bullets = [t("brief.unit_all_met", lang, name=sc.name(lang))]
        return Slide("attention", t("attention", lang), sub, bullets)
    header = [t("col.unit", lang), t("brief.col_status", lang), t("brief.col_reason", lang)]
    body = [[short.get(a.unit_code, a.unit_name), t(f"status.{a.status}", lang), a.reason] for a in flags[:TABLE_ROWS]]
    more = len(flags) - TABLE_ROWS
    footer = t("brief.more_units", lang, n=more) if more > 0 else ""
    no_data = rows.loc[rows["received"].isna(), "short_name"].tolist()
    if no_data:
        judged = t("brief.not_judged", lang, n=len(no_data), names=", ".join(no_data))
        footer = f"{footer} {judged}" if footer else judged
    if not flags:
        key = "brief.no_data_period" if rows["received"].isna().all() else "overview.attention_none"
        return Slide("attention", t("attention", lang), sub, [t(key, lang)] + ([footer] if footer else []))
    return Slide("attention", t("attention", lang), f"{sub} · {t('brief.n_attention', lang, n=len(flags))}",
                 table=Table(header, body, [a.status for a in flags[:TABLE_ROWS]], footer))


def ranking_frame(d) -> pd.DataFrame:
    """The peers ranked on the on-time rate (best first); units without data after, unranked."""
    df = d.table[["unit_code", "short_name", RANK_METRIC]].copy()
    df["rank"] = df[RANK_METRIC].rank(ascending=False, method="min").astype("Int64")
    return df.sort_values(["rank", "unit_code"], na_position="last", ignore_index=True)


def ranking_slide(d, lang) -> Slide:
    """The peers' on-time rates, best first, coloured by status; more than 20 units in two charts.

    The value axis starts near the lowest rate (shown, at 5-point steps), since all rates sit in a
    few points of each other; a bar's length is then read against the axis, and its label gives the value.
    """
    sc, tg = d.scope, d.targets.get(RANK_METRIC)
    ranked = ranking_frame(d)
    has = ranked[ranked[RANK_METRIC].notna()]
    values = [as_float(v) for v in has[RANK_METRIC]]
    status = [tg.status(v) if tg else None for v in values]
    colors = [COLOURS[s] if s else COLOURS["now"] for s in status]
    if sc.kind == "unit":  # the unit stands out; its peers that meet the target are paler
        colors = [c if code == sc.unit else COLOURS["other"] if s == "met" else c
                  for c, code, s in zip(colors, has["unit_code"], status)]
    cats = [f"{int(r)}. {n}" for r, n in zip(has["rank"], has["short_name"])]
    labels = [fmt.percent(v, lang=lang) for v in values]
    lo = axis_floor(values)
    per = RANK_SPLIT if len(values) > RANK_SPLIT else max(len(values), 1)
    charts = []
    for i in range(0, len(values), per):
        j = min(i + per, len(values))
        title = t("brief.c_ranks", lang, first=i + 1, last=j)
        charts.append(Chart("ranking", "bar", title, cats[i:j],
                            [Series(d.period.label(lang), values[i:j], labels[i:j], COLOURS["now"], colors[i:j])],
                            "0.0%", 1.0, lo))
    missing = ranked.loc[ranked[RANK_METRIC].isna(), "short_name"].tolist()
    bullets = [t("overview.not_ranked", lang, n=len(missing), names=", ".join(missing))] if missing else []
    legend = t("brief.c_ranking", lang, target=msg.target_text(tg, lang) if tg else "—")
    return Slide("ranking", t("brief.s_ranking", lang, peers=sc.peer_label(lang)),
                 f"{d.period.label(lang)} · {legend}", bullets=bullets, charts=charts)


def axis_floor(values: list) -> float:
    """The rate axis' start: 5 points below the lowest value, down to a multiple of 5 % (0 at most).

    >>> axis_floor([0.924, 0.99]), axis_floor([0.3, 0.9]), axis_floor([])
    (0.85, 0.25, 0.0)
    """
    vals = [v for v in values if v is not None]
    if not vals:
        return 0.0
    return max(0.0, math.floor(round((min(vals) - 0.05) * 20, 9)) / 20)


def map_slide(d, lang) -> Slide | None:
    """The peers coloured by their on-time rate against the target (None when the map module is absent)."""
    try:
        from communes import geo  # noqa: F401  (the deck draws its shapes; the page its map figure)
    except ImportError:
        return None
    sc, tg = d.scope, d.targets.get(RANK_METRIC)
    ranked = ranking_frame(d)
    units = d.ref.units[["unit_code", "short_name"]]
    df = units.merge(ranked[["unit_code", RANK_METRIC, "rank"]], on="unit_code", how="left")
    df["in_scope"] = df["unit_code"].isin(ranked["unit_code"])
    df["value"] = [as_float(v) for v in df[RANK_METRIC]]
    df["status"] = [(tg.status(v) if tg else None) if v is not None else None for v in df["value"]]
    df["label"] = [fmt.percent(v, lang=lang) for v in df["value"]]
    df["highlight"] = df["unit_code"] == sc.unit
    counts = df[df["in_scope"]].groupby(df["status"].fillna("none"), dropna=False).size().to_dict()
    bullets = [f"{t(f'status.{s}', lang) if s != 'none' else t('no_data', lang)}: {n_}"
               for s in ("met", "near", "not_met", "none") if (n_ := counts.get(s, 0))]
    return Slide("map", t("brief.s_map", lang, target=msg.target_text(tg, lang) if tg else "—"),
                 f"{d.period.label(lang)} · {sc.peer_label(lang)}", bullets, map=df)


def dossiers_slide(d, lang) -> Slide:
    now, before = d.now["dossiers"], d.before["dossiers"]
    res = _pair_chart("resolution", "column", t("brief.c_resolution", lang), RESOLUTION, d, lang)
    new = [now[k] for _, k in CHANNELS]
    total = sum(v for v in new if v is not None) if any(v is not None for v in new) else None
    shares = [fmt.percent(v / total, lang=lang) if total else "" for v in new]
    channels = Chart("channels", "doughnut", t("brief.c_channels", lang), [t(f"ind.{k}", lang) for _, k in CHANNELS],
                     [Series(d.period.label(lang), new, shares)])
    bullets = []
    if now["received"] is not None:
        bullets.append(t("brief.b_received", lang, received=fmt.number(now["received"], lang=lang),
                         carried=fmt.number(now["carried_over"], lang=lang),
                         change=msg._change_part(msg.change_relative(now["received"], before["received"], lang),
                                                 msg.compare_phrase(d.period, d.compare, d.compare_kind, lang),
                                                 lang)))
        bullets.append(t("brief.b_resolved", lang, resolved=fmt.number(now["resolved"], lang=lang),
                         rate=fmt.percent(now["on_time_rate"], lang=lang),
                         pending=fmt.number(now["pending"], lang=lang),
                         overdue=fmt.number(now["pending_overdue"], lang=lang)))
    else:
        bullets.append(t("brief.no_data_period", lang))
    return Slide("dossiers", t("brief.s_dossiers", lang), f"{d.period.label(lang)} · {d.scope.name(lang)}",
                 bullets, charts=[res, channels] if total else [res])


def tourism_slide(d, lang) -> Slide:
    now, before = d.now["tourism"], d.before["tourism"]
    chart = _pair_chart("visitors", "column", t("brief.c_visitors", lang), VISITORS, d, lang)
    vs = msg.compare_phrase(d.period, d.compare, d.compare_kind, lang)
    if now["visitors"] is None:
        bullets = [t("brief.no_data_period", lang)]
    else:
        bullets = [t("brief.b_visitors", lang, n=fmt.number(now["visitors"], lang=lang),
                     change=msg._change_part(msg.change_relative(now["visitors"], before["visitors"], lang), vs, lang)),
                   t("brief.b_revenue", lang, revenue=fmt.money(now["revenue_vnd"], lang),
                     change=msg._change_part(msg.change_relative(now["revenue_vnd"], before["revenue_vnd"], lang),
                                             vs, lang))]
    return Slide("tourism", t("brief.s_tourism", lang), f"{d.period.label(lang)} · {d.scope.name(lang)}",
                 bullets, charts=[chart])


def farm_slide(d, lang) -> Slide:
    rice, ly = d.now["agriculture"], (d.ly or d.before)["agriculture"]
    fish = _pair_chart("fishery", "column", t("brief.c_fishery", lang), FISHERY, d, lang)
    years, ly_years = msg.years_text(d.period, lang), msg.years_text(d.last_year, lang)
    bullets = []
    if rice["rice_production_tonnes"] is None:
        bullets.append(t("brief.b_rice_none", lang, years=years))
    else:
        for k in ("rice_area_ha", "rice_production_tonnes", "rice_yield_quintal_per_ha"):
            change = msg.change_relative(rice[k], ly[k], lang)
            bullets.append(t("brief.b_rice", lang, name=t(f"ind.{k}", lang), years=years, value=show(k, rice[k], lang),
                             change=msg._change_part(change, ly_years, lang)))
    if d.now["fishery"]["aquaculture_tonnes"] is None and d.now["fishery"]["capture_tonnes"] is None:
        bullets.append(t("brief.b_fish_none", lang))
    return Slide("farm", t("brief.s_farm", lang), f"{d.period.label(lang)} · {d.scope.name(lang)}",
                 bullets, charts=[fish])


def merger_frame(d) -> dict:
    """Phase → {indicator: value}, with new dossiers per month (days / 30.4375)."""
    out = {}
    for r in d.merger.to_dict("records"):
        start = pd.Timestamp(r["start"]).date()
        end = pd.Timestamp(r["end"]).date() if pd.notna(r["end"]) else None  # no dossier at all: no as-of day
        months = ((end - start).days + 1) / 30.4375 if end and end >= start else None
        new = None if pd.isna(r["new_online"]) else float(r["new_online"] + r["new_direct"] + r["new_postal"])
        per_month = new / months if new is not None and months else None
        out[r["phase"]] = {k: as_float(r[k]) for k in MERGER_RATES} | {
            "start": start, "end": end, "months": months, "per_month": per_month}
    return out


def merger_slide(d, lang) -> Slide | None:
    if d.merger is None:
        return None
    m = merger_frame(d)
    b, a = m["before"], m["after"]
    b_lab = t("brief.phase_before", lang, start=fmt.date(b["start"], lang), end=fmt.date(b["end"], lang))
    a_lab = t("brief.phase_after", lang, start=fmt.date(a["start"], lang), end=fmt.date(a["end"], lang))
    cats = [t(f"ind.{k}", lang) for k in MERGER_RATES]
    chart = Chart("merger", "column", t("brief.c_merger", lang), cats, [
        Series(b_lab, [b[k] for k in MERGER_RATES], [_label(k, b[k], lang) for k in MERGER_RATES], COLOURS["before"]),
        Series(a_lab, [a[k] for k in MERGER_RATES], [_label(k, a[k], lang) for k in MERGER_RATES], COLOURS["now"]),
    ], "0.0%", 1.0)
    formers = _formers(d)
    bullets = [t("brief.b_per_month", lang, before=fmt.number(b["per_month"], lang=lang),
                 after=fmt.number(a["per_month"], lang=lang)),
               t("brief.b_formers", lang, n=len(formers), names=", ".join(formers))]
    return Slide("merger", t("brief.s_merger", lang, name=d.scope.name(lang)), t("brief.s_merger_sub", lang),
                 bullets, charts=[chart])


VISIT_ROWS = 6  # open items of the last visit listed on the slide; the rest are counted
VISIT_STATUS = {"doing": "near", "todo": None}  # colour of an open item's state; overdue is "not_met" (red)


def visits_slide(d, lang) -> Slide | None:
    """For one unit: what its last site visit found and asked for that is still open, the most overdue
    first (red, with the days), each with its deadline and body in charge (None without a visit).

    Free text goes into table cells, which the page escapes and the deck writes as plain runs."""
    from communes.views import visits as vv

    u = d.visits
    if u is None or u.last_visit is None:
        return None
    when = fmt.date(u.last_visit, lang)
    sub = t("brief.visits_sub", lang, date=when, as_of=fmt.date(u.as_of, lang))
    title = t("brief.s_visits", lang)
    done = len(u.items) - len(u.open_items)
    if not u.open_items:
        return Slide("visits", title, sub, [t("brief.visits_all_done", lang, date=when)])
    header = [t("brief.visits_col_item", lang), t("brief.visits_col_state", lang), t("brief.visits_col_text", lang)]
    rows, status = [], []
    for i in u.open_items[:VISIT_ROWS]:
        due = f" · {fmt.date(i.due, lang)}" if i.due else ""
        rows.append([vv.kind_text(i.kind, lang) + due, vv.status_text(i, lang, with_due=False),
                     i.text + (f" ({i.owner})" if i.owner else "")])
        status.append("not_met" if i.overdue else VISIT_STATUS.get(vv.STATUSES.get(i.status)))
    footer = []
    if len(u.open_items) > VISIT_ROWS:
        footer.append(t("brief.visits_more", lang, n=len(u.open_items) - VISIT_ROWS))
    if done:
        footer.append(t("brief.visits_done_n", lang, n=done))
    return Slide("visits", title, sub, table=Table(header, rows, status, " ".join(footer)))


BUILDERS = [title_slide, messages_slide, kpi_slide, attention_slide, ranking_slide, map_slide, dossiers_slide,
            tourism_slide, farm_slide, merger_slide, visits_slide]


def build(d: BriefingData, lang: str | None = None) -> list[Slide]:
    """The briefing's slides for the data of ``communes.briefing.data.load`` (slides that do not apply,
    such as the merger for a group, are left out); each carries its speaker notes."""
    lang = lang or d.lang
    out = []
    for make in BUILDERS:
        s = make(d, lang)
        if s is not None:
            s.charts = [c for c in s.charts if any(v is not None for x in c.series for v in x.values)]
            s.notes = notes(d, s.key, lang)
            out.append(s)
    return out
