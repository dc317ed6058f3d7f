"""The deck's page: its size, margins, ink colours, and the text box every slide part is written in
(python-pptx). ``communes.briefing.deck`` lays the slides out with it; ``deck_map`` draws the map.
"""
from __future__ import annotations

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from communes.briefing.model import keep_together

FONT = "Arial"  # Vietnamese glyphs in Office everywhere; LibreOffice maps it to Liberation Sans (metric-compatible)
INK, GREY, BAND, WHITE = "1A1A1A", "5F6B7A", "1F4E79", "FFFFFF"
W, H = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
TOP = Inches(1.55)  # content starts under the title and subtitle
BOTTOM = Inches(6.95)  # content ends above the footer


def rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_)


def run_style(run, size: float, bold: bool = False, color: str = INK) -> None:
    f = run.font
    f.name, f.size, f.bold = FONT, Pt(size), bold
    f.color.rgb = rgb(color)


def text_box(slide, x, y, cx, cy, paras, size=18, bold=False, color=INK, align=PP_ALIGN.LEFT,
          anchor=MSO_ANCHOR.TOP, space_after=0, bullet=False):
    """A text box; ``paras`` is a list of strings or of (text, size, bold, colour) tuples."""
    box = slide.shapes.add_textbox(x, y, cx, cy)
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.05)
    for i, p in enumerate(paras):
        text, sz, b, c = (p, size, bold, color) if isinstance(p, str) else p
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        para.alignment = align
        para.space_after = Pt(space_after)
        run = para.add_run()
        run.text = ("• " if bullet else "") + keep_together(text)
        run_style(run, sz, b, c)
    return box
