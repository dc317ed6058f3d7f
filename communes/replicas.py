"""One replica of the deployed shape (``communes.stack``): a ``serve`` process on a free loopback port,
started so that it dies with the stack, and its health as the stack checks it.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import urllib.request
from dataclasses import dataclass, field

try:  # loaded here, not in the forked child (other threads may hold the loader's lock)
    import ctypes

    _LIBC = ctypes.CDLL("libc.so.6", use_errno=True)
except OSError:
    _LIBC = None


def die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when the stack dies, even by SIGKILL (Linux), and a process
    group of its own, so that a stop reaches the replica's children too."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    os.setsid()


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def pick_ports(start: int, n: int, taken: set[int] = frozenset()) -> list[int]:
    """``n`` free loopback ports from ``start`` upward."""
    out, p = [], start
    while len(out) < n:
        if p > 65535:
            raise RuntimeError("không còn cổng trống cho các bản sao")
        if p not in taken and port_free(p):
            out.append(p)
        p += 1
    return out


def health(port: int, timeout: float = 10.0) -> dict | None:
    """A replica's health: ``/healthz`` (JSON: pid, version, ready, started_at) when the app has it, else
    Streamlit's ``/_stcore/health``; None when it does not answer."""
    base = f"http://127.0.0.1:{port}"
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=timeout) as r:
            body = json.loads(r.read().decode("utf-8"))
            if isinstance(body, dict) and "pid" in body:
                return body
    except (OSError, ValueError):
        pass
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=timeout) as r:
            if r.read().strip() == b"ok":
                return {"ready": True}
    except OSError:
        pass
    return None


@dataclass
class Replica:
    index: int
    port: int
    proc: subprocess.Popen | None = None
    started: float = 0.0
    started_at: str = ""
    restarts: int = 0
    healthy: bool = False
    failures: int = 0
    crashes: int = 0  # quick deaths in a row (backoff)
    next_start: float = 0.0
    ready_at: float | None = None  # time.time() of its first good health check
    last: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"r{self.index}"
