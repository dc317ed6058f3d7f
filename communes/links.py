"""Links to a unit's pages, carrying the view's language and period (``communes.frame.KEEPS``).

>>> unit_link("19873", {"lang": "en", "pk": "month", "p": "2025-07"})
'/profile?unit=19873&lang=en&pk=month&p=2025-07'
"""
from __future__ import annotations

from urllib.parse import urlencode


def unit_link(code: str, keep: dict | None = None) -> str:
    """The unit's profile page, in the same language and period as the page it is linked from."""
    return "/profile?" + urlencode({"unit": code, **(keep or {})})


def mobile_link(code: str, keep: dict | None = None) -> str:
    """The unit's page for phones (``/m/{code}``), in the same language and period.

    >>> mobile_link("19873", {"lang": "en", "pk": "month", "p": "2025-07"})
    '/m/19873?lang=en&pk=month&p=2025-07'
    >>> mobile_link("19873")
    '/m/19873'
    """
    return f"/m/{code}" + ("?" + urlencode(keep) if keep else "")
