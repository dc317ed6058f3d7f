"""Unit shapes for the map, offline: the official boundaries when supplied, else an approximation.

With ``data/boundaries.geojson`` (from the administration) each feature is matched to a current unit by
a code or a name property, names spelled any way ``refdata.resolve`` accepts. Without it, shapes are
derived from the reference data alone: Voronoi cells of the former communes' centroids, merged by lineage
into the current units and clipped to an outline whose area matches the units' official areas. Those are
marked ``approximate`` and the map says so.

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
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree
from shapely.geometry import mapping, shape

from communes import refdata
from communes.names import ascii_key

# Property names that carry a unit code or name in boundary files, folded by ``_prop_key``.
CODE_PROPS = ("unitcode", "ma", "maxa", "maphuongxa", "madvhc", "wardcode", "code", "id")
NAME_PROPS = ("unitname", "ten", "tenxa", "tenphuongxa", "tendvhc", "wardname", "ward", "name", "unit")

MAX_VERTICES = 6000  # whole map; keeps a figure under ~300 KB of JSON
_KM_PER_DEG_LAT = 110.574
_KM_PER_DEG_LON = 111.320


@dataclass(frozen=True)
class Shapes:
    """Shapes of one province's current units, in WGS84 lon/lat. Shared by the cache: do not mutate."""

    geojson: dict  # FeatureCollection, one Feature per unit: id = unit_code, properties unit_code, unit_name
    outline: dict  # GeoJSON geometry of the whole province
    approximate: bool  # True when derived from centroids rather than official boundaries
    problems: list[str] = field(default_factory=list)  # Vietnamese, for the page to show
    centres: dict = field(default_factory=dict)  # unit_code -> (lon, lat), inside the unit's shape
    bounds: tuple = ()  # (lon_min, lat_min, lon_max, lat_max) of the province's main body, for the view


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
    plane = _Plane.around(ref)
    problems: list[str] = []
    if stamp is not None:
        geoms, problems = _read_official(ref, Path(stamp[0]), plane)
        if geoms:
            return _finish(ref, geoms, plane, approximate=False, problems=problems)
        problems.append("Không dùng được tệp ranh giới; bản đồ dùng ranh giới gần đúng.")
    geoms, notes = _derive(ref, plane)
    return _finish(ref, geoms, plane, approximate=True, problems=problems + notes)


# --- local metric plane ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Plane:
    """Equirectangular projection in km around the province centre: fine at a province's scale."""

    lon0: float
    lat0: float

    @classmethod
    def around(cls, ref: refdata.RefData) -> _Plane:
        pts = ref.former if len(ref.former) else ref.units
        return cls(float(pts.lon.median()), float(pts.lat.median()))

    @property
    def scale(self) -> np.ndarray:
        return np.array([_KM_PER_DEG_LON * math.cos(math.radians(self.lat0)), _KM_PER_DEG_LAT])

    def to_km(self, lonlat: np.ndarray) -> np.ndarray:
        return (np.asarray(lonlat, dtype=float) - [self.lon0, self.lat0]) * self.scale

    def fwd(self, geom):
        return shapely.transform(geom, self.to_km)

    def inv(self, geom):
        return shapely.transform(geom, lambda xy: xy / self.scale + [self.lon0, self.lat0])


# --- official boundaries ------------------------------------------------------------------------

def _prop_key(name: str) -> str:
    return ascii_key(name).replace(" ", "")


def _pick(props: dict, wanted: tuple[str, ...]) -> list[str]:
    folded = {_prop_key(k): v for k, v in props.items() if v not in (None, "")}
    return [str(folded[k]).strip() for k in wanted if k in folded]


def _read_official(ref: refdata.RefData, path: Path, plane: _Plane) -> tuple[dict, list[str]]:
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


# --- derived (approximate) shapes ---------------------------------------------------------------

def _seeds(ref: refdata.RefData, plane: _Plane) -> tuple[np.ndarray, list[str]]:
    """One point per former commune (and per unit that has none), in km, with its unit code.

    Former communes that share a centroid in the reference data are spread on a small circle
    (deterministically, in code order) so that each still gets a Voronoi cell of its own.
    """
    rows = [(r.former_code, r.lon, r.lat, r.unit_code) for r in ref.former.itertuples()]
    orphans = ref.units[~ref.units.unit_code.isin(ref.former.unit_code)]
    rows += [(r.unit_code, r.lon, r.lat, r.unit_code) for r in orphans.itertuples()]
    rows.sort()
    xy = plane.to_km(np.array([[lon, lat] for _, lon, lat, _ in rows]))
    units = [u for *_, u in rows]
    groups: dict[tuple, list[int]] = {}
    for i, (x, y) in enumerate(np.round(xy, 3)):
        groups.setdefault((x, y), []).append(i)
    keep = []
    for members in groups.values():
        by_unit = list(dict.fromkeys(units[i] for i in members))  # same spot, same unit: one seed is enough
        firsts = [next(i for i in members if units[i] == u) for u in by_unit]
        for k, i in enumerate(firsts):
            if k:
                angle = 2 * math.pi * k / len(firsts)
                xy[i] += 0.3 * np.array([math.cos(angle), math.sin(angle)])  # 300 m
            keep.append(i)
    keep.sort()
    return xy[keep], [units[i] for i in keep]


def _outline(xy: np.ndarray, units: list[str], area: dict[str, float]) -> shapely.Geometry:
    """Approximate province outline in km: per cluster of seeds, a concave hull grown to the official area.

    Clusters (single linkage) keep far islands such as Hoàng Sa from stretching the hull across the sea.
    """
    tree = cKDTree(xy)
    nn = tree.query(xy, k=2)[0][:, 1] if len(xy) > 1 else np.array([5.0])
    spacing = float(np.median(nn)) or 1.0
    pairs = tree.query_pairs(max(6 * spacing, 20.0), output_type="ndarray")
    n = len(xy)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    seeds_per_unit = {u: units.count(u) for u in set(units)}
    pieces = []
    for c in np.unique(label):
        idx = np.flatnonzero(label == c)
        target = sum(area.get(units[i], 0.0) / seeds_per_unit[units[i]] for i in idx)
        target = max(target, math.pi * spacing**2)
        hull = shapely.concave_hull(shapely.multipoints(xy[idx]), ratio=0.35)
        pieces.append(_grow_to_area(hull, target, floor=0.6 * spacing))
    return shapely.union_all(pieces)


def _grow_to_area(hull, target: float, floor: float):
    """``hull`` buffered out by the distance d (≥ floor) whose smoothed result has area ``target``.

    Buffering by 3d and back by 2d rounds the hull's inner corners, which read as spikes on a map.
    """
    def grown(d):
        return hull.buffer(3 * d, quad_segs=6).buffer(-2 * d, quad_segs=6)

    if grown(floor).area >= target:
        return grown(floor)
    lo, hi = floor, max(floor * 2, math.sqrt(target))
    while grown(hi).area < target:
        hi *= 2
    for _ in range(30):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if grown(mid).area < target else (lo, mid)
    return grown(hi)


def _derive(ref: refdata.RefData, plane: _Plane) -> tuple[dict, list[str]]:
    """Unit code -> km geometry: Voronoi cells of the seeds, merged by lineage, cut to the outline.

    A former commune split between new units goes wholly to its default unit (the converter's
    ``isDefaultNewWard``); the note says so.
    """
    xy, units = _seeds(ref, plane)
    area = dict(zip(ref.units.unit_code, ref.units.area_km2.astype(float)))
    outline = _outline(xy, units, area)
    frame = shapely.box(*outline.bounds).buffer(100)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=frame, ordered=True))
    if len(cells) != len(xy):  # ordered=True keeps input order; guard against a GEOS surprise anyway
        tree = shapely.STRtree(cells)
        cells = cells[[int(tree.query(shapely.points(p), predicate="within")[0]) for p in xy]]
    # Merge cells by unit before clipping, then cut the outline into faces so that neighbours share
    # exactly the same edges (a valid coverage) rather than two independently computed intersections.
    merged = {u: shapely.union_all(cells[[i for i, v in enumerate(units) if v == u]]) for u in dict.fromkeys(units)}
    lines = shapely.union_all([shapely.boundary(g) for g in merged.values()] + [shapely.boundary(outline)])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    inside = faces[shapely.contains(outline, shapely.point_on_surface(faces))]
    tree = shapely.STRtree(list(merged.values()))
    codes = list(merged)
    owned: dict[str, list] = {u: [] for u in codes}
    for face in inside:
        hits = tree.query(shapely.point_on_surface(face), predicate="intersects")
        if len(hits):
            owned[codes[int(hits[0])]].append(face)
    geoms = {u: shapely.coverage_union_all(f) for u, f in owned.items() if f}  # faces share exact edges
    notes = []
    split = ref.former[ref.former.split]
    if len(split):
        notes.append(
            "Ranh giới gần đúng: " + ", ".join(f"{r.former_name} ({r.district})" for r in split.itertuples())
            + " bị chia cho nhiều đơn vị mới, toàn bộ được tính cho đơn vị nhận chính.")
    return geoms, notes


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


def _finish(ref: refdata.RefData, geoms: dict, plane: _Plane, *, approximate: bool, problems: list[str]) -> Shapes:
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
    outline = shapely.set_precision(plane.inv(outline), 1e-5)
    return Shapes(
        geojson={"type": "FeatureCollection", "features": features},
        outline=_geojson_geometry(outline),
        approximate=approximate,
        problems=problems,
        centres=centres,
        bounds=_main_bounds(outline),
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
