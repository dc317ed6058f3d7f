"""The unit map in a real browser: its first view shows the whole province, on a desktop and on a phone.

Same server and browser as ``test_browser.py`` (fixtures in ``conftest.py``).
"""
from __future__ import annotations

import pytest
from browser_helpers import ARTIFACTS, DRAWN, QUERY, VIEWPORTS, app_errors, open_page, wait_until_idle

from communes import mapview, refdata, settings
from communes.i18n import t

REF = refdata.load(settings.get("province"))
# while the page runs again (the map's column has told its width), the old map and the new one are both there
ONE_MAP = """() => document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot .maplibregl-canvas').length === 1"""


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_first_view_shows_the_whole_province(server, browser, device):
    lon0, lat0, lon1, lat1 = mapview.shapes(REF).bounds
    ctx, page, blocked, errors = open_page(browser, f"{server}/?{QUERY}", VIEWPORTS[device])
    try:
        wait_until_idle(page)  # the page runs again once the map's column has told its width
        page.get_by_role("heading", name=t("overview.map", "vi")).scroll_into_view_if_needed()
        plot = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').filter(has=page.locator(".maplibregl-canvas"))
        page.wait_for_function(ONE_MAP, timeout=60_000)
        plot.scroll_into_view_if_needed()
        wait_until_idle(page)
        page.wait_for_function(ONE_MAP, timeout=60_000)  # a run started late has replaced the old map
        page.wait_for_function(DRAWN, timeout=30_000)
        view = plot.evaluate("""gd => {
            const map = gd._fullLayout.map._subplot.map, b = map.getBounds();
            return {west: b.getWest(), east: b.getEast(), south: b.getSouth(), north: b.getNorth(),
                    width: map.getCanvas().getBoundingClientRect().width};
        }""")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        plot.screenshot(path=str(ARTIFACTS / f"map-first-view-{device}.png"))
        assert view["width"] <= VIEWPORTS[device][0]
        assert view["west"] <= lon0 and lon1 <= view["east"], view  # not cropped left or right
        assert view["south"] <= lat0 and lat1 <= view["north"], view
        # and not lost in a corner: the province takes most of the width or of the height
        assert (lon1 - lon0) / (view["east"] - view["west"]) > 0.6 or (lat1 - lat0) / (view["north"] - view["south"]) > 0.6
        assert app_errors(errors) == [] and blocked == []
    finally:
        ctx.close()
