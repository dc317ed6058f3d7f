"""A card's change against its comparison: relative to the figure compared with, rounded as shown, in words.

>>> rel_text(rel_change(96, 80))
'+20,0 %'
"""
from __future__ import annotations

from communes import fmt
from communes.comparisons import period_label


def rel_change(a, b):
    """a / b − 1, rounded to the 0.1 % a card shows (so a change shown as "0,0 %" has no arrow);
    None when either is missing or b is 0 (no base to compare with).

    >>> rel_change(110, 100), rel_change(100_001, 100_000), rel_change(5, 0)
    (0.1, 0.0, None)
    """
    return None if a is None or b is None or b == 0 else round(a / b - 1, 3) + 0.0


def rel_text(r, lang: str = "vi") -> str | None:
    """A relative change as signed percent: ``+12,3 %``; None for no data."""
    if r is None:
        return None
    return fmt.signed(r * 100, 1, lang) + (" %" if lang == "vi" else "%")


def card_changes(a, before, other, other_period, t, lang: str = "vi") -> tuple:
    """A card's change against the comparison period (number and text, for the delta) and the line
    under the card against the other period (None when there is no other period).

    >>> card_changes(120, 100, None, None, None)
    (0.2, '+20,0 %', None)
    """
    r1 = rel_change(a, before)
    line = None
    if other_period is not None:
        r2 = rel_change(a, other)
        line = (t("tourism.vs", period=period_label(other_period, lang), change=rel_text(r2, lang))
                if r2 is not None else t("tourism.no_base", period=period_label(other_period, lang)))
    return r1, rel_text(r1, lang), line
