"""Figures of the unit profile: DataFrames in, Plotly figures or inline SVG out (no Streamlit, no data access).

Plotly for the full layout: legends below the plot, no long labels on the plot area (event names are in
the hover), fixed heights. Inline SVG (``communes.web.svg``, as the site-visit page draws them) for the
phone layout: a kilobyte or two each, no script to load or run. Colours are mid tones that read on light
and dark backgrounds.
"""
from __future__ import annotations

import math
from datetime import date
from html import escape

import pandas as pd
import plotly.graph_objects as go

from communes import fmt
from communes.figures.common import BARS, CITY, CLEAR, MONTHS, PEER, UNIT
from communes.i18n import t
from communes.periods import MERGER
from communes.web import svg

STACK = ["#3b82c4", "#e0a100", "#2e9d5b", "#9aa5b1"]
NOBAR = {"displayModeBar": False}


def _layout(fig: go.Figure, lang: str, height: int, **kw) -> go.Figure:
    """The house layout (locale separators, legend below, transparent background) updated with ``kw``."""
    base = dict(separators=fmt.plotly_separators(lang), height=height, margin={"l": 4, "r": 4, "t": 36, "b": 4},
                legend={"orientation": "h", "y": -0.08, "x": 0, "yanchor": "top", "traceorder": "normal"},
                hovermode="x unified", **CLEAR)
    fig.update_layout(**(base | kw))
    return fig




def _months_axis() -> dict:
    return {"tickformat": "%m/%y", "dtick": "M6", "tickangle": 0, "ticklabelmode": "instant"}


def mark_merger(fig: go.Figure, events: pd.DataFrame | None, lang: str, period=None) -> go.Figure:
    """The merger as a solid line with a short label; events as dotted lines named in the hover; the
    chosen period shaded."""
    if period is not None:
        fig.add_vrect(x0=pd.Timestamp(period.start), x1=pd.Timestamp(period.end) + pd.Timedelta(days=1),
                      fillcolor="#888", opacity=0.12, line_width=0, layer="below")
    x = pd.Timestamp(MERGER)
    fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line={"color": "#888", "width": 1.5})
    fig.add_annotation(x=x, y=1.04, yref="paper", text=t("peers.merger", lang), showarrow=False, xanchor="center",
                       yanchor="bottom", font={"size": 11})
    if events is not None and len(events):
        for d in events["date"]:
            fig.add_shape(type="line", x0=pd.Timestamp(d), x1=pd.Timestamp(d), y0=0, y1=1, yref="paper",
                          line={"color": "#888", "width": 1, "dash": "dot"})
        fig.add_scatter(x=pd.to_datetime(events["date"]), y=[1.0] * len(events), yaxis="y3", mode="markers",
                        marker={"symbol": "triangle-down", "size": 9, "color": "#888"}, text=events["label"].astype(str),
                        name=t("peers.events", lang), hovertemplate="%{x|%d/%m/%Y}: %{text}<extra></extra>",
                        showlegend=False)
        fig.update_layout(yaxis3={"overlaying": "y", "range": [0, 1.02], "visible": False, "fixedrange": True})
    return fig


def new_per_month(df: pd.DataFrame) -> pd.Series:
    """The unit's new dossiers each month, all channels (a month without data stays empty)."""
    return df[["new_online", "new_direct", "new_postal"]].sum(axis=1, min_count=3)


def trend(df: pd.DataFrame, events: pd.DataFrame, metric: str, lang: str, period=None,
          unit_name: str = "", peer_name: str = "") -> go.Figure:
    """The unit's new dossiers (bars) and ``metric`` (line, right axis) month by month, with the
    peer-group and city medians of ``metric`` for reference. ``df`` from ``views.profile.trend_frame``."""
    x = pd.to_datetime(df["month"])
    new = new_per_month(df)
    fig = go.Figure()
    fig.add_bar(x=x, y=new, name=t("peers.ind.new_dossiers", lang), marker_color=BARS, opacity=0.7,
                hovertemplate="%{y:,.0f}", **MONTHS)
    for col, colour, dash, width, who in (("city_median", CITY, "dot", 1.5, t("peers.city_median", lang)),
                                          ("peer_median", PEER, "dash", 1.5, t("peers.peer_median_of", lang, group=peer_name)),
                                          ("value", UNIT, "solid", 2.5, unit_name)):
        fig.add_scatter(x=x, y=df[col], yaxis="y2", name=who, mode="lines", line={"color": colour, "dash": dash, "width": width},
                        customdata=fmt.percents(df[col], lang), hovertemplate="%{customdata}", connectgaps=False, **MONTHS)
    mark_merger(fig, events, lang, period)
    vals = pd.concat([df["value"], df["peer_median"], df["city_median"]]).dropna()
    if metric == "overdue_rate":  # small rates: from zero up
        rng = [0.0, min(1.0, float(vals.max()) * 1.15) if len(vals) else 1.0]
    else:
        rng = [max(0.0, min(0.9, float(vals.min()) - 0.03)) if len(vals) else 0.0, 1.0]
    _layout(fig, lang, 380, barmode="stack",
            yaxis={"rangemode": "tozero", "showgrid": False, "tickformat": ",.0f"},
            yaxis2={"overlaying": "y", "side": "right", **fmt.plotly_percent_axis(lang=lang, lo=rng[0], hi=rng[1]),
                    "range": rng},
            xaxis=_months_axis())
    return fig


def _hbars(fig: go.Figure, names: list[str], refs: list[tuple], fmt_value, lang: str, x_axis: dict) -> go.Figure:
    """Horizontal bars on numeric rows 0…n−1 (named by ticks) with vertical reference lines ``refs``:
    (value, colour, dash, name); numeric rows let the lines span exactly the bars."""
    n = len(names)
    for v, colour, dash, name in refs:
        if v is not None and not pd.isna(v):
            fig.add_scatter(x=[v, v], y=[-0.5, n - 0.5], mode="lines", line={"color": colour, "dash": dash, "width": 2},
                            name=f"{name}: {fmt_value(v)}", hoverinfo="skip")
    return _layout(fig, lang, 110 + 32 * n, hovermode="closest", xaxis=x_axis,
                   yaxis={"tickvals": list(range(n)), "ticktext": names, "range": [-0.5, n - 0.5], "automargin": True},
                   legend={"orientation": "h", "y": -34 / (32 * n + 40), "x": 0, "yanchor": "top", "traceorder": "normal"})


def former_bars(rows: pd.DataFrame, metric: str, before, after, lang: str) -> go.Figure:
    """One bar per former commune (the 12 months before the merger) for a rate; the unit's rate before
    and since the merger as reference lines. ``rows``: former_name, ``metric``."""
    df = rows[rows[metric].notna()].sort_values(metric)
    text = [fmt.percent(v, lang=lang) for v in df[metric]]
    fig = go.Figure(go.Bar(y=list(range(len(df))), x=df[metric], orientation="h", marker_color=BARS, text=text,
                           textposition="inside", insidetextanchor="end", customdata=df["former_name"],
                           hovertemplate="%{customdata}: %{text}<extra></extra>", showlegend=False))
    vals = pd.concat([df[metric], pd.Series([before, after], dtype="float64")]).dropna()
    lo = max(0.0, float(vals.min()) - 0.03) if len(vals) else 0.0
    hi = min(1.0, float(vals.max()) + 0.01) if len(vals) else 1.0
    return _hbars(fig, df["former_name"].tolist(), [(before, CITY, "dash", t("peers.before_line", lang)),
                                                    (after, UNIT, "solid", t("peers.after_line", lang))],
                  lambda v: fmt.percent(v, lang=lang), lang,
                  {**fmt.plotly_percent_axis(lang=lang, lo=lo, hi=hi), "range": [lo, hi]})


def monthly(df: pd.DataFrame, cols: list[str], lang: str, events=None, period=None) -> go.Figure:
    """Stacked monthly bars of ``cols`` (e.g. domestic and international visitors) with the merger marked."""
    x = pd.to_datetime(df["month"])
    fig = go.Figure()
    for col, colour in zip(cols, STACK):
        fig.add_bar(x=x, y=df[col], name=t(f"ind.{col}", lang), marker_color=colour, hovertemplate="%{y:,.0f}",
                    **MONTHS)
    mark_merger(fig, events, lang, period)
    return _layout(fig, lang, 320, barmode="stack", yaxis={"rangemode": "tozero", "tickformat": ",.0f"},
                   xaxis=_months_axis())


SEASONS = ["Đông Xuân", "Hè Thu", "Vụ Mùa", "Thu Đông", "Cả năm"]  # in the order of the farming year


def rice(df: pd.DataFrame, lang: str) -> go.Figure:
    """Rice production per year, stacked by season, and the year's yield (right axis).
    ``df``: rows of ``profile/rice`` (season null = the whole year)."""
    seasons = df[df["season"].notna()]
    whole = df[df["season"].isna()]
    order = sorted(seasons["season"].unique(), key=lambda x: (SEASONS.index(x) if x in SEASONS else 99, x))
    fig = go.Figure()
    for season, colour in zip(order, STACK):
        g = seasons[seasons["season"] == season]
        fig.add_bar(x=g["year"].astype(str), y=g["rice_production_tonnes"], name=season, marker_color=colour,
                    hovertemplate="%{y:,.0f} " + t("peers.tonnes", lang))
    fig.add_scatter(x=whole["year"].astype(str), y=whole["rice_yield_quintal_per_ha"], yaxis="y2", mode="lines+markers",
                    name=t("ind.rice_yield_quintal_per_ha", lang), line={"color": UNIT, "width": 2},
                    hovertemplate="%{y:.1f} " + t("peers.quintal_ha", lang))
    top = whole["rice_yield_quintal_per_ha"].max()
    return _layout(fig, lang, 320, barmode="stack",
                   yaxis={"title": t("peers.tonnes", lang), "rangemode": "tozero", "tickformat": ",.0f"},
                   yaxis2={"title": t("peers.quintal_ha", lang), "overlaying": "y", "side": "right", "showgrid": False,
                               "range": [0, math.ceil(float(top) * 1.2 / 10) * 10 if pd.notna(top) else 1],
                               "dtick": 10 if pd.notna(top) and top < 60 else 20, "tickformat": ".0f"},
                   xaxis={"type": "category"})


def workload(df: pd.DataFrame, unit: str, peer_median, city_median, lang: str) -> go.Figure:
    """Dossiers per official per month in the peer group, the unit highlighted, with the medians."""
    d = df.sort_values("dossiers_per_official_month")
    fig = go.Figure(go.Bar(
        y=list(range(len(d))), x=d["dossiers_per_official_month"], orientation="h",
        marker_color=[UNIT if c == unit else BARS for c in d["unit_code"]],
        text=[fmt.number(v, 1, lang) for v in d["dossiers_per_official_month"]], textposition="inside",
        insidetextanchor="end", customdata=list(zip(d["short_name"], d["staff"], d["approved_posts"])), showlegend=False,
        hovertemplate="%{customdata[0]}: %{text}<br>" + t("peers.staff_of_posts", lang, staff="%{customdata[1]}",
                                                          posts="%{customdata[2]}") + "<extra></extra>"))
    return _hbars(fig, d["short_name"].tolist(), [(peer_median, PEER, "dash", t("peers.peer_median", lang)),
                                                  (city_median, CITY, "dot", t("peers.city_median", lang))],
                  lambda v: fmt.number(v, 1, lang), lang, {"rangemode": "tozero"})


# --- the phone layout: small inline SVG charts ---------------------------------------------------------

# The SVG charts' look, by class (``communes.web.svg``); text and grid follow the theme's text colour.
SVG_CSS = f"""<style>
svg.chart{{width:100%;max-width:600px;height:auto;display:block;color:inherit}}
svg.chart .grid{{stroke:currentColor;stroke-opacity:.15;stroke-width:.6}}
svg.chart .shade{{fill:currentColor;opacity:.08}}
svg.chart .tick{{font-size:9px;fill:currentColor;fill-opacity:.65}}
svg.chart .mark{{stroke:currentColor;stroke-opacity:.55;stroke-width:1;stroke-dasharray:3 2}}
svg.chart .l-unit{{fill:none;stroke:{UNIT};stroke-width:2.2}}
svg.chart .l-peer{{fill:none;stroke:{PEER};stroke-width:1.4;stroke-dasharray:4 3}}
svg.chart .l-city{{fill:none;stroke:{CITY};stroke-width:1.4;stroke-dasharray:1 2}}
svg.chart .b0 rect{{fill:{STACK[0]}}}svg.chart .b1 rect{{fill:{STACK[1]}}}svg.chart .b2 rect{{fill:{BARS}}}
.svg-legend{{font-size:13px!important;line-height:1.5;margin:2px 0 0!important}}
.svg-legend span{{white-space:nowrap;margin-right:10px}}
.svg-legend i{{display:inline-block;width:16px;height:0;border-top:2px solid;vertical-align:middle;margin-right:4px}}
.svg-legend i.box{{height:9px;border:0}}
</style>"""


def months_until(df: pd.DataFrame, last: date) -> list[date]:
    """The months of ``df["month"]`` up to ``last``'s month, first days, oldest first."""
    days = sorted({pd.Timestamp(m).date().replace(day=1) for m in df["month"]})
    return [m for m in days if (m.year, m.month) <= (last.year, last.month)]


def _series(df: pd.DataFrame, months: list[date], col: str) -> list:
    by = {pd.Timestamp(m).date().replace(day=1): v for m, v in zip(df["month"], df[col])}
    return [None if pd.isna(by.get(m)) else float(by[m]) for m in months]


def _legend(items: list[tuple[str, str, str]]) -> str:
    """A legend under an SVG chart: (text, colour, "line" | "dash" | "dot" | "box")."""
    style = {"line": "solid", "dash": "dashed", "dot": "dotted"}
    out = []
    for text, colour, kind in items:
        mark = (f'<i class="box" style="background:{colour}"></i>' if kind == "box"
                else f'<i style="border-top-style:{style[kind]};border-color:{colour}"></i>')
        out.append(f"<span>{mark}{escape(text)}</span>")
    return f'<p class="svg-legend">{"".join(out)}</p>'


def trend_svg(df: pd.DataFrame, metric: str, lang: str, period, last: date, unit_name: str = "",
              peer_name: str = "") -> str:
    """The phone's trend: ``metric`` of the unit, its peer group's median and the city's median, month by
    month up to ``last`` (the period's end or the data date), the merger marked and the period shaded; a
    legend below. ``df`` from ``views.profile.trend_frame``, as ``trend`` draws it."""
    months = months_until(df, last)
    name = t(f"ind.{metric}", lang)
    chart = svg.chart(months, lines=[(_series(df, months, "city_median"), "l-city"),
                                     (_series(df, months, "peer_median"), "l-peer"),
                                     (_series(df, months, "value"), "l-unit")],
                      kind="rate", marks=[(MERGER, t("mobile.merger_mark", lang))], shade=(period.start, last),
                      label=name, lang=lang, height=150)
    return chart + _legend([(unit_name, UNIT, "line"), (t("peers.peer_median_of", lang, group=peer_name), PEER, "dash"),
                            (t("peers.city_median", lang), CITY, "dot")])


def bars_svg(df: pd.DataFrame, cols: list[str], names: list[str], lang: str, period, last: date) -> str:
    """Monthly bars of ``cols`` stacked (the new dossiers; visitors; fishery output) up to ``last``, the
    merger marked and the period shaded; a legend below when more than one is stacked."""
    months = months_until(df, last)
    classes = ["b2"] if len(cols) == 1 else [f"b{i}" for i in range(len(cols))]
    chart = svg.chart(months, bars=[(_series(df, months, c), k) for c, k in zip(cols, classes)],
                      marks=[(MERGER, t("mobile.merger_mark", lang))], shade=(period.start, last),
                      label=" + ".join(names), lang=lang, height=120)
    if len(cols) == 1:
        return chart
    return chart + _legend([(n, STACK[i], "box") for i, n in enumerate(names)])
