"""Figures of the tourism page, and the time-series marks (merger, events, month ticks) that the
agriculture & fishery page shares. DataFrames in, Plotly figures out; no Streamlit.

Hover texts and tick labels are made with ``communes.fmt``, so a chart reads exactly like the
cards and tables ("1.234", "20,4 tỷ đồng", "T7/2025"); no Plotly locale file is needed offline.

>>> import pandas as pd
>>> fig = ranking(pd.DataFrame({"short_name": ["A"], "visitors": [10], "visitors_share": [0.5]}), "visitors")
>>> fig.data[0].text[0]
'50,0 %'
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from communes import fmt
from communes.i18n import t

MERGER = date(2025, 7, 1)
GREY = "rgba(128,128,128,0.9)"  # readable on light and dark backgrounds
SHADE = "rgba(128,128,128,0.12)"


def base(fig: go.Figure, lang: str, height: int = 360, legend: bool = True, legend_top: bool = False) -> go.Figure:
    """Shared layout: locale separators, tight margins, horizontal legend (fits phones) under the plot,
    or above it for tall charts (where "under" would be a screen away), in trace order; no title."""
    fig.update_layout(
        separators=fmt.plotly_separators(lang), height=height, margin={"l": 8, "r": 8, "t": 28, "b": 8},
        hovermode="closest", showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0, "traceorder": "normal"}
        if legend_top else {"orientation": "h", "yanchor": "top", "y": -0.2, "xanchor": "left", "x": 0, "traceorder": "normal"},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def month_label(ts, lang: str) -> str:
    return fmt.month_short(ts.year, ts.month, lang)


def month_tick(ts, lang: str, with_year: bool) -> str:
    """A compact two-line tick: "T7" alone, or "T1<br>2026" on January and the first tick, so twelve
    months fit a phone's width without turning the labels."""
    m, y = (fmt.month_short(ts.year, ts.month, lang).split("/") if lang == "vi"
            else fmt.month_short(ts.year, ts.month, lang).split(" "))
    return f"{m}<br>{y}" if with_year or ts.month == 1 else m


def month_ticks(fig: go.Figure, start: date, end: date, lang: str) -> None:
    """Month ticks on a date x axis from ``start`` to ``end``, thinned to ≤ 12 labels."""
    months = pd.date_range(pd.Timestamp(start).replace(day=1), pd.Timestamp(end), freq="MS")
    step = max(1, -(-len(months) // 12))
    shown = months[::step]
    fig.update_xaxes(tickvals=list(shown), ticktext=[month_tick(m, lang, i == 0) for i, m in enumerate(shown)],
                     range=[months[0] - pd.Timedelta(days=15), months[-1] + pd.Timedelta(days=15)],
                     showgrid=False, tickangle=0)


def timeline_marks(fig: go.Figure, events: pd.DataFrame, start: date, end: date, lang: str, y_top: float) -> None:
    """Mark the merger (always, when inside [start, end]) and the city-wide events on a date axis:
    dotted lines, with the labels on hover of a marker row at ``y_top``."""
    if start <= MERGER <= end:
        right_half = (MERGER - start) > (end - MERGER)  # label on the side with room
        fig.add_vline(x=pd.Timestamp(MERGER), line={"color": GREY, "width": 1.5})
        fig.add_annotation(x=pd.Timestamp(MERGER), y=1, yref="paper", text=t("tourism.chart.merger", lang),
                           showarrow=False, xanchor="right" if right_half else "left", yanchor="bottom",
                           font={"size": 11, "color": GREY})
    ev = events[(pd.to_datetime(events["date"]) >= pd.Timestamp(start))
                & (pd.to_datetime(events["date"]) <= pd.Timestamp(end))] if len(events) else events
    if len(ev):
        for d in ev["date"]:
            fig.add_vline(x=pd.Timestamp(d), line={"color": GREY, "width": 1, "dash": "dot"})
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(ev["date"]), y=[y_top] * len(ev), mode="markers", name=t("tourism.chart.events", lang),
            marker={"symbol": "triangle-down", "size": 10, "color": GREY},
            customdata=[[fmt.date(d, lang), label] for d, label in zip(ev["date"], ev["label"])],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>"))


def _scale(metric: str) -> float:
    return 1e9 if metric == "revenue_vnd" else 1.0


def _text(metric: str, lang: str):
    return (lambda x: fmt.money(x, lang)) if metric == "revenue_vnd" else (lambda x: fmt.number(x, lang=lang))


def trend(monthly: pd.DataFrame, metric: str, window: tuple[date, date], period, events: pd.DataFrame,
          lang: str = "vi") -> go.Figure:
    """The chosen metric month by month over ``window``, last year's same months dashed, the period
    shaded, merger and events marked. ``monthly`` has rows from 12 months before the window."""
    w0, w1 = pd.Timestamp(window[0]), pd.Timestamp(window[1])
    months = pd.date_range(w0, w1, freq="MS")
    s = monthly.set_index("month")[metric]
    now = s.reindex(months)
    ly = s.reindex(months - pd.DateOffset(years=1))
    text = _text(metric, lang)
    fig = go.Figure()
    for series, name, style in ((ly, t("tourism.chart.last_year", lang), {"color": GREY, "dash": "dash", "width": 2}),
                                (now, t("tourism.chart.this_year", lang), {"width": 3})):
        vals = [None if pd.isna(v) else v / _scale(metric) for v in series.values]
        fig.add_trace(go.Scatter(
            x=months, y=vals, mode="lines+markers", name=name, line=style, connectgaps=False,
            customdata=[[month_label(m, lang), text(None if pd.isna(v) else v)] for m, v in zip(series.index, series.values)],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>"))
    fig.add_vrect(x0=max(pd.Timestamp(period.start), w0) - pd.Timedelta(days=12),
                  x1=min(pd.Timestamp(period.end), w1) + pd.Timedelta(days=12), fillcolor=SHADE, line_width=0, layer="below")
    top = pd.concat([now, ly]).max()
    y_top = (0 if pd.isna(top) else top / _scale(metric)) * 1.08
    timeline_marks(fig, events, window[0], window[1], lang, y_top)
    month_ticks(fig, window[0], window[1], lang)
    fig.update_yaxes(title_text=t(f"tourism.axis.{metric}", lang), rangemode="tozero", tickformat=",.0f")
    return base(fig, lang)


def heatmap(grid: pd.DataFrame, metric: str, window: tuple[date, date], lang: str = "vi") -> go.Figure:
    """Units (rows, largest total on top) × months; colour = the month against the unit's own mean
    month in the window (100 = average); hover gives the value. Units without any data are left out."""
    months = pd.date_range(pd.Timestamp(window[0]), pd.Timestamp(window[1]), freq="MS")
    wide = grid.pivot_table(index="short_name", columns="month", values=metric, aggfunc="sum", dropna=False)
    wide = wide.reindex(columns=months)
    wide = wide.loc[wide.notna().any(axis=1)]
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False).index]
    index = wide.div(wide.mean(axis=1), axis=0) * 100
    text = _text(metric, lang)
    labels = [month_label(m, lang) for m in months]
    ticks = [month_tick(m, lang, i == 0) for i, m in enumerate(months)]
    hover = [[f"{u} · {labels[j]}<br>{text(None if pd.isna(v) else v)}"
              + ("" if pd.isna(ix) else f"<br>{t('tourism.index', lang)}: {fmt.number(ix, lang=lang)}")
              for j, (v, ix) in enumerate(zip(wide.loc[u].values, index.loc[u].values))] for u in wide.index]
    fig = go.Figure(go.Heatmap(
        z=index.values, x=ticks, y=list(wide.index), colorscale="Blues", zmin=0, hoverongaps=False,
        text=hover, hovertemplate="%{text}<extra></extra>", xgap=1, ygap=1,
        colorbar={"title": {"text": t("tourism.index", lang), "side": "top"}, "orientation": "h", "thickness": 8,
                      "len": 0.6, "x": 0, "xanchor": "left", "y": -0.01, "yanchor": "top", "yref": "paper"}))
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11})
    fig.update_xaxes(side="top", tickangle=0, tickfont={"size": 10})
    fig = base(fig, lang, height=max(260, 22 * len(wide) + 130), legend=False)
    fig.update_layout(margin={"l": 8, "r": 8, "t": 44, "b": 60})
    return fig


def ranking(ranked: pd.DataFrame, metric: str, lang: str = "vi") -> go.Figure:
    """Horizontal bars of the units that have data, rank 1 on top, labelled with their share of the
    city total; units without data are not drawn (the page lists them)."""
    share = "visitors_share" if metric == "visitors" else "revenue_share"
    r = ranked[ranked[metric].notna()]
    text = _text(metric, lang)
    fig = go.Figure(go.Bar(
        x=r[metric] / _scale(metric), y=r["short_name"], orientation="h",
        text=[fmt.percent(s, lang=lang) for s in r[share]], textposition="outside", cliponaxis=False,
        customdata=[[text(v), fmt.percent(s, lang=lang)] for v, s in zip(r[metric], r[share])],
        hovertemplate="%{y}: %{customdata[0]} (%{customdata[1]})<extra></extra>"))
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11})
    fig.update_xaxes(title_text=t(f"tourism.axis.{metric}", lang), tickformat=",.0f")
    fig = base(fig, lang, height=max(200, 22 * len(r) + 80), legend=False)
    fig.update_layout(margin={"l": 8, "r": 48, "t": 8, "b": 8}, bargap=0.3)
    return fig
