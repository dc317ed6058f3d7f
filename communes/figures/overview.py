"""Figures of the overview page: DataFrames in, Plotly figures out (no Streamlit, no data access)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from communes import fmt
from communes.i18n import t

# Mid tones that read on light and dark backgrounds alike.
STATUS_COLOURS = {"met": "#2e9d5b", "near": "#e0a100", "not_met": "#d64545", None: "#5b8fd6"}


def ranked_bars(df: pd.DataFrame, metric: str, kind: str, lang: str = "vi", target=None) -> go.Figure:
    """Units of ``df`` (short_name, ``metric``) as horizontal bars, best at the top.

    Until the unit map lands this stands in its place. Bars are coloured by the target's status when
    ``metric`` has a target; units without data are left out (the page lists them).
    """
    data = df.dropna(subset=[metric]).copy()
    if "rank" in data:
        data = data.sort_values("rank", ascending=False)
    scale = 100 if kind == "rate" else 1
    data["x"] = data[metric].astype(float) * scale
    data["text"] = [_show(v, kind, lang) for v in data[metric]]
    colours = [STATUS_COLOURS[target.status(v) if target else None] for v in data[metric]]
    if kind == "rate":  # rates sit close together near the top: dots on a zoomed axis, not bars from 0
        fig = go.Figure(go.Scatter(
            x=data["x"], y=data["short_name"], mode="markers+text", marker={"color": colours, "size": 11},
            text=data["text"], textposition="middle right", cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        ))
        lo = min(data["x"].min(), (target.target * scale) if target else 100)
        fig.update_xaxes(range=[max(0, lo - 3), 101.5])
    else:
        fig = go.Figure(go.Bar(
            x=data["x"], y=data["short_name"], orientation="h", marker_color=colours,
            text=data["text"], textposition="auto", cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        ))
    if target is not None:
        fig.add_vline(x=target.target * scale, line_dash="dash", line_color="#888",
                      annotation_text=t("overview.target_line", lang, value=fmt.percent(target.target, 0, lang)),
                      annotation_position="top")
    fig.update_layout(
        separators=fmt.plotly_separators(lang), height=max(260, 17 * len(data) + 70),
        margin={"l": 8, "r": 56, "t": 36, "b": 8}, showlegend=False,
        xaxis={"ticksuffix": " %" if kind == "rate" and lang == "vi" else "%" if kind == "rate" else ""},
        yaxis={"automargin": True},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def _show(v, kind: str, lang: str) -> str:
    if kind == "rate":
        return fmt.percent(v, lang=lang)
    if kind == "money":
        return fmt.money(v, lang=lang)
    if kind == "tonnes":
        return fmt.tonnes(v, lang=lang)
    return fmt.number(v, lang=lang)
