"""Load test: N browser sessions cycle through the pages with different filters against one server.

Usage: ``python bench/load.py [--sessions 20] [--seconds 90]``. Loopback only, bounded in time.
A copy of the sample is served from a temporary folder; halfway through, one export file is
changed, so the server rebuilds the database while sessions keep working. Reports errors,
p50/p95 page time, server RSS, and whether any page showed a data version other than the
old or the new one (each script run pins one database version, so pages cannot mix them).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = re.findall(r'url_path="([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))
FILTERS = ["pk=quarter&p=2025-Q3", "pk=month&p=2026-09", "pk=year&p=2025&scope=xa", "pk=quarter&p=2026-Q2&cmp=yoy",
           "pk=month&p=2025-07&scope=phuong", "pk=quarter&p=2025-Q4&lang=en"]


def rss_mb(pid: int) -> float:
    total = 0
    for p in [pid, *[int(x) for x in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                      text=True).stdout.split()]]:
        try:
            for line in open(f"/proc/{p}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


async def session(browser, base: str, until: float, times: list, errors: list, versions: list, seed: int) -> None:
    rnd = random.Random(seed)
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})
    await ctx.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    page = await ctx.new_page()
    while time.time() < until:
        path = rnd.choice(PAGES)
        url = f"{base}/{'' if path == PAGES[0] else path}?{rnd.choice(FILTERS)}"
        t0 = time.perf_counter()
        try:
            await page.goto(url, wait_until="domcontentloaded", timeout=60_000)
            await page.wait_for_selector("h1", timeout=60_000)
            # until the script run is over (the status widget is hidden by toolbarMode = "minimal")
            await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                                         timeout=60_000)
            times.append(time.perf_counter() - t0)
            if await page.locator('[data-testid="stException"]').count():
                errors.append(f"exception on {url}")
            m = re.search(r"(?:phiên bản dữ liệu|data version) ([0-9a-f]{8})", await page.inner_text("body"))
            versions.append(m.group(1) if m else None)
        except Exception as exc:  # noqa: BLE001 — every failure is a reported error
            errors.append(f"{url}: {type(exc).__name__}: {str(exc)[:120]}")
    await ctx.close()


async def main_async(args) -> None:
    from playwright.async_api import async_playwright

    data = Path(tempfile.mkdtemp(prefix="load-data-"))
    for f in (ROOT / "data").iterdir():
        shutil.copy(f, data / f.name)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "COMMUNES_DATA_DIR": str(data), "COMMUNES_DB_DIR": tempfile.mkdtemp(prefix="load-db-")}
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                               "--server.address", "127.0.0.1", "--server.headless", "true"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(180):
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    times, errors, versions = [], [], []
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                                    "--disable-component-update", "--no-first-run"])
            warm = await browser.new_page()  # the first visit builds the database: not part of the load
            await warm.goto(base, timeout=180_000)
            await warm.wait_for_selector("h1", timeout=180_000)
            await warm.close()
            until = time.time() + args.seconds
            tasks = [asyncio.create_task(session(browser, base, until, times, errors, versions, i))
                     for i in range(args.sessions)]
            await asyncio.sleep(args.seconds / 2)
            with open(data / "events.csv", "a", encoding="utf-8") as fh:  # the data changes mid-run
                fh.write("2026-10-30,Cập nhật dữ liệu (kiểm thử tải),\n")
            reload_at = len(times)
            await asyncio.gather(*tasks)
            await browser.close()
        rss = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    seen = sorted({v for v in versions if v})
    after = {v for v in versions[reload_at + args.sessions * 3:] if v}
    print(f"{args.sessions} sessions × {args.seconds} s against one server; data changed once at half time.\n")
    print("| page loads | errors | p50 (s) | p95 (s) | server RSS (MB) | data versions seen |")
    print("|---:|---:|---:|---:|---:|---|")
    q = statistics.quantiles(times, n=20) if len(times) >= 20 else [float("nan")] * 19
    p50 = statistics.median(times) if times else float("nan")
    print(f"| {len(times)} | {len(errors)} | {p50:.2f} | {q[18]:.2f} | {rss:.0f} | "
          f"{', '.join(seen)} (latest loads: {', '.join(sorted(after))}) |")
    for e in errors[:10]:
        print("-", e)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=int, default=90)
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
