"""A real browser (Playwright driving Debian's Chromium) opens every page of the running app.

One Streamlit server on a free port serves the bundled sample. Every request that would
leave localhost is blocked and recorded: the app must draw everything offline. Screenshots
go to ``test-artifacts/browser/`` (ignored by git) for people to look at.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

import pytest

from communes import settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = settings.ROOT / "test-artifacts" / "browser"
VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
_ROUTES = re.findall(r'url_path="([^"]+)"([^\n]*)', (settings.ROOT / "app.py").read_text(encoding="utf-8"))
PAGES = [name for name, _ in _ROUTES]
DEFAULT = next(name for name, rest in _ROUTES if "default=True" in rest)
QUERY = "pk=quarter&p=2025-Q3"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    env = {**os.environ, "COMMUNES_DB_DIR": str(tmp_path_factory.mktemp("browser-db"))}
    log = open(tmp_path_factory.mktemp("log") / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=settings.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start within 90 s")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync", "--disable-quic"])
        yield b
        b.close()


def open_page(browser, url: str, viewport: tuple[int, int]):
    """Open ``url`` with outside requests blocked; wait until the script and its charts are done."""
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="vi-VN")
    blocked: list[str] = []
    errors: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    page = ctx.new_page()
    page.on("console", lambda m: errors.append(f"{m.text} @ {m.location.get('url', '')}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=60_000)
    wait_until_idle(page)
    return ctx, page, blocked, errors


def wait_until_idle(page, quiet_ms: int = 1200, timeout_s: float = 60) -> None:
    """Streamlit shows its status widget while a script runs; wait for it to stay gone, then for charts."""
    deadline = time.time() + timeout_s
    quiet_since = None
    while time.time() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.time()
        elif (time.time() - quiet_since) * 1000 >= quiet_ms:
            break
        page.wait_for_timeout(200)
    plots = page.locator(".js-plotly-plot")
    for i in range(plots.count()):
        plots.nth(i).locator(".main-svg").first.wait_for(state="attached", timeout=30_000)


def _streamlit_probe(message: str) -> bool:
    """Streamlit's client probes for its base path and gets 404s under a page's path; not an app error."""
    return "status of 404" in message and message.endswith(("/_stcore/health", "/_stcore/host-config"))


def problems_on(page) -> list[str]:
    found = [e.inner_text()[:300] for e in page.locator('[data-testid="stException"]').all()]
    found += [e.inner_text()[:300] for e in page.locator('[data-testid="stAlertContentError"]').all()]
    return found


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES)
def test_page_draws_offline_without_errors(server, browser, path, viewport):
    route = "" if path == DEFAULT else path  # the default page lives at the root
    ctx, page, blocked, errors = open_page(browser, f"{server}/{route}?{QUERY}", VIEWPORTS[viewport])
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{path}-{viewport}.png"), full_page=True)
        assert problems_on(page) == []
        assert blocked == [], f"requests left the machine: {blocked[:5]}"
        assert [e for e in errors if not _streamlit_probe(e)] == []
        assert "DỮ LIỆU MẪU" in page.inner_text("body")  # the sample says it is a sample
        if viewport == "phone":  # no horizontal scrolling of the main content
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} is {overflow}px wider than the phone screen"
    finally:
        ctx.close()
