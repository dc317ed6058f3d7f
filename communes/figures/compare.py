"""Figures of the compare page: DataFrames in, Plotly figures out (no Streamlit, no data access)."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from communes import fmt
from communes.figures.common import BARS, CITY, CLEAR, MONTHS, UNIT
from communes.i18n import t
from communes.periods import MERGER


def small_multiples(df: pd.DataFrame, units: list[str], names: dict, metric: str, kind: str, lang: str,
                    cols: int = 3) -> go.Figure:
    """One panel per unit with the same axes: the unit's monthly ``metric`` and the city median (dotted),
    the merger marked. ``df`` from ``views.compare.trend_long``; ``kind`` "rate" or "count"."""
    n = len(units)
    cols = 2 if n in (2, 4) else min(cols, n)
    rows = math.ceil(n / cols)
    fig = make_subplots(rows=rows, cols=cols, shared_xaxes=True, shared_yaxes=True,
                        subplot_titles=[names[u] for u in units], vertical_spacing=0.12 / rows + 0.04,
                        horizontal_spacing=0.03)
    hover = "%{customdata}" if kind == "rate" else "%{y:,.0f}"

    def labels(values):  # rates as the cards print them ("96,1 %"); counts use the layout's separators
        return fmt.percents(values, lang) if kind == "rate" else None
    for i, u in enumerate(units):
        r, c = i // cols + 1, i % cols + 1
        g = df[df["unit_code"] == u]
        x = pd.to_datetime(g["month"])
        fig.add_scatter(x=x, y=g["city_median"], mode="lines", line={"color": CITY, "dash": "dot", "width": 1.5},
                        name=t("peers.city_median", lang), legendgroup="city", showlegend=i == 0,
                        customdata=labels(g["city_median"]), hovertemplate=hover, row=r, col=c, **MONTHS)
        if kind == "rate":
            fig.add_scatter(x=x, y=g["value"], mode="lines", line={"color": UNIT, "width": 2}, name=names[u],
                            showlegend=False, customdata=labels(g["value"]), hovertemplate=hover, row=r, col=c, **MONTHS)
        else:
            fig.add_bar(x=x, y=g["value"], marker_color=BARS, name=names[u], showlegend=False, hovertemplate=hover,
                        row=r, col=c, **MONTHS)
        fig.add_vline(x=pd.Timestamp(MERGER), line={"color": "#888", "width": 1.2}, row=r, col=c)
    vals = pd.concat([df["value"], df["city_median"]]).dropna()
    yaxis = fmt.plotly_percent_axis(vals, lang) if kind == "rate" else {"tickformat": ",.0f", "rangemode": "tozero"}
    if kind == "rate" and len(vals):
        lo = 0.0 if metric == "overdue_rate" else max(0.0, float(vals.min()) - 0.03)
        hi = min(1.0, float(vals.max()) + 0.02) if metric == "overdue_rate" else 1.0
        yaxis = {**fmt.plotly_percent_axis(lang=lang, lo=lo, hi=hi), "range": [lo, hi]}
    fig.update_yaxes(**yaxis)
    fig.update_xaxes(tickformat="%m/%y", dtick="M12", tickangle=0)
    fig.update_layout(separators=fmt.plotly_separators(lang), height=90 + 210 * rows, hovermode="x unified",
                      margin={"l": 4, "r": 4, "t": 36, "b": 4}, **CLEAR,
                      legend={"orientation": "h", "y": -0.3 / rows, "x": 0, "yanchor": "top"})
    fig.update_annotations(font_size=12)
    return fig


def before_after(changes: pd.DataFrame, names: dict, key: str, lang: str) -> go.Figure:
    """Each unit's rate before the merger (open circle) and since (filled), joined by a line."""
    d = changes.dropna(subset=[f"{key}_before", f"{key}_after"], how="all")
    y = [names[u] for u in d["unit_code"]]
    fig = go.Figure()
    for yy, a, b in zip(y, d[f"{key}_before"], d[f"{key}_after"]):
        if pd.notna(a) and pd.notna(b):
            fig.add_scatter(x=[a, b], y=[yy, yy], mode="lines", line={"color": BARS, "width": 3}, showlegend=False,
                            hoverinfo="skip")
    fig.add_scatter(x=d[f"{key}_before"], y=y, mode="markers", name=t("peers.col_before", lang),
                    marker={"symbol": "circle-open", "size": 11, "color": CITY, "line": {"width": 2}},
                    customdata=fmt.percents(d[f"{key}_before"], lang),
                    hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>")
    fig.add_scatter(x=d[f"{key}_after"], y=y, mode="markers", name=t("peers.col_after", lang),
                    marker={"size": 11, "color": UNIT}, customdata=fmt.percents(d[f"{key}_after"], lang),
                    hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>")
    fig.update_layout(separators=fmt.plotly_separators(lang), height=110 + 40 * len(d), hovermode="closest",
                      margin={"l": 4, "r": 4, "t": 10, "b": 4},
                      xaxis=fmt.plotly_percent_axis(pd.concat([d[f"{key}_before"], d[f"{key}_after"]]), lang),
                      yaxis={"autorange": "reversed", "automargin": True},
                      legend={"orientation": "h", "y": -0.15, "x": 0, "yanchor": "top"}, **CLEAR)
    return fig
