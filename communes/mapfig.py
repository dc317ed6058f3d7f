"""The unit map: one pure figure builder, DataFrame and shapes in, Plotly figure out.

It draws with MapLibre traces (``Choroplethmap``, ``Scattermap``) on a blank style of its own (``STYLE``:
no tiles, no world outline from a CDN, no glyphs, and a transparent background, so the page's light or
dark theme shows around the units) and no text layers (those would make MapLibre fetch glyphs), so the
map draws with no network. Each unit's code is its ``location`` and ``customdata``, so a click read back
through ``st.plotly_chart(..., on_select="rerun", selection_mode="points")`` names the unit.

>>> import pandas as pd
>>> from communes import geo, refdata
>>> ref = refdata.load("Thành phố Huế")
>>> df = ref.units.assign(value=0.9, rank=1)
>>> fig = unit_map(df, geo.unit_shapes(ref), value_col="value", kind="rate", target=0.85)
>>> fig.data[0].type, [layer['type'] for layer in fig.layout.map.style['layers']]
('choroplethmap', ['background'])
"""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from communes.geo import Shapes

NO_DATA = "#d4d4d4"
BASE = "#efefef"  # unit shapes under bubbles
EDGE = "#ffffff"
OUTLINE = "#8a8f98"  # a mid grey: reads on the light and the dark theme
HIGHLIGHT = "#111111"
WATER = "#9cc9e6"  # lagoons: a light blue that reads as water on the light and the dark theme
BUBBLE = "#2b6cb0"
COLOURBAR_MARGIN = 72  # px
# Plotly's ``white-bg`` paints the map white, a white box on the dark theme; this style's background is
# transparent. No tiles, sprite or glyphs: nothing to fetch. The one source is an empty inline GeoJSON: Plotly
# drops an empty ``sources: {}`` when it redraws the map, and MapLibre then refuses the style.
STYLE = {"id": "blank", "version": 8,
         "sources": {"blank": {"type": "geojson", "data": {"type": "FeatureCollection", "features": []}}},
         "layers": [{"id": "blank", "type": "background", "paint": {"background-color": "rgba(0,0,0,0)"}}]}
AMOUNT_SCALE = [[0.0, "#e3eef9"], [0.5, "#6aaed6"], [1.0, "#08306b"]]
# Diverging around the target: red below, pale yellow at, green above (when higher is better).
RATE_SCALE = [[0.0, "#c62828"], [0.25, "#ef8a62"], [0.5, "#fbf3c4"], [0.75, "#7fbf7b"], [1.0, "#1b7837"]]


def unit_map(
    df: pd.DataFrame,
    shapes: Shapes,
    *,
    value_col: str,
    label_col: str = "unit_name",
    kind: str = "amount",
    target: float | None = None,
    highlight: str | None = None,
    period_label: str = "",
    value_fmt: Callable = str,
    no_data_label: str = "Không có dữ liệu",
    approx_label: str = "Ranh giới giữa các xã, phường là gần đúng",
    rank_label: str = "hạng {rank}/{total}",
    higher_is_better: bool = True,
    mode: str = "choropleth",
    height: int = 520,
    view_width: int = 700,
) -> go.Figure:
    """Map of ``df`` (one row per unit: unit_code, ``label_col``, ``value_col``, rank) over ``shapes``.

    ``kind="rate"`` colours on a diverging scale centred on ``target``; ``"amount"`` on a sequential one.
    ``mode="bubbles"`` draws circles sized by value over light grey shapes (for counts and amounts).
    Units without a value (NaN, or absent from ``df``) are grey, with ``no_data_label`` on hover. The rank
    is out of the units that have one. Lagoons (``shapes.water``) are drawn as water over the units, and
    ``shapes.credit`` is written in a corner. ``view_width`` is the width (px) the first view is fitted to:
    the page's width is unknown here, and Streamlit's Plotly has no automatic fit for map subplots.
    """
    if kind not in ("rate", "amount"):
        raise ValueError(f"kind must be 'rate' or 'amount', not {kind!r}")
    if mode not in ("choropleth", "bubbles"):
        raise ValueError(f"mode must be 'choropleth' or 'bubbles', not {mode!r}")

    data = _rows(df, shapes, value_col, label_col)
    has = data["value"].notna()
    total = int(data["rank"].notna().sum())
    suffix = f"<br>{period_label}" if period_label else ""
    data["hover"] = [
        f"<b>{name}</b><br>{value_fmt(v)}"
        + (f"<br>{rank_label.format(rank=int(r), total=total)}" if pd.notna(r) else "") + suffix
        if pd.notna(v) else f"<b>{name}</b><br>{no_data_label}{suffix}"
        for name, v, r in zip(data["label"], data["value"], data["rank"])
    ]

    fig = go.Figure()
    if mode == "choropleth":
        if has.any():
            fig.add_trace(_choropleth(shapes, data[has], **_colours(data.loc[has, "value"], kind, target,
                                                                    higher_is_better, value_fmt)))
        if (~has).any():
            fig.add_trace(_choropleth(shapes, data[~has], colorscale=[[0, NO_DATA], [1, NO_DATA]], showscale=False))
    else:
        if has.any():
            fig.add_trace(_choropleth(shapes, data[has], colorscale=[[0, BASE], [1, BASE]], showscale=False))
        if (~has).any():
            fig.add_trace(_choropleth(shapes, data[~has], colorscale=[[0, NO_DATA], [1, NO_DATA]], showscale=False))
        if has.any():
            fig.add_trace(_bubbles(shapes, data[has]))

    # Outlines as line layers: MapLibre draws them from the inline GeoJSON, with no text (so no glyphs).
    outline = {"type": "Feature", "properties": {}, "geometry": shapes.outline}
    layers = []
    if shapes.water:
        water = {"type": "Feature", "properties": {}, "geometry": shapes.water}
        # Layout layers lie over the traces: with circles, the water is see-through so none is hidden.
        layers.append({"sourcetype": "geojson", "source": water, "type": "fill", "color": WATER,
                       "opacity": 0.55 if mode == "bubbles" else 1.0,
                       "fill": {"outlinecolor": WATER}})
    layers.append(_line_layer(outline, OUTLINE, 1.2))
    wanted = str(highlight).lstrip("0")
    feature = next((f for f in shapes.geojson["features"] if highlight is not None and f["id"].lstrip("0") == wanted), None)
    if feature is not None:
        layers.append(_line_layer(feature, HIGHLIGHT, 3.5))

    # The colour bar sits in a right margin of its own rather than over the province's edge.
    right = COLOURBAR_MARGIN if any(getattr(t, "showscale", False) for t in fig.data) else 0
    centre, zoom = _view(shapes.bounds, view_width - right, height)
    fig.update_layout(
        map={"style": STYLE, "center": centre, "zoom": zoom, "layers": layers},
        height=height, margin={"l": 0, "r": right, "t": 0, "b": 0}, showlegend=False,
        paper_bgcolor="rgba(0,0,0,0)", clickmode="event+select", dragmode="pan",
    )
    notes = [n for n in (approx_label if shapes.approximate else "", shapes.credit) if n]
    if notes:
        fig.add_annotation(
            text="<br>".join(notes), xref="paper", yref="paper", x=0.01, y=0.01, xanchor="left", yanchor="bottom",
            align="left", showarrow=False, font={"size": 11},  # the theme's text colour, on the page's background
        )
    return fig


def _rows(df: pd.DataFrame, shapes: Shapes, value_col: str, label_col: str) -> pd.DataFrame:
    """One row per unit that has a shape, in the shapes' order, with value NaN when df has none."""
    features = shapes.geojson["features"]
    base = pd.DataFrame({
        "unit_code": [f["id"] for f in features],
        "shape_name": [f["properties"].get("unit_name", f["id"]) for f in features],
    })
    # Codes compared without leading zeros: a CSV read may have turned "00004" into 4.
    ids = {f["id"].lstrip("0"): f["id"] for f in features}
    src = df.assign(unit_code=[ids.get(str(c).lstrip("0"), str(c)) for c in df["unit_code"]])
    src = src.drop_duplicates("unit_code")
    cols = {value_col: "value", label_col: "label"} | ({"rank": "rank"} if "rank" in src else {})
    src = src[["unit_code", *cols]].rename(columns=cols)
    out = base.merge(src, on="unit_code", how="left")
    out["label"] = out["label"].fillna(out["shape_name"]) if "label" in out else out["shape_name"]
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype(float)
    out["rank"] = pd.to_numeric(out["rank"], errors="coerce") if "rank" in out else np.nan
    return out


def _line_layer(source: dict, colour: str, width: float) -> dict:
    return {"sourcetype": "geojson", "source": source, "type": "line", "color": colour, "line": {"width": width}}


def _subset(shapes: Shapes, codes) -> dict:
    wanted = set(codes)
    return {"type": "FeatureCollection", "features": [f for f in shapes.geojson["features"] if f["id"] in wanted]}


def _choropleth(shapes: Shapes, rows: pd.DataFrame, **colour) -> go.Choroplethmap:
    z = rows["value"].fillna(0.0) if colour.get("showscale", True) else np.zeros(len(rows))
    return go.Choroplethmap(
        geojson=_subset(shapes, rows["unit_code"]), locations=rows["unit_code"], featureidkey="id",
        z=z, customdata=rows["unit_code"], text=rows["hover"], hovertemplate="%{text}<extra></extra>",
        marker={"line": {"color": EDGE, "width": 0.8}, "opacity": 0.95},
        unselected={"marker": {"opacity": 0.45}}, **colour,
    )


def _colours(values: pd.Series, kind: str, target, higher_is_better: bool, value_fmt: Callable) -> dict:
    lo, hi = float(values.min()), float(values.max())
    if kind == "rate" and target is not None:
        reach = max(abs(hi - target), abs(lo - target)) or max(abs(target) * 0.05, 1e-9)
        zmin, zmax, scale = target - reach, target + reach, RATE_SCALE
    elif kind == "rate":
        zmin, zmax, scale = lo, hi, RATE_SCALE
    else:
        zmin, zmax, scale = lo, hi, AMOUNT_SCALE
    if zmax <= zmin:
        zmax = zmin + (abs(zmin) or 1.0)
    ticks = list(np.linspace(zmin, zmax, 5))
    return {
        "colorscale": scale, "reversescale": kind == "rate" and not higher_is_better, "zmin": zmin, "zmax": zmax,
        "showscale": True,
        "colorbar": {"tickvals": ticks, "ticktext": [value_fmt(v) for v in ticks], "thickness": 12, "len": 0.7,
                     "x": 1.0, "xanchor": "left", "xpad": 6, "y": 0.5, "outlinewidth": 0},
    }


def _bubbles(shapes: Shapes, rows: pd.DataFrame) -> go.Scattermap:
    lon = [shapes.centres[c][0] for c in rows["unit_code"]]
    lat = [shapes.centres[c][1] for c in rows["unit_code"]]
    size = rows["value"].clip(lower=0).to_numpy()
    biggest = float(size.max()) or 1.0
    return go.Scattermap(
        lon=lon, lat=lat, mode="markers", customdata=rows["unit_code"], text=rows["hover"],
        hovertemplate="%{text}<extra></extra>",
        marker={"size": size, "sizemode": "area", "sizeref": 2 * biggest / 44**2, "sizemin": 3, "color": BUBBLE, "opacity": 0.7},
    )


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def aspect(bounds: tuple) -> float:
    """Width over height of ``bounds`` as the map projects them (Web Mercator)."""
    lon0, lat0, lon1, lat1 = bounds
    return math.radians(max(lon1 - lon0, 1e-6)) / max(_merc(lat1) - _merc(lat0), 1e-9)


def _view(bounds: tuple, width: int, height: int) -> tuple[dict, float]:
    """Centre and zoom that fit ``bounds`` in a ``width`` x ``height`` map (MapLibre: 512 px tiles)."""
    lon0, lat0, lon1, lat1 = bounds
    y0, y1 = _merc(lat0), _merc(lat1)
    fill = 0.9
    z_lon = math.log2(width * fill * 360 / (512 * max(lon1 - lon0, 1e-6)))
    z_lat = math.log2(height * fill * 2 * math.pi / (512 * max(y1 - y0, 1e-9)))
    lat_c = math.degrees(2 * math.atan(math.exp((y0 + y1) / 2)) - math.pi / 2)
    return {"lon": (lon0 + lon1) / 2, "lat": lat_c}, round(min(z_lon, z_lat), 2)
