"""Pieces every page's figures share: the house layout, the colours, month ticks and labels, and the
time-series marks (the merger, the city-wide events). No Streamlit, no data access.

>>> import pandas as pd
>>> month_label(pd.Timestamp("2025-07-01"), "vi"), events_text(pd.DataFrame({"date": [], "label": []}))
('T7/2025', '')
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from communes import fmt
from communes.i18n import t
from communes.periods import MERGER

GREY = "rgba(128,128,128,0.9)"  # readable on light and dark backgrounds
SHADE = "rgba(128,128,128,0.12)"
UNIT = "#d6456b"  # the unit itself
PEER = "#3b82c4"  # its peer group
CITY = "#8a8f98"  # the city
BARS = "#9fb3c8"
CLEAR = {"paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)"}
MONTHS = {"xperiod": "M1", "xperiodalignment": "middle"}  # a month's bar spans the month: the merger falls between




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


def events_text(events: pd.DataFrame, lang: str = "vi") -> str:
    """The events marked on a chart, for a caption under it: "▼ 11/08/2025: Sự cố …".

    >>> events_text(pd.DataFrame({"date": [date(2025, 10, 27)], "label": ["Lũ lịch sử"]}))
    '▼ 27/10/2025: Lũ lịch sử'
    """
    return " · ".join(f"▼ {fmt.date(d, lang)}: {label}" for d, label in zip(events["date"], events["label"]))
