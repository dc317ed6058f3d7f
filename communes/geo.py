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
from scipy.spatial import ConvexHull, cKDTree
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
    plane = _Plane.around(ref)
    problems: list[str] = []
    if stamp is not None:
        geoms, problems = _read_official(ref, Path(stamp[0]), plane)
        if geoms:
            geography = _geography(ref, plane)
            return _finish(ref, geoms, plane, approximate=False, problems=problems,
                           water=geography.water if geography else None)
        problems.append("Không dùng được tệp ranh giới; bản đồ dùng ranh giới gần đúng.")
    geoms, notes, geography = _derive(ref, plane)
    return _finish(ref, geoms, plane, approximate=True, problems=problems + notes,
                   water=geography.water if geography else None, credit=CREDIT if geography else "")


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

GEODATA = Path(__file__).parent / "geodata" / "provinces.geojson"  # written by scripts/fetch_geo.py
CREDIT = "© OpenStreetMap contributors"


@dataclass(frozen=True)
class _Geography:
    """A province's real outline (land and lagoons) and its lagoons, in km."""

    outline: shapely.Geometry
    water: shapely.Geometry


@lru_cache(maxsize=1)
def _geodata() -> dict[str, dict[str, shapely.Geometry]]:
    """Former province key -> {"land": ..., "water": ...} in lon/lat, from the committed file."""
    try:
        fc = json.loads(GEODATA.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out: dict[str, dict] = {}
    for f in fc.get("features", []):
        props = f["properties"]
        out.setdefault(props["province"], {})[props["kind"]] = shape(f["geometry"])
    return out


def _former_provinces(ref: refdata.RefData) -> list[str]:
    """Keys of the provinces ``ref``'s province was formed from (itself when it kept its borders)."""
    from vietnamadminunits.database import query

    rows = query("select distinct provinceKey from admin_units where provinceCode = "
                 f"'{int(ref.province_code):02d}'")  # a code from the package's own table
    if not rows:
        return []
    conv = json.loads(refdata._CONVERTER.read_text(encoding="utf-8"))
    return list(conv["DICT_PROVINCE"].get(rows[0]["provinceKey"], []))


def _geography(ref: refdata.RefData, plane: _Plane) -> _Geography | None:
    """The union of the former provinces' land and lagoons, or None when the file has none of them."""
    data = _geodata()
    parts = [data[k] for k in _former_provinces(ref) if k in data]
    if not parts:
        return None
    land = shapely.union_all([p["land"] for p in parts if "land" in p])
    water = shapely.union_all([p["water"] for p in parts if "water" in p])
    outline = shapely.make_valid(plane.fwd(shapely.union_all([land, water])))
    return _Geography(outline=outline, water=shapely.make_valid(plane.fwd(water)))


def _seeds(ref: refdata.RefData, plane: _Plane) -> tuple[np.ndarray, list[str]]:
    """Points in km with their unit code: every former commune's centre and every unit's official centre.

    A unit's official centre is a seed too (unless one of its former communes is at the same spot), so
    that it can be kept in its own shape. Points of different units at one spot are spread on a small circle
    (deterministically, in code order) so that each still gets a cell of its own.
    """
    rows = [(r.former_code, r.lon, r.lat, r.unit_code) for r in ref.former.itertuples()]
    rows.sort()
    former_xy = plane.to_km(np.array([[lon, lat] for _, lon, lat, _ in rows]).reshape(-1, 2))
    former_units = np.array([u for *_, u in rows])
    for r in ref.units.itertuples():
        here = plane.to_km(np.array([[r.lon, r.lat]]))[0]
        own = former_xy[former_units == r.unit_code]
        if not len(own) or np.hypot(*(own - here).T).min() > 0.01:
            rows.append(("~" + r.unit_code, r.lon, r.lat, r.unit_code))
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


def _clusters(xy: np.ndarray) -> tuple[np.ndarray, float]:
    """Single-linkage clusters of the seeds (far islands apart from the mainland), and the seeds' spacing."""
    tree = cKDTree(xy)
    nn = tree.query(xy, k=2)[0][:, 1] if len(xy) > 1 else np.array([5.0])
    spacing = float(np.median(nn)) or 1.0
    pairs = tree.query_pairs(max(6 * spacing, 20.0), output_type="ndarray")
    n = len(xy)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    return connected_components(graph, directed=False)[1], spacing


def _outline(xy: np.ndarray, units: list[str], area: dict[str, float], known=None) -> shapely.Geometry:
    """Approximate outline in km: per cluster of seeds, a concave hull grown to the official area.

    With ``known`` (the real outline), only the clusters that lie wholly off it (an island the outline
    lacks, such as Hoàng Sa) are grown, and added to it. Clusters keep far islands from stretching the hull
    across the sea.
    """
    label, spacing = _clusters(xy)
    seeds_per_unit = {u: units.count(u) for u in set(units)}
    pieces = [] if known is None else [known]
    for c in np.unique(label):
        idx = np.flatnonzero(label == c)
        if known is not None and shapely.dwithin(known, shapely.points(xy[idx]), 2.0).any():
            continue
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


# --- power diagram ----------------------------------------------------------------------------

def _power_diagram(xy: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cells of the power diagram of ``xy`` with weights ``w`` (km²), and its edges.

    A point x belongs to seed i's cell when |x − p_i|² − w_i is least. The diagram is the projection of
    the lower convex hull of the points lifted to (x, y, x² + y² − w) (scipy's Qhull); eight far points
    of weight 0 keep every real cell bounded. Returns the cells (convex polygons, empty for a seed whose
    cell vanished), and per edge between two real seeds: their indices (k×2) and the segment (k×2×2).
    """
    n = len(xy)
    centre = xy.mean(axis=0)
    reach = 100.0 * (float(np.ptp(xy, axis=0).max()) + 10.0)
    angles = np.arange(8) * math.pi / 4
    far = centre + reach * np.column_stack([np.cos(angles), np.sin(angles)])
    pts = np.vstack([xy, far])
    lifted = np.column_stack([pts, (pts**2).sum(axis=1) - np.concatenate([w, np.zeros(len(far))])])
    hull = ConvexHull(lifted)
    eq = hull.equations
    lower = np.flatnonzero(eq[:, 2] < -1e-12)
    vertex = np.full((len(eq), 2), np.nan)
    vertex[lower] = -eq[lower, :2] / eq[lower, 2:3] / 2  # the power centre of each lower facet
    simplices = hull.simplices[lower]
    owner = simplices.ravel()
    corners = np.repeat(vertex[lower], 3, axis=0)
    real = owner < n
    cells = np.array([shapely.Polygon()] * n, dtype=object)
    if real.any():
        order = np.argsort(owner[real], kind="stable")
        seeds, index = np.unique(owner[real][order], return_inverse=True)
        cells[seeds] = shapely.convex_hull(shapely.multipoints(corners[real][order], indices=index))
    is_lower = np.zeros(len(eq), dtype=bool)
    is_lower[lower] = True
    pairs, segments = [], []
    for k, keep in enumerate(((1, 2), (0, 2), (0, 1))):  # the edge opposite a facet's k-th corner
        g = hull.neighbors[lower, k]
        ok = is_lower[g] & (g > lower)
        ij = hull.simplices[lower[ok]][:, keep]
        real_edge = (ij < n).all(axis=1)
        pairs.append(ij[real_edge])
        segments.append(np.stack([vertex[lower[ok]], vertex[g[ok]]], axis=1)[real_edge])
    return cells, np.vstack(pairs), np.vstack(segments)


def _balance(xy: np.ndarray, unit_of: np.ndarray, target: np.ndarray, outline, bias: np.ndarray,
             start: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per-seed weights (one per unit, shared by its seeds, plus ``bias``) that give each unit its target area.

    Damped Newton: a unit's area grows with its weight at the rate Σ L / (2 d) over its borders with other
    units (L: the border's length inside the outline, d: the distance between the two seeds), which gives
    the Jacobian; a step is halved until it lowers the largest relative error and leaves no unit empty.
    Stops at 1 % or after 40 steps. Returns the per-seed weights and the per-unit ones (to start from).
    """
    m = len(target)
    shapely.prepare(outline)

    def evaluate(weights):
        cells, pairs, segs = _power_diagram(xy, weights[unit_of] + bias)
        area = shapely.area(cells)
        edge = ~shapely.contains_properly(outline, cells)  # only cells across the coast or border are cut
        area[edge] = shapely.area(shapely.intersection(cells[edge], outline))
        return np.bincount(unit_of, area, minlength=m), pairs, segs

    def borders(pairs, segs):
        u, v = unit_of[pairs[:, 0]], unit_of[pairs[:, 1]]
        cross = u != v
        length = shapely.length(shapely.intersection(shapely.linestrings(segs[cross]), outline))
        return u, v, cross, length

    weights = np.zeros(m) if start is None else start
    area, pairs, segs = evaluate(weights)
    # Units that share no border (islands: Cù Lao Chàm, Hoàng Sa) cannot trade area: per piece of land,
    # the targets are scaled to the area the piece has, and each piece is balanced on its own.
    u, v, cross, length = borders(pairs, segs)
    touch = length > 0
    graph = coo_matrix((np.ones(int(touch.sum())), (u[cross][touch], v[cross][touch])), shape=(m, m))
    piece = connected_components(graph, directed=False)[1]
    have, want = np.bincount(piece, area), np.bincount(piece, target)
    target = target * np.where(want > 0, have / np.where(want > 0, want, 1), 1)[piece]
    error = np.max(np.abs(area - target) / target)
    for _ in range(40):
        if error < 0.01:
            break
        u, v, cross, length = borders(pairs, segs)
        dist = np.hypot(*(xy[pairs[cross, 0]] - xy[pairs[cross, 1]]).T)
        rate = length / (2 * np.maximum(dist, 1e-6))
        jac = np.zeros((m, m))
        np.add.at(jac, (u[cross], v[cross]), -rate)
        np.add.at(jac, (v[cross], u[cross]), -rate)
        np.add.at(jac, (u[cross], u[cross]), rate)
        np.add.at(jac, (v[cross], v[cross]), rate)
        jac += np.eye(m) * 1e-9 * (np.abs(jac).max() + 1.0)  # units with no border (islands) stay put
        step = np.linalg.lstsq(jac, target - area, rcond=None)[0]
        step -= step.mean()
        t = 1.0
        while t > 1e-3:
            trial = weights + t * step
            trial_area, trial_pairs, trial_segs = evaluate(trial)
            trial_error = np.max(np.abs(trial_area - target) / target)
            if trial_error < error and trial_area.min() > 0:
                weights, area, pairs, segs, error = trial, trial_area, trial_pairs, trial_segs, trial_error
                break
            t /= 2
        else:
            break
    return weights[unit_of] + bias, weights


def _anchor(xy: np.ndarray, unit_of: np.ndarray, centres: np.ndarray, outline, target: np.ndarray) -> np.ndarray:
    """Weights that balance the areas and leave each unit's official centre in one of its own cells.

    The centre c is in seed s's cell when |c − p_s|² − w_s ≤ |c − p_j|² − w_j for every seed j of
    another unit. Where a balanced diagram misses that by some amount (plus 0.5 km² to spare), the unit's
    seed nearest c gains it and each seed in the way loses it; the areas are then balanced again (the
    units' other seeds make up for it), a few rounds at most.
    """
    bias = np.zeros(len(xy))
    anchors = []
    for k, c in enumerate(centres):
        own = np.flatnonzero(unit_of == k)
        if len(own) and outline.contains(shapely.points(c)):
            anchors.append((k, c, own[np.argmin(np.hypot(*(xy[own] - c).T))]))
    per_unit = None
    for _ in range(8):
        weights, per_unit = _balance(xy, unit_of, target, outline, bias, per_unit)
        raised = False
        for k, c, s in anchors:
            d2 = ((xy - c) ** 2).sum(axis=1)
            spare = min(0.5, 0.1 * d2[unit_of != k].min())  # km²; less where another unit's seed is close
            power = d2 - weights
            short = np.where(unit_of != k, power[s] + spare - power, 0.0)
            if short.max() > 0:
                bias[s] += short.max()
                bias[short > 0] -= short[short > 0]
                raised = True
        if not raised:
            break
    return weights


def _derive(ref: refdata.RefData, plane: _Plane) -> tuple[dict, list[str], _Geography | None]:
    """Unit code -> km geometry, notes, the real geography used: weighted cells of the seeds, merged by unit, in the outline.

    The outline is the province's real one (land borders and sea coast, lagoons included) when the
    committed geography has it, else grown around the seeds. The seeds' power cells are weighted so that
    each unit's area comes near its official area (scaled to the outline's). A former commune split
    between new units goes wholly to its default unit (the converter's ``isDefaultNewWard``); the note
    says so.
    """
    xy, units = _seeds(ref, plane)
    area = dict(zip(ref.units.unit_code, ref.units.area_km2.astype(float)))
    geography = _geography(ref, plane)
    outline = _outline(xy, units, area, known=geography.outline if geography else None)
    codes = list(dict.fromkeys(units))
    unit_of = np.array([codes.index(u) for u in units])
    official = np.array([area.get(c) or 0.0 for c in codes])
    if (official > 0).all():
        centres = plane.to_km(ref.units.set_index("unit_code").loc[codes, ["lon", "lat"]].to_numpy(dtype=float))
        # Balanced on a lightly simplified outline (50 m): the same areas to 0.1 %, several times faster.
        weights = _anchor(xy, unit_of, centres, outline.simplify(0.05), official * outline.area / official.sum())
    else:  # a unit without an official area: plain cells
        weights = np.zeros(len(xy))
    frame = shapely.box(*outline.bounds).buffer(100)
    cells, _, _ = _power_diagram(xy, weights)
    cells = shapely.intersection(cells, frame)
    # Merge cells by unit before clipping, then cut the outline into faces so that neighbours share
    # exactly the same edges (a valid coverage) rather than two independently computed intersections.
    merged = {u: shapely.union_all(cells[unit_of == k]) for k, u in enumerate(codes)}
    lines = shapely.union_all([shapely.boundary(g) for g in merged.values()] + [shapely.boundary(outline)])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    inside = faces[shapely.contains(outline, shapely.point_on_surface(faces))]
    tree = shapely.STRtree(list(merged.values()))
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
    return geoms, notes, geography


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


def _finish(ref: refdata.RefData, geoms: dict, plane: _Plane, *, approximate: bool, problems: list[str],
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
