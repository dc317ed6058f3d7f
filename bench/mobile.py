"""Mobile benchmark: the site-visit page, the profile page and the framework's floor on a phone over mobile data.

Usage: ``python bench/mobile.py [--data DIR] [--db-dir DIR] [--runs 1] [--unit CODE] [--log FILE]``.

Lighthouse's mobile profile in one run, with Playwright driving Debian's Chromium: a 390×844 viewport
(a phone, touch, device pixel ratio 3, Lighthouse's phone's User-Agent, so that the profile page draws its
phone layout), the CPU slowed 4× (CDP ``Emulation.setCPUThrottlingRate``) and
"Slow 4G" (CDP ``Network.emulateNetworkConditions``: 150 ms latency, 1,6 Mbit/s down, 750 kbit/s up).
No request may leave the machine (Chromium's host resolver maps every other host to nothing). Routing
requests through Playwright is not used: it turns the browser's cache off, and the second visits
measure that cache.

1. ``python -m communes load`` (the bundled sample unless ``--data``) into an empty temporary folder, or
   ``--db-dir`` (brought up to date first), then ``python -m communes serve`` on a free port; once
   ``/healthz`` says ready, one unmeasured visit of each page warms the server's caches (so the figures
   are the browser's and the network's, not the database build's).
2. ``/m/{unit}?pk=quarter&p=2025-Q3`` in a fresh context (empty cache): navigation → load event, and the
   bytes over the wire (CDP ``encodedDataLength`` of every response; the page has no WebSocket).
3. ``/profile?unit=Phường Phong Quảng&pk=quarter&p=2025-Q3``: first visit in a fresh context (empty
   cache), then a second visit in a new tab of the same context (frontend files cached): navigation →
   drawn (the script's run over, an ``h1``, no skeleton, every Plotly chart drawn; ``bench/browser.py``'s
   check), and the bytes over the wire, WebSocket messages included. The phone sees the page's phone
   layout; the same with ``&layout=full`` measures the full layout on the same phone, for comparison.
4. The same for a minimal Streamlit app (a title, one metric, one Plotly bar), served by plain
   ``streamlit run``: the framework's floor.

Prints a Markdown table with the ratios and the targets: profile first visit ≤ 2,5 × the minimal app's
second; profile second visit ≤ 1,3 × the minimal app's second; ``/m/`` loaded ≤ 2,5 s and ≤ 300 KB.
With ``--runs N`` each figure is the median of N visits (each first visit in its own fresh context), with
the fastest and the slowest beside it.
"""
from __future__ import annotations

import argparse
import base64
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_helpers import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from bench.browser import DRAWN_JS, QUIET_MS, load_avg, machine, start_server, start_streamlit, stop_server  # noqa: E402

VIEWPORT = {"width": 390, "height": 844}
CPU_SLOWDOWN = 4
# Lighthouse's phone (a Moto G Power) with this Chromium's major version: pages that lay out for phones see one
USER_AGENT = ("Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/{major}.0.0.0 Mobile Safari/537.36")
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
QUERY = "pk=quarter&p=2025-Q3"
PROFILE_UNIT = "Phường Phong Quảng"
TARGET_FIRST, TARGET_SECOND = 2.5, 1.3  # × the minimal app's second visit
TARGET_M_S, TARGET_M_KB = 2.5, 300
ARGS = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]
MINIMAL_APP = ('import plotly.graph_objects as go\nimport streamlit as st\n'
               'st.title("Floor")\nst.metric("Tỷ lệ đúng hạn", "94,0 %", "+1,2 điểm %")\n'
               'st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2])))\n')


def phone_context(browser):
    return browser.new_context(viewport=VIEWPORT, device_scale_factor=3, is_mobile=True, has_touch=True,
                               user_agent=USER_AGENT.format(major=browser.version.split('.')[0]), locale="vi-VN")


class Wire:
    """Bytes received by one tab, from the DevTools protocol: every response's encoded length (headers and
    body as they came over the network; 0 from the browser's cache) and every WebSocket message."""

    def __init__(self, ctx, page):
        self.http = 0
        self.ws = 0
        self.requests = 0
        self.cached = 0
        self.cdp = ctx.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.emulateNetworkConditions", NETWORK)
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.requestServedFromCache", self._cached)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)

    def _finished(self, e):
        self.http += int(e.get("encodedDataLength", 0))
        self.requests += 1

    def _cached(self, e):
        self.cached += 1

    def _frame(self, e):
        r = e.get("response", {})
        data = r.get("payloadData", "")
        self.ws += len(base64.b64decode(data)) if r.get("opcode") == 2 else len(data.encode())

    @property
    def kb(self) -> float:
        return (self.http + self.ws) / 1000


def visit(ctx, url: str, streamlit: bool, timeout_s: float) -> dict:
    """Open ``url`` in a new tab of ``ctx`` under the phone profile: seconds to loaded (plain page) or to
    drawn (Streamlit), and the bytes over the wire."""
    page = ctx.new_page()
    wire = Wire(ctx, page)
    try:
        t0 = time.time()
        page.goto(url, wait_until="commit" if streamlit else "load", timeout=timeout_s * 1000)
        loaded = time.time() - t0
        if streamlit:
            res = page.evaluate(DRAWN_JS, {"quietMs": QUIET_MS, "timeoutMs": timeout_s * 1000, "afterRun": False})
            seconds = res["at"] / 1000 - t0
            errors, plots = res["errors"], res["plots"]
            page.wait_for_timeout(500)  # messages still arriving after the drawn state count too
        else:
            seconds, errors, plots = loaded, 0, 0
        return {"seconds": seconds, "load": loaded, "kb": wire.kb, "http_kb": wire.http / 1000, "ws_kb": wire.ws / 1000,
                "requests": wire.requests, "cached": wire.cached, "errors": errors, "plots": plots}
    except PlaywrightError as exc:
        return {"seconds": math.nan, "load": math.nan, "kb": math.nan, "http_kb": math.nan, "ws_kb": math.nan,
                "requests": 0, "cached": 0, "errors": 0, "plots": 0, "failure": str(exc).splitlines()[0][:300]}
    finally:
        page.close()


def first_and_second(browser, url: str, streamlit: bool, runs: int, timeout_s: float) -> tuple[list, list]:
    firsts, seconds = [], []
    for _ in range(runs):
        ctx = phone_context(browser)
        firsts.append(visit(ctx, url, streamlit, timeout_s))
        seconds.append(visit(ctx, url, streamlit, timeout_s))
        ctx.close()
    return firsts, seconds


def wait_ready(base: str, timeout_s: float = 600) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            if json.loads(urllib.request.urlopen(f"{base}/healthz", timeout=5).read())["ready"]:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server was not ready within the time allowed")


def warm_up(browser, urls: list[tuple[str, bool]], timeout_s: float) -> None:
    """One visit of each page, unthrottled, so the server's caches are warm (not measured)."""
    ctx = browser.new_context(viewport=VIEWPORT)
    for url, streamlit in urls:
        page = ctx.new_page()
        try:
            page.goto(url, wait_until="load", timeout=timeout_s * 1000)
            if streamlit:
                page.evaluate(DRAWN_JS, {"quietMs": QUIET_MS, "timeoutMs": timeout_s * 1000, "afterRun": False})
        except PlaywrightError as exc:  # the measured visits report their own failures
            print(f"warm-up {url}: {str(exc).splitlines()[0][:200]}", file=sys.stderr)
        finally:
            page.close()
    ctx.close()


def measure(data: Path, db_dir: Path | None, runs: int, unit: str, timeout_s: float, log_copy: str | None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-mobile-"))
    if db_dir is None:
        db_dir = tmp / "db"
        db_dir.mkdir()
    # the database of the current exports and build code, before the server starts (a no-op when current):
    # a version built by older code would be served, with a notice, while the new one builds
    subprocess.run([sys.executable, "-m", "communes", "load", str(data), "--db", str(db_dir)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    r: dict = {"load_before": load_avg()}
    proc = floor = None
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            with open(tmp / "serve.log", "w", encoding="utf-8") as log:
                proc, base, _ = start_server(data, db_dir, log)
                wait_ready(base)
                m_url = f"{base}/m/{quote(unit)}?{QUERY}"
                profile_url = f"{base}/profile?unit={quote(PROFILE_UNIT)}&{QUERY}"
                full_url = f"{profile_url}&layout=full"
                warm_up(browser, [(m_url, False), (profile_url, True), (full_url, True)], timeout_s)
                r["m"], _ = first_and_second(browser, m_url, False, runs, timeout_s)
                r["profile"] = first_and_second(browser, profile_url, True, runs, timeout_s)
                r["profile_full"] = first_and_second(browser, full_url, True, runs, timeout_s)
                stop_server(proc)
            (tmp / "floor").mkdir()
            (tmp / "floor" / "floor.py").write_text(MINIMAL_APP, encoding="utf-8")
            with open(tmp / "floor.log", "w", encoding="utf-8") as log:
                floor, fbase, _ = start_streamlit(
                    [sys.executable, "-m", "streamlit", "run", "floor.py", "--client.toolbarMode", "minimal"],
                    tmp / "floor", dict(os.environ), log)
                warm_up(browser, [(fbase, True)], timeout_s)
                r["minimal"] = first_and_second(browser, fbase, True, runs, timeout_s)
            browser.close()
    finally:
        stop_server(proc)
        stop_server(floor)
        if log_copy:
            shutil.copy(tmp / "serve.log", log_copy)
        shutil.rmtree(tmp, ignore_errors=True)
    r["load_after"] = load_avg()
    return r


def med(visits: list[dict], key: str = "seconds") -> float:
    xs = [v[key] for v in visits if not math.isnan(v[key])]
    return statistics.median(xs) if xs else math.nan


def f(x: float, digits: int = 2) -> str:
    return "–" if math.isnan(x) else f"{x:.{digits}f}".replace(".", ",")


def ok(value: float, target: float) -> str:
    return "?" if math.isnan(value) else "✓" if value <= target else "✗"


def spread(visits: list[dict], key: str = "seconds") -> str:
    """The fastest and the slowest of several visits ("8,1–9,4"); empty for one."""
    xs = [v[key] for v in visits if not math.isnan(v[key])]
    return f"{f(min(xs), 1)}–{f(max(xs), 1)}" if len(xs) > 1 else ""


def report(r: dict, runs: int, unit: str) -> None:
    (pf, ps), (ff, fs), (mf, ms) = r["profile"], r["profile_full"], r["minimal"]
    floor = med(ms)
    print(f"Machine: {machine()}; load average {r['load_before']} before, {r['load_after']} after  ")
    print(f"Phone profile: {VIEWPORT['width']}×{VIEWPORT['height']}, CPU {CPU_SLOWDOWN}× slower, "
          f"{NETWORK['latency']} ms and {NETWORK['downloadThroughput'] * 8 / 1e6:g} Mbit/s down, a phone's User-Agent; "
          f"{'median of ' + str(runs) + ' runs' if runs > 1 else 'one run'}; Chromium (Playwright)  \n")
    print("| what | seconds | fastest–slowest | over the wire (KB) | × minimal app, second visit | target |")
    print("|---|---:|---:|---:|---:|---|")
    m = med(r["m"])
    m_kb = med(r["m"], "kb")
    print(f"| `/m/{unit}?{QUERY}`, first visit (load event) | {f(m)} | {spread(r['m'])} | {f(m_kb, 0)} | "
          f"| ≤ {f(TARGET_M_S, 1)} s {ok(m, TARGET_M_S)}, ≤ {TARGET_M_KB} KB {ok(m_kb, TARGET_M_KB)} |")
    for label, visits, target in (("profile page, first visit", pf, TARGET_FIRST),
                                  ("profile page, second visit", ps, TARGET_SECOND),
                                  ("profile page, full layout (`&layout=full`), first visit", ff, None),
                                  ("profile page, full layout (`&layout=full`), second visit", fs, None),
                                  ("minimal app, first visit", mf, None), ("minimal app, second visit", ms, None)):
        s = med(visits)
        ratio = s / floor if floor else math.nan
        goal = f"≤ {f(target, 1)}× {ok(ratio, target)}" if target else ""
        print(f"| {label} (drawn) | {f(s)} | {spread(visits)} | {f(med(visits, 'kb'), 0)} | {f(ratio)}× | {goal} |")
    print(f"\nProfile: `/profile?unit={PROFILE_UNIT}&{QUERY}` (on the phone: its phone layout); the minimal app: a "
          "title, one metric, one Plotly bar (plain `streamlit run`). Bytes: HTTP responses as received (compressed) "
          "plus WebSocket messages.")
    for name, visits in (("/m/", r["m"]), ("profile", pf + ps), ("profile, full layout", ff + fs), ("minimal", mf + ms)):
        for v in visits:
            if "failure" in v:
                print(f"- {name}: {v['failure']}")
            elif v.get("errors"):
                print(f"- {name}: {v['errors']} error boxes shown (st.error or an exception)")
    print("\n<details><summary>raw</summary>\n\n```json\n" + json.dumps(r, indent=1, default=str) + "\n```\n</details>")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--db-dir", type=Path, help="a database folder already built (default: a new one)")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--unit", default="19873", help="the unit of /m/{unit} (code or name)")
    ap.add_argument("--timeout", type=float, default=240, help="seconds a visit may take")
    ap.add_argument("--log", help="keep the server's output in this file")
    a = ap.parse_args(argv)
    r = measure(a.data, a.db_dir, a.runs, a.unit, a.timeout, a.log)
    report(r, a.runs, a.unit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
