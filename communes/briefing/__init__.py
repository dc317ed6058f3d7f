"""The briefing (giao ban): key messages written from the data, the slides, and the PowerPoint deck.

``communes.views.briefing.load`` gathers the data; ``slides.build`` turns it into slides (with
``messages.key_messages``); the page draws them, ``deck.build`` writes them as a .pptx. The CLI
(``python -m communes briefing``) and the page's download call the same ``deck.build``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from communes.i18n import t
from communes.periods import Period


@dataclass(frozen=True)
class BriefFrame:
    """The plain values a briefing needs when there is no Streamlit frame (CLI, benchmark, tests)."""
    ref: object
    period: Period
    compare: Period
    compare_kind: str
    scope: str
    units: list[str] | None
    as_of: date | None = None
    lang: str = "vi"
    user: object = None

    def t(self, key: str, **kw) -> str:
        return t(key, self.lang, **kw)


def frame(ref, period: Period, compare_kind: str = "prev", scope: str = "all", as_of: date | None = None,
          lang: str = "vi") -> BriefFrame:
    """A frame like the page's: the comparison period follows ``compare_kind`` ("prev" or "yoy")."""
    from communes import groups

    compare = period.previous() if compare_kind == "prev" else period.last_year()
    units = groups.scope_units(ref, scope) if scope in ("all", *groups.TYPE_GROUPS) else None
    return BriefFrame(ref, period, compare, compare_kind, scope, units, as_of, lang)
