"""Plotly figures of the briefing page: the same chart data as the deck's native charts (pure).

>>> from communes.briefing.model import Chart, Series
>>> c = Chart("kpi", "column", "", ["Tỷ lệ đúng hạn"], [Series("Quý III/2025", [0.961], ["96,1 %"])], "0.0%", 1.0)
>>> fig = chart_figure(c, "vi")
>>> fig.data[0].y, fig.data[0].text, fig.layout.separators
((0.961,), ('96,1 %',), ',.')
"""
from __future__ import annotations

import plotly.graph_objects as go

from communes import fmt
from communes.briefing.model import Chart

DOUGHNUT = ["#1F4E79", "#6AA2D0", "#E08E0B", "#9E9E9E"]
FONT = 18  # projector size


def _hex(c: str) -> str:
    return c if c.startswith("#") else f"#{c}"


def wrap(label: str, width: int = 16) -> str:
    """A category label on several lines (``<br>``) instead of a slanted tick.

    >>> wrap("Đang giải quyết quá hạn")
    'Đang giải quyết<br>quá hạn'
    """
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def chart_figure(c: Chart, lang: str, height: int | None = None) -> go.Figure:
    """``c`` as a Plotly figure: bars labelled with the Vietnamese text the deck shows, legend on top."""
    fig = go.Figure()
    if c.type == "doughnut":
        s = c.series[0]
        fig.add_trace(go.Pie(labels=c.categories, values=[v or 0 for v in s.values], text=s.labels, hole=0.5,
                             textinfo="text", hovertemplate="%{label}: %{value:,.0f} (%{text})<extra></extra>",
                             marker={"colors": DOUGHNUT}, sort=False, textfont={"size": FONT}))
    else:
        horizontal = c.type == "bar"
        for s in c.series:
            colours = [_hex(x) for x in s.point_colors] if s.point_colors else _hex(s.color)
            values = [None if v is None else v for v in s.values]
            xy = ({"y": c.categories, "x": values, "orientation": "h"} if horizontal
                  else {"x": [wrap(x) for x in c.categories], "y": values})
            fig.add_trace(go.Bar(name=s.name, text=s.labels, textposition="outside", cliponaxis=False,
                                 marker_color=colours, textfont={"size": FONT - 4}, customdata=s.labels,
                                 hovertemplate=f"%{{{'y' if horizontal else 'x'}}}: %{{customdata}}"
                                               f"<extra>{s.name}</extra>",
                                 **xy))
        value_axis = {"showgrid": False, "showticklabels": False, "zeroline": False}
        if c.value_min:  # zoomed: show the axis, as the deck does
            value_axis = {"range": [c.value_min, c.value_max or 1.0],
                          **fmt.plotly_percent_axis(lang=lang, lo=c.value_min, hi=c.value_max or 1.0),
                          "showgrid": True, "gridcolor": "rgba(128,128,128,0.25)"}
        elif c.value_max is not None:
            value_axis["range"] = [0, c.value_max * 1.12]
        if horizontal:
            fig.update_layout(xaxis=value_axis, yaxis={"autorange": "reversed", "tickfont": {"size": FONT - 2}})
        else:
            fig.update_layout(yaxis=value_axis, xaxis={"tickfont": {"size": FONT - 4}, "tickangle": 0})
        fig.update_layout(barmode="group", bargap=0.25, uniformtext={"minsize": FONT - 6, "mode": "show"})
    fig.update_layout(
        title={"text": c.title, "font": {"size": FONT}, "x": 0, "xanchor": "left"},
        separators=fmt.plotly_separators(lang), font={"size": FONT},
        legend=({"orientation": "v", "x": 1.0, "y": 0.5, "font": {"size": FONT - 2}} if c.type == "doughnut" else
                {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "font": {"size": FONT - 2}}),
        showlegend=len(c.series) > 1 or c.type == "doughnut",
        margin={"l": 10, "r": 70 if c.type == "bar" else 10, "t": 90 if len(c.series) > 1 else 50, "b": 10},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        height=height or (max(360, 34 * len(c.categories) + 80) if c.type == "bar" else 440),
    )
    return fig
