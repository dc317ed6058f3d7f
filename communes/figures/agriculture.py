"""Figures of the agriculture & fishery page. DataFrames in, Plotly figures out; no Streamlit.

Hover texts come from ``communes.fmt`` ("43,7 tạ/ha", "335 tấn"); the monthly fishery chart shares
the merger and event marks of the tourism charts.

>>> import pandas as pd
>>> trend = pd.DataFrame({"year": [2025, 2025], "season": ["Đông Xuân", "Hè Thu"],
...                       "rice_area_ha": [10.0, 10.0], "rice_production_tonnes": [60.0, 50.0],
...                       "rice_yield_quintal_per_ha": [60.0, 50.0]})
>>> [s.name for s in season_trend(trend).data]
['Đông Xuân', 'Hè Thu']
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from communes import fmt
from communes.figures.common import (
    GREY,
    MERGER,
    SHADE,
    base,
    month_label,
    month_ticks,
    timeline_marks,
)
from communes.i18n import t

SEASON_ORDER = ("Đông Xuân", "Hè Thu", "Vụ Mùa", "Thu Đông", "Cả năm")
SEASON_EN = {"Đông Xuân": "Winter–spring", "Hè Thu": "Summer–autumn", "Vụ Mùa": "Main (mùa)",
             "Thu Đông": "Autumn–winter", "Cả năm": "Whole year"}
SEASON_COLOR = {"Đông Xuân": "#2e7d32", "Hè Thu": "#f9a825", "Vụ Mùa": "#6d4c41", "Thu Đông": "#0277bd",
                "Cả năm": "#7b1fa2"}
AQUA, CAPTURE = "#0277bd", "#4fc3f7"


def season_name(season: str, lang: str) -> str:
    return season if lang == "vi" else SEASON_EN.get(season, season)


def harvest(year: int, season: str) -> date:
    """The record date of a season (data contract): Đông Xuân on 30 June, other seasons 31 December."""
    return date(year, 6, 30) if season == "Đông Xuân" else date(year, 12, 31)


def _order(season: str) -> int:
    return SEASON_ORDER.index(season) if season in SEASON_ORDER else len(SEASON_ORDER)


def season_trend(trend: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """Production by season, season after season in harvest order (bars), labelled with the yield;
    the merger is drawn between the last season harvested before 1 July 2025 and the first after."""
    tr = trend.assign(h=[harvest(int(y), s) for y, s in zip(trend["year"], trend["season"])],
                      o=[_order(s) for s in trend["season"]]).sort_values(["h", "o"]).reset_index(drop=True)
    x = list(range(len(tr)))
    ticks = [f"{season_name(s, lang)}<br>{int(y)}" for s, y in zip(tr["season"], tr["year"])]
    fig = go.Figure()
    for season in sorted(tr["season"].unique(), key=_order):
        m = tr["season"] == season
        fig.add_trace(go.Bar(
            x=[i for i, k in zip(x, m) if k], y=tr.loc[m, "rice_production_tonnes"], name=season_name(season, lang),
            marker_color=SEASON_COLOR.get(season), text=[fmt.yield_(v, lang) for v in tr.loc[m, "rice_yield_quintal_per_ha"]],
            textposition="outside", cliponaxis=False,
            customdata=[[tk.replace("<br>", " "), fmt.tonnes(p, lang), fmt.hectares(a, lang), fmt.yield_(yv, lang)]
                        for tk, p, a, yv in zip([ticks[i] for i in tr.index[m]], tr.loc[m, "rice_production_tonnes"],
                                                tr.loc[m, "rice_area_ha"], tr.loc[m, "rice_yield_quintal_per_ha"])],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]} · %{customdata[2]} · %{customdata[3]}<extra></extra>"))
    after = [i for i, h in zip(x, tr["h"]) if h >= MERGER]
    if after and after[0] > 0:
        fig.add_vline(x=after[0] - 0.5, line={"color": GREY, "width": 1.5})
        fig.add_annotation(x=after[0] - 0.5, y=1, yref="paper", text=t("tourism.chart.merger", lang), showarrow=False,
                           xanchor="left", yanchor="bottom", font={"size": 11, "color": GREY})
    fig.update_xaxes(tickvals=x, ticktext=ticks, tickangle=0)
    fig.update_yaxes(title_text=t("agri.axis.production", lang), tickformat=",.0f", rangemode="tozero")
    fig.update_layout(bargap=0.25)
    return base(fig, lang, height=340)


def yield_dots(units: pd.DataFrame, city_yield, lang: str = "vi") -> go.Figure:
    """Each unit with rice: this year's yield (filled) and last year's (hollow), highest on top, and
    the city's production-weighted average as a vertical line."""
    r = units[units["rice_yield_quintal_per_ha"].notna()].sort_values("rice_yield_quintal_per_ha", ascending=False)
    y = r["short_name"]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=r["yield_last_year"], y=y, mode="markers", name=t("agri.col.yield_last_year", lang),
        marker={"symbol": "circle-open", "size": 10, "color": GREY, "line": {"width": 2}},
        customdata=[fmt.yield_(v, lang) for v in r["yield_last_year"]], hovertemplate="%{y}: %{customdata}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=r["rice_yield_quintal_per_ha"], y=y, mode="markers", name=t("agri.col.yield", lang),
        marker={"size": 10, "color": SEASON_COLOR["Đông Xuân"]},
        customdata=[fmt.yield_(v, lang) for v in r["rice_yield_quintal_per_ha"]],
        hovertemplate="%{y}: %{customdata}<extra></extra>"))
    if city_yield is not None:  # a line across every unit, named in the legend
        fig.add_trace(go.Scatter(
            x=[city_yield, city_yield], y=[y.iloc[0], y.iloc[-1]] if len(y) else [], mode="lines",
            name=f"{t('agri.city_average', lang)}: {fmt.yield_(city_yield, lang)}",
            line={"color": GREY, "dash": "dash", "width": 1.5}, hoverinfo="skip"))
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11}, showgrid=True)
    fig.update_xaxes(title_text=t("agri.axis.yield", lang), tickformat=",.0f")
    return base(fig, lang, height=max(220, 22 * len(r) + 110), legend_top=True)


def rice_ranking(units: pd.DataFrame, season_rows: pd.DataFrame, season: str | None, lang: str = "vi") -> go.Figure:
    """Production of each unit with rice, rank 1 on top, split by season when every season is shown
    (``season_rows``: one row per unit and season), labelled with the unit's share of the city's production."""
    r = units[units["rice_production_tonnes"].notna()]
    order = list(r["unit_code"])
    seasons = [season] if season else sorted(season_rows["season"].dropna().unique(), key=_order)
    rows = season_rows[season_rows["unit_code"].isin(order)]
    fig = go.Figure()
    for i, s in enumerate(seasons):
        part = rows[rows["season"] == s].set_index("unit_code").reindex(order)
        last = i == len(seasons) - 1
        fig.add_trace(go.Bar(
            x=part["rice_production_tonnes"], y=r["short_name"], orientation="h", name=season_name(s, lang),
            marker_color=SEASON_COLOR.get(s),
            text=[fmt.percent(v, lang=lang) for v in r["production_share"]] if last else None,
            textposition="outside", cliponaxis=False,
            customdata=[fmt.tonnes(v, lang) for v in part["rice_production_tonnes"]],
            hovertemplate="%{y} · " + season_name(s, lang) + ": %{customdata}<extra></extra>"))
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11})
    fig.update_xaxes(title_text=t("agri.axis.production", lang), tickformat=",.0f")
    fig = base(fig, lang, height=max(220, 22 * len(r) + 110), legend=len(seasons) > 1, legend_top=True)
    fig.update_layout(margin={"l": 8, "r": 48, "t": 8, "b": 8})
    return fig


def fish_trend(monthly: pd.DataFrame, window: tuple[date, date], period, events: pd.DataFrame,
               lang: str = "vi") -> go.Figure:
    """Aquaculture and capture month by month (stacked bars) over ``window``, last year's total dashed,
    the period shaded, merger and events marked."""
    w0, w1 = pd.Timestamp(window[0]), pd.Timestamp(window[1])
    months = pd.date_range(w0, w1, freq="MS")
    m = monthly.set_index("month")
    now = m.reindex(months)
    ly = m["fishery_tonnes"].reindex(months - pd.DateOffset(years=1))
    labels = [month_label(x, lang) for x in months]
    fig = go.Figure()
    for key, name, color in (("aquaculture_tonnes", t("ind.aquaculture_tonnes", lang), AQUA),
                             ("capture_tonnes", t("ind.capture_tonnes", lang), CAPTURE)):
        fig.add_trace(go.Bar(x=months, y=now[key], name=name, marker_color=color,
                             customdata=[[lb, fmt.tonnes(v, lang, 1)] for lb, v in zip(labels, now[key])],
                             hovertemplate="%{customdata[0]} · " + name + ": %{customdata[1]}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=months, y=[None if pd.isna(v) else v for v in ly.values], mode="lines+markers",
        name=t("agri.fish.last_year_total", lang), line={"color": GREY, "dash": "dash", "width": 2},
        customdata=[[month_label(x, lang), fmt.tonnes(None if pd.isna(v) else v, lang, 1)] for x, v in zip(ly.index, ly.values)],
        hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>"))
    fig.add_vrect(x0=max(pd.Timestamp(period.start), w0) - pd.Timedelta(days=16),
                  x1=min(pd.Timestamp(period.end), w1) + pd.Timedelta(days=16), fillcolor=SHADE, line_width=0, layer="below")
    top = pd.concat([now["fishery_tonnes"], ly]).max()
    timeline_marks(fig, events, window[0], window[1], lang, (0 if pd.isna(top) else top) * 1.08)
    month_ticks(fig, window[0], window[1], lang)
    fig.update_layout(barmode="stack", bargap=0.2)
    fig.update_yaxes(title_text=t("agri.axis.tonnes", lang), tickformat=",.0f", rangemode="tozero")
    return base(fig, lang)


def fish_ranking(ranked: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """Total fishery output of each unit with data (aquaculture + capture stacked), rank 1 on top,
    labelled with its share of the city's total."""
    r = ranked[ranked["fishery_tonnes"].notna()]
    fig = go.Figure()
    for key, color, last in (("aquaculture_tonnes", AQUA, False), ("capture_tonnes", CAPTURE, True)):
        name = t(f"ind.{key}", lang)
        fig.add_trace(go.Bar(
            x=r[key], y=r["short_name"], orientation="h", name=name, marker_color=color,
            text=[fmt.percent(v, lang=lang) for v in r["fishery_share"]] if last else None,
            textposition="outside", cliponaxis=False,
            customdata=[fmt.tonnes(v, lang, 1) for v in r[key]],
            hovertemplate="%{y} · " + name + ": %{customdata}<extra></extra>"))
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11})
    fig.update_xaxes(title_text=t("agri.axis.tonnes", lang), tickformat=",.0f")
    fig = base(fig, lang, height=max(220, 22 * len(r) + 110), legend_top=True)
    fig.update_layout(margin={"l": 8, "r": 48, "t": 8, "b": 8})
    return fig
