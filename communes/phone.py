"""Which layout a page is read in: ``phone`` or ``full``.

The URL decides when it says (``?layout=phone`` or ``?layout=full``, set by the page's toggle and kept in
a shared link); otherwise the browser's request does: Chromium's client hint ``Sec-CH-UA-Mobile: ?1``, or
a User-Agent naming a phone ("Mobi", which every phone browser sends and tablets do not, or "iPhone").

>>> layout({"User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36"})
'phone'
>>> layout({"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/139.0 Safari/537.36"})
'full'
>>> layout({"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/139.0", "Sec-CH-UA-Mobile": "?1"})
'phone'
>>> layout({"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148"}, "full")
'full'
>>> layout({}, "phone"), layout({}, "tablet"), layout({})
('phone', 'full', 'full')
"""
from __future__ import annotations

from collections.abc import Mapping

LAYOUTS = ("phone", "full")


def _header(headers: Mapping[str, str], name: str) -> str:
    """A header's value whatever the case of its name ('' when absent)."""
    want = name.lower()
    return next((str(v) for k, v in headers.items() if str(k).lower() == want), "")


def from_headers(headers: Mapping[str, str]) -> str:
    """``phone`` when the request comes from a phone's browser, else ``full``."""
    if _header(headers, "Sec-CH-UA-Mobile").strip() == "?1":
        return "phone"
    agent = _header(headers, "User-Agent")
    return "phone" if "Mobi" in agent or "iPhone" in agent else "full"


def layout(headers: Mapping[str, str], wanted: str | None = None) -> str:
    """The layout to draw: ``wanted`` (the URL's) when it names one, else what the request says."""
    return wanted if wanted in LAYOUTS else from_headers(headers)
