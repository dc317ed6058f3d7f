"""Unit shapes (derived and supplied) and the unit map figure."""
from __future__ import annotations

import json
import math
import os
import time
import unicodedata

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from communes import geo, geo_derive, mapfig, refdata

HUE = "Thành phố Huế"


@pytest.fixture(scope="module")
def hue():
    return refdata.load(HUE)


@pytest.fixture(scope="module")
def hue_shapes(hue):
    return geo.unit_shapes(hue)


def geoms(shapes: geo.Shapes) -> dict:
    return {f["id"]: shape(f["geometry"]) for f in shapes.geojson["features"]}


def overlaps(gs: dict) -> list:
    """Pairs whose intersection is more than 0.1 % of the smaller shape."""
    codes, arr = list(gs), np.array(list(gs.values()))
    tree = shapely.STRtree(arr)
    left, right = tree.query(arr, predicate="intersects")
    bad = []
    for i, j in zip(left, right):
        if i < j:
            inter = shapely.intersection(arr[i], arr[j]).area
            if inter > 0.001 * min(arr[i].area, arr[j].area):
                bad.append((codes[i], codes[j], inter))
    return bad


# --- derived shapes -----------------------------------------------------------------------------

def test_hue_one_valid_shape_per_unit(hue, hue_shapes):
    feats = hue_shapes.geojson["features"]
    assert len(feats) == 40
    assert sorted(f["id"] for f in feats) == sorted(hue.units.unit_code)
    for f in feats:
        assert f["properties"]["unit_code"] == f["id"]
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        assert shape(f["geometry"]).is_valid, f["properties"]["unit_name"]
    assert hue_shapes.approximate and hue_shapes.problems == []


def test_hue_shapes_tile_the_outline(hue_shapes):
    gs = geoms(hue_shapes)
    assert overlaps(gs) == []
    outline = shape(hue_shapes.outline)
    union = shapely.union_all(list(gs.values()))
    assert union.symmetric_difference(outline).area < 0.005 * outline.area
    parts = shapely.get_parts(outline)
    assert not any(p.interiors for p in parts)  # no gaps: lagoons belong to their units, drawn as water over them
    assert max(shapely.area(parts)) > 0.999 * outline.area  # one piece of land and an islet (Sơn Chà)


def test_hue_area_close_to_official(hue, hue_shapes):
    outline_km2 = geo_derive.Plane.around(hue).fwd(shape(hue_shapes.outline)).area
    assert outline_km2 == pytest.approx(hue.units.area_km2.sum(), rel=0.03)


def test_former_centroids_mostly_inside_or_near_their_unit(hue, hue_shapes):
    """Weighting the cells to the official areas moves some borders past a former commune's centre (a unit
    with a small official area and far-apart former communes cannot hold them all); most stay."""
    gs = geoms(hue_shapes)
    near = [gs[r.unit_code].distance(shapely.points(r.lon, r.lat)) <= 0.01 for r in hue.former.itertuples()]  # ~1 km
    assert sum(near) >= 0.85 * len(near), f"{sum(near)} of {len(near)}"


def test_centres_lie_in_their_shape(hue_shapes):
    gs = geoms(hue_shapes)
    for code, (lon, lat) in hue_shapes.centres.items():
        assert gs[code].distance(shapely.points(lon, lat)) < 1e-4, code


def test_geojson_is_small_and_rounded(hue_shapes):
    text = json.dumps(hue_shapes.geojson)
    assert len(text) < 150_000
    coords = shapely.get_coordinates(list(geoms(hue_shapes).values()))
    assert np.allclose(coords, np.round(coords, 5))


def test_cached(hue):
    assert geo.unit_shapes(hue) is geo.unit_shapes(hue)


def test_da_nang_94_units_with_a_split_commune_and_a_far_island():
    ref = refdata.load("Thành phố Đà Nẵng")
    assert ref.former.split.any()
    shapes = geo.unit_shapes(ref)
    gs = geoms(shapes)
    assert len(gs) == 94 and set(gs) == set(ref.units.unit_code)
    assert all(g.is_valid and g.area > 0 for g in gs.values())
    assert overlaps(gs) == []
    assert any("Hòa Liên" in p for p in shapes.problems)  # the split is said, not hidden
    hoang_sa = ref.units.set_index("unit_name").at["Đặc khu Hoàng Sa", "unit_code"]  # no former commune
    assert gs[hoang_sa].centroid.x > 111
    assert shapes.bounds[2] < 110  # the first view stays on the mainland


# --- the real geography -------------------------------------------------------------------------

def test_hue_meets_the_targets(hue, hue_shapes):
    """Outline overlap, areas, centres and size (printed by bench/geo.py, here with -s)."""
    from bench.geo import committed_outline, measures

    m = measures(hue, hue_shapes, committed_outline(hue))
    print(m)
    assert m["iou"] >= 0.90
    assert m["within_25"] >= 34 and m["median_error"] <= 0.15
    assert m["centres_inside"] >= 38
    assert m["shapes_kb"] <= 300


def test_hue_outline_coast_and_lagoons(hue, hue_shapes):
    """The real coast: the coastal units' official centres are on land, lagoons are water, the sea is out."""
    outline, water = shape(hue_shapes.outline), shape(hue_shapes.water)
    plane = geo_derive.Plane.around(hue)
    assert plane.fwd(outline).area == pytest.approx(4860, rel=0.02)  # official 4,947 km², lagoons included
    assert plane.fwd(water).area == pytest.approx(234, rel=0.1)  # Tam Giang, Thủy Tú, Cầu Hai, Lăng Cô
    units = hue.units.set_index("short_name")
    for name in ("Thuận An", "Phong Quảng", "Phú Vinh", "Vinh Lộc"):  # outside Natural Earth's coarse coast
        assert outline.contains(shapely.points(units.at[name, "lon"], units.at[name, "lat"])), name
    for lon, lat in ((107.534, 16.597), (107.799, 16.356), (108.051, 16.248)):  # Tam Giang, Cầu Hai, Lăng Cô
        assert water.contains(shapely.points(lon, lat)) and outline.contains(shapely.points(lon, lat))
    assert not water.contains(shapely.points(107.585, 16.463))  # the Citadel is dry land
    assert not outline.contains(shapely.points(107.9, 16.5))  # the South China Sea off Thuận An
    assert water.within(outline.buffer(1e-4))
    assert hue_shapes.credit == "© OpenStreetMap contributors"


def test_da_nang_outline_is_its_former_provinces():
    """A new province's outline is the union of the former provinces it was formed from."""
    ref = refdata.load("Thành phố Đà Nẵng")
    assert geo_derive._former_provinces(ref) == ["thanhphodanang", "tinhquangnam"]
    data = geo_derive.geodata()
    former = shapely.union_all([g for k in ("thanhphodanang", "tinhquangnam") for g in data[k].values()])
    shapes = geo.unit_shapes(ref)
    main = shapely.clip_by_rect(shape(shapes.outline), *shapes.bounds)  # Hoàng Sa, far off, has its own piece
    iou = shapely.intersection(main, former).area / shapely.union(main, former).area
    assert iou > 0.98, iou
    from bench.geo import measures  # islands (Cù Lao Chàm, Hoàng Sa) do not hold back the mainland's areas

    m = measures(ref, shapes, former)
    assert m["within_25"] >= 85 and m["median_error"] <= 0.05, m
    isos = {f["properties"]["province"]: f["properties"]["iso"]
            for f in json.loads(geo_derive.GEODATA.read_text(encoding="utf-8"))["features"]}
    assert (isos["thanhphodanang"], isos["tinhquangnam"]) == ("VN-DN", "VN-27")  # Natural Earth's ids


def test_geodata_file_small_and_complete():
    fc = json.loads(geo_derive.GEODATA.read_text(encoding="utf-8"))
    assert geo_derive.GEODATA.stat().st_size < 700_000
    lands = [f for f in fc["features"] if f["properties"]["kind"] == "land"]
    assert len(lands) == 63 and len({f["properties"]["iso"] for f in lands}) == 63  # every former province, once
    assert all(shape(f["geometry"]).is_valid for f in fc["features"])
    assert "OpenStreetMap contributors" in fc["source"]["coast_and_lagoons"]


def test_without_geodata_the_outline_is_grown(hue, monkeypatch):
    """A province the committed geography lacks: the outline grown around the seeds, no credit, no water."""
    geo._cached.cache_clear()
    monkeypatch.setattr(geo_derive, "geodata", dict)
    try:
        shapes = geo.unit_shapes(hue)
        gs = geoms(shapes)
        assert len(gs) == 40 and overlaps(gs) == []
        assert shapes.water is None and shapes.credit == ""
        km2 = geo_derive.Plane.around(hue).fwd(shape(shapes.outline)).area
        assert km2 == pytest.approx(hue.units.area_km2.sum(), rel=0.03)
    finally:
        geo._cached.cache_clear()


def test_power_diagram_weights_move_the_border():
    """Two seeds 10 km apart: equal weights split at 5 km; w = 20 km² for the left one moves it 1 km right."""
    xy = np.array([[0.0, 0.0], [10.0, 0.0]])
    cells, pairs, segs = geo_derive._power_diagram(xy, np.zeros(2))
    box = shapely.box(-20, -20, 30, 20)
    assert shapely.intersection(cells[0], box).bounds[2] == pytest.approx(5.0)
    cells, _, _ = geo_derive._power_diagram(xy, np.array([20.0, 0.0]))
    assert shapely.intersection(cells[0], box).bounds[2] == pytest.approx(6.0)  # (100 + 20) / 20
    assert pairs.tolist() in ([[0, 1]], [[1, 0]])


def test_cli_geo_writes_the_drawn_shapes(hue, hue_shapes, tmp_path, monkeypatch):
    from communes import cli

    monkeypatch.setenv("COMMUNES_DATA_DIR", str(tmp_path))  # no official file there
    out = tmp_path / "units.geojson"
    assert cli.main(["geo", "--out", str(out)]) == 0
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["attribution"] == "© OpenStreetMap contributors"
    drawn = {f["id"]: f for f in hue_shapes.geojson["features"]}
    assert len(fc["features"]) == 40
    for f in fc["features"]:
        assert set(f["properties"]) == {"code", "name", "approximate"} and f["properties"]["approximate"] is True
        assert f["geometry"] == drawn[f["properties"]["code"]]["geometry"]
        assert f["properties"]["name"] == hue.unit_name(f["properties"]["code"])
    # an official file in the data folder takes precedence
    supplied(hue, hue_shapes, tmp_path)
    assert cli.main(["geo", "--out", str(out)]) == 0
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert len(fc["features"]) == 40 and not any(f["properties"]["approximate"] for f in fc["features"])
    assert cli.main(["geo", "--province", "Nowhere", "--out", str(out)]) == 2


# --- supplied boundaries ------------------------------------------------------------------------

def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def supplied(hue, hue_shapes, tmp_path, **kw):
    """A boundary file built from the derived shapes, names spelled as exports spell them."""
    names = dict(zip(hue.units.unit_code, hue.units.unit_name))
    spelled = {
        "19753": ("ten", "P. Phú Xuân"),
        "19789": ("ten", "Phường Thuận Hoá"),  # old tone placement of Thuận Hóa
        "19777": ("TenXa", "phường vỹ dạ"),
    }
    feats = []
    for i, f in enumerate(hue_shapes.geojson["features"]):
        code = f["id"]
        prop, name = spelled.get(code, ("name", nfd(names[code]) if i % 2 else names[code]))
        if i == 5:
            prop, name = "MaXa", code.zfill(6)
        feats.append({"type": "Feature", "properties": {prop: name}, "geometry": f["geometry"]})
    split = feats.pop(7)  # one unit delivered as two features
    g = shape(split["geometry"])
    x0, y0, x1, y1 = g.bounds
    halves = [g.intersection(shapely.box(x0, y0, (x0 + x1) / 2, y1)), g.intersection(shapely.box((x0 + x1) / 2, y0, x1, y1))]
    feats += [{"type": "Feature", "properties": split["properties"], "geometry": shapely.geometry.mapping(h)} for h in halves]
    feats.append({"type": "Feature", "properties": {"ten": "Xã Không Tồn Tại"},
                  "geometry": shapely.geometry.mapping(shapely.box(107.0, 16.0, 107.01, 16.01))})
    for code in kw.get("drop", ()):
        feats = [f for f in feats if f["properties"].get("name") not in (names[code], nfd(names[code]))]
    path = tmp_path / "boundaries.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False), encoding="utf-8")
    return path


def test_supplied_boundaries_matched_by_any_spelling(hue, hue_shapes, tmp_path):
    shapes = geo.unit_shapes(hue, supplied(hue, hue_shapes, tmp_path))
    assert not shapes.approximate
    got = geoms(shapes)
    assert set(got) == set(hue.units.unit_code)
    unknown = [p for p in shapes.problems if "Xã Không Tồn Tại" in p]
    assert len(unknown) == 1 and len(shapes.problems) == 1, shapes.problems
    derived = geoms(hue_shapes)
    for code, g in got.items():  # the two halves came back as one unit
        assert g.symmetric_difference(derived[code]).area < 0.01 * derived[code].area, code


def test_missing_unit_reported_and_file_change_seen(hue, hue_shapes, tmp_path):
    path = supplied(hue, hue_shapes, tmp_path)
    assert len(geo.unit_shapes(hue, path).geojson["features"]) == 40
    time.sleep(0.01)
    dropped = hue.units.unit_code.iloc[10]
    supplied(hue, hue_shapes, tmp_path, drop=[dropped])
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    shapes = geo.unit_shapes(hue, path)
    assert len(shapes.geojson["features"]) == 39
    assert any("thiếu 1 đơn vị" in p and hue.unit_name(dropped) in p for p in shapes.problems)


def test_unreadable_file_falls_back_to_approximate(hue, tmp_path):
    path = tmp_path / "boundaries.geojson"
    path.write_text("{not json", encoding="utf-8")
    shapes = geo.unit_shapes(hue, path)
    assert shapes.approximate and len(shapes.geojson["features"]) == 40
    assert any("Không đọc được" in p for p in shapes.problems)


def test_projected_file_refused(hue, tmp_path):
    path = tmp_path / "boundaries.geojson"
    feat = {"type": "Feature", "properties": {"ten": "Phú Xuân"},
            "geometry": shapely.geometry.mapping(shapely.box(560000, 1800000, 570000, 1810000))}  # VN-2000 metres
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feat]}), encoding="utf-8")
    shapes = geo.unit_shapes(hue, path)
    assert shapes.approximate and any("WGS84" in p for p in shapes.problems)


def test_former_commune_file_rolls_up(hue, hue_shapes, tmp_path):
    """A map of the 133 former communes (here: Voronoi cells) is merged into the 40 current units."""
    former = hue.former
    xy = former[["lon", "lat"]].to_numpy() + np.arange(len(former))[:, None] * 1e-5  # no shared centroids
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy), ordered=True))
    outline = shape(hue_shapes.outline)
    feats = []
    for r, cell in zip(former.itertuples(), cells):
        g = cell.intersection(outline)
        feats.append({"type": "Feature", "properties": {"TenXa": r.former_name}, "geometry": shapely.geometry.mapping(g)})
    path = tmp_path / "former.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False), encoding="utf-8")
    shapes = geo.unit_shapes(hue, path)
    assert not shapes.approximate
    assert len(shapes.geojson["features"]) == 40
    assert any("xã/phường cũ" in p for p in shapes.problems)


# --- the figure ---------------------------------------------------------------------------------

def frame(ref, seed=0, missing=("19789",)):
    rng = np.random.default_rng(seed)
    df = ref.units[["unit_code", "unit_name"]].copy()
    df["value"] = rng.uniform(0.6, 1.0, len(df))
    df.loc[df.unit_code.isin(missing), "value"] = np.nan
    df["rank"] = df["value"].rank(ascending=False, method="min")
    return df


@pytest.fixture(scope="module")
def rate_fig(hue, hue_shapes):
    return mapfig.unit_map(frame(hue), hue_shapes, value_col="value", kind="rate", target=0.85,
                           highlight="19753", period_label="Tháng 7/2025", value_fmt=lambda v: f"{v * 100:.1f} %")


def test_figure_small_offline_and_clickable(rate_fig, hue_shapes):
    size = len(rate_fig.to_json())
    assert size <= 300_000, size
    assert {t.type for t in rate_fig.data} <= {"choroplethmap", "scattermap"}
    style = rate_fig.layout.map.style  # blank and transparent: nothing to fetch, the page's theme shows through
    assert style == mapfig.STYLE and not {"glyphs", "sprite"} & set(style)
    assert all(src["type"] == "geojson" and "url" not in src for src in style["sources"].values())
    assert [(layer["type"], layer["paint"]["background-color"]) for layer in style["layers"]] == [("background", "rgba(0,0,0,0)")]
    assert all(layer.type in ("line", "fill") for layer in rate_fig.layout.map.layers)  # no symbols, no glyphs
    codes = [c for t in rate_fig.data for c in t.customdata]
    assert sorted(codes) == sorted(f["id"] for f in hue_shapes.geojson["features"])
    assert all(list(t.locations) == list(t.customdata) for t in rate_fig.data)


def test_rate_scale_centred_on_target(rate_fig):
    main = rate_fig.data[0]
    assert (main.zmin + main.zmax) / 2 == pytest.approx(0.85)
    assert main.colorscale[0][1] == mapfig.RATE_SCALE[0][1] and not main.reversescale
    assert "hạng " in main.text[0] and "Tháng 7/2025" in main.text[0]


def test_no_data_unit_is_grey(rate_fig):
    grey = [t for t in rate_fig.data if "19789" in list(t.locations)]
    assert len(grey) == 1
    trace = grey[0]
    assert {c for _, c in trace.colorscale} == {mapfig.NO_DATA}
    assert "Không có dữ liệu" in trace.text[list(trace.locations).index("19789")]
    assert "19789" not in list(rate_fig.data[0].locations)


def test_lagoons_drawn_as_water_with_credit(rate_fig, hue_shapes):
    fills = [layer for layer in rate_fig.layout.map.layers if layer.type == "fill"]
    assert len(fills) == 1 and fills[0].color == mapfig.WATER
    assert fills[0].source["geometry"] == hue_shapes.water
    assert any(a.text.endswith("© OpenStreetMap contributors") for a in rate_fig.layout.annotations)


@pytest.mark.parametrize("width", [358, 700, 980])
def test_first_view_fitted_to_the_column(hue, hue_shapes, width):
    """At the column's width (a phone's 358 px too) the whole province is in the first view."""
    from communes import mapview

    height = mapview.map_height(hue_shapes, width)
    fig = mapfig.unit_map(frame(hue), hue_shapes, value_col="value", kind="rate", target=0.85,
                          view_width=width, height=height)
    lon0, lat0, lon1, lat1 = hue_shapes.bounds
    px = 512 * 2 ** fig.layout.map.zoom  # the world's width in px at this zoom
    drawn_w = px * (lon1 - lon0) / 360
    drawn_h = px * (mapfig._merc(lat1) - mapfig._merc(lat0)) / (2 * math.pi)
    right = mapfig.COLOURBAR_MARGIN
    assert drawn_w <= width - right and drawn_h <= height
    assert drawn_w >= 0.85 * (width - right) or drawn_h >= 0.85 * height  # and fills it
    assert 320 <= height <= 520


def test_highlight_and_approximate_note(rate_fig):
    layers = rate_fig.layout.map.layers
    assert any(layer.source.get("id") == "19753" and layer.line.width >= 3 for layer in layers)
    assert any(a.text.startswith("Ranh giới giữa các xã, phường là gần đúng") for a in rate_fig.layout.annotations)


def test_bubbles(hue, hue_shapes):
    df = frame(hue)
    df["value"] = df["value"] * 1000
    fig = mapfig.unit_map(df, hue_shapes, value_col="value", kind="amount", mode="bubbles", value_fmt="{:,.0f}".format)
    bubbles = [t for t in fig.data if t.type == "scattermap"]
    assert len(bubbles) == 1 and len(bubbles[0].lon) == 39 and bubbles[0].mode == "markers"
    assert {t.type for t in fig.data} == {"choroplethmap", "scattermap"}
    assert len(fig.to_json()) <= 300_000
    [water] = [layer for layer in fig.layout.map.layers if layer.type == "fill"]
    assert water.opacity < 1  # the lagoons lie over the traces: circles show through them


def test_lower_is_better_and_all_missing(hue, hue_shapes):
    fig = mapfig.unit_map(frame(hue), hue_shapes, value_col="value", kind="rate", target=0.8, higher_is_better=False)
    assert fig.data[0].reversescale
    empty = frame(hue, missing=list(hue.units.unit_code))
    fig = mapfig.unit_map(empty, hue_shapes, value_col="value", kind="amount")
    assert len(fig.data) == 1 and len(fig.data[0].locations) == 40


def test_build_time(hue, hue_shapes):
    df = frame(hue)
    start = time.perf_counter()
    mapfig.unit_map(df, hue_shapes, value_col="value", kind="rate", target=0.85)
    assert time.perf_counter() - start < 1.0


def test_official_shapes_have_no_approx_note(hue, hue_shapes, tmp_path):
    shapes = geo.unit_shapes(hue, supplied(hue, hue_shapes, tmp_path))
    fig = mapfig.unit_map(frame(hue), shapes, value_col="value", kind="amount")
    assert [a.text for a in fig.layout.annotations] == ["© OpenStreetMap contributors"]  # for the lagoons drawn


def test_unit_missing_from_df_is_no_data(hue, hue_shapes):
    df = frame(hue, missing=()).iloc[1:]
    fig = mapfig.unit_map(df, hue_shapes, value_col="value", kind="amount")
    assert list(fig.data[-1].locations) == [hue.units.unit_code.iloc[0]]
    assert pd.isna(pd.Series(fig.data[-1].z)).sum() == 0


def test_detailed_sloppy_file_simplified_under_budget(hue, hue_shapes, tmp_path):
    """Wiggly official-looking borders (~30k vertices), one unit nudged 10 m over its neighbours."""
    def wiggle(xy):
        return xy + 0.002 * np.column_stack([np.sin(xy[:, 1] * 900), np.cos(xy[:, 0] * 900)])

    feats = []
    for i, f in enumerate(hue_shapes.geojson["features"]):
        g = shapely.transform(shapely.segmentize(shape(f["geometry"]), 0.0006), wiggle)
        if i == 0:
            g = shapely.transform(g, lambda xy: xy + 1e-4)
        feats.append({"type": "Feature", "properties": {"ma": f["id"]}, "geometry": shapely.geometry.mapping(g)})
    path = tmp_path / "boundaries.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    shapes = geo.unit_shapes(hue, path)
    gs = geoms(shapes)
    assert len(gs) == 40 and shapes.problems == [] and overlaps(gs) == []
    fig = mapfig.unit_map(frame(hue), shapes, value_col="value", kind="amount", highlight="19753")
    assert len(fig.to_json()) <= 300_000
