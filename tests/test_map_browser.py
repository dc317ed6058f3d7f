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
        page.wait_for_function(ONE_MAP, timeout=60_000)
        wait_until_idle(page)
        # one snapshot of the map, found afresh on each poll (a late run may swap its element): in view, drawn
        view = page.wait_for_function("""() => {
            const gds = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
                .filter(gd => gd.querySelector('.maplibregl-canvas'));
            if (gds.length !== 1) return false;
            gds[0].scrollIntoView({block: 'center'});
            const map = gds[0]._fullLayout?.map?._subplot?.map;
            if (!map || !map.loaded()) return false;
            const b = map.getBounds(), r = gds[0].getBoundingClientRect();
            return {west: b.getWest(), east: b.getEast(), south: b.getSouth(), north: b.getNorth(),
                    width: map.getCanvas().getBoundingClientRect().width,
                    box: {x: Math.max(0, r.left), y: Math.max(0, r.top), width: r.width, height: r.height}};
        }""", timeout=60_000, polling=200).json_value()
        page.wait_for_function(DRAWN, timeout=30_000)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"map-first-view-{device}.png"), clip=view["box"])
        assert view["width"] <= VIEWPORTS[device][0]
        assert view["west"] <= lon0 and lon1 <= view["east"], view  # not cropped left or right
        assert view["south"] <= lat0 and lat1 <= view["north"], view
        # and not lost in a corner: the province takes most of the width or of the height
        assert (lon1 - lon0) / (view["east"] - view["west"]) > 0.6 or (lat1 - lat0) / (view["north"] - view["south"]) > 0.6
        assert app_errors(errors) == [] and blocked == []
    finally:
        ctx.close()
