"""Capacity of the deployed shape: N leaders' sessions against ``python -m communes stack``, without browsers.

Usage: ``python bench/capacity.py [--replicas 1 2] [--sessions 50] [--think 10] [--seconds 180] [--ramp 30]
[--data DIR] [--db-dir DIR] [--url URL]``.

Each session speaks Streamlit's own websocket protocol with Streamlit's protobuf classes, as the page's
JavaScript does, so no core of the server's machine is spent drawing pages and the figures are the
server's: it fetches the page's HTML through nginx, opens ``/_stcore/stream`` (subprotocol ``streamlit``),
sends a ``rerun_script`` BackMsg (query string and page, as the page sends on load) and times until the
``script_finished`` ForwardMsg. Then, every ``--think`` seconds on average (uniform 0,5×–1,5×), it either
switches to another page of the app (two in three; the page's script hash from the ``navigation``
message, as the sidebar's link sends it) or changes one sidebar filter (period, comparison or scope) to
another of its options, sending the widget states the page holds with that one changed, and times it the
same way. Sessions start spread over ``--ramp`` seconds, each on a random page with random filters.

An error is a run that shows an exception, a run not finished within ``--timeout`` seconds, or a closed
websocket; the red boxes a page draws (``st.error``: a data finding such as a field without specialists)
are listed apart. Reported per replica count: actions, errors, p50/p95 of the time until the script
finished (all actions; first opens apart), the stack's CPU (nginx and every replica, in cores, over the
measured period) and its RSS (peak), the generator's own CPU, and the machine's load average.

What it leaves out: the static files (a browser fetches them once, then from its cache; nginx serves them
from its own cache without the replicas), drawing (the leader's device), and the maps in closed expanders
(drawn only when opened). Before the measured period every page is run once on each replica (warm caches,
as after the first leaders of the morning).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import websockets  # noqa: E402
from browser_helpers import PAGES, free_port, route  # noqa: E402
from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from bench.browser import EXTRA, load_avg, machine, tree_cpu_s, tree_rss_mb  # noqa: E402

FILTERS = ["pk=quarter&p=2025-Q3", "pk=month&p=2026-09", "pk=year&p=2025&scope=xa", "pk=quarter&p=2026-Q2&cmp=yoy",
           "pk=month&p=2025-07&scope=phuong", "pk=quarter&p=2025-Q4&lang=en"]
# Sidebar select boxes a session may change (in the order the frame draws them): 0 language, 1 period kind
# (left alone: "custom" swaps in date pickers), then the period, the comparison and the scope.
FILTER_BOXES = [2, 3, 4]
SIDEBAR = 1  # delta_path[0] of the sidebar's elements


class Run:
    """What one script run sent: its finish, errors shown, the sidebar's select boxes, the page's query string."""

    def __init__(self):
        self.finished: int | None = None
        self.errors: list[str] = []
        self.boxes_shown: list[str] = []  # red boxes the page drew (st.error): listed, not failures of the server
        self.boxes: dict[tuple, object] = {}  # delta path → Selectbox proto


class Session:
    def __init__(self, base: str, rnd: random.Random, timeout: float, cookies: dict | None = None):
        self.base, self.rnd, self.timeout = base, rnd, timeout
        self.ws = None
        self.pages: dict[str, str] = {}  # url_pathname → page_script_hash
        self.page_hash = ""
        self.query = ""
        self.cookies = dict(cookies or {})
        self.widgets: dict[str, object] = {}  # widget id → WidgetState the page holds

    async def open(self, path: str, query: str) -> tuple[float, Run]:
        """A first visit: the page's HTML through nginx (its replica cookie), the websocket, the first run."""
        t0 = time.perf_counter()
        url = f"{self.base}/{route(path)}?{query}"

        def fetch():
            req = urllib.request.Request(url, headers={"Cookie": self.cookie_header()} if self.cookies else {})
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                r.read()
                return r.headers.get_all("Set-Cookie") or []

        for c in await asyncio.to_thread(fetch):
            name, _, value = c.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        ws_url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout,
                                           additional_headers={"Cookie": self.cookie_header()} if self.cookies else None,
                                           ping_interval=None)
        self.query = query
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = route(path)
        run = await self._run(msg)
        return time.perf_counter() - t0, run

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def switch(self, path: str) -> tuple[float, Run]:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = self.pages[route(path)]
        msg.rerun_script.widget_states.widgets.extend(self.widgets.values())
        t0 = time.perf_counter()
        run = await self._run(msg)
        return time.perf_counter() - t0, run

    async def change_filter(self, box) -> tuple[float, Run]:
        held = self.widgets.get(box.id)
        current = held.string_value if held is not None else box.raw_value  # a rerun's element may omit its value
        options = [o for o in box.options if o != current]
        state = BackMsg().rerun_script.widget_states.widgets.add()
        state.id, state.string_value = box.id, self.rnd.choice(options)
        self.widgets[box.id] = state
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_script_hash = self.page_hash
        msg.rerun_script.widget_states.widgets.extend(self.widgets.values())
        t0 = time.perf_counter()
        run = await self._run(msg)
        return time.perf_counter() - t0, run

    async def _run(self, msg: BackMsg) -> Run:
        await self.ws.send(msg.SerializeToString())
        run = Run()
        deadline = time.perf_counter() + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"script not finished within {self.timeout:g} s")
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), left))
            kind = fwd.WhichOneof("type")
            if kind == "delta":
                self._delta(fwd, run)
            elif kind == "new_session":
                self.page_hash = fwd.new_session.page_script_hash or self.page_hash
                self.pages.update({p.url_pathname: p.page_script_hash for p in fwd.new_session.app_pages})
            elif kind == "navigation":
                self.pages.update({p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages})
                self.page_hash = fwd.navigation.page_script_hash or self.page_hash
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "session_event" and fwd.session_event.WhichOneof("type") == "script_compilation_exception":
                run.errors.append(f"compile error: {fwd.session_event.script_compilation_exception.message}")
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the app reran itself (st.rerun): its next run is the answer
                run.finished = fwd.script_finished
                if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    run.errors.append("compile error")
                return run

    def _delta(self, fwd, run: Run) -> None:
        el = fwd.delta.new_element if fwd.delta.WhichOneof("type") == "new_element" else None
        if el is None:
            return
        what = el.WhichOneof("type")
        if what == "exception":
            run.errors.append(f"exception: {el.exception.type}: {el.exception.message[:160]}")
        elif what == "alert" and el.alert.format == Alert.ERROR:
            run.boxes_shown.append(el.alert.body[:160])
        elif what == "selectbox" and list(fwd.metadata.delta_path)[:1] == [SIDEBAR]:
            run.boxes[tuple(fwd.metadata.delta_path)] = el.selectbox
            if el.selectbox.raw_value and el.selectbox.id not in self.widgets:
                state = BackMsg().rerun_script.widget_states.widgets.add()
                state.id, state.string_value = el.selectbox.id, el.selectbox.raw_value
                self.widgets[el.selectbox.id] = state

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def leader(base: str, n: int, delay: float, until: float, think: float, timeout: float, results: list,
                 errors: list, seed: int) -> None:
    """One leader: a first visit, then actions with think time until ``until``."""
    rnd = random.Random(seed * 1000 + n)
    await asyncio.sleep(delay)
    s = Session(base, rnd, timeout)
    path = rnd.choice(PAGES)
    what = f"open /{path}"
    try:
        secs, run = await s.open(path, rnd.choice(FILTERS) + EXTRA.get(path, ""))
        results.append({"kind": "open", "s": secs, "at": time.time(), "boxes": run.boxes_shown, "what": what})
        errors.extend(f"{what}: {e}" for e in run.errors)
        here, boxes = path, run.boxes
        while time.time() < until:
            await asyncio.sleep(think * rnd.uniform(0.5, 1.5))
            if time.time() >= until:
                break
            sidebar = [boxes[k] for k in sorted(boxes)]
            if rnd.random() < 2 / 3 or len(sidebar) <= max(FILTER_BOXES):
                here = rnd.choice([p for p in PAGES if p != here and route(p) in s.pages])
                what = f"switch to /{here}"
                secs, run = await s.switch(here)
                kind = "switch"
            else:
                box = sidebar[rnd.choice(FILTER_BOXES)]
                what = f"filter «{box.label}» on /{here}"
                secs, run = await s.change_filter(box)
                kind = "filter"
            results.append({"kind": kind, "s": secs, "at": time.time(), "boxes": run.boxes_shown, "what": what})
            errors.extend(f"{what}: {e}" for e in run.errors)
            boxes = run.boxes or boxes
    except Exception as exc:  # noqa: BLE001 — every failure of a session is an error of the run, counted
        errors.append(f"{what}: {type(exc).__name__}: {exc}")
    finally:
        try:
            await s.close()
        except Exception:  # noqa: BLE001
            pass


async def warm(base: str, replicas: int, timeout: float) -> None:
    """Every page once on every replica (the replica cookie chooses it), so caches are as after the first leaders."""
    for i in range(replicas):
        for path in PAGES:
            s = Session(base, random.Random(i), timeout, {"communes_replica": f"r{i}"})
            try:
                _, run = await s.open(path, FILTERS[0] + EXTRA.get(path, ""))
                if run.errors or run.boxes_shown:
                    print(f"warm-up /{path} on r{i}: {run.errors + run.boxes_shown}", file=sys.stderr)
            finally:
                await s.close()


def quantile(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def start_stack(replicas: int, data: Path, db_dir: Path, run_dir: Path, log) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "COMMUNES_DATA_DIR": str(data), "COMMUNES_DB_DIR": str(db_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "communes", "stack", "--replicas", str(replicas), "--port", str(port),
                             "--host", "127.0.0.1", "--replica-port", str(free_port()), "--dir", str(run_dir)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 600
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"stack exited with {proc.returncode}")
        try:
            st = json.loads((run_dir / "stack.json").read_text())
            if st["replicas"] and all(r["healthy"] for r in st["replicas"]) and all(
                    json.loads(urllib.request.urlopen(f"http://127.0.0.1:{r['port']}/healthz", timeout=10).read())
                    .get("ready") for r in st["replicas"]):
                return proc, f"http://127.0.0.1:{port}"
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.5)
    raise RuntimeError("stack not ready within 600 s")


def stop_stack(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure(args, replicas: int, data: Path, db_dir: Path) -> dict:
    run_dir = Path(tempfile.mkdtemp(prefix="communes-capacity-"))
    log = open(run_dir.parent / f"{run_dir.name}.log", "w")  # noqa: SIM115 - the stack writes to it until closed below
    proc, base = start_stack(replicas, data, db_dir, run_dir, log)
    try:
        asyncio.run(warm(base, replicas, args.timeout))
        results: list[dict] = []
        errors: list[str] = []
        samples: list[float] = []
        load_before = load_avg()

        async def run_all():
            t0 = time.time()
            until = t0 + args.ramp + args.seconds
            tasks = [asyncio.create_task(leader(base, n, args.ramp * n / args.sessions, until, args.think, args.timeout,
                                                results, errors, args.seed)) for n in range(args.sessions)]
            measured = {}

            async def sample():
                # The measured period starts when every session is open (after the ramp).
                await asyncio.sleep(args.ramp)
                measured["cpu0"], measured["t0"] = tree_cpu_s(proc.pid), time.time()
                measured["self0"] = resource.getrusage(resource.RUSAGE_SELF)
                while time.time() < until:
                    samples.append(tree_rss_mb(proc.pid))
                    await asyncio.sleep(2)
                measured["cpu1"], measured["t1"] = tree_cpu_s(proc.pid), time.time()
                measured["self1"] = resource.getrusage(resource.RUSAGE_SELF)
                measured["load"] = load_avg()

            await asyncio.gather(sample(), *tasks)
            return measured

        m = asyncio.run(run_all())
        wall = m["t1"] - m["t0"]
        gen = (m["self1"].ru_utime + m["self1"].ru_stime - m["self0"].ru_utime - m["self0"].ru_stime) / wall
        steady = [r["s"] for r in results if r["at"] >= m["t0"]]
        return {
            "replicas": replicas, "sessions": args.sessions, "think": args.think, "actions": len(results),
            "steady_actions": len(steady), "errors": errors,
            "boxes": sorted({f"{r['what'].split(':')[0]}: {b}" for r in results for b in r["boxes"]}),
            "p50": quantile([r["s"] for r in results], 0.5), "p95": quantile([r["s"] for r in results], 0.95),
            "p50_steady": quantile(steady, 0.5), "p95_steady": quantile(steady, 0.95),
            "p95_open": quantile([r["s"] for r in results if r["kind"] == "open"], 0.95),
            "max": max((r["s"] for r in results), default=float("nan")),
            "cpu": (m["cpu1"] - m["cpu0"]) / wall, "rss_peak": max(samples, default=0.0), "gen_cpu": gen,
            "load_before": load_before, "load_after": m["load"], "wall": wall,
            "rate": len(steady) / wall,
        }
    finally:
        stop_stack(proc)
        log.close()
        shutil.rmtree(run_dir, ignore_errors=True)


def fmt(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def report(args, rows: list[dict], data: Path) -> None:
    print(f"\nCapacity: {args.sessions} sessions, think {fmt(args.think)} s, {args.seconds} s measured after a "
          f"{args.ramp} s ramp; {machine()}; data {data}")
    print()
    print("| replicas | actions | errors | p50 (s) | p95 (s) | p95 first open (s) | max (s) | stack CPU (cores) "
          "| stack RSS peak (MB) | generator CPU (cores) | load avg before → after |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['replicas']} | {r['actions']} | {len(r['errors'])} | {fmt(r['p50'])} | {fmt(r['p95'])} | "
              f"{fmt(r['p95_open'])} | {fmt(r['max'])} | {fmt(r['cpu'])} | {r['rss_peak']:.0f} | {fmt(r['gen_cpu'])} | "
              f"{r['load_before']} → {r['load_after']} |")
    for r in rows:
        for e in r["errors"][:10]:
            print(f"- {r['replicas']} replicas: {e}")
        if len(r["errors"]) > 10:
            print(f"- … {len(r['errors']) - 10} more")
        for b in r["boxes"][:10]:
            print(f"- {r['replicas']} replicas, a red box the page drew (content, not a failure): {b}")
    for r in rows:
        per_action = r["cpu"] * r["wall"] / max(1, r["steady_actions"])
        print(f"\n{r['replicas']} replicas: {r['rate']:.2f} actions/s measured, stack CPU {per_action:.2f} s per action "
              f"(steady p50 {fmt(r['p50_steady'])} s, p95 {fmt(r['p95_steady'])} s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--think", type=float, default=10.0)
    ap.add_argument("--seconds", type=int, default=180, help="measured time after the ramp")
    ap.add_argument("--ramp", type=float, default=30.0)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--db-dir", type=Path, help="database folder to use (built there if needed); default a temporary one")
    args = ap.parse_args()
    db_dir = args.db_dir or Path(tempfile.mkdtemp(prefix="communes-capacity-db-"))
    try:
        rows = [measure(args, n, args.data.resolve(), db_dir.resolve()) for n in args.replicas]
    finally:
        if args.db_dir is None:
            shutil.rmtree(db_dir, ignore_errors=True)
    report(args, rows, args.data)


if __name__ == "__main__":
    main()
