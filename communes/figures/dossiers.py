"""Figures of the dossier page: DataFrames in, Plotly figures out (no Streamlit, no data access)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from communes import fmt
from communes.figures.common import CLEAR
from communes.i18n import t
from communes.periods import MERGER

CHANNELS = {"new_online": "#3b82c4", "new_direct": "#9aa5b1", "new_postal": "#e0a100"}
LINE = "#d6456b"  # on-time rate: a mid tone that reads on light and dark backgrounds
BUCKET_COLOURS = {"1-3": "#f2b8a2", "4-7": "#e8845f", "8-30": "#d14b2f", ">30": "#8e1c12"}


def events_in(events: pd.DataFrame, first, last) -> pd.DataFrame:
    """The events between two dates (those of a chart's x range), numbered in date order from 1."""
    ev = events.copy()
    ev["date"] = pd.to_datetime(ev["date"])
    ev = ev[(ev["date"] >= pd.Timestamp(first)) & (ev["date"] <= pd.Timestamp(last))].sort_values(["date", "label"])
    ev["n"] = range(1, len(ev) + 1)
    return ev.reset_index(drop=True)


def mark_time(fig: go.Figure, events: pd.DataFrame, lang: str = "vi", period=None, top: float = 1.0) -> go.Figure:
    """Mark the merger (always, labelled), each event (a dotted line and a numbered marker at the top,
    whose hover gives the date and label; the page lists them under the chart) and the chosen period.

    ``events`` are numbered as ``events_in`` numbers them; ``top`` is the right axis' upper end.
    """
    if period is not None:
        fig.add_vrect(x0=pd.Timestamp(period.start) - pd.Timedelta(days=15),
                      x1=pd.Timestamp(period.end) - pd.Timedelta(days=14),
                      fillcolor="#888", opacity=0.12, line_width=0, layer="below")
    fig.add_shape(type="line", x0=pd.Timestamp(MERGER), x1=pd.Timestamp(MERGER), y0=0, y1=1, yref="paper",
                  line={"color": "#888", "width": 1.5})
    fig.add_annotation(x=pd.Timestamp(MERGER), y=1.0, yref="paper", text=t("dossiers.merger", lang), showarrow=False,
                       xanchor="right", yanchor="bottom", font={"size": 11})
    for x in events["date"]:
        fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line={"color": "#888", "width": 1, "dash": "dot"})
    if len(events):
        fig.add_scatter(
            x=events["date"], y=[top] * len(events), yaxis="y2", mode="markers+text", name=t("dossiers.events", lang),
            text=[str(n) for n in events["n"]], textposition="top center", textfont={"size": 10},
            marker={"symbol": "triangle-down", "size": 9, "color": "#888"}, cliponaxis=False, showlegend=False,
            customdata=[fmt.date(d, lang) for d in events["date"]], hovertext=events["label"],
            hovertemplate="%{customdata}: %{hovertext}<extra></extra>",
        )
    return fig


def trend(df: pd.DataFrame, events: pd.DataFrame, lang: str = "vi", period=None) -> go.Figure:
    """New dossiers by channel (stacked bars) and the on-time rate (line, right axis), by month."""
    fig = go.Figure()
    x = pd.to_datetime(df["month"])
    for key, colour in CHANNELS.items():
        fig.add_bar(x=x, y=df[key], name=t(f"ind.{key}", lang), marker_color=colour,
                    hovertemplate="%{x|%m/%Y}: %{y:,.0f}<extra>%{fullData.name}</extra>")
    fig.add_scatter(x=x, y=df["on_time_rate"], name=t("ind.on_time_rate", lang), yaxis="y2", mode="lines+markers",
                    line={"color": LINE, "width": 2}, marker={"size": 4}, customdata=fmt.percents(df["on_time_rate"], lang),
                    hovertemplate="%{x|%m/%Y}: %{customdata}<extra>%{fullData.name}</extra>")
    mark_time(fig, events_in(events, *_span(df)), lang, period)
    fig.update_layout(
        barmode="stack", separators=fmt.plotly_separators(lang), height=420, hovermode="closest",
        margin={"l": 8, "r": 8, "t": 40, "b": 8}, legend={"orientation": "h", "yanchor": "top", "y": -0.16, "x": 0},
        yaxis={"title": t("dossiers.axis_new", lang), "rangemode": "tozero", "tickformat": ",d"},
        yaxis2={"title": t("ind.on_time_rate", lang), "overlaying": "y", "side": "right",
                **fmt.plotly_percent_axis(lang=lang, lo=_floor(df["on_time_rate"]), hi=1.0),
                "range": [_floor(df["on_time_rate"]), 1.0], "showgrid": False},
        xaxis={"tickformat": "%m/%Y", "nticks": 12}, **CLEAR,
    )
    return fig


def _span(df: pd.DataFrame):
    months = pd.to_datetime(df["month"])
    return (months.min(), months.max() + pd.offsets.MonthEnd(0)) if len(months) else (pd.NaT, pd.NaT)


def event_notes(df: pd.DataFrame, events: pd.DataFrame, lang: str = "vi") -> str:
    """The numbered events of a trend chart as one line of text, for under the chart."""
    ev = events_in(events, *_span(df))
    return " · ".join(f"**{n}** {fmt.date(d, lang)}: {label}" for n, d, label in zip(ev["n"], ev["date"], ev["label"]))


def _floor(s: pd.Series) -> float:
    lo = pd.to_numeric(s, errors="coerce").min()
    return 0.0 if pd.isna(lo) else max(0.0, min(0.8, float(lo) - 0.05))


def field_heatmap(df: pd.DataFrame, names: dict[str, str], lang: str = "vi", target=None) -> go.Figure:
    """Units (rows) × fields (columns): colour = on-time rate, hover = volumes.

    ``df``: unit_code, field, on_time_rate, resolved, received. Cells without a resolved dossier stay
    empty (no data). The colour scale turns green at the target and amber within its amber band.
    """
    units = sorted(df["unit_code"].unique(), key=lambda c: names.get(c, c))
    fields = sorted(df["field"].unique())
    z = df.pivot(index="unit_code", columns="field", values="on_time_rate").reindex(index=units, columns=fields)
    res = df.pivot(index="unit_code", columns="field", values="resolved").reindex(index=units, columns=fields)
    rec = df.pivot(index="unit_code", columns="field", values="received").reindex(index=units, columns=fields)
    custom = [[[_n(res.iat[i, j], lang), _n(rec.iat[i, j], lang), fmt.percent(z.iat[i, j], lang=lang)]
               for j in range(len(fields))] for i in range(len(units))]
    goal = target.target if target else 0.95
    band = target.amber if target else 0.02
    lo = max(0.0, goal - 4 * max(band, 0.01))
    def at(v):
        return min(1.0, max(0.0, (v - lo) / (1.0 - lo)))
    scale = [[0.0, "#b2182b"], [at(goal - band), "#ef8a62"], [at(goal - 1e-9), "#fddc8c"], [at(goal), "#8fd19e"],
             [1.0, "#1a7f45"]]
    fig = go.Figure(go.Heatmap(
        z=z.values, x=fields, y=[names.get(c, c) for c in units], customdata=custom, zmin=lo, zmax=1.0,
        colorscale=scale, xgap=2, ygap=2, hoverongaps=False,
        colorbar={**fmt.plotly_percent_axis(lang=lang, lo=lo, hi=1.0),
                  "title": {"text": t("ind.on_time_rate", lang), "side": "right"}, "thickness": 12},
        hovertemplate=("%{y} · %{x}<br>" + t("ind.on_time_rate", lang) + ": %{customdata[2]}<br>"
                       + t("ind.resolved", lang) + ": %{customdata[0]}<br>"
                       + t("ind.received", lang) + ": %{customdata[1]}<extra></extra>"),
    ))
    fig.update_layout(
        separators=fmt.plotly_separators(lang), height=max(300, 22 * len(units) + 120),
        margin={"l": 8, "r": 8, "t": 8, "b": 8}, xaxis={"side": "top", "automargin": True}, yaxis={"autorange": "reversed"}, **CLEAR,
    )
    return fig


def _n(v, lang):
    return fmt.number(None if pd.isna(v) else v, lang=lang)


def types_bars(types: dict[str, dict], keys: list[str], lang: str = "vi") -> go.Figure:
    """Phường against xã: the same rates side by side (grouped horizontal bars)."""
    fig = go.Figure()
    for code, colour in (("phuong", "#3b82c4"), ("xa", "#2e9d5b")):
        vals = [types[code].get(k) for k in keys]
        fig.add_bar(y=[t(f"ind.{k}", lang) for k in keys], x=vals, orientation="h", name=t(f"dossiers.type_{code}", lang),
                    marker_color=colour, text=[fmt.percent(v, lang=lang) for v in vals], textposition="auto",
                    hovertemplate="%{y}: %{text}<extra>%{fullData.name}</extra>")
    fig.update_layout(
        barmode="group", separators=fmt.plotly_separators(lang), height=320, margin={"l": 8, "r": 8, "t": 8, "b": 8},
        xaxis={**fmt.plotly_percent_axis(lang=lang, lo=0.0, hi=1.05), "range": [0, 1.05]},
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "h", "y": -0.15, "x": 0}, **CLEAR,
    )
    return fig


def backlog_bars(df: pd.DataFrame, buckets: list[str], lang: str = "vi", top: int = 20) -> go.Figure:
    """Overdue pending dossiers per unit, stacked by days overdue; the ``top`` units with most."""
    data = df[df["total"] > 0].head(top).iloc[::-1]
    fig = go.Figure()
    for b in buckets:
        fig.add_bar(y=data["short_name"], x=data[b], orientation="h", name=t(f"dossiers.bucket_{_bkey(b)}", lang),
                    marker_color=BUCKET_COLOURS[b], hovertemplate="%{y}: %{x:,.0f}<extra>%{fullData.name}</extra>")
    fig.update_layout(
        barmode="stack", separators=fmt.plotly_separators(lang), height=max(260, 24 * len(data) + 100),
        margin={"l": 8, "r": 8, "t": 8, "b": 8}, legend={"orientation": "h", "y": -0.12, "x": 0, "traceorder": "normal"},
        xaxis={"title": t("dossiers.axis_overdue", lang)}, yaxis={"automargin": True}, **CLEAR,
    )
    return fig


def _bkey(b: str) -> str:
    return {"1-3": "1_3", "4-7": "4_7", "8-30": "8_30", ">30": "30"}[b]
