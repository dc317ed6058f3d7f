"""Approximate unit shapes, derived from the reference data alone (``communes.geo`` uses them when no
official boundaries are supplied): the former communes' centroids are the seeds of a power diagram whose
weights bring each unit's area near its official area, the cells merged by lineage into the current units
and cut to the province's outline (its real land borders, sea coast and lagoons from the committed
``geodata/provinces.geojson`` when it has the province, else grown around the seeds). Coordinates are
km on a local plane (``Plane``) around the province.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import ConvexHull, cKDTree
from shapely.geometry import shape

from communes import refdata

_KM_PER_DEG_LAT = 110.574
_KM_PER_DEG_LON = 111.320


# --- local metric plane ------------------------------------------------------------------------

@dataclass(frozen=True)
class Plane:
    """Equirectangular projection in km around the province centre: fine at a province's scale."""

    lon0: float
    lat0: float

    @classmethod
    def around(cls, ref: refdata.RefData) -> Plane:
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


# --- derived (approximate) shapes ---------------------------------------------------------------

GEODATA = Path(__file__).parent / "geodata" / "provinces.geojson"  # written by scripts/fetch_geo.py
CREDIT = "© OpenStreetMap contributors"


@dataclass(frozen=True)
class Geography:
    """A province's real outline (land and lagoons) and its lagoons, in km."""

    outline: shapely.Geometry
    water: shapely.Geometry


@lru_cache(maxsize=1)
def geodata() -> dict[str, dict[str, shapely.Geometry]]:
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


def real_geography(ref: refdata.RefData, plane: Plane) -> Geography | None:
    """The union of the former provinces' land and lagoons, or None when the file has none of them."""
    data = geodata()
    parts = [data[k] for k in _former_provinces(ref) if k in data]
    if not parts:
        return None
    land = shapely.union_all([p["land"] for p in parts if "land" in p])
    water = shapely.union_all([p["water"] for p in parts if "water" in p])
    outline = shapely.make_valid(plane.fwd(shapely.union_all([land, water])))
    return Geography(outline=outline, water=shapely.make_valid(plane.fwd(water)))


def _seeds(ref: refdata.RefData, plane: Plane) -> tuple[np.ndarray, list[str]]:
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


def derive(ref: refdata.RefData, plane: Plane) -> tuple[dict, list[str], Geography | None]:
    """Unit code -> km geometry, notes, the real geography used: weighted cells of the seeds, merged by unit, in the outline.

    The outline is the province's real one (land borders and sea coast, lagoons included) when the
    committed geography has it, else grown around the seeds. The seeds' power cells are weighted so that
    each unit's area comes near its official area (scaled to the outline's). A former commune split
    between new units goes wholly to its default unit (the converter's ``isDefaultNewWard``); the note
    says so.
    """
    xy, units = _seeds(ref, plane)
    area = dict(zip(ref.units.unit_code, ref.units.area_km2.astype(float)))
    geography = real_geography(ref, plane)
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
