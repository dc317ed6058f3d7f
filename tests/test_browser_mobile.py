"""The phone pages in a real browser, served by ``python -m communes serve`` (the ``server`` fixture, on the sample):
at phone size, offline, without a script; the search form works without JavaScript; a saved copy still
shows everything with the network cut; printed on A4 portrait, at most two pages with nothing wider than
the paper. Screenshots and the PDF go to ``test-artifacts/browser/``."""
from __future__ import annotations

import re

from browser_helpers import ARTIFACTS, VIEWPORTS, app_errors, new_context

from communes import refdata, settings

PQ = "19873"  # Phường Phong Quảng
QUERY = "pk=quarter&p=2025-Q3"


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF Chromium wrote (one ``/Type /Page`` object per page; ``/Pages`` is the tree)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def ready(server: str, timeout: float = 240) -> None:
    """Wait until the server answers /m/: the first request waits for the sample's database to be built."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{server}/m/?{QUERY}", timeout=timeout) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, TimeoutError):
            if time.time() > deadline:
                raise
        time.sleep(1)


def test_index_search_without_script_opens_the_unit(server, browser):
    ready(server)
    ctx, blocked, errors = new_context(browser, VIEWPORTS["phone"])
    page = ctx.new_page()
    ctx.set_extra_http_headers({"Accept-Language": "vi"})
    sent = []
    page.on("request", lambda r: sent.append(r.url))
    resp = page.goto(f"{server}/m/?{QUERY}")
    assert resp.status == 200
    assert page.locator("h1").inner_text().startswith("Các xã, phường")
    assert page.locator("script").count() == 0
    assert page.locator("ol.rank li").count() == len(refdata.load(settings.get("province")).units)
    assert page.get_by_text("DỮ LIỆU MẪU").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "mobile-index-phone.png"), full_page=True)
    # the GET form: type a name without its marks, press Enter
    page.fill("input[name=q]", "phong quang")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    assert "q=phong+quang" in page.url and "p=2025-Q3" in page.url  # the period list goes with the search
    links = page.locator("ol.rank a")
    assert links.count() == 1
    links.first.click()
    page.wait_for_load_state()
    assert re.search(rf"/m/{PQ}(\?|$)", page.url), page.url
    assert page.locator("h1").inner_text() == "Phường Phong Quảng"
    assert [u for u in sent if not u.startswith(server)] == [] and blocked == []
    assert app_errors(errors) == []
    ctx.close()


def test_unit_page_on_a_phone_offline_saved_and_printed(server, browser):
    ready(server)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ctx, blocked, errors = new_context(browser, VIEWPORTS["phone"])
    page = ctx.new_page()
    sizes = []
    page.on("response", lambda r: sizes.append((r.url, len(r.body()))))
    resp = page.goto(f"{server}/m/{PQ}?{QUERY}")
    assert resp.status == 200
    html = page.content()
    assert len(sizes) == 1 and sizes[0][1] < 100_000  # one request, the page itself, everything inline
    assert page.locator("script").count() == 0 and page.locator("link[rel=stylesheet]").count() == 0
    assert page.locator("h1").inner_text() == "Phường Phong Quảng"
    ids = page.eval_on_selector_all("section", "els => els.map(e => e.id || e.className)")
    ids = [i for i in ids if i != "visits"]  # the last site visit's follow-up, where the sample has a list
    assert ids[:4] == ["headline", "backlog", "trend", "merger"] and ids.count("sector") == 3 and ids[-2:] == ["staff", "specialists"]
    assert page.locator("svg.chart").count() >= 4
    # nothing wider than the phone: no sideways scrolling
    assert page.evaluate("() => document.documentElement.scrollWidth") <= VIEWPORTS["phone"][0]
    page.screenshot(path=str(ARTIFACTS / "mobile-unit-phone.png"), full_page=True)
    assert blocked == [] and app_errors(errors) == []

    # saved on the phone, opened with the network cut: the same page, charts included
    offline, off_blocked, _ = new_context(browser, VIEWPORTS["phone"])
    offline.route("**/*", lambda r: (off_blocked.append(r.request.url), r.abort()))
    saved = offline.new_page()
    saved.set_content(html)
    assert saved.locator("h1").inner_text() == "Phường Phong Quảng"
    assert saved.locator("svg.chart path.l-unit").count() == 1 and off_blocked == []
    box = saved.locator("svg.chart").first.bounding_box()
    assert box["width"] > 300 and box["height"] > 80  # drawn at the phone's width
    offline.close()

    # printed on A4 portrait: at most two pages, and nothing wider than the paper's printable width
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1000})  # 210 mm − 2 × 10 mm at 96 px per inch
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 718
    assert page.locator("nav.top").is_hidden() and page.locator(".sample-print").is_visible()
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (ARTIFACTS / "mobile-unit-a4.pdf").write_bytes(pdf)
    assert 1 <= pdf_pages(pdf) <= 2
    # the sample's unit with a site visit's follow-up list too (every section, the longest page)
    page.goto(f"{server}/m/phong%20dinh?pk=quarter&p=2025-Q4")
    assert page.locator("section#visits").count() == 1 and page.locator("section.sector").count() >= 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 718
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (ARTIFACTS / "mobile-unit-visits-a4.pdf").write_bytes(pdf)
    assert 1 <= pdf_pages(pdf) <= 2
    ctx.close()


def test_unit_page_in_english_and_errors(server, browser):
    ready(server)
    ctx, _, errors = new_context(browser, VIEWPORTS["phone"])
    page = ctx.new_page()
    page.goto(f"{server}/m/Phong%20Qu%E1%BA%A3ng?lang=en&pk=month&p=2025-08")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("Headline figures").is_visible() and "Aug 2025" in page.content()
    page.goto(f"{server}/m/dan%20dien?lang=en&pk=month&p=2026-08")  # English money words are longer
    assert page.evaluate("() => document.documentElement.scrollWidth") <= VIEWPORTS["phone"][0]
    resp = page.goto(f"{server}/m/nowhere")
    assert resp.status == 404 and page.locator("h1").inner_text() == "Không tìm thấy đơn vị"
    page.locator("a", has_text="Tất cả đơn vị").click()
    page.wait_for_load_state()
    assert re.search(r"/m/$", page.url) and page.locator("ol.rank li").count() > 0
    ctx.close()
