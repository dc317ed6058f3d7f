"""What the browser tests share: a Streamlit server on a free port, Chromium, and opening a page offline.

The ``server`` and ``browser`` fixtures (in ``conftest.py``) are built from these. Every request that
would leave localhost is blocked and recorded; console errors of every tab of a context are recorded.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from communes import settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The tests drive Debian's headless build of the same Chromium when installed (scripts/install.sh): the
# same Blink, without a browser window's own pages, so a new context costs a fifth of the CPU time. The
# benchmarks keep the full browser, as a leader's phone and a desktop run it.
TEST_CHROMIUM = shutil.which("chromium-headless-shell") or CHROMIUM
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
ARTIFACTS = settings.ROOT / "test-artifacts" / "browser"
VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
_ROUTES = re.findall(r'url_path="([^"]+)"([^\n]*)', (settings.ROOT / "app.py").read_text(encoding="utf-8"))
PAGES = [name for name, _ in _ROUTES]
DEFAULT = next(name for name, rest in _ROUTES if "default=True" in rest)
QUERY = "pk=quarter&p=2025-Q3"
MAX_SHOT = 16_000  # px: Chromium's largest screenshot
# A port held bound but never listening: a connection to it is refused at once (the contexts' proxy).
_HELD = socket.socket()
_HELD.bind(("127.0.0.1", 0))
NOWHERE = _HELD.getsockname()[1]


def route(path: str) -> str:
    """The URL path of a page: the default page lives at the root."""
    return "" if path == DEFAULT else path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(work: Path, data_dir: Path | None = None, timeout: float = 90,
                    extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    """Start ``python -m communes serve`` (the README's run command) on a free port, its database in
    ``work/db``, with ``extra`` Streamlit options (e.g. ``--secrets.files F``); (process, base URL) once healthy."""
    port = free_port()
    env = {**os.environ, "COMMUNES_DB_DIR": str(work / "db")}
    if data_dir is not None:
        env["COMMUNES_DATA_DIR"] = str(data_dir)
    with open(work / "streamlit.log", "w") as log:  # the server keeps its own handle
        proc = subprocess.Popen(
            [sys.executable, "-m", "communes", "serve", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false", *extra],
            cwd=settings.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return proc, url
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                stop_process(proc.pid)
                raise RuntimeError(f"streamlit did not start within {timeout:.0f} s; see {work / 'streamlit.log'}") from None
            time.sleep(0.3)


def stop_process(pid: int, timeout: float = 20) -> None:
    """SIGTERM to ``pid``, SIGKILL if it still runs after ``timeout``; returns once it has ended (a zombie
    counts as ended: it may be another process's child, reaped there)."""
    def running() -> bool:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        return stat[stat.rfind(")") + 2] != "Z"

    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.time() + wait
        while running() and time.time() < deadline:
            time.sleep(0.1)
        if not running():
            return


@contextmanager
def streamlit_server(work: Path, data_dir: Path | None = None, timeout: float = 90, extra: tuple[str, ...] = ()):
    """A server of ``start_streamlit`` for the ``with`` block; yields the base URL."""
    proc, url = start_streamlit(work, data_dir, timeout, extra)
    try:
        yield url
    finally:
        stop_process(proc.pid)
        proc.wait()


@contextmanager
def shared_streamlit_server(folder: Path, prepare, timeout: float = 90):
    """One server for every process of the run that asks for it: the first starts it in ``folder`` (after
    ``prepare(work)`` has set up its work folder), the others find it there, and the last to be done with it
    stops it. The count of users is kept in ``folder/server.json`` under the folder's lock. Yields the URL."""
    from communes import db

    state_file = folder / "server.json"
    with db.locked(folder):
        state = json.loads(state_file.read_text()) if state_file.exists() else {}
        if state.get("users"):
            state["users"] += 1
        else:
            work = folder / f"work-{time.time_ns()}"
            work.mkdir(parents=True)
            prepare(work)
            proc, url = start_streamlit(work, timeout=timeout)
            state = {"pid": proc.pid, "url": url, "users": 1}
        state_file.write_text(json.dumps(state))
    try:
        yield state["url"]
    finally:
        with db.locked(folder):
            state = json.loads(state_file.read_text())
            state["users"] -= 1
            if not state["users"]:
                stop_process(state["pid"])
            state_file.write_text(json.dumps(state))


def watch(page, errors: list[str]) -> None:
    """Record the console errors and uncaught exceptions of ``page``."""
    page.on("console", lambda m: errors.append(f"{m.text} @ {m.location.get('url', '')}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))


def new_context(browser, viewport: tuple[int, int], color_scheme: str = "light", **options):
    """A context with outside requests blocked; returns (context, blocked, errors), errors of every tab.
    ``options`` go to Playwright's ``new_context`` (e.g. a phone's ``user_agent``, ``is_mobile``).

    The context's proxy is a port nothing listens on, bypassed for this machine only: a request that would
    leave it fails in Chromium's own network stack and is recorded (``requestfailed``). Nothing of the
    app's own traffic goes through Playwright (routing every request there cost about a third of the
    CPU time of opening a page)."""
    local = ("127.0.0.1", "localhost")
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="vi-VN",
                              color_scheme=color_scheme, proxy={"server": f"http://127.0.0.1:{NOWHERE}",
                                                                "bypass": ",".join(local)}, **options)
    blocked: list[str] = []
    errors: list[str] = []

    def failed(request):
        if (urlparse(request.url).hostname or "") not in local and not request.url.startswith(("data:", "blob:")):
            blocked.append(request.url)

    ctx.on("requestfailed", failed)
    ctx.on("page", lambda p: watch(p, errors))  # new tabs too (a link with target=_blank)
    return ctx, blocked, errors


def open_page(browser, url: str, viewport: tuple[int, int], color_scheme: str = "light", ready: str = "h1"):
    """Open ``url`` with outside requests blocked; wait for ``ready``, then until the script and its charts are done."""
    ctx, blocked, errors = new_context(browser, viewport, color_scheme)
    page = ctx.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(ready, timeout=60_000)
    wait_until_idle(page)
    return ctx, page, blocked, errors


# Streamlit mounts a chart only once its place (an element container with class ``stPrintGraphic``) comes into
# view, and shows a skeleton while Plotly's code loads: in the viewport, no skeleton may be left and every
# such place must hold a drawn chart (a Plotly map: MapLibre loaded).
DRAWN = """() => {
    const shown = e => { const r = e.getBoundingClientRect(); return r.height > 0 && r.bottom > 0 && r.top < innerHeight; };
    return ![...document.querySelectorAll('[data-testid="stSkeleton"]')].some(shown)
        && [...document.querySelectorAll('.stPrintGraphic')].filter(shown).every(c => {
            const gd = c.querySelector('.js-plotly-plot');
            if (!gd) return !!c.querySelector('svg, canvas, img');
            if (!gd.querySelector('.main-svg')) return false;
            const map = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
            return !map || (!!map.map && map.map.loaded());
        });
}"""


def wait_until_idle(page, quiet_ms: int = 600, timeout_s: float = 60) -> None:
    """Wait until the script has finished and stayed so for ``quiet_ms`` (Streamlit's ``data-test-script-state``
    not running: the status widget alone says nothing, ``toolbarMode = "minimal"`` hides it), then until every
    chart in view has drawn (``DRAWN``)."""
    deadline = time.time() + timeout_s
    quiet_since = None
    while time.time() < deadline:
        running = page.evaluate("""() => !!document.querySelector('[data-testid="stStatusWidget"]')
            || document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') !== 'notRunning'""")
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.time()
        elif (time.time() - quiet_since) * 1000 >= quiet_ms:
            break
        page.wait_for_timeout(100)
    page.wait_for_function(DRAWN, timeout=max(1, deadline - time.time()) * 1000)


def _streamlit_probe(message: str) -> bool:
    """Streamlit's client probes for its base path and gets 404s under a page's path; not an app error."""
    return "status of 404" in message and message.endswith(("/_stcore/health", "/_stcore/host-config"))


def app_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if not _streamlit_probe(e)]


def problems_on(page) -> list[str]:
    found = [e.inner_text()[:300] for e in page.locator('[data-testid="stException"]').all()]
    found += [e.inner_text()[:300] for e in page.locator('[data-testid="stAlertContentError"]').all()]
    return found


def h1(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def screenshot_all(page, path: Path) -> bytes:
    """The whole main column, not just the first screen: Streamlit scrolls its main element, not the page,
    so the viewport is stretched to the content's height first (and stays so). Saved and returned, as JPEG
    when ``path`` ends in ``.jpg`` (a page 10.000 px high is encoded and decoded in a fraction of a PNG's time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 0")
    if height > page.viewport_size["height"]:
        page.set_viewport_size({"width": width, "height": min(height, MAX_SHOT)})
        page.wait_for_timeout(300)  # the charts now in view start to mount
        page.wait_for_function(DRAWN, timeout=30_000)
        page.wait_for_timeout(200)
    if path.suffix == ".jpg":
        return page.screenshot(path=str(path), type="jpeg", quality=90)
    return page.screenshot(path=str(path))


def luminance(css_colour: str) -> float:
    """Relative luminance (0 black … 1 white) of an ``rgb()``/``rgba()`` colour (alpha ignored)."""
    nums = [float(x) for x in re.findall(r"[\d.]+", css_colour)]
    r, g, b = (nums + [0, 0, 0])[:3]
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
