"""Browser benchmark: time to a drawn page in a real browser, cold and warm, and the server's memory.

Usage: ``python bench/browser.py [--data DIR] [--runs 3] [--log FILE] [--db-dir DIR] [--no-floor]``.

Starts the dashboard as the README does (``python -m communes serve``: the database is built by a child
process while the server starts) on a free loopback port with ``COMMUNES_DATA_DIR=DIR`` (default: the
bundled sample) and an empty temporary ``COMMUNES_DB_DIR`` (or ``--db-dir``, a folder already built).
Playwright drives Debian's Chromium (viewport 1440×900, every request that would leave localhost
blocked) through every page of ``app.py`` with ``?pk=quarter&p=2025-Q3`` (the profile with ``&unit=19873``):

- cold: server start → ``/_stcore/health`` OK, then the default page (``/``) → drawn, which
  includes the database build; then each other page's first visit;
- warm: after every page was visited once, each page again in a new browser tab of the same
  context (a new Streamlit session, shared caches), median of ``--runs`` visits;
- floor: the same new-tab visit to a minimal Streamlit app (a title; a title and one Plotly chart), to
  tell the framework's own cost from the dashboard's;
- in-app switch: in one open tab, a click on each page's sidebar link (what a user does between
  pages: the frontend and Plotly's code stay loaded), median of ``--runs`` switches.

"Drawn" means: the script's run is over (Streamlit's status widget ``[data-testid="stStatusWidget"]``
gone and, since ``client.toolbarMode = "minimal"`` in ``.streamlit/config.toml`` hides that widget,
``stApp``'s ``data-test-script-state`` = ``notRunning``), an ``h1`` present, no lazy element still a
skeleton (``stSkeleton``: Plotly's code loads after the script's output arrives) and every
``.js-plotly-plot`` with its ``.main-svg`` attached, all of it holding for 300 ms. The check runs
inside the page every 25 ms; the time reported is when that state began (the quiet window is not
counted). "Script done" is when the run ended, and "server CPU" the CPU seconds the server used
during a visit, so the server's share and the browser's can be told apart (CPU seconds vary less with
the machine's load than times do, but still do: other processes on the same cores slow them too).
The server's RSS (with its children) is sampled every 0.5 s.

Prints Markdown tables. Targets: warm page ≤ 1 s, cold start ≤ 10 s, server RSS ≤ 600 MB at
sample scale and ≤ 2 GB at 10 M dossier rows. ``--log FILE`` keeps the server's output. Linux only
(/proc); a visit that does not draw within ``--timeout`` is reported under the tables.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

try:
    import psutil
except ImportError:  # /proc is read instead
    psutil = None

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

# Chromium, its options, the app's pages and the default filters: the same as the browser tests'.
from browser_helpers import CHROMIUM, CHROMIUM_ARGS, DEFAULT, PAGES, QUERY, VIEWPORTS, free_port, new_context, route  # noqa: E402

EXTRA = {"profile": "&unit=19873"}
QUIET_MS = 300
WARM_TARGET_S, COLD_TARGET_S = 1.0, 10.0
SAMPLE_RSS_MB, LARGE_RSS_MB = 600, 2048

# Runs in the page: resolves with the Date.now() at which the drawn state began and then held QUIET_MS,
# and the one at which the script's run had ended (so server time and drawing time can be told apart).
# With afterRun (an in-app switch), a run must have started since the click; a document reloaded by the
# click (window.__ran unset) counts too, and is flagged. With charts false, charts are not waited for (the load
# test's browsers may skip Plotly's code, see bench/load.py).
DRAWN_JS = """async ({quietMs, timeoutMs, afterRun, charts = true}) => {
  const q = (sel) => document.querySelector(sel);
  const started = () => !afterRun || window.__ran !== false || q('h1')?.textContent !== window.__oldH1;
  const done = () => started() && q('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'
    && !q('[data-testid="stStatusWidget"]') && q('h1') !== null;
  const drawn = () => done() && (!charts || (!q('[data-testid="stSkeleton"]')
    && [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))));
  const start = Date.now();
  let doneSince = null, since = null;
  return await new Promise((resolve, reject) => {
    const tick = () => {
      const now = Date.now();
      doneSince = done() ? (doneSince ?? now) : null;
      if (!drawn()) since = null;
      else if (since === null) since = now;
      else if (now - since >= quietMs) return resolve({
        at: since, scriptDone: doneSince, reloaded: afterRun && window.__ran === undefined,
        plots: document.querySelectorAll('.js-plotly-plot').length,
        errors: document.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContentError"]').length,
      });
      if (now - start > timeoutMs) return reject(new Error(`${location.pathname} not drawn within ${timeoutMs} ms: script ${
        q('[data-testid="stApp"]')?.getAttribute('data-test-script-state')}, h1 ${!!q('h1')}, skeletons ${
        document.querySelectorAll('[data-testid="stSkeleton"]').length}, charts without svg ${
        [...document.querySelectorAll('.js-plotly-plot')].filter(p => !p.querySelector('.main-svg')).length}`));
      setTimeout(tick, 25);
    };
    tick();
  });
}"""

# Runs in the page: clicks the sidebar link to ``path`` and returns the click's Date.now(). The new page
# counts as started (window.__ran) once the script state attribute changes or the h1 differs from the old
# page's: a fast run's "running" and "notRunning" can reach React in one batch and never show in the DOM.
SWITCH_JS = """(path) => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__ran = false;
  window.__oldH1 = document.querySelector('h1')?.textContent;
  window.__observer?.disconnect();
  window.__observer = new MutationObserver(() => { window.__ran = true; });
  window.__observer.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  const link = [...document.querySelectorAll('[data-testid="stSidebarNav"] a')]
    .find(a => new URL(a.href).pathname.replace(/^\\/+/, '') === path);
  const start = Date.now();
  link.click();
  return start;
}"""


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out += [int(c) for c in task.read_text().split()]
        except OSError:
            pass
    return out


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its descendants: the server's work, whatever the load."""
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def tree_rss_mb(pid: int) -> float:
    """RSS of ``pid`` and all its descendants, in MB (psutil when installed, else /proc)."""
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0.0
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total / 2**20
    total_kb = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            pass
    return total_kb / 1024


class RssSampler(threading.Thread):
    """Samples the server tree's RSS every ``interval`` seconds and keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak = max(self.peak, tree_rss_mb(self.pid))
            self.stopped.wait(self.interval)

    def stop(self) -> float:
        self.stopped.set()
        self.join()
        return self.peak


def machine() -> str:
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")), 0)
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    return f"{os.cpu_count()} cores ({model}), {mem / 2**20:.1f} GB memory"


def load_avg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def dossier_rows(db_dir: Path) -> int | None:
    """Dossier rows in the database the server built (read after the server stopped)."""
    import duckdb

    try:
        path = db_dir / (db_dir / "CURRENT").read_text().strip()
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute("select count(*) from dossiers").fetchone()[0]
    except (OSError, duckdb.Error):
        return None


def sample_scale(data: Path) -> float | None:
    try:
        return float(json.loads((data / "sample.json").read_text(encoding="utf-8"))["scale"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def start_server(data: Path, db_dir: Path, log) -> tuple[subprocess.Popen, str, float]:
    """Start the dashboard as the README does; return the process, its URL and the seconds to health OK."""
    env = {**os.environ, "COMMUNES_DATA_DIR": str(data), "COMMUNES_DB_DIR": str(db_dir)}
    return start_streamlit([sys.executable, "-m", "communes", "serve"], ROOT, env, log)


def start_streamlit(command: list[str], cwd: Path, env: dict, log) -> tuple[subprocess.Popen, str, float]:
    """Start ``command`` plus the server options on a free loopback port; wait for ``/_stcore/health``."""
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*command, "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - t0 < 120:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return proc, url, time.perf_counter() - t0
        except OSError:
            time.sleep(0.05)
    stop_server(proc)
    raise RuntimeError("streamlit did not answer /_stcore/health within 120 s")


def stop_server(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def page_url(base: str, path: str) -> str:
    return f"{base}/{route(path)}?{QUERY}{EXTRA.get(path, '')}"


def visit(ctx, url: str, timeout_s: float, server_pid: int) -> dict:
    """Open ``url`` in a new tab; return seconds from navigation to drawn, the server's CPU seconds meanwhile,
    charts and errors shown."""
    page = ctx.new_page()
    try:
        cpu0, t0 = tree_cpu_s(server_pid), time.time()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        return drawn(page, t0, timeout_s) | {"cpu": tree_cpu_s(server_pid) - cpu0}
    except PlaywrightError as exc:
        return failed(url, exc)
    finally:
        page.close()


def drawn(page, t0: float, timeout_s: float, after_run: bool = False) -> dict:
    """Wait in the page until it is drawn; times are seconds since ``t0`` (``time.time()``)."""
    res = page.evaluate(DRAWN_JS, {"quietMs": QUIET_MS, "timeoutMs": timeout_s * 1000, "afterRun": after_run})
    return {"seconds": res["at"] / 1000 - t0, "script": res["scriptDone"] / 1000 - t0, "plots": res["plots"],
            "errors": res["errors"], "reloaded": res["reloaded"]}


def failed(what: str, exc: Exception) -> dict:
    """A visit that did not draw: no time, and the reason, printed under the tables."""
    return {"seconds": math.nan, "script": math.nan, "cpu": math.nan, "plots": 0, "errors": 0, "reloaded": False,
            "failure": f"{what}: {str(exc).splitlines()[0][:300]}"}


def switches(ctx, base: str, order: list[str], runs: int, timeout_s: float) -> dict[str, list[dict]]:
    """In one tab, go from page to page by the sidebar's links (one session, Plotly's code loaded once)."""
    out: dict[str, list[dict]] = {q: [] for q in order}
    page = ctx.new_page()
    try:
        page.goto(page_url(base, order[0]), wait_until="commit", timeout=timeout_s * 1000)
        drawn(page, time.time(), timeout_s)
        for _ in range(runs):
            for q in [*order[1:], order[0]]:
                try:
                    start = page.evaluate(SWITCH_JS, route(q))
                    out[q].append(drawn(page, start / 1000, timeout_s, after_run=True))
                except PlaywrightError as exc:
                    out[q].append(failed(f"switch to /{q}", exc))
                    page.goto(page_url(base, q), wait_until="commit", timeout=timeout_s * 1000)
                    drawn(page, time.time(), timeout_s)  # start the next switch from a drawn page
    except PlaywrightError as exc:
        for q in order:
            out[q].append(failed("in-app switches", exc))
    finally:
        page.close()
    return out


# The framework's own floor: the same new-tab visit to a Streamlit app with nothing but a title, and with a
# title and one small Plotly chart (Streamlit loads Plotly's code, about 4,7 MB, in every new tab).
FLOOR_APPS = {
    "Streamlit, a title only": 'import streamlit as st\nst.title("Floor")\n',
    "Streamlit, a title and one Plotly bar chart": (
        'import plotly.graph_objects as go\nimport streamlit as st\nst.title("Floor")\n'
        'st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2])))\n'),
}


def floor(browser, runs: int, timeout_s: float) -> dict[str, list[dict]]:
    """New-tab visits (after one warm-up) to the minimal apps of ``FLOOR_APPS``, same browser and settings."""
    out = {}
    for label, code in FLOOR_APPS.items():
        tmp = Path(tempfile.mkdtemp(prefix="bench-floor-"))
        (tmp / "floor.py").write_text(code, encoding="utf-8")
        proc = None
        try:
            with open(tmp / "streamlit.log", "w", encoding="utf-8") as log:
                proc, base, _ = start_streamlit(
                    [sys.executable, "-m", "streamlit", "run", "floor.py", "--client.toolbarMode", "minimal"],
                    tmp, dict(os.environ), log)
                ctx, _, _ = new_context(browser, VIEWPORTS["desktop"])
                visit(ctx, base, timeout_s, proc.pid)
                out[label] = [visit(ctx, base, timeout_s, proc.pid) for _ in range(runs)]
                ctx.close()
        finally:
            stop_server(proc)
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def median(visits: list[dict], key: str = "seconds") -> float:
    xs = [v[key] for v in visits if not math.isnan(v[key])]
    return statistics.median(xs) if xs else math.nan


def fmt_s(x: float) -> str:
    return "–" if math.isnan(x) else f"{x:.2f}"


def ok(value: float, target: float) -> str:
    return "?" if math.isnan(value) else "✓" if value <= target else "✗"


def measure(data: Path, runs: int, timeout_s: float, log_copy: str | None, db_dir: Path | None = None,
            with_floor: bool = True) -> dict:
    """Start a server (on an empty database folder unless ``db_dir``), drive the browser through the pages,
    stop everything; then, with ``with_floor``, the framework's floor."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    if db_dir is None:
        db_dir = tmp / "db"
        db_dir.mkdir()
    log_path = tmp / "streamlit.log"
    proc = sampler = None
    r: dict = {"blocked": [], "load_before": load_avg()}  # blocked: filled by new_context
    try:
        with open(log_path, "w", encoding="utf-8") as log:
            proc, base, r["start"] = start_server(data, db_dir, log)
            sampler = RssSampler(proc.pid)
            sampler.start()
            r["rss_idle"] = tree_rss_mb(proc.pid)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                ctx, r["blocked"], _ = new_context(browser, VIEWPORTS["desktop"])  # requests off the machine blocked
                order = [DEFAULT, *[q for q in PAGES if q != DEFAULT]]
                cold = {order[0]: visit(ctx, page_url(base, order[0]), timeout_s, proc.pid)}
                r["peak_first"] = sampler.peak  # includes serve's build process (RSS is with children)
                cold |= {q: visit(ctx, page_url(base, q), timeout_s, proc.pid) for q in order[1:]}
                r["rss_cold"] = tree_rss_mb(proc.pid)
                warm: dict[str, list[dict]] = {q: [] for q in order}
                for _ in range(runs):
                    for q in order:
                        warm[q].append(visit(ctx, page_url(base, q), timeout_s, proc.pid))
                r["cold"], r["warm"] = cold, warm
                r["switched"] = switches(ctx, base, order, runs, timeout_s)
                r["rss_end"] = tree_rss_mb(proc.pid)
                ctx.close()
                r["peak"] = sampler.stop()
                stop_server(proc)
                r["floor"] = floor(browser, runs, timeout_s) if with_floor else {}
                browser.close()
    finally:
        if sampler is not None and sampler.is_alive():
            sampler.stop()
        stop_server(proc)
        if log_copy:
            shutil.copy(log_path, log_copy)
        r["rows"] = dossier_rows(db_dir) if proc is not None and proc.poll() is not None else None
        r["prebuilt"] = not str(db_dir).startswith(str(tmp))
        shutil.rmtree(tmp, ignore_errors=True)
    r["load_after"] = load_avg()
    return r


def report(r: dict, data: Path, runs: int) -> None:
    """Print the Markdown tables."""
    rows, scale = r["rows"], sample_scale(data)
    rows_text = f"{rows:,} dossier rows (counted in the built database)" if rows is not None else "dossier rows unknown"
    if scale is not None:
        rows_text += f"; sample.json scale {scale:g}"
    large = (rows or 0) > 2_000_000 or (scale or 1) > 2
    rss_target = LARGE_RSS_MB if large else SAMPLE_RSS_MB
    cold, warm, switched = r["cold"], r["warm"], r["switched"]
    first = cold[DEFAULT]
    print(f"Data: {data} ({rows_text})  ")
    print(f"Machine: {machine()}; load average {r['load_before']} before, {r['load_after']} after  ")
    print(f"Browser: Chromium (Playwright), {'×'.join(map(str, VIEWPORTS['desktop']))}, every page with ?{QUERY} "
          f"(profile: {EXTRA['profile'][1:]}); warm = median of {runs} visits in new tabs  ")
    print(f"Targets: warm page ≤ {WARM_TARGET_S:g} s, cold start ≤ {COLD_TARGET_S:g} s, server RSS ≤ {SAMPLE_RSS_MB} MB "
          f"at sample scale and ≤ {LARGE_RSS_MB / 1024:g} GB at 10 M dossier rows\n")

    total = r["start"] + first["seconds"]
    print("| cold start | seconds | target |")
    print("|---|---:|---:|")
    print(f"| server start → health OK | {fmt_s(r['start'])} | |")
    built = "database already built (--db-dir)" if r["prebuilt"] else "includes what is left of the database build"
    print(f"| first page (`/`) navigation → script done ({built}) | {fmt_s(first['script'])} | |")
    print(f"| first page (`/`) navigation → drawn | {fmt_s(first['seconds'])} | |")
    print(f"| server CPU during the first page | {fmt_s(first['cpu'])} | |")
    print(f"| total: start → first page drawn | {fmt_s(total)} | ≤ {COLD_TARGET_S:g} s {ok(total, COLD_TARGET_S)} |\n")

    print(f"| page | cold first visit (s) | warm median (s) | warm max (s) | warm script done, median (s) "
          f"| warm server CPU, median (s) | in-app switch, median (s) | charts | errors shown | warm ≤ {WARM_TARGET_S:g} s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
    for q in cold:
        med = median(warm[q])
        worst = max((v["seconds"] for v in warm[q] if not math.isnan(v["seconds"])), default=math.nan)
        errors = max(v["errors"] for v in [cold[q], *warm[q], *switched[q]])
        print(f"| {q}{' (`/`)' if q == DEFAULT else ''} | {fmt_s(cold[q]['seconds'])} | {fmt_s(med)} | {fmt_s(worst)} "
              f"| {fmt_s(median(warm[q], 'script'))} | {fmt_s(median(warm[q], 'cpu'))} | {fmt_s(median(switched[q]))} "
              f"| {cold[q]['plots']} | {errors} | {ok(med, WARM_TARGET_S)} |")
    if r["floor"]:
        print(f"\nThe framework's floor: the same new-tab visit, same browser, to a minimal Streamlit app "
              f"(median of {runs} after one warm-up):\n")
        print("| minimal app | new tab → drawn, median (s) | script done, median (s) |")
        print("|---|---:|---:|")
        for label, vs in r["floor"].items():
            print(f"| {label} | {fmt_s(median(vs))} | {fmt_s(median(vs, 'script'))} |")
    print("\nWarm = a new tab (a new session: the browser boots Streamlit's frontend and loads Plotly's code again); "
          "server CPU = CPU seconds the server used during the visit (less sensitive to the load than times); "
          "in-app switch = a click on the page's sidebar link in one open tab (the session's period is kept; "
          "the profile, opened without ?unit=, shows its default unit).\n")

    print("| server RSS (MB, with children) | idle after start | peak until the first page was drawn (database build) "
          "| after every page once | after the warm visits | peak (0.5 s samples) | target |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(f"| Streamlit | {r['rss_idle']:.0f} | {r['peak_first']:.0f} | {r['rss_cold']:.0f} | {r['rss_end']:.0f} "
          f"| {r['peak']:.0f} | ≤ {rss_target} after every page {ok(max(r['rss_cold'], r['rss_end']), rss_target)} |")

    visits = [v for q in cold for v in [cold[q], *warm[q], *switched[q]]]
    failures = [v["failure"] for v in visits if "failure" in v]
    reloads = sum(v["reloaded"] for q in switched for v in switched[q])
    if failures:
        print(f"\n{len(failures)} visit(s) not drawn (left out of the medians):")
        for f in failures[:10]:
            print(f"- {f}")
    if reloads:
        print(f"\n{reloads} in-app switch(es) reloaded the whole document instead of switching in place.")
    if r["blocked"]:
        print(f"\nBlocked {len(r['blocked'])} request(s) leaving localhost, e.g. {r['blocked'][:3]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT / "data"), help="folder of exports (default: the bundled sample)")
    ap.add_argument("--runs", type=int, default=3, help="warm visits per page (median reported)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds one page may take to draw")
    ap.add_argument("--log", default=None, help="copy the Streamlit server's log here")
    ap.add_argument("--db-dir", default=None, help="an already built database folder (default: a fresh, empty one)")
    ap.add_argument("--no-floor", action="store_true", help="skip the minimal-app floor measurement")
    args = ap.parse_args()

    def terminated(signum, _frame):
        raise SystemExit(128 + signum)  # so the finally blocks stop the server and remove the temp folder

    signal.signal(signal.SIGTERM, terminated)
    data = Path(args.data).resolve()
    report(measure(data, args.runs, args.timeout, args.log, Path(args.db_dir).resolve() if args.db_dir else None,
                   not args.no_floor), data, args.runs)


if __name__ == "__main__":
    main()
