"""A real browser (Playwright driving Debian's Chromium) opens every page of the running app, in both
languages, in the light and the dark theme, at desktop and phone size.

One Streamlit server on a free port serves the bundled sample (the ``server`` fixture, shared with
``test_browser_flows.py``). Every request that would leave localhost is blocked and recorded: the app
must draw everything offline. The eight pages of one language, theme and size are opened side by side
(one tab each) and then checked one by one. Screenshots of the whole page go to ``test-artifacts/browser/``
(ignored by git) for people to look at.
"""
from __future__ import annotations

import io

import pytest
from browser_helpers import (
    ARTIFACTS,
    DRAWN,
    PAGES,
    QUERY,
    VIEWPORTS,
    app_errors,
    luminance,
    new_context,
    problems_on,
    route,
    screenshot_all,
    wait_until_idle,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from communes import periods, settings
from communes.i18n import t

PERIOD = periods.parse("2025-Q3")
OTHER = {"vi": "en", "en": "vi"}


def heading(path: str, lang: str) -> tuple[str, str]:
    """(selector, text) of a heading each page must show in ``lang``: its title, in that language."""
    label = PERIOD.label(lang)
    titled = {"overview": "overview.title", "dossiers": "dossiers.title", "tourism": "tourism.title",
              "agriculture": "agri.title", "compare": "cmp.title"}
    if path in titled:
        return "h1", t(titled[path], lang, period=label)
    if path == "data":
        return "h1", t("data.title", lang)
    if path == "briefing":
        return "h1", t("brief.s_title", lang, scope=settings.get("province"))
    if path == "visits":
        return "h1", t("visits.city_title", lang)
    if path == "profile":  # its h1 is the unit's name, in Vietnamese in both languages
        return "h2", t("profile.domain_dossiers", lang)
    raise AssertionError(f"no expected heading for page {path!r}: add one")


def url(server: str, path: str, lang: str) -> str:
    return f"{server}/{route(path)}?" + ("lang=en&" if lang == "en" else "") + QUERY


def check(page, shot: bytes, path: str, lang: str, theme: str, viewport: str, blocked: list[str], errors: list[str]) -> list[str]:
    """Everything wrong with one opened page, as sentences (empty when it is fine)."""
    found = [f"error on the page: {p}" for p in problems_on(page)]
    found += [f"request left the machine: {u}" for u in blocked[:5]]
    found += [f"console: {e[:300]}" for e in app_errors(errors)]
    body = page.inner_text("body")
    # the language: the sample banner, the browser tab's title, the navigation and the page's heading
    if t("app.sample_tag", lang) not in body or t("app.sample_banner", lang) not in body:
        found.append(f"no {lang} sample banner")
    if t("app.sample_tag", OTHER[lang]) in body:
        found.append(f"{OTHER[lang]} sample banner shown")
    if page.title() != t("app.tab_title", lang):
        found.append(f"tab title {page.title()!r}, not {t('app.tab_title', lang)!r}")
    nav = page.locator('[data-testid="stSidebarNav"]').text_content() or ""
    missing = [p for p in PAGES if t(f"page.{p}", lang) not in nav]
    other = [p for p in PAGES if t(f"page.{p}", OTHER[lang]) in nav and t(f"page.{p}", OTHER[lang]) != t(f"page.{p}", lang)]
    if missing or other:
        found.append(f"navigation {nav!r}: missing {missing}, other language {other}")
    selector, text = heading(path, lang)
    shown = [h.inner_text().strip() for h in page.locator(selector).all()]
    if text not in shown:
        found.append(f"no {selector} {text!r} (has {shown[:4]})")
    # the theme: the app's background, its text, and every chart's background and tick labels
    colours = page.evaluate("""() => ({
        app: getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor,
        text: getComputedStyle(document.querySelector('h1')).color})""")
    bg, fg = luminance(colours["app"]), luminance(colours["text"])
    if (theme == "dark") != (bg < 0.2) or (theme == "light") != (bg > 0.9):
        found.append(f"{theme} theme but the app's background is {colours['app']}")
    if abs(bg - fg) < 0.5:
        found.append(f"heading colour {colours['text']} on background {colours['app']}")
    found += chart_colours(page, shot, bg)
    if viewport == "phone":  # no horizontal scrolling of the main content
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            found.append(f"{overflow}px wider than the phone screen")
    return found


def chart_colours(page, shot: bytes, page_bg: float) -> list[str]:
    """Each drawn Plotly chart: its top-left corner (paper or map background) is the page's shade, and its
    tick labels contrast with the page (a hard-coded white background or black text shows here).

    ``shot`` is the screenshot of the whole page (``screenshot_all``, JPEG), taken with every chart in view.
    """
    from PIL import Image

    image = Image.open(io.BytesIO(shot)).convert("RGB")
    found = []
    # one snapshot of every chart: a chart redrawn between two calls cannot go missing half-way
    charts = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
        const r = gd.getBoundingClientRect();
        return {x: r.left, y: r.top, width: r.width, height: r.height,
                onTop: gd.contains(document.elementFromPoint(r.left + 6, r.top + 6)),
                fills: [...gd.querySelectorAll('.xtick text, .ytick text')].map(e => getComputedStyle(e).fill)};
    })""")
    for i, box in enumerate(charts):
        if box["width"] < 50 or box["height"] < 50 or not box["onTop"]:  # e.g. inside a closed expander
            continue
        x0, y0 = int(box["x"]) + 2, int(box["y"]) + 2
        if x0 < 0 or y0 < 0 or x0 + 8 > image.width or y0 + 8 > image.height:
            continue
        shades = sorted(luminance(str(image.getpixel((x0 + dx, y0 + dy)))) for dx in range(8) for dy in range(8))
        corner = shades[len(shades) // 2]
        if abs(corner - page_bg) > 0.15:
            found.append(f"chart {i}: background shade {corner:.2f} on a page of shade {page_bg:.2f}")
        low = [f for f in box["fills"] if abs(luminance(f) - page_bg) < 0.35]
        if low:
            found.append(f"chart {i}: {len(low)} tick labels in {low[0]} on a page of shade {page_bg:.2f}")
    return found


_FOLLOWS = """dark => {
    const lum = c => {
        const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(c || '');
        const [r, g, b] = hex ? hex.slice(1).map(h => parseInt(h, 16)) : ((c || '').match(/[\\d.]+/g) || [0, 0, 0]).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && (lum(getComputedStyle(app).backgroundColor) < 0.5) === dark
        && [...document.querySelectorAll('.js-plotly-plot')].every(gd => !gd._fullLayout
            || (lum(gd._fullLayout.font.color) > 0.7) === dark);  // light grey #808495 on light
}"""


def settle_theme(page, theme: str, timeout_ms: int = 10_000) -> None:
    """After the browser's colour preference changed: wait for the app and its charts' text to follow it
    (if they do not, the checks that follow say so)."""
    try:
        page.wait_for_function(_FOLLOWS, arg=theme == "dark", timeout=timeout_ms)
    except PlaywrightTimeout:
        pass
    page.wait_for_function(DRAWN, timeout=30_000)
    page.wait_for_timeout(300)  # the last chart repaints


SWEEPS = [pytest.param(lang, viewport, id=f"{lang}-{viewport}", marks=pytest.mark.xdist_group(f"sweep-{lang}-{viewport}"))
          for lang in ("vi", "en") for viewport in VIEWPORTS]  # each its own group: the four run side by side


@pytest.mark.parametrize(("lang", "viewport"), SWEEPS)
def test_every_page_draws_offline_in_both_themes(server, browser, lang, viewport):
    """Every page opened by a deep link (``?lang=en&pk=quarter&p=2025-Q3`` for English) draws with no error,
    no outside request and no console error, in the language of the link, in the light and the dark theme.

    Streamlit follows the browser's ``prefers-color-scheme``: each page is opened in one scheme (light for
    Vietnamese, dark for English, so both first draws are covered), checked, then the scheme is switched and
    the page checked again. One tab per language and size; every check of every page is reported.
    """
    themes = ["light", "dark"] if lang == "vi" else ["dark", "light"]
    ctx, blocked, errors = new_context(browser, VIEWPORTS[viewport], themes[0])
    page = ctx.new_page()
    failures = {}
    try:
        for path in PAGES:
            blocked.clear()
            errors.clear()
            page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS[viewport])))
            page.emulate_media(color_scheme=themes[0])
            page.goto(url(server, path, lang), wait_until="domcontentloaded")
            page.wait_for_selector("h1", timeout=60_000)
            wait_until_idle(page)
            for i, theme in enumerate(themes):
                if i:
                    page.emulate_media(color_scheme=theme)
                    settle_theme(page, theme)
                shot = screenshot_all(page, ARTIFACTS / f"{lang}-{theme}-{path}-{viewport}.jpg")
                found = check(page, shot, path, lang, theme, viewport, blocked, errors)
                if found:
                    failures[f"{path} ({theme})"] = found
    finally:
        ctx.close()
    assert failures == {}
