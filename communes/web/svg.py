"""Small monthly charts as inline SVG for the phone pages: bars (stacked) and lines, one month per slot.

Written here rather than exported from Plotly: a Plotly SVG needs a headless browser (Kaleido) at
render time and weighs tens of kilobytes with its fonts; these are one or two kilobytes each, need no
script, and their colours come from the page's CSS classes (``l-unit``, ``l-peer``, ``b0``, ``b1``,
``mark``, ``target``), so they follow the light or dark theme and print in black and white.

>>> from datetime import date
>>> s = chart([date(2025, 6, 1), date(2025, 7, 1)], lines=[([0.9, None], "l-unit")], kind="rate",
...           marks=[(date(2025, 7, 1), "Sáp nhập")], label="Tỷ lệ đúng hạn")
>>> s.startswith("<svg") and "Sáp nhập" in s and 'aria-label="Tỷ lệ đúng hạn"' in s
True
"""
from __future__ import annotations

import math
from datetime import date
from html import escape

from communes import fmt
from communes.missing import as_float

W, LEFT, RIGHT, TOP, BOTTOM = 360, 44, 6, 12, 18


def _nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ ``x`` (the top of a count axis).

    >>> _nice_ceiling(0), _nice_ceiling(87), _nice_ceiling(1234), _nice_ceiling(240)
    (1.0, 100.0, 2000.0, 250.0)
    """
    if x <= 0:
        return 1.0
    k = 10 ** math.floor(math.log10(x))
    return float(next(m * k for m in (1, 2, 2.5, 5, 10) if m * k >= x))


def _domain(kind: str, lines, bars, target) -> tuple[float, float]:
    if kind == "rate":
        vals = [v for vs, _ in lines for v in map(as_float, vs) if v is not None] + ([target] if target is not None else [])
        if not vals:
            return 0.0, 1.0
        lo = max(0.0, math.floor((min(vals) - 0.01) * 20) / 20)
        hi = min(1.0, math.ceil((max(vals) + 0.005) * 20) / 20)
        return (lo, hi) if hi > lo else (max(0.0, hi - 0.05), max(hi, 0.05))
    tops = [sum(as_float(s[i]) or 0 for s, _ in bars) for i in range(len(bars[0][0]))] if bars else []
    tops += [v for vs, _ in lines for v in map(as_float, vs) if v is not None]
    return 0.0, _nice_ceiling(max(tops, default=0))


def _ticks(kind: str, lo: float, hi: float) -> list[float]:
    """Round values for the grid lines: every 5, 10 or 20 points of a rate; halves or fifths of a count axis.

    >>> _ticks("rate", 0.85, 1.0), _ticks("count", 0, 2000), _ticks("count", 0, 250)
    ([0.85, 0.9, 0.95, 1.0], [0.0, 1000.0, 2000.0], [0.0, 50.0, 100.0, 150.0, 200.0, 250.0])
    """
    if kind == "rate":
        step = next((s for s in (0.05, 0.1, 0.2, 0.25) if (hi - lo) / s <= 4 + 1e-9), 0.5)
        k0 = math.ceil(lo / step - 1e-9)
        return [round(k * step, 4) for k in range(k0, int(hi / step + 1e-9) + 1)]
    step = hi / 5 if hi / 10 ** math.floor(math.log10(hi)) == 2.5 else hi / 2
    return [float(lo), *[step * k for k in range(1, round(hi / step))], float(hi)]


def _tick(v: float, kind: str, lang: str) -> str:
    if kind == "rate":
        return fmt.percent(v, 0, lang)
    if v >= 10_000:  # "12 N" / "12k": the axis stays narrow on a phone
        return fmt.number(v / 1000, 0 if v % 1000 == 0 else 1, lang) + (" N" if lang == "vi" else "k")
    return fmt.number(v, 0, lang)


def chart(months: list[date], *, lines=(), bars=(), kind: str = "count", marks=(), target: float | None = None,
          shade: tuple[date, date] | None = None, label: str = "", lang: str = "vi", height: int = 130) -> str:
    """An SVG chart of monthly values.

    ``months``: the first day of each month, in order. ``lines``: (values, css class) drawn as lines, broken
    where a value is missing. ``bars``: (values, css class), stacked from the first. ``kind``: "rate" (axis in
    %, around the data) or a count (axis from 0). ``marks``: (day, text) drawn as a dashed vertical line at
    the start of that month. ``target``: a dotted horizontal line. ``shade``: (first, last day) of a period
    shaded behind the months it touches. ``label``: the accessible name.
    """
    n = max(len(months), 1)
    h = height
    plot_w, plot_h = W - LEFT - RIGHT, h - TOP - BOTTOM
    slot = plot_w / n
    lo, hi = _domain(kind, list(lines), list(bars), target)

    def x(i: float) -> float:
        return LEFT + slot * (i + 0.5)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - lo) / (hi - lo))

    out = [f'<svg viewBox="0 0 {W} {h}" role="img" aria-label="{escape(label)}" class="chart">'
           f"<title>{escape(label)}</title>"]
    if shade is not None:
        inside = [i for i, m in enumerate(months) if (shade[0].year, shade[0].month) <= (m.year, m.month)
                  <= (shade[1].year, shade[1].month)]
        if inside:
            out.append(f'<rect class="shade" x="{LEFT + slot * inside[0]:.1f}" y="{TOP}" '
                       f'width="{slot * len(inside):.1f}" height="{plot_h}"/>')
    for v in _ticks(kind, lo, hi):  # a few grid lines with their values
        out.append(f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
                   f'<text class="tick" x="{LEFT - 3}" y="{y(v) + 3:.1f}" text-anchor="end">{escape(_tick(v, kind, lang))}</text>')
    for i, m in enumerate(months):  # January and July labelled
        if m.month in (1, 7):
            near_end = LEFT + slot * i > W - RIGHT - 44  # a label that would run off the right edge ends there
            anchor = ' text-anchor="end"' if near_end else ""
            out.append(f'<text class="tick" x="{W - RIGHT if near_end else LEFT + slot * i:.1f}" y="{h - 5}"{anchor}>'
                       f"{escape(fmt.month_short(m.year, m.month, lang))}</text>")
    if bars:
        base = [0.0] * len(months)
        for values, cls in bars:
            rects = []
            for i, v in enumerate(values):
                v = as_float(v)
                if v is None or v <= 0:
                    continue
                top, bottom = y(base[i] + v), y(base[i])
                rects.append(f'<rect x="{LEFT + slot * i + slot * 0.12:.1f}" y="{top:.1f}" width="{slot * 0.76:.1f}" '
                             f'height="{max(bottom - top, 0.5):.1f}"/>')
                base[i] += v
            out.append(f'<g class="{cls}">{"".join(rects)}</g>')
    if target is not None and lo <= target <= hi:
        out.append(f'<line class="target" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}"/>')
    for values, cls in lines:
        d, pen = [], "M"
        for i, v in enumerate(values):
            v = as_float(v)
            if v is None:
                pen = "M"
                continue
            d.append(f"{pen}{x(i):.1f} {y(v):.1f}")
            pen = "L"
        if d:
            out.append(f'<path class="{cls}" d="{" ".join(d)}"/>')
    for day, text in marks:
        i = next((k for k, m in enumerate(months) if (m.year, m.month) == (day.year, day.month)), None)
        if i is not None:
            mx = LEFT + slot * i
            out.append(f'<line class="mark" x1="{mx:.1f}" x2="{mx:.1f}" y1="{TOP - 2}" y2="{TOP + plot_h}"/>'
                       f'<text class="tick" x="{mx + 2:.1f}" y="{TOP - 3}">{escape(text)}</text>')
    out.append("</svg>")
    return "".join(out)
