"""Draw one briefing slide in Streamlit, large enough for a projector (the page's counterpart of
``communes.briefing.deck``: same ``Slide`` objects, same numbers)."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from communes import exports, fmt
from communes.briefing.data import BriefingData
from communes.briefing.figures import chart_figure
from communes.briefing.model import Chart, Slide, keep_together
from communes.i18n import CATALOG, t

STATUS_CSS = {"met": "#2E8B3A", "near": "#D9840B", "not_met": "#D43C3C", None: "#8A8A8A"}
CSS = """<style>
.st-key-brief_slide [data-testid="stMarkdownContainer"] p, .st-key-brief_slide [data-testid="stMarkdownContainer"] li
  {font-size: clamp(1.1rem, 1.55vw, 1.7rem); line-height: 1.45}
.st-key-brief_slide h1 {font-size: clamp(2rem, 3.6vw, 3.4rem)}
.st-key-brief_slide h2 {font-size: clamp(1.6rem, 2.6vw, 2.6rem)}
.brief-cards {display: flex; flex-wrap: wrap; gap: .8rem; margin-bottom: .5rem}
.brief-card {flex: 1 1 11rem; border: 1px solid rgba(128,128,128,.35); border-top-width: .45rem;
  border-radius: .4rem; padding: .6rem .8rem; background: rgba(128,128,128,.06)}
.brief-card .l {font-size: 1.05rem; opacity: .8}
.brief-card .v {font-size: clamp(1.8rem, 3vw, 2.8rem); font-weight: 700}
.brief-card .c {font-size: .95rem; opacity: .8} .brief-card .s {font-size: 1.05rem; font-weight: 700}
.brief-table {width: 100%; border-collapse: collapse; font-size: clamp(1rem, 1.35vw, 1.45rem)}
.brief-table th {text-align: left; border-bottom: 2px solid rgba(128,128,128,.6); padding: .35rem .5rem}
.brief-table td {border-bottom: 1px solid rgba(128,128,128,.25); padding: .35rem .5rem; vertical-align: top}
.brief-table td:nth-child(-n+2) {white-space: nowrap}
</style>"""


def _e(x) -> str:
    return html.escape(str(x))


def _bullets(container, bullets: list[str]) -> None:
    if bullets:
        container.markdown("\n".join(f"- {keep_together(b)}" for b in bullets))


def _cards(s: Slide) -> None:
    cards = "".join(
        f'<div class="brief-card" style="border-top-color:{STATUS_CSS[c.status]}"><div class="l">{_e(c.label)}</div>'
        f'<div class="v">{_e(c.value)}</div><div class="c">{_e(c.change or "")}</div>'
        f'<div class="s" style="color:{STATUS_CSS[c.status]}">{_e(c.target or "")}</div></div>'
        for c in s.cards)
    st.html(f'<div class="brief-cards">{cards}</div>')


def _table(s: Slide, name: str, lang: str) -> None:
    tb = s.table
    head = "".join(f"<th>{_e(h)}</th>" for h in tb.header)
    rows = "".join(
        "<tr>" + "".join(f'<td style="color:{STATUS_CSS[status]};font-weight:700">{_e(x)}</td>' if j == 1
                         else f"<td>{_e(x)}</td>" for j, x in enumerate(row)) + "</tr>"
        for row, status in zip(tb.rows, tb.status))
    st.html(f'<table class="brief-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')
    if tb.footer:
        st.caption(tb.footer)
    exports.download_buttons(pd.DataFrame(tb.rows, columns=tb.header), name, lang)


def _map(s: Slide, d: BriefingData, lang: str) -> None:
    tg = d.targets.get("on_time_rate")
    try:
        from communes import mapview
        from communes.mapfig import unit_map
    except ImportError:
        st.caption(t("brief.map_fallback", lang))
        return
    df = s.map[s.map["in_scope"]].rename(columns={"short_name": "unit_name"})
    c1, c2 = st.columns([3, 1])
    with c1:
        width = mapview.column_width("brief_map")  # the first view fitted to the column (a phone's too)
    shapes = mapview.shapes(d.ref)
    fig = unit_map(df, shapes, value_col="value", kind="rate", target=tg.target if tg else None,
                   highlight=d.scope.unit, period_label=d.period.label(lang),
                   value_fmt=lambda v: fmt.percent(v, lang=lang), no_data_label=t("no_data", lang),
                   approx_label=t("map.approximate", lang), rank_label=CATALOG["map.rank"][lang],
                   height=mapview.map_height(shapes, width, tallest=560), view_width=width)
    fig.update_layout(separators=fmt.plotly_separators(lang))
    c1.plotly_chart(fig, config={"displayModeBar": False}, key="brief_map")
    _bullets(c2, s.bullets)


def _stem(d: BriefingData) -> str:
    """File names of the downloads: scope and period ("thanh-pho-2025-Q3")."""
    return f"{d.scope.file_stem()}-{d.period.code.replace('..', '_')}"


def _plot(container, c: Chart, lang: str, key: str, height: int | None = None) -> None:
    container.plotly_chart(chart_figure(c, lang, height), config={"displayModeBar": False}, key=key)


def slide(s: Slide, d: BriefingData, lang: str) -> None:
    """Draw ``s`` in the current container."""
    st.html(CSS)
    if s.key == "title":
        st.title(s.title)
        if s.subtitle:
            st.subheader(s.subtitle)
        _bullets(st, s.bullets)
        return
    st.header(s.title)
    if s.subtitle:
        st.caption(s.subtitle)
    if s.key == "messages":
        _bullets(st, s.bullets)
    elif s.key == "kpi":
        _cards(s)
        for c in s.charts:
            _plot(st, c, lang, "brief_kpi", height=340)
    elif s.key in ("attention", "visits"):
        if s.table is not None:
            _table(s, f"{'can-chu-y' if s.key == 'attention' else 'ket-luan-kiem-tra'}-{_stem(d)}", lang)
        else:
            _bullets(st, s.bullets)
    elif s.key == "ranking":  # side by side, as in the deck, so the whole ranking fits a projector screen
        cols = st.columns(len(s.charts)) if s.charts else []
        for i, (col, c) in enumerate(zip(cols, s.charts)):
            _plot(col, c, lang, f"brief_rank_{i}", height=max(300, 27 * len(c.categories) + 90))
        for b in s.bullets:
            st.caption(b)
        if s.charts:
            ranked = pd.DataFrame({t("col.unit", lang): [x for c in s.charts for x in c.categories],
                                   t("ind.on_time_rate", lang): [x for c in s.charts for x in c.series[0].labels]})
            exports.download_buttons(ranked, f"xep-hang-{_stem(d)}", lang)
    elif s.key == "map":
        _map(s, d, lang)
    elif len(s.charts) > 1:  # sentences above, charts side by side: the slide fits one screen
        _bullets(st, s.bullets)
        for i, (col, c) in enumerate(zip(st.columns([3, 2] if len(s.charts) == 2 else len(s.charts)), s.charts)):
            _plot(col, c, lang, f"brief_{s.key}_{i}", height=400)
    else:
        left, right = st.columns([2, 3]) if s.charts else (st.container(), None)
        _bullets(left, s.bullets)
        for i, c in enumerate(s.charts):
            _plot(right, c, lang, f"brief_{s.key}_{i}")
