"""A real browser clicks through the app: from the overview to a unit's profile (attention list, ranking
table, map), switches the language, and meets markup in the data.

Same server and browser as ``test_browser.py`` (fixtures in ``conftest.py``); the markup test starts a
server of its own on a copy of the data.
"""
from __future__ import annotations

import csv
import gzip
import itertools
import re
import shutil

import pytest
import shapely.geometry
from browser_helpers import (
    DRAWN,
    QUERY,
    VIEWPORTS,
    app_errors,
    h1,
    new_context,
    open_page,
    problems_on,
    streamlit_server,
    wait_until_idle,
)

from communes import mapview, periods, refdata, settings
from communes.i18n import t

DESKTOP = VIEWPORTS["desktop"]
REF = refdata.load(settings.get("province"))
NAMES = dict(zip(REF.units.unit_code, REF.units.unit_name))
MARKUP = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


def code_in(url: str) -> str | None:
    m = re.search(r"[?&]unit=([^&]+)", url)
    return m.group(1) if m else None


def assert_profile(page, code: str, blocked: list[str], errors: list[str]) -> None:
    """``page`` is the profile of ``code``: its name as the title, no error, nothing fetched from outside."""
    page.wait_for_selector("h1", timeout=60_000)
    wait_until_idle(page)
    assert "/profile" in page.url and code_in(page.url) == code, page.url
    assert h1(page) == NAMES[code]
    assert problems_on(page) == []
    assert app_errors(errors) == []
    assert blocked == []


def test_requests_off_the_machine_fail_and_are_recorded(server, browser):
    """The guard every browser test relies on (``new_context``): a request to another host, by name or by
    address, from the page or from a worker, fails; the page's are recorded; the app's own requests pass."""
    ctx, blocked, _ = new_context(browser, DESKTOP)
    why = []
    ctx.on("requestfailed", lambda r: why.append(r.failure))
    outside = ["http://tiles.example.org/0/0/0.png", "http://203.0.113.7/x.js", "https://cdn.example.com/lib.js"]
    try:
        page = ctx.new_page()
        page.goto(f"{server}/_stcore/health")
        fetched = page.evaluate("""async urls => Promise.all(urls.map(u =>
            fetch(u, {mode: 'no-cors'}).then(() => 'ok', () => 'failed')))""", [page.url, *outside])
        assert fetched == ["ok", "failed", "failed", "failed"]
        from_worker = page.evaluate("""() => new Promise(done => {
            const code = "fetch('http://203.0.113.8/w.js', {mode: 'no-cors'}).then(() => postMessage('ok'), () => postMessage('failed'))";
            new Worker(URL.createObjectURL(new Blob([code]))).onmessage = e => done(e.data);
        })""")
        assert from_worker == "failed"
        for _ in range(50):  # the events come after the fetches' promises
            if len(blocked) >= len(outside):
                break
            page.wait_for_timeout(100)
        assert sorted(set(blocked) - {"http://203.0.113.8/w.js"}) == sorted(outside)
        assert set(why) == {"net::ERR_PROXY_CONNECTION_FAILED"}  # refused here, never sent (no name looked up)
    finally:
        ctx.close()


def test_attention_link_opens_the_profile(server, browser):
    """The first unit of "Cần chú ý" is a plain link; it opens (in a new tab) that unit's profile."""
    ctx, page, blocked, errors = open_page(browser, f"{server}/?{QUERY}", DESKTOP)
    try:
        link = page.locator('[data-testid="stMarkdownContainer"] a[href^="/profile?unit="]').filter(visible=True).first
        name, code = link.inner_text().strip(), code_in(link.get_attribute("href"))
        assert NAMES[code] == name  # the link names the unit it leads to
        with ctx.expect_page() as opened:
            link.click()
        assert_profile(opened.value, code, blocked, errors)
    finally:
        ctx.close()


def test_ranking_link_column_opens_the_profile(server, browser):
    """The ranking is a canvas grid: the "Xem" link of its third row is found by the pointer cursor it
    shows under the mouse, clicked, and opens (in a new tab) the profile of the unit on that row."""
    ctx, page, blocked, errors = open_page(browser, f"{server}/?{QUERY}", DESKTOP)
    try:
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.scroll_into_view_if_needed()
        headers = [th.inner_text().strip() for th in grid.locator('th[role="columnheader"]').all()]
        name_col, link_col = headers.index(t("col.unit", "vi")), headers.index(t("overview.profile", "vi"))
        row = 2
        # the grid's own accessible copy of its cells says which unit and link are on that row
        name = grid.locator(f'[data-testid="glide-cell-{name_col}-{row}"]').text_content().strip()
        href = grid.locator(f'[data-testid="glide-cell-{link_col}-{row}"]').text_content().strip()
        code = code_in(href)
        assert NAMES[code] == name
        # rows and the header are 35 px high (the grid scrolls 41 of them: header and 40 units)
        scroller = grid.locator(".dvn-scroller")
        n_rows = int(grid.locator('[role="grid"]').get_attribute("aria-rowcount"))
        assert scroller.evaluate("e => e.scrollHeight") == 35 * n_rows
        grid_canvas = grid.locator('canvas[data-testid="data-grid-canvas"]')
        canvas = grid_canvas.bounding_box()
        y = canvas["y"] + 35 * (row + 1) + 17
        x = None
        for step in range(int(canvas["width"]) - 4, 0, -6):  # from the right edge, where the link column is
            page.mouse.move(canvas["x"] + step, y)
            if grid_canvas.evaluate("e => e.style.cursor") == "pointer":
                x = canvas["x"] + step
                break
        assert x is not None, "no link under the mouse on the ranking's row"
        with ctx.expect_page() as opened:
            page.mouse.click(x, y)
        assert_profile(opened.value, code, blocked, errors)
    finally:
        ctx.close()


def test_map_click_opens_the_profile(server, browser):
    """A click inside the largest unit's shape on the overview map opens that unit's profile (same tab)."""
    shapes = mapview.shapes(REF)
    area = {f["id"]: shapely.geometry.shape(f["geometry"]).area for f in shapes.geojson["features"]}
    code = max(area, key=area.get)
    lon, lat = shapes.centres[code]  # a point inside the unit's shape
    assert shapely.geometry.shape(next(f for f in shapes.geojson["features"] if f["id"] == code)["geometry"]).contains(
        shapely.geometry.Point(lon, lat))
    ctx, page, blocked, errors = open_page(browser, f"{server}/?{QUERY}", DESKTOP)
    try:
        # charts are drawn when they come into view: scroll to the map's heading, then to the map
        page.get_by_role("heading", name=t("overview.map", "vi")).scroll_into_view_if_needed()
        plot = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').filter(has=page.locator(".maplibregl-canvas"))
        plot.first.wait_for(timeout=30_000)
        # the map reports its column's width once and is drawn again fitted to it: until that run has
        # ended, the element being replaced may still be on the page
        wait_until_idle(page, quiet_ms=1500)
        plot.scroll_into_view_if_needed()
        page.wait_for_function(DRAWN, timeout=30_000)
        # where MapLibre draws that point, in the page
        at = plot.evaluate("""(gd, lonlat) => {
            const map = gd._fullLayout.map._subplot.map, p = map.project(lonlat), r = map.getCanvas().getBoundingClientRect();
            return {x: r.left + p.x, y: r.top + p.y};
        }""", [lon, lat])
        page.mouse.move(at["x"], at["y"])
        page.wait_for_function("() => document.querySelector('.hoverlayer')?.textContent.length > 0", timeout=10_000)
        assert NAMES[code] in page.locator(".hoverlayer").first.text_content()  # the hover names the unit
        page.mouse.click(at["x"], at["y"])
        page.wait_for_url(re.compile(r"/profile\?"), timeout=30_000)
        assert_profile(page, code, blocked, errors)
    finally:
        ctx.close()


def test_a_closed_map_is_drawn_when_its_expander_is_opened(server, browser):
    """The agriculture page's maps sit in closed expanders and are not drawn; opening one draws its map."""
    ctx, page, blocked, errors = open_page(browser, f"{server}/agriculture?{QUERY}", DESKTOP)
    try:
        maps = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').filter(has=page.locator(".maplibregl-canvas"))
        assert maps.count() == 0
        summary = page.locator('[data-testid="stExpander"] summary').filter(has_text=t("map.title", "vi")).first
        summary.scroll_into_view_if_needed()
        summary.click()
        maps.first.wait_for(timeout=30_000)
        wait_until_idle(page, quiet_ms=1500)  # the run that fits the map to its column's width has ended
        # A late rerun may still swap the map's element: find it afresh on each poll, not through a handle.
        page.wait_for_function("""() => {
            const map = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
                .find(e => e.querySelector('.maplibregl-canvas'));
            map?.scrollIntoView({block: 'center'});
            return !!map;
        }""", timeout=30_000)
        page.wait_for_function(DRAWN, timeout=30_000)
        assert maps.count() == 1  # only the opened one
        assert problems_on(page) == [] and app_errors(errors) == [] and blocked == []
    finally:
        ctx.close()


def test_language_switch_keeps_the_filters(server, browser):
    """Vietnamese → English → Vietnamese with the sidebar: the period, comparison and scope stay as chosen.

    (A selectbox hands back its option's label, which changes with the language: before the fix the
    second switch fell back to the latest quarter, the previous period and all units.)
    """
    query = "pk=quarter&p=2025-Q3&cmp=yoy&scope=xa"
    ctx, page, blocked, errors = open_page(browser, f"{server}/?{query}", DESKTOP)
    label = {lg: periods.parse("2025-Q3").label(lg) for lg in ("vi", "en")}
    try:
        for lang, shown in (("en", "English"), ("vi", "Tiếng Việt")):
            before = h1(page)
            page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
            page.get_by_role("option", name=shown, exact=True).click()
            page.wait_for_function("before => document.querySelector('h1')?.innerText.trim() !== before", arg=before,
                                   timeout=30_000)
            wait_until_idle(page)
            assert h1(page) == t("overview.title", lang, period=label[lang])
            caption = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
            assert t("scope.xa", lang) in caption
            assert t("compare.vs", lang, period=periods.parse("2024-Q3").label(lang)) in caption
            for param in query.split("&")[1:]:
                assert param in page.url
            assert ("lang=en" in page.url) == (lang == "en")
        assert problems_on(page) == [] and app_errors(errors) == [] and blocked == []
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def markup_data(tmp_path_factory):
    """A copy of the sample where one dossier's unit and one event's label are HTML with script.

    The dossiers are a small spread of the sample's (every 5,000th row) in ``dossiers.csv``, the only
    dossier file of the folder; the markup row is line 12 (the header is line 1).
    """
    d = tmp_path_factory.mktemp("markup") / "data"
    d.mkdir()
    for f in settings.ROOT.joinpath("data").iterdir():
        if f.name != "dossiers.csv.gz":
            shutil.copy(f, d / f.name)
    with gzip.open(settings.ROOT / "data" / "dossiers.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        header = next(rows)
        sample = list(itertools.islice(rows, 0, None, 5000))
    bad = list(sample[3])
    bad[header.index("dossier_id")], bad[header.index("unit")] = "MARKUP-1", MARKUP
    with open(d / "dossiers.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *sample[:10], bad, *sample[10:]])
    with open(d / "events.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(["2025-07-15", MARKUP, ""])
    return d


def assert_inert(page) -> None:
    """The markup is text on the page: no script ran, no image element was made from it."""
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.locator('img[src="x"]').count() == 0
    assert MARKUP in page.inner_text("body")


def test_markup_in_the_data_is_shown_as_text(markup_data, browser, tmp_path):
    """A unit named with HTML makes the dossiers invalid: the error names file, line, column and value,
    as text. With the dossiers fixed, the event label with HTML is listed as text under the charts."""
    with streamlit_server(tmp_path, data_dir=markup_data) as url:
        for path in ("", "profile"):  # every page shows the refusal, deep links too
            ctx, page, blocked, errors = open_page(browser, f"{url}/{path}?{QUERY}", DESKTOP,
                                                   ready='[data-testid="stAlertContentError"]')
            try:
                assert page.locator('[data-testid="stAlertContentError"]').inner_text().strip() == t("app.no_valid_data", "vi")
                text = page.inner_text("body")
                assert "dossiers.csv, dòng 12, cột «unit»" in text and f"giá trị «{MARKUP}»" in text
                assert_inert(page)
                assert blocked == []
            finally:
                ctx.close()
        rows = (markup_data / "dossiers.csv").read_text(encoding="utf-8").splitlines()
        (markup_data / "dossiers.csv").write_text("\n".join(r for r in rows if not r.startswith("MARKUP-1")) + "\n",
                                                  encoding="utf-8")
        for path in ("dossiers", "tourism", "agriculture"):  # the events are listed under their charts
            ctx, page, blocked, errors = open_page(browser, f"{url}/{path}?{QUERY}", DESKTOP)
            try:
                assert problems_on(page) == []
                assert_inert(page)
                assert app_errors(errors) == [] and blocked == []
            finally:
                ctx.close()
