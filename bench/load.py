"""Load test: N browser sessions use the dashboard at once against one server; the data changes mid-run.

Usage: ``python bench/load.py [--sessions 20] [--seconds 180] [--think 3] [--ramp 30] [--browser-nice 10] [--charts]``.
Loopback only, bounded in time. A copy of the sample is served (``python -m communes serve``) from a
temporary folder; the database is built before the sessions start.

Each session is one Playwright context (its own cookies, its own Streamlit session) in one shared
Chromium. Sessions start spread over ``--ramp`` seconds, each on a random page with random filters
(a full page load), then act like a leader reading the dashboard: every ``--think`` seconds on
average (uniform 0,5×–1,5×) either switch to another page by its sidebar link (two in three) or change
a sidebar filter (period, comparison or scope: open the select box, take the next option). Each
action is timed to "script done" (the server's answer has arrived) and to "drawn" (every chart drawn,
the same test as ``bench/browser.py``). At half time one export file is changed, so the server builds
a new database version while sessions keep working.

Reported: actions, errors (timeouts, exceptions shown in the page, browser console errors), p50/p95 of
both times, the server's RSS (with children) and CPU share, and the data versions the pages showed:
each script run pins one database version, so a page never mixes two; every page drawn after the
change must show the new version once it is built.

On this 2-core machine the sessions' Chromium renderers share the cores with the server, unlike on a
real deployment, where each leader's browser runs on its own device. Twenty renderers drawing Plotly
charts in software need several cores by themselves (bench/browser.py: 1–2 s of renderer CPU per page),
so by default the load browsers do not draw charts: Streamlit's Plotly component (its 4,7 MB code,
fetched lazily) is answered with an empty component, while the server does exactly the same work (the
figures are built, serialised and sent). ``--charts`` draws them as a real browser does.
``--browser-nice`` lowers the browsers' CPU priority so the server is not starved by the load generator
(0 to give both the same).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, PAGES, app_errors, route  # noqa: E402

from bench.browser import DRAWN_JS, QUIET_MS, machine, start_server, stop_server, tree_cpu_s, tree_rss_mb  # noqa: E402

FILTERS = ["pk=quarter&p=2025-Q3", "pk=month&p=2026-09", "pk=year&p=2025&scope=xa", "pk=quarter&p=2026-Q2&cmp=yoy",
           "pk=month&p=2025-07&scope=phuong", "pk=quarter&p=2025-Q4&lang=en"]
# Sidebar select boxes a session may change: 0 language, 1 period kind (left alone: "custom" swaps in date
# pickers), then the period, the comparison and the scope.
FILTER_BOXES = [2, 3, 4]
# What the load browsers get instead of Streamlit's Plotly chart component without --charts: a component
# that draws nothing (the figure still arrives from the server).
NO_CHART_MODULE = "export function PlotlyChart() { return null; }\nexport default PlotlyChart;\n"
VERSION = re.compile(r"(?:phiên bản dữ liệu|data version) ([0-9a-f]{8})")



class Results:
    def __init__(self):
        self.actions: list[dict] = []
        self.errors: list[str] = []


def console_error(msg, res: Results) -> None:
    """A browser console error is an error (Streamlit's base-path probes excepted: browser_helpers.app_errors)."""
    if msg.type == "error":
        res.errors += app_errors([f"console: {msg.text[:160]} @ {msg.location.get('url', '')}"])


async def wait_drawn(page, start_ms: float, timeout_s: float, after_run: bool, charts: bool = True) -> dict:
    res = await page.evaluate(DRAWN_JS, {"quietMs": QUIET_MS, "timeoutMs": timeout_s * 1000, "afterRun": after_run,
                                         "charts": charts})
    return {"drawn": res["at"] / 1000 - start_ms / 1000, "script": res["scriptDone"] / 1000 - start_ms / 1000,
            "errors": res["errors"]}


async def act(page, rnd: random.Random, doing: dict, frames: list[int], timeout_s: float, charts: bool) -> dict:
    """One action of a reader, described in ``doing["what"]`` before it starts: a page switch by the sidebar,
    or a filter changed to another of its options; its times.

    The action's run has started when the server sends the page a websocket message after the click
    (``frames`` counts them): a fast run's "running" state may never reach the DOM, and a filter such as
    the comparison may leave the page's title as it was.
    """
    if rnd.random() < 2 / 3:
        here = page.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        target = rnd.choice([q for q in PAGES if q != here])
        doing["what"] = f"switch to /{target}"
        target_el = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{route(target)}"]')
    else:
        box = rnd.choice(FILTER_BOXES)
        doing["what"] = f"filter box {box} on {page.url.split('?')[0]}"
        await page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(box).click(
            timeout=timeout_s * 1000)
        options = page.locator('[role="listbox"] [role="option"]:not([aria-selected="true"])')
        await options.first.wait_for(timeout=timeout_s * 1000)
        target_el = options.nth(rnd.randrange(await options.count()))
        doing["what"] += f" → {(await target_el.inner_text()).strip()}"
    before, start = frames[0], time.time()
    await target_el.click(timeout=timeout_s * 1000)
    while frames[0] == before:
        if time.time() - start > timeout_s:
            raise TimeoutError(f"no answer from the server within {timeout_s:g} s")
        await asyncio.sleep(0.01)
    return await wait_drawn(page, start * 1000, timeout_s, after_run=False, charts=charts)


async def answer(r, charts: bool) -> None:
    """Loopback only; without ``charts``, the empty chart component instead of Plotly's."""
    url = r.request.url
    if "127.0.0.1" not in url:
        await r.abort()
    elif not charts and "/static/js/PlotlyChart." in url:
        await r.fulfill(status=200, content_type="text/javascript", body=NO_CHART_MODULE)
    else:
        await r.continue_()


async def session(browser, base: str, delay: float, until: float, think: float, timeout_s: float,
                  res: Results, seed: int, charts: bool) -> None:
    rnd = random.Random(seed)
    await asyncio.sleep(delay)
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})
    await ctx.route("**/*", lambda r: answer(r, charts))
    page = await ctx.new_page()
    page.on("console", lambda m: console_error(m, res))
    frames = [0]  # websocket messages from the server to this page
    page.on("websocket", lambda ws: ws.on("framereceived", lambda _: frames.__setitem__(0, frames[0] + 1)))
    first = True
    while time.time() < until:
        doing = {"what": "think"}
        try:
            if first:
                path = rnd.choice(PAGES)
                url = f"{base}/{route(path)}?{rnd.choice(FILTERS)}"
                doing["what"], t0 = f"open {url}", time.time() * 1000
                await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
                times = await wait_drawn(page, t0, timeout_s, after_run=False, charts=charts)
                first = False
            else:
                await asyncio.sleep(think * rnd.uniform(0.5, 1.5))
                if time.time() >= until:
                    break
                times = await act(page, rnd, doing, frames, timeout_s, charts)
            m = VERSION.search(await page.inner_text("body"))
            res.actions.append({"what": doing["what"], "at": time.time(), "version": m.group(1) if m else None,
                                **times})
            if times["errors"]:
                res.errors.append(f"{doing['what']}: {times['errors']} error box(es) shown")
        except Exception as exc:  # noqa: BLE001 — every failure is a reported error; the session starts over
            res.errors.append(f"{doing['what']}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
            first = True
    await ctx.close()


def quantile(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    return statistics.quantiles(xs, n=100, method="inclusive")[int(q * 100) - 1] if len(xs) > 1 else xs[0]


async def main_async(args) -> None:
    from playwright.async_api import async_playwright

    data = Path(tempfile.mkdtemp(prefix="load-data-"))
    for f in (ROOT / "data").iterdir():
        if f.is_file():
            shutil.copy(f, data / f.name)
    db_dir = Path(tempfile.mkdtemp(prefix="load-db-"))
    subprocess.run([sys.executable, "-m", "communes", "load", str(data), "--db", str(db_dir)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = open(data.parent / f"{data.name}.log", "w", encoding="utf-8")  # noqa: SIM115 - the server writes to it until the end
    server, base, _ = start_server(data, db_dir, log)
    res = Results()
    try:
        if args.browser_nice:
            os.nice(args.browser_nice)  # this process and the browsers it starts; the server keeps its priority
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            warm = await browser.new_page()  # the server's first run: imports and caches, not part of the load
            t0 = time.time() * 1000
            await warm.goto(base, wait_until="commit", timeout=180_000)
            await wait_drawn(warm, t0, 180, after_run=False)
            await warm.close()
            start = time.time()
            until = start + args.seconds
            cpu0 = tree_cpu_s(server.pid)
            tasks = [asyncio.create_task(session(browser, base, i * args.ramp / args.sessions, until, args.think,
                                                 args.timeout, res, i, args.charts)) for i in range(args.sessions)]
            await asyncio.sleep(args.seconds / 2)
            with open(data / "events.csv", "a", encoding="utf-8") as fh:  # the data changes mid-run
                fh.write("2026-10-30,Cập nhật dữ liệu (kiểm thử tải),\n")
            changed = time.time()
            rss_peak = tree_rss_mb(server.pid)
            while any(not t.done() for t in tasks):
                await asyncio.sleep(0.5)
                rss_peak = max(rss_peak, tree_rss_mb(server.pid))
            cpu = tree_cpu_s(server.pid) - cpu0
            wall = time.time() - start
            await browser.close()
        rss = tree_rss_mb(server.pid)
    finally:
        stop_server(server)
        log.close()
    report(args, res, changed, rss, rss_peak, cpu / wall)
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(db_dir, ignore_errors=True)


def report(args, res: Results, changed: float, rss: float, rss_peak: float, cpu_share: float) -> None:
    acts = res.actions
    before = [a["version"] for a in acts if a["at"] < changed and a["version"]]
    old = statistics.mode(before) if before else None
    after = [a for a in acts if a["at"] >= changed and a["version"]]
    new_at = min((a["at"] for a in after if a["version"] != old), default=None)
    stale = [a for a in after if new_at is not None and a["at"] > new_at + 0.5 and a["version"] == old]
    others = sorted({a["version"] for a in acts if a["version"] not in (old, None)})
    print(f"{args.sessions} sessions × {args.seconds} s against one server (`python -m communes serve`), "
          f"started over {args.ramp} s, think time {args.think:g} s on average; the data changed once at half time.  ")
    drawn = "drawn by the load browsers" if args.charts else \
        "not drawn by the load browsers (the server still builds and sends them)"
    print(f"Machine: {machine()}; browsers at nice {args.browser_nice}, server at 0; charts {drawn}.\n")
    print("| actions | errors | script done p50 (s) | p95 (s) | drawn p50 (s) | p95 (s) | server RSS end / peak (MB) "
          "| server CPU (cores) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    s = [a["script"] for a in acts]
    d = [a["drawn"] for a in acts]
    print(f"| {len(acts)} | {len(res.errors)} | {quantile(s, .5):.2f} | {quantile(s, .95):.2f} | {quantile(d, .5):.2f} "
          f"| {quantile(d, .95):.2f} | {rss:.0f} / {rss_peak:.0f} | {cpu_share:.2f} |")
    print()
    kinds = {"open": [a for a in acts if a["what"].startswith("open")],
             "page switch": [a for a in acts if a["what"].startswith("switch")],
             "filter change": [a for a in acts if a["what"].startswith("filter")]}
    print("| action | count | drawn p50 (s) | drawn p95 (s) |")
    print("|---|---:|---:|---:|")
    for k, xs in kinds.items():
        print(f"| {k} | {len(xs)} | {quantile([a['drawn'] for a in xs], .5):.2f} "
              f"| {quantile([a['drawn'] for a in xs], .95):.2f} |")
    print(f"\nData versions: {old} before the change; {', '.join(others) or 'none'} after "
          f"(first shown {new_at - changed:.1f} s after the change); " if new_at else
          f"\nData versions: {old} before the change; the new version was not shown before the end; ", end="")
    print(f"{len(stale)} page(s) drawn after the new version was first shown still showed the old one "
          f"(a session's run that started before the build finished), "
          f"{sum(1 for a in acts if a['version'] is None)} page(s) without a version line.")
    for e in res.errors[:12]:
        print("-", e)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=int, default=180)
    ap.add_argument("--think", type=float, default=3.0, help="mean seconds between a session's actions")
    ap.add_argument("--ramp", type=float, default=30.0, help="seconds over which the sessions start")
    ap.add_argument("--timeout", type=float, default=90.0, help="seconds one action may take")
    ap.add_argument("--browser-nice", type=int, default=10, help="CPU niceness of the browsers (0: same as the server)")
    ap.add_argument("--charts", action="store_true", help="the load browsers draw the charts (default: they do not)")
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
