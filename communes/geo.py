"""Unit shapes for the map, offline: the official boundaries when supplied, else an approximation.

With ``data/boundaries.geojson`` (from the administration) each feature is matched to a current unit by
a code or a name property, names spelled any way ``refdata.resolve`` accepts. Without it, shapes are
derived from the reference data alone: Voronoi cells of the former communes' centroids, merged by lineage
into the current units and clipped to an outline whose area matches the units' official areas. Those are
marked ``approximate`` and the map says so; how they are derived: ``communes.geo_derive``.

>>> from communes import refdata
>>> shapes = unit_shapes(refdata.load("Thành phố Huế"))
>>> len(shapes.geojson["features"]), shapes.approximate
(40, True)
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from communes import refdata
from communes.geo_derive import CREDIT, Plane, derive, real_geography
from communes.names import ascii_key

# Property names that carry a unit code or name in boundary files, folded by ``_prop_key``.
CODE_PROPS = ("unitcode", "ma", "maxa", "maphuongxa", "madvhc", "wardcode", "code", "id")
NAME_PROPS = ("unitname", "ten", "tenxa", "tenphuongxa", "tendvhc", "wardname", "ward", "name", "unit")

MAX_VERTICES = 6000  # whole map; keeps a figure under ~300 KB of JSON


@dataclass(frozen=True)
class Shapes:
    """Shapes of one province's current units, in WGS84 lon/lat. Shared by the cache: do not mutate."""

    geojson: dict  # FeatureCollection, one Feature per unit: id = unit_code, properties unit_code, unit_name
    outline: dict  # GeoJSON geometry of the whole province
    approximate: bool  # True when derived from centroids rather than official boundaries
    problems: list[str] = field(default_factory=list)  # Vietnamese, for the page to show
    centres: dict = field(default_factory=dict)  # unit_code -> (lon, lat), inside the unit's shape
    bounds: tuple = ()  # (lon_min, lat_min, lon_max, lat_max) of the province's main body, for the view
    water: dict | None = None  # GeoJSON geometry of the lagoons within the outline, drawn as water
    credit: str = ""  # attribution the map must show ("© OpenStreetMap contributors") when it draws their data


def unit_shapes(ref: refdata.RefData, boundaries_path: Path | None = None) -> Shapes:
    """Shapes of ``ref``'s units, from ``boundaries_path`` when that file exists, else approximate.

    A missing file is the normal case (approximate shapes, no problem reported); an unreadable or
    unusable one falls back to approximate shapes with the reason in ``problems``.

    Cached per province and file version (path, modification time, size).
    """
    path = Path(boundaries_path) if boundaries_path else None
    stamp = None
    if path is not None and path.is_file():
        st = path.stat()
        stamp = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    return _cached(_RefKey(ref), stamp)


def feature_collection(shapes: Shapes) -> dict:
    """The unit shapes as the map draws them, for a GeoJSON file: properties ``code``, ``name``, ``approximate``.

    The attribution the data needs ("© OpenStreetMap contributors") travels as a foreign member.
    """
    features = [{"type": "Feature", "id": f["id"],
                 "properties": {"code": f["id"], "name": f["properties"]["unit_name"], "approximate": shapes.approximate},
                 "geometry": f["geometry"]} for f in shapes.geojson["features"]]
    out = {"type": "FeatureCollection", "features": features}
    if shapes.credit:
        out["attribution"] = shapes.credit
    return out


class _RefKey:
    """Hashable handle on a RefData (a dataclass of DataFrames is not) for the cache."""

    def __init__(self, ref: refdata.RefData):
        self.ref = ref
        self.key = (ref.province, tuple(ref.units.unit_code), len(ref.former))

    def __hash__(self):
        return hash(self.key)

    def __eq__(self, other):
        return isinstance(other, _RefKey) and self.key == other.key


@lru_cache(maxsize=16)
def _cached(refkey: _RefKey, stamp: tuple | None) -> Shapes:
    ref = refkey.ref
    plane = Plane.around(ref)
    problems: list[str] = []
    if stamp is not None:
        geoms, problems = _read_official(ref, Path(stamp[0]), plane)
        if geoms:
            geography = real_geography(ref, plane)
            return _finish(ref, geoms, plane, approximate=False, problems=problems,
                           water=geography.water if geography else None)
        problems.append("Không dùng được tệp ranh giới; bản đồ dùng ranh giới gần đúng.")
    geoms, notes, geography = derive(ref, plane)
    return _finish(ref, geoms, plane, approximate=True, problems=problems + notes,
                   water=geography.water if geography else None, credit=CREDIT if geography else "")


# --- official boundaries ------------------------------------------------------------------------

def _prop_key(name: str) -> str:
    return ascii_key(name).replace(" ", "")


def _pick(props: dict, wanted: tuple[str, ...]) -> list[str]:
    folded = {_prop_key(k): v for k, v in props.items() if v not in (None, "")}
    return [str(folded[k]).strip() for k in wanted if k in folded]


def _read_official(ref: refdata.RefData, path: Path, plane: Plane) -> tuple[dict, list[str]]:
    """Unit code -> projected geometry from a GeoJSON file, plus Vietnamese problems."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        features = data["features"] if data.get("type") == "FeatureCollection" else [data]
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        return {}, [f"Không đọc được tệp ranh giới {path.name}: {exc}"]

    problems: list[str] = []
    feats = []  # (label, props, projected polygons)
    for i, feat in enumerate(features, start=1):
        props = dict(feat.get("properties") or {}) if isinstance(feat, dict) else {}
        if isinstance(feat, dict) and feat.get("id") is not None:
            props.setdefault("id", feat["id"])
        label = (_pick(props, NAME_PROPS) or _pick(props, CODE_PROPS) or [f"đối tượng thứ {i}"])[0]
        try:
            geom = shapely.make_valid(shape(feat["geometry"]))
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
            geom = None
        polys = [] if geom is None else [g for g in shapely.get_parts(geom) if shapely.get_dimensions(g) == 2]
        if not polys:
            problems.append(f"«{label}»: không có hình đa giác hợp lệ, đã bỏ qua")
            continue
        lon0, lat0, lon1, lat1 = shapely.total_bounds(polys)
        if not (-180 <= lon0 <= lon1 <= 180 and -90 <= lat0 <= lat1 <= 90):
            return {}, [f"Tệp ranh giới {path.name} không dùng toạ độ kinh độ/vĩ độ (WGS84, EPSG:4326)."]
        feats.append((label, props, [plane.fwd(g) for g in polys]))

    former_level = _former_level(ref, [props for _, props, _ in feats])
    if former_level:
        problems.append("Tệp ranh giới là bản đồ xã/phường cũ (trước 01/07/2025): các xã/phường cũ được gộp "
                        "theo đơn vị mới; xã/phường cũ bị chia được tính hết cho đơn vị nhận chính.")
    parts: dict[str, list] = {}
    for label, props, polys in feats:
        code, why = _match(ref, props, former_level)
        if code is None:
            problems.append(f"«{label}» không khớp đơn vị nào: {why}")
        else:
            parts.setdefault(code, []).extend(polys)
    geoms = {code: shapely.make_valid(shapely.union_all(polys)) for code, polys in parts.items()}
    missing = ref.units[~ref.units.unit_code.isin(geoms)]
    if len(missing) and geoms:
        problems.append(f"Tệp ranh giới thiếu {len(missing)} đơn vị: " + ", ".join(missing.unit_name))
    return geoms, problems


def _former_level(ref: refdata.RefData, props_list: list[dict]) -> bool:
    """True when the file maps the former communes rather than the current units.

    Decided by names (most resolve only as former communes) or, without names, by the feature count.
    Former and current codes share one numbering, so a code alone cannot tell.
    """
    current = former = 0
    for props in props_list:
        names = _pick(props, NAME_PROPS)
        if not names:
            continue
        if any(refdata.resolve(ref, n, before_merger=False).unit_code for n in names):
            current += 1
        elif any(refdata.resolve(ref, n, before_merger=True).former_code for n in names):
            former += 1
    if current or former:
        return former > current
    n = len(props_list)
    return abs(n - len(ref.former)) < abs(n - len(ref.units))


def _match(ref: refdata.RefData, props: dict, former_level: bool) -> tuple[str | None, str]:
    """(unit_code, "") for a feature's properties, or (None, reason): a code first, then each name."""
    table, column = (ref.former, "former_code") if former_level else (ref.units, "unit_code")
    lookup = dict(zip(table[column].str.lstrip("0"), table["unit_code"]))
    for value in _pick(props, CODE_PROPS):
        if value.isdigit() and value.lstrip("0") in lookup:
            return lookup[value.lstrip("0")], ""
    reason = "không có mã hoặc tên đơn vị"
    for value in _pick(props, NAME_PROPS):
        m = refdata.resolve(ref, value, before_merger=former_level)
        if m.unit_code:
            return m.unit_code, ""
        reason = m.error or reason
    return None, reason


# --- common finish: simplify, round, GeoJSON ----------------------------------------------------

def _simplify(geoms: list) -> tuple[list, shapely.Geometry]:
    """Shapes and outline simplified together, coarser until the whole map fits MAX_VERTICES.

    Official files often have slivers and overlaps between neighbours; cleaning them into an exact
    coverage first lets the simplification keep shared edges shared (no new gaps, no new overlaps).
    """
    arr = np.array(geoms, dtype=object)
    if not shapely.coverage_is_valid(arr):
        arr = shapely.make_valid(shapely.coverage_clean(arr, gap_width=0.05))  # km: closes gaps under 50 m
    valid = bool(shapely.coverage_is_valid(arr))
    for tol in (0.02, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2):  # km
        if valid:
            out = shapely.coverage_simplify(arr, tol)
            outline = shapely.coverage_union_all(out)
        else:
            out = shapely.simplify(arr, tol, preserve_topology=True)
            outline = shapely.union_all(shapely.buffer(out, 0.05)).buffer(-0.05).simplify(tol)
        if shapely.get_num_coordinates(out).sum() + shapely.get_num_coordinates(outline) <= MAX_VERTICES:
            break
    return list(shapely.make_valid(out)), outline


def _round(coords, nd: int = 5):
    if isinstance(coords, (float, int)):
        return round(float(coords), nd)
    return [_round(c, nd) for c in coords]


def _geojson_geometry(geom) -> dict:
    polys = [p for p in shapely.get_parts(geom) if shapely.get_dimensions(p) == 2 and p.area > 0]
    g = mapping(shapely.multipolygons(polys) if len(polys) > 1 else polys[0])
    return {"type": g["type"], "coordinates": _round(g["coordinates"])}


def _finish(ref: refdata.RefData, geoms: dict, plane: Plane, *, approximate: bool, problems: list[str],
            water=None, credit: str = "") -> Shapes:
    units = ref.units[ref.units.unit_code.isin(geoms)]
    codes = list(units.unit_code)
    simple, outline = _simplify([geoms[c] for c in codes])
    lonlat = [shapely.set_precision(plane.inv(g), 1e-5) for g in simple]
    features, centres = [], {}
    for code, name, lon, lat, g in zip(codes, units.unit_name, units.lon, units.lat, lonlat):
        polys = shapely.get_parts(g)
        g = shapely.union_all(polys[shapely.get_dimensions(polys) == 2])
        if g.is_empty:  # wholly covered by a neighbour in the file
            problems.append(f"Ranh giới của {name} trùng hoàn toàn với đơn vị khác, đã bỏ qua")
            continue
        features.append({
            "type": "Feature", "id": code,
            "properties": {"unit_code": code, "unit_name": name},
            "geometry": _geojson_geometry(g),
        })
        inside = g.contains(shapely.points(lon, lat))
        pt = shapely.points(lon, lat) if inside else shapely.point_on_surface(_largest(g))
        centres[code] = (round(pt.x, 5), round(pt.y, 5))
    lagoons = None
    if water is not None:
        water = shapely.make_valid(shapely.intersection(water.simplify(0.02), outline))
        water = shapely.set_precision(plane.inv(water), 1e-5)
        if water.area > 0:
            lagoons = _geojson_geometry(water)
    outline = shapely.set_precision(plane.inv(outline), 1e-5)
    return Shapes(
        geojson={"type": "FeatureCollection", "features": features},
        outline=_geojson_geometry(outline),
        approximate=approximate,
        problems=problems,
        centres=centres,
        bounds=_main_bounds(outline),
        water=lagoons,
        credit=credit or (CREDIT if lagoons is not None else ""),
    )


def _largest(geom):
    parts = shapely.get_parts(geom)
    return parts[int(np.argmax(shapely.area(parts)))]


def _main_bounds(outline) -> tuple:
    """Bounds of the largest landmass plus whatever lies near it: far islands stay out of the first view."""
    parts = shapely.get_parts(outline)
    main = _largest(outline)
    x0, y0, x1, y1 = main.bounds
    reach = 0.5 * math.hypot(x1 - x0, y1 - y0)
    near = [p for p in parts if shapely.distance(p, main) <= reach]
    return tuple(round(float(v), 5) for v in shapely.total_bounds(near))
