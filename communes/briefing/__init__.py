"""The briefing (giao ban): key messages written from the data, the slides, and the PowerPoint deck.

``communes.briefing.data.load`` gathers the data; ``slides.build`` turns it into slides (with
``messages.key_messages``); the page draws them, ``deck.build`` writes them as a .pptx. The CLI
(``python -m communes briefing``) and the page's download call the same ``deck.build``.
"""
from __future__ import annotations

from datetime import date

from communes.frame import Frame
from communes.periods import Period


def frame(ref, period: Period, compare_kind: str = "prev", scope: str = "all", as_of: date | None = None,
          lang: str = "vi") -> Frame:
    """The pages' frame (``communes.frame.Frame``) for the CLI, the benchmark and the tests: the comparison
    period follows ``compare_kind`` ("prev" or "yoy"); a peer group's units are picked by the briefing."""
    from communes import comparisons, groups

    compare_kind = comparisons.effective_kind(period, compare_kind)  # a year to date: cùng kỳ
    compare = comparisons.dates(period, compare_kind)
    units = groups.scope_units(ref, scope) if scope in ("all", *groups.TYPE_GROUPS) else None
    return Frame(ref, period, compare, compare_kind, scope, units, None, as_of, lang)
