"""The map slide in the deck: each unit an editable freeform shape coloured by its status against the
target (from ``communes.geo``'s shapes: official boundaries when supplied, else approximate), the lagoons
as water, the units off target named; and its legend. No picture, no network.
"""
from __future__ import annotations

import math

from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from communes import settings
from communes.briefing.layout import BOTTOM, GREY, INK, MARGIN, TOP, rgb, text_box
from communes.briefing.model import COLOURS, Slide
from communes.i18n import t


def draw(slide, s: Slide, ref):
    """The units as freeform shapes coloured by status; the shapes used, or None when none can be made."""
    try:
        from communes import geo
        official = settings.path("data_dir") / "boundaries.geojson"  # as communes.mapview: official if supplied
        shapes = geo.unit_shapes(ref, official if official.exists() else None)
    except Exception:  # noqa: BLE001 — the map is optional; the ranking slide shows the same figures
        return None
    df = s.map.set_index("unit_code")
    feats = [f for f in shapes.geojson["features"] if f["properties"].get("unit_code", f["id"]) in df.index]
    if not feats:
        return None
    lon0, lat0, lon1, lat1 = shapes.bounds
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    box_x, box_y, box_w, box_h = MARGIN, TOP, Inches(8.4), BOTTOM - TOP
    scale = min(box_w / ((lon1 - lon0) * kx), box_h / (lat1 - lat0))
    ox = box_x + (box_w - (lon1 - lon0) * kx * scale) / 2
    oy = box_y + (box_h - (lat1 - lat0) * scale) / 2

    def xy(p):
        return ox + (p[0] - lon0) * kx * scale, oy + (lat1 - p[1]) * scale

    for f in feats:
        code = f["properties"].get("unit_code", f["id"])
        row = df.loc[code]
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = [ring for poly in polys for ring in poly[:1] if len(ring) >= 4]  # outer rings
        if not rings:
            continue
        first = [xy(p) for p in rings[0]]
        fb = slide.shapes.build_freeform(first[0][0], first[0][1], scale=1.0)
        fb.add_line_segments(first[1:], close=True)
        for ring in rings[1:]:
            pts = [xy(p) for p in ring]
            fb.move_to(*pts[0])
            fb.add_line_segments(pts[1:], close=True)
        shp = fb.convert_to_shape()
        shp.name = f"{code} {row.short_name}"
        shp.fill.solid()
        colour = COLOURS[row.status] if row.in_scope and row.status else (
            COLOURS[None] if row.in_scope else "EEEEEE")
        shp.fill.fore_color.rgb = rgb(colour)
        shp.line.color.rgb = rgb("111111" if row.highlight else "FFFFFF")
        shp.line.width = Pt(2.5 if row.highlight else 0.75)
    if shapes.water:  # lagoons over the units, as water
        geom = shapes.water
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for i, poly in enumerate(polys):
            rings = [[xy(p) for p in ring] for ring in poly if len(ring) >= 4]
            if not rings:
                continue
            fb = slide.shapes.build_freeform(rings[0][0][0], rings[0][0][1], scale=1.0)
            fb.add_line_segments(rings[0][1:], close=True)
            for pts in rings[1:]:  # islands in the lagoon
                fb.move_to(*pts[0])
                fb.add_line_segments(pts[1:], close=True)
            shp = fb.convert_to_shape()
            shp.name = f"water {i + 1}"
            shp.fill.solid()
            shp.fill.fore_color.rgb = rgb("9CC9E6")
            shp.line.fill.background()
    if shapes.credit:
        text_box(slide, box_x, box_y + box_h - Inches(0.3), box_w, Inches(0.3), [shapes.credit], 10, False, GREY)
    for code, row in df.iterrows():  # name the units off target (and the one unit) on the map
        if code in shapes.centres and (row.highlight or (row.in_scope and row.status in ("near", "not_met"))):
            cx_, cy_ = xy(shapes.centres[code])
            w_, h_ = Inches(1.8), Inches(0.3)
            text_box(slide, int(cx_ - w_ / 2), int(cy_ - h_ / 2), w_, h_, [row.short_name], 12, True, INK,
                  align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
    return shapes


def legend(slide, s: Slide, lang: str, approximate_note: str) -> None:
    x = MARGIN + Inches(8.7)
    y = TOP + Inches(0.2)
    items = [("met", t("status.met", lang)), ("near", t("status.near", lang)), ("not_met", t("status.not_met", lang)),
             (None, t("no_data", lang))]
    in_scope = s.map[s.map["in_scope"]]
    for i, (status, name) in enumerate(items):
        n = int((in_scope["status"].isna() if status is None else in_scope["status"] == status).sum())
        sw = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y + Inches(0.55) * i, Inches(0.4), Inches(0.35))
        sw.fill.solid()
        sw.fill.fore_color.rgb = rgb(COLOURS[status])
        sw.line.fill.background()
        text_box(slide, x + Inches(0.55), y + Inches(0.55) * i - Inches(0.03), Inches(3.2), Inches(0.4),
              [f"{name}: {n}"], 18)
    worst = in_scope[in_scope["status"] == "not_met"].sort_values("value")
    lines = []
    if len(worst):
        lines.append((t("status.not_met", lang) + ":", 15, True, COLOURS["not_met"]))
        lines += [(f"{r.short_name} {r.label}", 14, False, INK) for r in worst.head(8).itertuples()]
    lines.append((approximate_note, 12, False, GREY))
    text_box(slide, x, y + Inches(2.4), Inches(3.6), Inches(2.8), lines, space_after=2)
