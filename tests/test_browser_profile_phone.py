"""The profile page in a real browser on a phone (390×844, a phone's User-Agent, touch) and on a desktop, served by
``python -m communes serve`` on the sample: the phone gets the phone layout without asking (no Plotly chart, two
small SVG charts, nothing wider than the screen, the sample marker and the quick view's link in view), the
toggle switches to the full layout and back, and a desktop gets the full layout. Screenshots go to
``test-artifacts/browser/``."""
from __future__ import annotations

import re

from browser_helpers import ARTIFACTS, VIEWPORTS, app_errors, new_context, problems_on, screenshot_all, wait_until_idle
from test_browser_mobile import ready

PQ = "19873"  # Phường Phong Quảng
URL = "/profile?unit=Phường Phong Quảng&pk=quarter&p=2025-Q3"
PHONE = {"user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/139.0.0.0 Mobile Safari/537.36", "is_mobile": True, "has_touch": True}
PLOTLY = '[data-testid="stPlotlyChart"]'
CHOSEN = '[data-testid="stButtonGroup"] button[aria-checked="true"]'


def opened(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=120_000)
    wait_until_idle(page, timeout_s=120)


# the cards' labels and values whose text is wider than its box (cut short with "…")
CUT = """() => [...document.querySelectorAll('[data-testid="stMetricLabel"] p, [data-testid="stMetricValue"] p')]
    .filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.textContent)"""


def chosen(page) -> list[str]:
    return [b.inner_text().strip() for b in page.locator(CHOSEN).all()]


def test_profile_on_a_phone_and_on_a_desktop(server, browser):
    ready(server)
    ctx, blocked, errors = new_context(browser, VIEWPORTS["phone"], **PHONE)
    page = ctx.new_page()
    opened(page, server + URL)
    assert page.locator("h1").first.inner_text().strip() == "Phường Phong Quảng"
    assert chosen(page) == ["Điện thoại", "Diễn biến"]  # the phone layout, its first section
    assert "layout=" not in page.url  # recognised from the request, not asked for
    assert page.locator(".js-plotly-plot").count() == 0 and page.locator(PLOTLY).count() == 0
    assert page.locator("svg.chart").count() == 2
    assert all(s.bounding_box()["width"] > 300 for s in page.locator("svg.chart").all())  # drawn across the screen
    assert page.get_by_text("DỮ LIỆU MẪU").first.is_visible()
    quick = page.get_by_role("link", name=re.compile("Bản xem nhanh trên điện thoại"))
    assert re.search(rf"/m/{PQ}\?", quick.get_attribute("href"))
    # who the unit is and its headline come first: the quick view's link and the first cards on the first screen
    assert quick.bounding_box()["y"] < VIEWPORTS["phone"][1]
    assert page.locator('[data-testid="stMetric"]').count() == 8
    assert page.evaluate("() => document.documentElement.scrollWidth") <= VIEWPORTS["phone"][0]
    assert page.evaluate(CUT) == []  # two cards side by side: long labels wrap, nothing cut short
    assert problems_on(page) == []
    screenshot_all(page, ARTIFACTS / "profile-phone.png")  # the whole page in view: any chart would mount
    assert page.locator(PLOTLY).count() == 0 and page.locator("svg.chart").count() == 2

    # the toggle: the full layout on the same phone, kept in the URL, and back
    page.locator('[data-testid="stButtonGroup"] button', has_text="Đầy đủ").click()
    page.wait_for_url(re.compile(r"layout=full"), timeout=60_000)
    wait_until_idle(page, timeout_s=120)
    assert chosen(page) == ["Đầy đủ"]
    page.wait_for_selector(PLOTLY, state="attached", timeout=60_000)  # charts mount as they come into view
    assert page.locator("svg.chart").count() == 0
    page.locator('[data-testid="stButtonGroup"] button', has_text="Điện thoại").first.click()
    page.wait_for_function("() => !location.search.includes('layout=')", timeout=60_000)
    wait_until_idle(page, timeout_s=120)
    assert chosen(page) == ["Điện thoại", "Diễn biến"] and page.locator("svg.chart").count() == 2

    # one section at a time: the merger's tables replace the trend
    page.locator('[data-testid="stButtonGroup"] button', has_text="Sáp nhập").click()
    page.wait_for_url(re.compile(r"sec=merger"), timeout=60_000)
    wait_until_idle(page, timeout_s=120)
    assert page.locator("svg.chart").count() == 0 and page.get_by_role("heading", name="Trước và sau sáp nhập").count() == 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= VIEWPORTS["phone"][0]
    screenshot_all(page, ARTIFACTS / "profile-phone-merger.png")
    page.locator('[data-testid="stButtonGroup"] button', has_text="Lĩnh vực").click()
    page.wait_for_url(re.compile(r"sec=sectors"), timeout=60_000)
    wait_until_idle(page, timeout_s=120)
    assert page.get_by_role("heading", name="Du lịch").count() == 1 and page.locator("svg.chart").count() >= 1
    assert page.evaluate(CUT) == []  # "20,6 tỷ đồng" wraps in half the screen
    assert blocked == [] and app_errors(errors) == []
    ctx.close()

    # a desktop gets the full layout
    ctx, blocked, errors = new_context(browser, VIEWPORTS["desktop"])
    page = ctx.new_page()
    opened(page, server + URL)
    assert chosen(page) == ["Đầy đủ"]
    page.wait_for_selector(PLOTLY, state="attached", timeout=60_000)
    assert page.locator("svg.chart").count() == 0
    assert problems_on(page) == [] and blocked == [] and app_errors(errors) == []
    ctx.close()
