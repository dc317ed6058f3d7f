"""Opening the app in Streamlit's AppTest, as the page tests do."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from communes import settings


def open_app(page: str | None = None, timeout: int = 90, **params) -> AppTest:
    """Run ``app.py`` with ``params`` in the URL; with ``page`` ("pages/profile.py"), switch to it and run again."""
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=timeout)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    return at if page is None else at.switch_page(page).run()
