"""The unit map as pages use it: one call draws it, and a click opens the unit's profile.

>>> ranks(pd.Series([0.9, None, 0.95]), higher_is_better=True).tolist()
[2, <NA>, 1]
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from communes import fmt, geo, settings
from communes.i18n import t
from communes.mapfig import unit_map

KINDS = {"rate": fmt.percent, "money": fmt.money, "tonnes": fmt.tonnes, "count": fmt.number}
DEFAULT_WIDTH = 700  # px: the first view's width until the browser has said how wide the column is
WIDTH_COMPONENT = Path(__file__).parent / "mapwidth"


def column_width(key: str) -> int:
    """Width (px) of the column the map is drawn in, as the browser last reported it.

    Streamlit's Plotly has no fit for map subplots and the server does not know the page's width, so a
    zero-height component reports its column's width (again when the window is resized): the map's first
    view is then fitted to it, a phone's 358 px too. Until it has, ``DEFAULT_WIDTH``.
    """
    store = f"_map_width_{key}"
    # Declared here, in the running app: ``serve`` imports this module before the server (and its
    # component registry) exists, and a component declared then would not be served.
    width = components.declare_component("map_width", path=str(WIDTH_COMPONENT))
    reported = width(known=st.session_state.get(store), key=f"{key}_width", default=None)
    if isinstance(reported, (int, float)) and reported > 0:
        st.session_state[store] = int(reported)
    return st.session_state.get(store) or DEFAULT_WIDTH


def ranks(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    """1 = best; units with no data get no rank (never last)."""
    return values.rank(ascending=not higher_is_better, method="min").astype("Int64")


def shapes(ref):
    """Official boundaries when ``data/boundaries.geojson`` exists, else approximate ones (cached)."""
    official = settings.path("data_dir") / "boundaries.geojson"
    return geo.unit_shapes(ref, official if official.exists() else None)


def map_height(shapes, width: int, tallest: int = 520) -> int:
    """A height that fits the province at ``width`` without a wide empty band (320–``tallest`` px)."""
    from communes.mapfig import aspect

    return int(min(tallest, max(320, (width - 72) / aspect(shapes.bounds) + 48)))


def draw(f, table: pd.DataFrame, value_col: str, kind: str, *, target: float | None = None,
         higher_is_better: bool = True, highlight: str | None = None, key: str = "map") -> None:
    """Draw ``table`` (one row per unit: unit_code, unit_name, ``value_col``) and follow clicks.

    ``kind`` is ``rate`` (diverging around ``target``), ``money``, ``tonnes`` or ``count``
    (sequential; a proportional-symbol mode is offered for these).
    """
    lg = f.lang
    df = f.ref.units[["unit_code", "unit_name"]].merge(table[["unit_code", value_col]], on="unit_code", how="left")
    if f.units is not None:
        df = df[df.unit_code.isin(f.units)]
    df["rank"] = ranks(df[value_col], higher_is_better)
    mode = "choropleth"
    if kind != "rate":
        mode = st.radio(t("map.mode", lg), ["choropleth", "bubbles"], horizontal=True, key=f"{key}_mode",
                        format_func=lambda m: t(f"map.{m}", lg), label_visibility="collapsed")
    sh = shapes(f.ref)
    width = column_width(key)
    fig = unit_map(df, sh, value_col=value_col, kind="rate" if kind == "rate" else "amount", target=target,
                   higher_is_better=higher_is_better, highlight=highlight, period_label=f.period.label(lg),
                   value_fmt=lambda v: KINDS[kind](v, lang=lg), no_data_label=t("no_data", lg),
                   approx_label=t("map.approximate", lg), rank_label=t("map.rank", lg, rank="{rank}", total="{total}"), mode=mode,
                   view_width=width, height=map_height(sh, width))
    fig.update_layout(separators=fmt.plotly_separators(lg))
    event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points",
                            config={"displaylogo": False, "scrollZoom": True})
    for problem in sh.problems:
        st.caption(problem)
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    code = next((p.get("customdata") or p.get("location") for p in points if p.get("customdata") or p.get("location")),
                None)
    if isinstance(code, list):
        code = code[0]
    if code and code != highlight and f.user.can_see(str(code)):
        st.switch_page("pages/profile.py", query_params={"unit": str(code)})
