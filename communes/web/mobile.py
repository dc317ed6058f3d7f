"""The site-visit pages for phones: ``/m/`` (every unit ranked, a search) and ``/m/{unit}`` (one unit).

Plain HTML rendered on the server: no script, CSS inline, charts as inline SVG (``communes.web.svg``),
so a page weighs a few tens of kilobytes, opens at once on a slow phone, keeps working when saved, and
prints on A4 portrait in at most two pages. The numbers come from the unit profile's data
(``communes.views.profile.ProfileData``) and the overview's ranking (``communes.views.overview``) through
the pages' own cache (``communes.served.runner``): the same queries, the same cache, the same numbers.

Both functions return (HTTP status, HTML); the server mounts them (``communes.web.server``).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import jinja2
import pandas as pd
from markupsafe import Markup

from communes import auth, comparisons, due_soon, fmt, frame, kpi, peers, periods, refdata, rollups, settings, targets
from communes import specialists as sv
from communes.figures.profile import SEASONS  # the farming year's order
from communes.i18n import t
from communes.names import name_key
from communes.views import overview as ov
from communes.views import profile as pv
from communes.web import svg
from communes.web import visits as web_visits

TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                               autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
TREND_MONTHS = 24
HEADLINE = ["on_time_rate", "online_rate", "digitized_rate", "satisfaction_rate", "overdue_rate", "new_dossiers"]
SECTOR_CARDS = {
    "tourism": ["visitors", "visitors_international", "revenue_vnd"],
    "agriculture": ["rice_production_tonnes", "rice_yield_quintal_per_ha"],
    "fishery": ["aquaculture_tonnes", "capture_tonnes"],
    "staffing": ["dossiers_per_official_month", "staff_fill_rate", "concurrent_posts"],
}
PICKABLE = ("month", "quarter", "year")  # period kinds the index offers as a list
LONGEST = 5  # overdue dossiers listed; the full list is on the desktop profile


# --- what every page of this door needs: the data version, a runner, the frame ----------------------

@dataclass(frozen=True)
class Context:
    f: frame.Frame
    run: object  # run(name, **params) -> DataFrame, through the pages' cache
    first: date  # the first month the data covers

    @property
    def lang(self) -> str:
        return self.f.lang

    def t(self, key: str, **kw) -> str:
        return t(key, self.f.lang, **kw)

    def keep(self, **extra) -> str:
        """The query string of a link that keeps the language and period (and ``extra``), "" when empty."""
        params = {**self.f.params(), **{k: v for k, v in extra.items() if v}}
        return ("?" + urlencode(params)) if params else ""


def _source():
    """The data version the pages serve now and a cached runner on it (None, problems when no data yet)."""
    from communes import served  # Streamlit's cache: the pages and this door share its entries

    version, problems = served.served_version()
    if version is None:
        return None, problems
    return (version, served.runner(version.path)), problems


def _context(query: Mapping[str, str], user: auth.User) -> tuple[Context | None, tuple[int, str] | None]:
    lang = query.get("lang") if query.get("lang") in ("vi", "en") else "vi"
    source, problems = _source()
    if source is None:
        page = _render("error.html", lang=lang, title=t("mobile.no_data_title", lang), is_sample=False,
                       message=t("app.no_valid_data", lang), details=problems[:10], index=None)
        return None, (503, page)
    version, run = source
    ref = refdata.load(settings.get("province"))
    first, as_of = frame.span(run)
    return Context(frame.from_params(query, ref, first, as_of, version, user), run, first), None


def _render(name: str, **values) -> str:
    return TEMPLATES.get_template(name).render(**values)


def _error(ctx: Context, status: int, title: str, message: str) -> tuple[int, str]:
    return status, _render("error.html", lang=ctx.lang, title=title, message=message, details=[],
                           is_sample=ctx.f.version.is_sample, index="/m/" + ctx.keep(),
                           index_label=ctx.t("mobile.index_link"), sample_tag=ctx.t("app.sample_tag"),
                           sample_text=ctx.t("app.sample_banner"))


def _page_values(ctx: Context, **extra) -> dict:
    """What every page shows: language, sample marker, data date, the link to the other language
    (keeping the period and ``extra``, e.g. the ranking's indicator)."""
    f = ctx.f
    other = {k: v for k, v in f.params().items() if k != "lang"} | ({"lang": "en"} if f.lang == "vi" else {})
    return {
        "lang": f.lang,
        "t": ctx.t,
        "is_sample": f.version.is_sample,
        "sample_tag": ctx.t("app.sample_tag"),
        "sample_text": ctx.t("app.sample_banner"),
        "building": ctx.t("app.building") if f.version.building else "",  # newer exports are being loaded
        "data_date": ctx.t("mobile.data_date", date=fmt.date(f.as_of, f.lang),
                           version=f.version.meta.get("fingerprint", "")[:8]),
        "other_lang": ctx.t("mobile.other_lang"),
        "other_lang_query": urlencode(other | {k: v for k, v in extra.items() if v}),
        "period": f.period.label(f.lang),
        "vs_label": ctx.t("mobile.vs", period=f.compare.label(f.lang)),
    }


# --- /m/: every unit ranked on one indicator ------------------------------------------------------

def matches(ref, units: pd.DataFrame, q: str) -> set[str]:
    """Unit codes whose code or name (any spelling, a part of it) or a former commune's name matches ``q``.

    >>> ref = refdata.load("Thành phố Huế")
    >>> sorted(matches(ref, ref.units, "phong quang")), sorted(matches(ref, ref.units, "Quảng Ngạn"))
    (['19873'], ['19873'])
    """
    key = name_key(q)
    if not key:
        return set(units.unit_code)
    out = {c for c, n, s in zip(units.unit_code, units.unit_name, units.short_name)
           if q.strip() == c or key in name_key(n) or key in name_key(s)}
    found = pv.resolve_unit(ref, q)
    if found.code:
        out.add(found.code)
    out |= {u for u, n in zip(ref.former.unit_code, ref.former.former_name) if key in name_key(n)}
    return out & set(units.unit_code)


def index_page(query: Mapping[str, str], user: auth.User) -> tuple[int, str]:
    """``/m/``: every unit the user may see, ranked on ``rank=`` (the overview's indicators), with its status
    colour against the target, its change of rank, and a link to its page; ``q=`` filters by name."""
    ctx, failed = _context(query, user)
    if failed:
        return failed
    f, lg = ctx.f, ctx.lang
    metric = query.get("rank") if query.get("rank") in ov.METRICS else "on_time_rate"
    higher, kind = ov.METRICS[metric]
    stored = rollups.Stored.load(ctx.run)
    table = ov.unit_table(ctx.run, f.ref, f.period, None, stored)
    before = ov.metric_before(ctx.run, f.ref, comparisons.of(f.period, f.compare_kind), None, metric, stored)
    ranked = ov.ranking(table, before, metric)
    target = targets.load().get(metric)
    allowed = set(user.allowed(ranked.unit_code.tolist()))
    q = (query.get("q") or "").strip()[:80]
    hits = matches(f.ref, f.ref.units, q) & allowed
    rows = []
    for r in ranked.to_dict("records"):
        if r["unit_code"] not in hits:
            continue
        value = None if pd.isna(r[metric]) else r[metric]
        status = target.status(value) if target else None
        rows.append({
            "rank": "" if pd.isna(r["rank"]) else int(r["rank"]),
            "name": r["unit_name"],
            "type": t("unit.phuong" if r["unit_type"] == "Phường" else "unit.xa", lg),
            "value": fmt.indicator(value, kind, lg),
            "status": status or "none",
            "status_text": t(f"status.{status}", lg) if status else "",
            "move": ov.rank_change_text(r["rank"], r["rank_before"], r["rank_change"], lg),
            "href": f"/m/{r['unit_code']}" + ctx.keep(),
        })
    values = _page_values(ctx, rank=metric if metric != "on_time_rate" else None, q=q) | {
        "title": ctx.t("mobile.index_title", period=f.period.label(lg)),
        "metric": metric,
        "metric_label": t(f"ind.{metric}", lg),
        "metrics": [(k, t(f"ind.{k}", lg)) for k in ov.METRICS],
        "hidden": {k: v for k, v in f.params().items() if k != "p" or f.period.kind not in PICKABLE},
        "periods": [(c, periods.parse(c).label(lg)) for c in frame.period_options(f.period.kind, ctx.first, f.as_of)]
        if f.period.kind in PICKABLE else [],
        "period_code": f.period.code,
        "q": q,
        "rows": rows,
        "found": (ctx.t("mobile.found", n=len(rows), q=q) if rows else ctx.t("mobile.none_found", q=q)) if q else "",
        "target": (ctx.t("mobile.target", op="≥" if target.direction == "min" else "≤",
                         target=fmt.percent(target.target, 0, lg)) if target else ""),
        "no_data_note": ctx.t("overview.no_data_note"),
    }
    return 200, _render("index.html", **values)


# --- /m/{unit}: one unit for a site visit -----------------------------------------------------------

def _card(ctx: Context, d: pv.ProfileData, before: dict, key: str, peer_codes: list[str], group: str,
          tg: dict) -> dict:
    """A headline card: value, change against the comparison period, status against the target, ranks."""
    ind, lg = pv.IND[key], ctx.lang
    s = peers.standing(d.table, d.unit, key, ind.higher_is_better, peer_codes)
    prev = peers.as_float(before.get(key))  # each kind of data by its own comparison rule (``before``)
    cmp = comparisons.of(ctx.f.period, ctx.f.compare_kind)
    section = next((sec for sec, keys in kpi.KEYS.items() if key in keys), "dossiers")
    vs = cmp.note(section, lg) if section == "agriculture" else (
        ctx.t("mobile.vs", period=cmp.label(section, lg)) if section in comparisons.MONTHLY and cmp.months_aligned
        else "")
    change = None if s.value is None or prev is None else s.value - prev
    tone = "flat"
    if change and ind.higher_is_better is not None:
        tone = "good" if (change > 0) == ind.higher_is_better else "bad"
    target = tg.get(key)
    status = target.status(s.value) if target else None
    ranks = [x for x in (peers.rank_text(s.city_rank, s.city_n, lg),
                         peers.rank_text(s.peer_rank, s.peer_n, lg, group)) if x]
    return {
        "label": pv.label(key, lg),
        "value": fmt.indicator(s.value, ind.kind, lg),
        "change": fmt.indicator_change(change, ind.kind, lg) if change is not None else "",
        "arrow": "" if not change else "▲" if change > 0 else "▼",
        "tone": tone,
        "status": status or "",
        "status_text": t(f"status.{status}", lg) if status else "",
        "target": (ctx.t("mobile.target", op="≥" if target.direction == "min" else "≤",
                         target=fmt.percent(target.target, 0, lg)) if target else ""),
        "ranks": " · ".join(ranks) or t("peers.not_ranked", lg),
        "vs": vs,  # what this card is compared with, when not the page's comparison (rice, whole months)
    }


def _months(end: date, n: int = TREND_MONTHS) -> list[date]:
    """The ``n`` months ending with ``end``'s month, first days, oldest first."""
    i = end.year * 12 + end.month - 1
    return [date(k // 12, k % 12 + 1, 1) for k in range(i - n + 1, i + 1)]


def _series(df: pd.DataFrame, months: list[date], col: str) -> list:
    by = {pd.Timestamp(m).date().replace(day=1): v for m, v in zip(df["month"], df[col])}
    return [peers.as_float(by.get(m)) for m in months]


def trend_charts(ctx: Context, d: pv.ProfileData, peer_codes: list[str], tg: dict) -> list[dict]:
    """The 24 months up to the period's end: the on-time rate (unit, peer median, target) and new dossiers."""
    lg = ctx.lang
    months = _months(min(ctx.f.period.end, ctx.f.as_of))
    tf = pv.trend_frame(d.trend, d.unit, peer_codes, "on_time_rate")
    merger = [(periods.MERGER, ctx.t("mobile.merger_mark"))]
    shade = (ctx.f.period.start, min(ctx.f.period.end, ctx.f.as_of))
    rate_label = ctx.t("mobile.trend_rate", metric=t("ind.on_time_rate", lg))
    target = tg.get("on_time_rate")
    rate = svg.chart(months, lines=[(_series(tf, months, "peer_median"), "l-peer"),
                                    (_series(tf, months, "value"), "l-unit")],
                     kind="rate", marks=merger, target=target.target if target else None, shade=shade,
                     label=rate_label, lang=lg)
    online = _series(tf, months, "new_online")
    other = [None if a is None and b is None else (a or 0) + (b or 0)
             for a, b in zip(_series(tf, months, "new_direct"), _series(tf, months, "new_postal"))]
    new = svg.chart(months, bars=[(online, "b0"), (other, "b1")], marks=merger, shade=shade,
                    label=ctx.t("mobile.trend_new"), lang=lg)
    return [{"title": rate_label, "svg": Markup(rate)}, {"title": ctx.t("mobile.trend_new"), "svg": Markup(new)}]


def sector_chart(ctx: Context, d: pv.ProfileData, domain: str) -> dict | None:
    months = _months(min(ctx.f.period.end, ctx.f.as_of))
    merger = [(periods.MERGER, ctx.t("mobile.merger_mark"))]
    if domain == "tourism":
        cols, title = ["visitors_domestic", "visitors_international"], ctx.t("mobile.sectors_visitors")
    elif domain == "fishery":
        cols, title = ["aquaculture_tonnes", "capture_tonnes"], ctx.t("mobile.sectors_fishery")
    else:
        return None
    bars = [(_series(d.monthly, months, c), f"b{i}") for i, c in enumerate(cols)]
    shade = (ctx.f.period.start, min(ctx.f.period.end, ctx.f.as_of))
    return {"title": title, "svg": Markup(svg.chart(months, bars=bars, marks=merger, shade=shade, label=title,
                                                    lang=ctx.lang))}


def rice_rows(d: pv.ProfileData, last_year: int, lang: str, years: int = 2) -> list[dict]:
    """Rice of the ``years`` years up to ``last_year``: each season in the order of the farming year, then
    the whole year (its yield from the summed rows)."""
    r = d.rice[d.rice["year"] <= last_year]
    keep = sorted(r["year"].unique())[-years:]
    r = r[r["year"].isin(keep)]
    order = {s: i for i, s in enumerate(SEASONS)}
    r = r.assign(_o=[order.get(s, 98) if isinstance(s, str) else 99 for s in r["season"]]).sort_values(["year", "_o"])
    out = []
    for _, x in r.iterrows():
        out.append({"year": int(x["year"]),
                    "season": x["season"] if isinstance(x["season"], str) else t("mobile.rice_all", lang),
                    "whole": not isinstance(x["season"], str),
                    "area": fmt.hectares(x["rice_area_ha"], lang),
                    "production": fmt.tonnes(x["rice_production_tonnes"], lang),
                    "yield": fmt.yield_(x["rice_yield_quintal_per_ha"], lang)})
    return out


def unit_page(unit: str, query: Mapping[str, str], user: auth.User) -> tuple[int, str]:
    """``/m/{unit}``: ``unit`` is a code or any spelling of a current or former name."""
    ctx, failed = _context(query, user)
    if failed:
        return failed
    f, lg = ctx.f, ctx.lang
    found = pv.resolve_unit(f.ref, unit)
    if found.code is None:
        return _error(ctx, 404, ctx.t("mobile.not_found_title"),
                      ctx.t("mobile.not_found", text=unit[:80], reason=found.error or ""))
    code = found.code
    if not user.can_see(code):
        return _error(ctx, 403, ctx.t("mobile.forbidden_title"), ctx.t("mobile.forbidden", name=user.name))
    d = pv.load(ctx.run, f, code)
    row = d.row
    peer_codes = d.peer_codes("group")
    group = pv.peer_label(row, "group", lg)
    # every unit at once: one cached result per period serves the next unit a leader opens
    before = pv.unit_table_before(ctx.run, f.period, f.compare_kind, f.as_of).set_index("unit_code")
    before = before.loc[code].to_dict() if code in before.index else {}
    tg = targets.load()
    shown = pv.sections(d)
    backlog = d.backlog
    overdue = backlog[backlog["overdue"]]
    merger_rates, merger_volumes = pv.merger_views(pv.merger_table(d.merger), lg)
    sectors = []
    for domain in ("tourism", "agriculture", "fishery"):
        if shown[domain]:
            sectors.append({
                "title": t(f"profile.domain_{domain}", lg),
                "cards": [_card(ctx, d, before, k, peer_codes, group, tg) for k in SECTOR_CARDS[domain]],
                "chart": sector_chart(ctx, d, domain),
                "rice": rice_rows(d, f.period.end.year, lg) if domain == "agriculture" else [],
            })
    staff = None
    if shown["staffing"]:
        has = peers.as_float(row.get("staff")) is not None
        staff = {
            "cards": [_card(ctx, d, before, k, peer_codes, group, tg) for k in SECTOR_CARDS["staffing"]],
            "line": t("profile.staff_line", lg, staff=fmt.indicator(row["staff"], "count", lg),
                      posts=fmt.indicator(row["approved_posts"], "count", lg), date=fmt.date(row["staff_as_of"], lg))
            if has else t("profile.no_staff", lg),
        }
    spec = sv.for_unit(d.specialists, code)  # the desktop profile's rows, worst first
    specialists = {
        "flagged": t("spec.flagged", lg, n=len(sv.flagged(spec)), fields=", ".join(r.field for r in sv.flagged(spec)))
        if sv.flagged(spec) else "",
        "table": _table(sv.view(spec, lg)[[t("spec.col_field", lg), t("spec.col_load", lg), t("spec.col_specialists", lg)]]),
        "note": t("spec.note", lg, months=fmt.number(sv.months(f.period, f.as_of), 1, lg)),
    } if sv.has_staffing(spec) else None
    keep = ctx.keep()
    values = _page_values(ctx) | {
        "title": row["unit_name"],
        "successor": ctx.t("mobile.successor", old=found.former_name, unit=row["unit_name"]) if found.former_name else "",
        "facts": pv.facts_line(row, lg),
        "former": pv.former_line(d.former, lg),
        "vs": ctx.t("mobile.vs", period=f.compare.label(lg)),
        "cards": [_card(ctx, d, before, k, peer_codes, group, tg) for k in HEADLINE],
        "overdue": fmt.number(peers.as_float(row.get("pending_overdue")), lang=lg),
        "pending": fmt.number(peers.as_float(row.get("pending")), lang=lg),
        "backlog_date": fmt.date(min(f.period.end, f.as_of), lg),
        # "Sắp đến hạn" beside the overdue count, at the data date (communes.due_soon, as the profile)
        "due_soon": fmt.number(d.due_soon.due_soon, lang=lg),
        "due_soon_date": fmt.date(d.due_soon.as_of, lg),
        "due_soon_rule": due_soon.rule_text(d.due_soon.as_of, d.due_soon.until, d.due_soon.days, lg),
        "longest": [{"id": r["dossier_id"], "field": r["field"],
                     "days": t("mobile.days", lg, n=fmt.number(r["days_overdue"], lang=lg))}
                    for r in overdue.head(LONGEST).to_dict("records")],
        "trend": trend_charts(ctx, d, peer_codes, tg),
        "merger_tables": [_table(merger_rates), _table(merger_volumes)],
        "merger_note": f"{pv.phase_spans(d.merger, lg)}. {t('peers.phase_disjoint', lg)}.",
        "sectors": sectors,
        "staff": staff,
        "specialists": specialists,
        "visits": web_visits.section(ctx.run, f.version.meta, code, f.as_of, lg),
        "index": "/m/" + keep,
        "full": "/profile?" + urlencode({"unit": code, **f.params()}),
        "code": code,
    }
    return 200, _render("unit.html", **values)


def _table(df: pd.DataFrame) -> dict:
    """A view DataFrame as the template's table: headers and rows of text (empty tables dropped)."""
    def cell(v) -> str:  # "95,2 %" stays on one line; "2,9 tỷ đồng" may wrap between words
        return str(v).replace(" %", "\u00a0%")
    return {"head": [str(c) for c in df.columns], "rows": [[cell(v) for v in r] for r in df.itertuples(index=False)]}
