"""Figures of the tourism page: DataFrames in, Plotly figures out; no Streamlit. The time-series marks
(merger, events, month ticks) are ``communes.figures.common``'s.

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
from communes.figures.common import GREY, SHADE, base, month_label, month_tick, month_ticks, timeline_marks
from communes.i18n import t


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
