"""The briefing as a PowerPoint deck (python-pptx): the slides of ``communes.briefing.slides``.

Charts are native PowerPoint charts (``slide.shapes.add_chart`` with ``CategoryChartData``): their
data sit in the deck's embedded workbook and can be edited in PowerPoint. The values are the
indicators themselves (fractions for rates, counts, tonnes); each bar's label is written text in the
Vietnamese format ("96,1 %", "2.013.134"), because a chart's number format shows the viewer's own
locale separators. After editing values in PowerPoint, reset the labels (Format Data Labels → Value).
The map slide draws each unit as an editable freeform shape from ``communes.geo`` (no picture, no
network). Each slide's notes give the data source, the period, and "dữ liệu mẫu" for the sample.

>>> from communes.briefing.model import Slide
>>> deck = Presentation(io.BytesIO(render([Slide("messages", "Ba điều cần biết", bullets=["Một", "Hai"])], None,
...                                       sample=True)))
>>> [sh.text_frame.text for sh in deck.slides[0].shapes if sh.has_text_frame][-3:]
['DỮ LIỆU MẪU', '1/1', '• Một\\n• Hai']
"""
from __future__ import annotations

import io
import math

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_MARK
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from communes.briefing import deck_map
from communes.briefing.data import BriefingData
from communes.briefing.layout import BAND, BOTTOM, FONT, GREY, INK, MARGIN, TOP, WHITE, H, W, rgb, run_style, text_box
from communes.briefing.model import COLOURS, Chart, Slide
from communes.i18n import t

TYPES = {"column": XL_CHART_TYPE.COLUMN_CLUSTERED, "bar": XL_CHART_TYPE.BAR_CLUSTERED,
         "doughnut": XL_CHART_TYPE.DOUGHNUT}
DOUGHNUT = ["1F4E79", "6AA2D0", "E08E0B", "9E9E9E"]
PERCENT_AXIS = {"vi": '0" "%', "en": "0%"}  # "90 %" as Vietnamese writes it; the % scales by 100
ROW = Inches(0.42)  # the least height of a table row
MIN_SLICE = 0.06  # doughnut slices smaller than this carry no label (the legend and text name them)


def _frame(slide, s: Slide, index: int, total: int, footer: str, sample: str | None) -> None:
    """Title, subtitle and footer (source line, sample tag, slide number) of a content slide."""
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, W, Inches(0.12))
    band.fill.solid()
    band.fill.fore_color.rgb = rgb(BAND)
    band.line.fill.background()
    size = 30 if len(s.title) <= 60 else 24
    text_box(slide, MARGIN, Inches(0.3), W - 2 * MARGIN, Inches(0.75), [s.title], size, True, BAND,
          anchor=MSO_ANCHOR.MIDDLE)
    if s.subtitle:
        text_box(slide, MARGIN, Inches(1.02), W - 2 * MARGIN, Inches(0.4), [s.subtitle], 16, False, GREY)
    text_box(slide, MARGIN, Inches(7.05), Inches(8), Inches(0.35), [footer], 11, False, GREY)
    if sample:
        text_box(slide, Inches(8.3), Inches(7.05), Inches(3.3), Inches(0.35), [sample], 11, True, COLOURS["not_met"],
              align=PP_ALIGN.RIGHT)
    text_box(slide, W - MARGIN - Inches(1.2), Inches(7.05), Inches(1.2), Inches(0.35), [f"{index}/{total}"], 11,
          False, GREY, align=PP_ALIGN.RIGHT)


# --- charts ----------------------------------------------------------------------------------------

def add_chart(slide, c: Chart, x, y, cx, cy, lang: str = "vi"):
    """``c`` as a native chart: values in the embedded workbook, Vietnamese labels on the bars."""
    data = CategoryChartData(number_format=c.number_format)
    data.categories = c.categories
    for s in c.series:
        data.add_series(s.name, s.values, c.number_format)
    frame = slide.shapes.add_chart(TYPES[c.type], x, y, cx, cy, data)
    chart = frame.chart
    chart.font.name, chart.font.size = FONT, Pt(14)
    chart.font.color.rgb = rgb(INK)
    chart.has_title = True
    chart.chart_title.text_frame.text = c.title
    for p in chart.chart_title.text_frame.paragraphs:
        for r in p.runs:
            run_style(r, 16, True, INK)
    plot = chart.plots[0]
    many = len(c.categories) > 16
    if c.type == "doughnut":
        plot.vary_by_categories = True
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.RIGHT
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(14)
        for j, point in enumerate(chart.series[0].points):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb(DOUGHNUT[j % len(DOUGHNUT)])
    else:
        plot.vary_by_categories = False
        plot.gap_width = 40 if many else 70
        if len(c.series) > 1:
            plot.overlap = -10
        chart.has_legend = len(c.series) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.TOP
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(14)
        va = chart.value_axis
        va.has_major_gridlines = False
        if c.value_min:  # a zoomed axis is shown, so no bar is read as starting from zero
            va.minimum_scale, va.maximum_scale, va.major_unit = c.value_min, c.value_max or 1.0, 0.05
            va.tick_labels.number_format = PERCENT_AXIS[lang]
            va.tick_labels.number_format_is_linked = False
            va.tick_labels.font.size = Pt(11)
            va.tick_labels.font.color.rgb = rgb(GREY)
            va.has_major_gridlines = True
            va.major_gridlines.format.line.color.rgb = rgb("E3E3E3")
            va.format.line.fill.background()
        else:
            va.minimum_scale = 0
            if c.value_max is not None:
                va.maximum_scale = c.value_max * (1.12 if c.type == "bar" else 1.08)
            va.visible = False
        ca = chart.category_axis
        ca.major_tick_mark = XL_TICK_MARK.NONE
        ca.tick_labels.font.size = Pt(10 if many else 14)
        ca.format.line.color.rgb = rgb("BFBFBF")
        if c.type == "bar":
            ca.reverse_order = True  # first category (rank 1) on top
    for s, series in zip(c.series, chart.series):
        if c.type != "doughnut":
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = rgb(s.color)
        total = sum(v for v in s.values if v is not None) or 1
        for j, point in enumerate(series.points):
            if j >= len(s.values) or s.values[j] is None:
                continue
            if c.type == "doughnut" and s.values[j] / total < MIN_SLICE:
                continue
            if s.point_colors and c.type != "doughnut":
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = rgb(s.point_colors[j])
            label = point.data_label
            tf = label.text_frame  # custom text: the value in Vietnamese format
            tf.text = s.labels[j]
            for r in tf.paragraphs[0].runs:
                run_style(r, 11 if many else 14 if c.type == "doughnut" else 13, True,
                           WHITE if c.type == "doughnut" else INK)
            if c.type != "doughnut":
                label.position = XL_LABEL_POSITION.OUTSIDE_END
    return frame


# --- slide bodies ----------------------------------------------------------------------------------

def _title_slide(slide, s: Slide, sample: str | None) -> None:
    bg = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, W, Inches(4.4))
    bg.fill.solid()
    bg.fill.fore_color.rgb = rgb(BAND)
    bg.line.fill.background()
    text_box(slide, Inches(0.8), Inches(1.2), W - Inches(1.6), Inches(1.9), [s.title], 40, True, WHITE,
          anchor=MSO_ANCHOR.BOTTOM)
    if s.subtitle:
        text_box(slide, Inches(0.8), Inches(3.2), W - Inches(1.6), Inches(0.6), [s.subtitle], 22, False, "D6E4F0")
    text_box(slide, Inches(0.8), Inches(4.8), W - Inches(1.6), Inches(1.6), s.bullets, 22, False, INK, space_after=6)
    if sample:
        text_box(slide, Inches(0.8), Inches(6.5), W - Inches(1.6), Inches(0.5), [sample], 18, True, COLOURS["not_met"])


def fit_size(texts: list[str], cx, cy, largest: int = 24, smallest: int = 12) -> int:
    """The largest font size (pt) at which ``texts`` as paragraphs fit a box of ``cx`` × ``cy`` (EMU).

    Estimated from Arial's average glyph width (about half the size) and a line height of 1.2 sizes plus
    the paragraph spacing ``_bullets`` uses; conservative, so no text overflows its box.

    >>> fit_size(["x" * 100], Inches(12), Inches(5)), fit_size(["x" * 200] * 6, Inches(12), Inches(5))
    (24, 16)
    """
    width_pt, height_pt = cx / 12700 - 8, cy / 12700 - 8
    for size in range(largest, smallest - 1, -1):
        per_line = max(1, int(width_pt / (size * 0.5)))
        lines = sum(max(1, math.ceil((len(x) + 2) / per_line)) for x in texts)
        if lines * size * 1.2 + len(texts) * size * 0.6 <= height_pt:
            return size
    return smallest


def _bullets(slide, bullets, x, y, cx, cy, largest=24):
    size = fit_size(bullets, cx, cy, largest)
    return text_box(slide, x, y, cx, cy, bullets, size, space_after=size * 0.6, bullet=True)


def _cards(slide, s: Slide) -> None:
    n = len(s.cards)
    gap = Inches(0.2)
    cw = int((W - 2 * MARGIN - gap * (n - 1)) / n)
    ch = Inches(2.15)
    for i, c in enumerate(s.cards):
        x, y = MARGIN + i * (cw + gap), TOP
        box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y, cw, ch)
        box.fill.solid()
        box.fill.fore_color.rgb = rgb("F4F6F9")
        box.line.color.rgb = rgb("D0D7E1")
        strip = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y, cw, Inches(0.12))
        strip.fill.solid()
        strip.fill.fore_color.rgb = rgb(COLOURS[c.status])
        strip.line.fill.background()
        paras = [(c.label, 15, False, GREY), (c.value, 34 if len(c.value) <= 9 else 18, True, INK)]
        if c.change:
            paras.append((c.change, 12, False, GREY))
        if c.target:
            paras.append((c.target, 13, True, COLOURS[c.status]))
        text_box(slide, x + Inches(0.1), y + Inches(0.2), cw - Inches(0.2), ch - Inches(0.25), paras, space_after=2)


def _row_height(texts: list[str], widths: list, size: float = 15, least: int = ROW) -> int:
    """A row tall enough for its longest cell, estimated as ``fit_size`` does (half-size glyphs).

    >>> _row_height(["short", "x" * 100], [Inches(2), Inches(6)]) > ROW
    True
    """
    lines = max(math.ceil((len(x) + 1) * size * 0.5 / (w / 12700 - 8)) for x, w in zip(texts, widths))
    return max(least, int(Pt(lines * size * 1.25 + 12)))


def _table(slide, s: Slide, first: tuple = (Inches(2.6), Inches(1.5)), fit_rows: bool = False) -> None:
    """The slide's table: widths of the first two columns ``first``, the third takes the rest. With
    ``fit_rows`` each row is as tall as its longest text needs and the footer goes at the slide's foot."""
    tb = s.table
    rows = len(tb.rows) + 1
    row_h = ROW
    cx = W - 2 * MARGIN
    widths = list(first)
    widths.append(cx - sum(widths))
    heights = [row_h] + [_row_height(r, widths) if fit_rows else row_h for r in tb.rows]
    shape = slide.shapes.add_table(rows, len(tb.header), MARGIN, TOP, cx, sum(heights))
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = w
    for i in range(rows):
        table.rows[i].height = heights[i]
        for j in range(len(tb.header)):
            cell = table.cell(i, j)
            text = tb.header[j] if i == 0 else tb.rows[i - 1][j]
            cell.text = text
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            status = None if i == 0 else tb.status[i - 1]
            color = WHITE if i == 0 else COLOURS[status] if j == 1 else INK
            size = 15 if i == 0 or fit_rows else (13 if j == 2 and len(text) > 90 else 15)
            for r in cell.text_frame.paragraphs[0].runs:
                run_style(r, size, i == 0 or j == 1, color)
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(BAND if i == 0 else "FFFFFF" if i % 2 else "F1F4F8")
    if tb.footer:
        y = BOTTOM - Inches(0.45) if fit_rows else TOP + row_h * rows + Inches(0.15)
        text_box(slide, MARGIN, y, cx, Inches(0.45 if fit_rows else 0.8), [tb.footer], 13, False, GREY)


# --- the deck --------------------------------------------------------------------------------------

def render(slides: list[Slide], ref, lang: str = "vi", sample: bool = False, province: str = "") -> bytes:
    """The deck as .pptx bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    prs.core_properties.title = slides[0].title if slides else ""
    prs.core_properties.language = "vi-VN" if lang == "vi" else "en-GB"
    blank = prs.slide_layouts[6]
    tag = t("app.sample_tag", lang) if sample else None
    footer = t("brief.footer", lang, province=province)
    for i, s in enumerate(slides, start=1):
        slide = prs.slides.add_slide(blank)
        slide.name = s.key
        if s.key == "title":
            _title_slide(slide, s, tag)
        else:
            _frame(slide, s, i, len(slides), footer, tag)
            _body(slide, s, ref, lang)
        slide.notes_slide.notes_text_frame.text = s.notes
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _body(slide, s: Slide, ref, lang: str) -> None:
    cw = W - 2 * MARGIN
    if s.key == "messages":
        _bullets(slide, s.bullets, MARGIN, TOP, cw, BOTTOM - TOP)
    elif s.key == "kpi":
        _cards(slide, s)
        top = TOP + Inches(2.35)
        if s.charts:
            add_chart(slide, s.charts[0], MARGIN, top, cw, BOTTOM - top, lang)
    elif s.key == "attention":
        if s.table is not None:
            _table(slide, s)
        else:
            _bullets(slide, s.bullets, MARGIN, TOP, cw, BOTTOM - TOP)
    elif s.key == "visits":
        if s.table is not None:
            _table(slide, s, (Inches(2.9), Inches(2.1)), fit_rows=True)
        else:
            _bullets(slide, s.bullets, MARGIN, TOP, cw, BOTTOM - TOP)
    elif s.key == "map":
        shapes = deck_map.draw(slide, s, ref)
        if shapes is not None:
            deck_map.legend(slide, s, lang, t("brief.map_approx" if shapes.approximate else "brief.map_note", lang))
    elif s.key == "ranking":
        low = BOTTOM - (Inches(0.5) if s.bullets else 0)
        n = max(len(s.charts), 1)
        gap = Inches(0.3)
        w = int((cw - gap * (n - 1)) / n)
        for i, c in enumerate(s.charts):
            add_chart(slide, c, MARGIN + i * (w + gap), TOP, w, low - TOP, lang)
        if s.bullets:
            text_box(slide, MARGIN, low, cw, Inches(0.5), s.bullets, 12, False, GREY)
    else:  # dossiers, tourism, farm, merger: sentences on the left, charts on the right
        text_w = Inches(4.3) if s.charts else cw  # nothing to chart: the sentences take the whole width
        _bullets(slide, s.bullets, MARGIN, TOP, text_w, BOTTOM - TOP, largest=20 if s.charts else 24)
        x = MARGIN + text_w + Inches(0.3)
        rest = W - MARGIN - x
        if len(s.charts) == 2:
            h = Emu(int((BOTTOM - TOP - Inches(0.2)) / 2))
            add_chart(slide, s.charts[0], x, TOP, rest, h, lang)
            add_chart(slide, s.charts[1], x, TOP + h + Inches(0.2), rest, h, lang)
        elif s.charts:
            add_chart(slide, s.charts[0], x, TOP, rest, BOTTOM - TOP, lang)


def build(d: BriefingData, lang: str | None = None) -> bytes:
    """The deck for the data of ``communes.briefing.data.load`` (what the page's button and the CLI call)."""
    from communes.briefing import slides as sl

    lang = lang or d.lang
    return render(sl.build(d, lang), d.ref, lang, d.meta["sample"], d.ref.province)
