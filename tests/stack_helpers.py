"""``python -m communes stack`` for the tests: started on free ports with its own run, data and database
folders, waited for, and stopped (SIGTERM, then SIGKILL of whatever is left) in any case."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from browser_helpers import free_port

from communes import settings


class RunningStack:
    def __init__(self, proc: subprocess.Popen, run_dir: Path, url: str, log: Path):
        self.proc, self.run_dir, self.url, self.log = proc, run_dir, url, log

    def state(self) -> dict:
        try:
            return json.loads((self.run_dir / "stack.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def replica(self, name: str) -> dict:
        return next(r for r in self.state().get("replicas", []) if r["name"] == name)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"stack exited with {self.proc.returncode}:\n{self.output()}")
            st = self.state()
            if st.get("replicas") and all(r["healthy"] for r in st["replicas"]) and st.get("nginx_pid"):
                return
            time.sleep(0.3)
        raise RuntimeError(f"stack not ready within {timeout:.0f} s:\n{self.output()}")

    def pids(self) -> list[int]:
        st = self.state()
        return [p for p in [st.get("nginx_pid"), *(r["pid"] for r in st.get("replicas", []))] if p]

    def stop(self, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode


def get(url: str, headers: dict | None = None, timeout: float = 30, context=None):
    """(status, headers, body) of a GET."""
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=timeout, context=context) as r:
        return r.status, r.headers, r.read()


@contextmanager
def running_stack(work: Path, data_dir: Path, replicas: int = 2, tls: tuple[Path, Path] | None = None,
                  timeout: float = 150):
    """The stack on a free port, serving ``data_dir`` with a database folder in ``work/db``; yields a RunningStack."""
    port = free_port()
    run_dir = work / "stack"
    env = {**os.environ, "COMMUNES_DB_DIR": str(work / "db"), "COMMUNES_DATA_DIR": str(data_dir)}
    env.pop("STREAMLIT_SERVER_COOKIE_SECRET", None)
    cmd = [sys.executable, "-m", "communes", "stack", "--replicas", str(replicas), "--port", str(port),
           "--host", "127.0.0.1", "--replica-port", str(free_port()), "--dir", str(run_dir)]
    if tls:
        cmd += ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])]
    log = work / "stack.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=settings.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    stack = RunningStack(proc, run_dir, f"{'https' if tls else 'http'}://127.0.0.1:{port}", log)
    try:
        stack.wait_ready(timeout)
        yield stack
    finally:
        pids = stack.pids()
        stack.stop()
        for pid in pids:  # never leave a server behind, whatever the test did (only our own: checked by name)
            try:
                if b"communes" in Path(f"/proc/{pid}/cmdline").read_bytes() or b"nginx" in Path(
                        f"/proc/{pid}/cmdline").read_bytes():
                    os.killpg(pid, signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass
