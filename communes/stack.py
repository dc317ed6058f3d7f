"""The deployed shape on one machine: nginx in front of N ``serve`` replicas, kept running.

``python -m communes stack [--replicas N] [--port P] [--tls-cert C --tls-key K]`` stays in the
foreground. It writes an nginx configuration into its run folder (``var/stack/`` by default; nothing
system-wide), starts Debian's nginx as a child (``daemon off``) and N replicas
(``python -m communes serve``) on their own loopback ports, restarts a replica that dies or stops
answering its health check, and on SIGTERM or SIGINT stops everything.

**Sticky sessions.** A Streamlit session (its widgets, uploads and media files) lives in one process,
so every request of a browser must reach the replica that holds its websocket. nginx answers each
response with a cookie naming the replica that actually served it (``communes_replica=r0``) and sends
the next requests carrying that cookie to that replica; a browser without the cookie goes to the
least busy one. Each replica's upstream lists the others as backups: when a replica dies, its browsers
reconnect to another one, the cookie follows them there, and they stay there after the dead one is
back (no session is split over two processes).

**One database build at a time.** Every replica checks the exports on each run; when they change,
``communes.db.build`` runs under the database folder's lock (``flock``), so one process builds the new
version and the others, waiting on the lock, find ``CURRENT`` already pointing at it and build nothing.
Each script run reads the version it started with, so no page mixes two.

**Shared secrets.** All replicas get the same cookie secret (kept in the run folder, mode 0600, unless
``STREAMLIT_SERVER_COOKIE_SECRET`` is set), so a signed cookie issued by one replica is valid on the
others after a fail-over.

>>> site = nginx_site([8601, 8602], port=8600)
>>> site.count("upstream communes_r"), "server 127.0.0.1:8601 backup;" in site
(2, True)
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from communes import settings

COOKIE = "communes_replica"
HEALTH_INTERVAL = 5.0  # seconds between two health checks of a running replica
HEALTH_FAILURES = 6  # consecutive failed checks (10 s timeout each) after which a replica counts as hung
STOP_GRACE = 20.0  # seconds a replica or nginx gets to stop after SIGTERM before SIGKILL

def inline_script_hashes() -> list[str]:
    """CSP sources (``'sha256-…'``) of the inline scripts the pages run: Streamlit's page (read from the
    installed Streamlit) and the app's own components (``communes/**/*.html``, e.g. the map's width
    reporter), so the policy allows exactly those and no other inline script."""
    import base64
    import hashlib

    import streamlit

    files = [Path(streamlit.__file__).parent / "static" / "index.html", *sorted((settings.ROOT / "communes").rglob("*.html"))]
    out = []
    for f in files:
        try:
            html = f.read_text(encoding="utf-8")
        except OSError:
            continue
        for body in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
            if body and "{{" not in body and "{%" not in body:  # a server-side template is no page's script
                digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                if f"'sha256-{digest}'" not in out:
                    out.append(f"'sha256-{digest}'")
    return out


def security_headers() -> dict[str, str]:
    """Headers every answer carries. The pages need inline styles (Streamlit's CSS-in-JS), workers from
    blob: URLs (the map), data: images and fonts, and the websocket to their own host; nothing else
    leaves the origin (the product is offline) and no script runs but the page's own files."""
    return {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "SAMEORIGIN",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
        "Content-Security-Policy": "; ".join([
            "default-src 'self'",
            " ".join(["script-src 'self'", *inline_script_hashes()]),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self' ws://$http_host wss://$http_host data: blob:",
            "worker-src 'self' blob:",
            "frame-src 'self'",
            "frame-ancestors 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]),
    }


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def say(message: str) -> None:
    print(f"{datetime.now().strftime('%H:%M:%S')} stack: {message}", flush=True)


# --- the nginx configuration -----------------------------------------------------------------------

def nginx_site(replica_ports: list[int], port: int = 80, host: str = "", tls: tuple[str, str] | None = None,
               upload_mb: int | None = None, cache_dir: str = "/var/cache/nginx/communes",
               access_log: str = "/var/log/nginx/communes.access.log", server_name: str = "_",
               nginx_version: tuple[int, ...] | None = None, redirect_http: bool = False) -> str:
    """The ``http``-level part of the configuration: upstreams, maps, cache and the server.

    The same text serves ``python -m communes stack`` (wrapped by ``nginx_main``) and a server's
    ``/etc/nginx/sites-available/communes`` (``deploy/nginx/communes.conf``, generated from it).
    """
    upload_mb = int(upload_mb if upload_mb is not None else settings.get("upload_max_mb"))
    addr = [f"127.0.0.1:{p}" for p in replica_ports]
    out = ["# Generated by communes.stack.nginx_site (python -m communes stack [--print-site]): regenerate, do not edit.",
           ""]
    out.append("# New browsers go to the least busy replica.")
    out.append("upstream communes_all {")
    out.append("    least_conn;")
    out += [f"    server {a} max_fails=1 fail_timeout=5s;" for a in addr]
    # Idle connections to a replica are closed by nginx before the replica's server does (uvicorn: 5 s), so a
    # request never lands on a connection being closed (that error would send it to another replica).
    out += ["    keepalive 16;", "    keepalive_timeout 4s;", "}", ""]
    out.append("# A browser with a replica cookie goes to that replica; the others stand in while it is down.")
    for i, a in enumerate(addr):
        out.append(f"upstream communes_r{i} {{")
        out.append(f"    server {a} max_fails=1 fail_timeout=5s;")
        out += [f"    server {b} backup;" for b in addr if b != a]
        out += ["    keepalive 8;", "    keepalive_timeout 4s;", "}"]
    out.append("")
    out.append(f"map $cookie_{COOKIE} $communes_upstream {{")
    out.append("    default communes_all;")
    out += [f"    r{i} communes_r{i};" for i in range(len(addr))]
    out += ["}", ""]
    out.append("# The replica that finally answered (the last address tried).")
    out.append("map $upstream_addr $communes_served {")
    out.append('    default "";')
    out += [f'    "~(^|[ ,]){re.escape(a)}$" r{i};' for i, a in enumerate(addr)]
    out += ["}", ""]
    secure = "; Secure" if tls else ""
    out.append("# Set the replica cookie only when it changes (first visit, fail-over).")
    out.append(f'map "$cookie_{COOKIE}|$communes_served" $communes_set_cookie {{')
    out.append(f'    default "{COOKIE}=$communes_served; Path=/; HttpOnly; SameSite=Lax{secure}";')
    out.append(r'    "~^(r\d+)\|\1$" "";')
    out.append(r'    "~\|$" "";')
    out += ["}", ""]
    out.append("map $http_upgrade $communes_connection {")
    out.append("    default upgrade;")
    out.append("    '' '';")
    out += ["}", ""]
    out.append(f"proxy_cache_path {cache_dir} levels=1:2 keys_zone=communes_static:10m max_size=512m "
               "inactive=30d use_temp_path=off;")
    out.append("log_format communes '$remote_addr [$time_local] \"$request\" $status $body_bytes_sent '")
    out.append("                    '$request_time $upstream_addr $upstream_response_time $upstream_cache_status';")
    out.append("")
    out.append("server {")
    listen = f"{host}:{port}" if host else str(port)
    if tls:
        if (nginx_version or _nginx_version()) >= (1, 25, 1):
            out += [f"    listen {listen} ssl;", "    http2 on;"]
        else:  # Debian 12's nginx 1.22 (the websocket still uses HTTP/1.1: nginx does not carry it over HTTP/2)
            out.append(f"    listen {listen} ssl http2;")
        out.append(f"    ssl_certificate {tls[0]};")
        out.append(f"    ssl_certificate_key {tls[1]};")
        out.append("    ssl_protocols TLSv1.2 TLSv1.3;")
        out.append("    ssl_prefer_server_ciphers off;")
        out.append("    ssl_session_cache shared:communes_tls:10m;")
        out.append("    ssl_session_timeout 1d;")
    else:
        out.append(f"    listen {listen};")
    out.append(f"    server_name {server_name};")
    out.append(f"    access_log {access_log} communes;")
    out.append("")
    out.append("    # Uploads of exports (the app refuses more than upload_max_mb itself, with a clear message).")
    out.append(f"    client_max_body_size {upload_mb + 5}m;")
    out.append("    client_body_timeout 60s;")
    out.append("    send_timeout 60s;")
    out.append("    keepalive_timeout 65s;")
    out.append("    proxy_connect_timeout 3s;")
    out.append("    proxy_send_timeout 60s;")
    out.append("    proxy_read_timeout 120s;")
    out.append("    proxy_next_upstream error timeout http_502 http_503;")
    out.append("    proxy_next_upstream_tries 3;")
    out.append("")
    out.append("    gzip on;")
    out.append("    gzip_comp_level 5;")
    out.append("    gzip_min_length 1024;")
    out.append("    gzip_proxied any;")
    out.append("    gzip_vary on;")
    out.append("    gzip_types text/css text/plain text/csv application/javascript text/javascript application/json "
               "image/svg+xml application/wasm application/geo+json;")
    out.append("")
    out.append("    proxy_http_version 1.1;")
    out.append("    proxy_set_header Host $http_host;")
    out.append("    proxy_set_header X-Real-IP $remote_addr;")
    out.append("    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;")
    out.append("    proxy_set_header X-Forwarded-Proto $scheme;")
    out.append("    proxy_set_header Upgrade $http_upgrade;")
    out.append("    proxy_set_header Connection $communes_connection;")
    out.append("")
    for name, value in security_headers().items():
        out.append(f'    add_header {name} "{value}" always;')
    if tls:
        out.append('    add_header Strict-Transport-Security "max-age=31536000" always;')
    out.append("    add_header Set-Cookie $communes_set_cookie always;")
    out.append("    add_header X-Cache-Status $upstream_cache_status always;")
    out.append("")
    out.append("    # The websocket of a Streamlit session: long-lived, never buffered.")
    out.append("    location = /_stcore/stream {")
    out.append("        proxy_pass http://$communes_upstream;")
    out.append("        proxy_read_timeout 1h;")
    out.append("        proxy_send_timeout 1h;")
    out.append("        proxy_buffering off;")
    out.append("    }")
    out.append("")
    out.append("    # Uploads go straight through to the session's replica.")
    out.append("    location /_stcore/upload_file/ {")
    out.append("        proxy_pass http://$communes_upstream;")
    out.append("        proxy_request_buffering off;")
    out.append("        proxy_read_timeout 300s;")
    out.append("    }")
    out.append("")
    out.append("    # Streamlit's static assets (content-hashed names, immutable): cached here, compressed by")
    out.append("    # the app when it can (then kept compressed) or by nginx; served stale while replicas restart.")
    out.append("    location /static/ {")
    out.append("        proxy_pass http://$communes_upstream;")
    out.append("        proxy_cache communes_static;")
    out.append("        proxy_cache_key $request_uri;")
    out.append("        proxy_cache_valid 200 30d;")
    out.append("        proxy_cache_use_stale error timeout updating http_502 http_503;")
    out.append("        proxy_cache_lock on;")
    out.append("    }")
    out.append("")
    out.append("    location / {")
    out.append("        proxy_pass http://$communes_upstream;")
    out.append("    }")
    out.append("}")
    if redirect_http:
        out += ["", "# Plain HTTP only redirects to HTTPS.", "server {", "    listen 80;", f"    server_name {server_name};",
                "    return 301 https://$host$request_uri;", "}"]
    return "\n".join(out) + "\n"


DEPLOY_TLS = ("/etc/communes/tls/fullchain.pem", "/etc/communes/tls/privkey.pem")


def deploy_site(replica_ports: list[int] = (8601, 8602), server_name: str = "_") -> str:
    """The site of a Debian 12 server (``deploy/nginx/communes.conf``): nginx in front of the systemd replicas
    ``communes-replica@8601`` … on HTTPS (443, HTTP redirected), with the city's certificate."""
    return nginx_site(list(replica_ports), 443, "", DEPLOY_TLS,
                      upload_mb=int(settings.SETTINGS["upload_max_mb"].default), server_name=server_name,
                      nginx_version=(1, 22, 1), redirect_http=True)


def _nginx_version() -> tuple[int, ...]:
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    try:
        out = subprocess.run([exe, "-v"], capture_output=True, text=True, timeout=10).stderr
    except OSError:
        return (1, 22, 1)
    m = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(x) for x in m.groups()) if m else (1, 22, 1)


def nginx_main(site: str, run_dir: Path, work: Path, worker_user: str | None = None) -> str:
    """A complete nginx.conf for a non-daemon nginx: its pid in ``run_dir``, the folders its workers write
    in ``work``."""
    tmp = work
    lines = []
    if worker_user:
        lines.append(f"user {worker_user};")
    lines += [
        "daemon off;",
        "worker_processes auto;",
        f"pid {run_dir / 'nginx.pid'};",
        "error_log stderr warn;",
        "worker_shutdown_timeout 10s;",
        "events { worker_connections 4096; }",
        "http {",
        f"    include {_mime_types()};",
        "    default_type application/octet-stream;",
        "    sendfile on;",
        "    tcp_nopush on;",
        "    server_tokens off;",
        f"    client_body_temp_path {tmp / 'body'};",
        f"    proxy_temp_path {tmp / 'proxy'};",
        f"    fastcgi_temp_path {tmp / 'fastcgi'};",
        f"    uwsgi_temp_path {tmp / 'uwsgi'};",
        f"    scgi_temp_path {tmp / 'scgi'};",
    ]
    lines += ["    " + line if line else "" for line in site.splitlines()]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mime_types() -> str:
    for p in ("/etc/nginx/mime.types", "/usr/local/nginx/conf/mime.types"):
        if Path(p).exists():
            return p
    return "mime.types"


# --- processes -------------------------------------------------------------------------------------

try:  # loaded here, not in the forked child (other threads may hold the loader's lock)
    import ctypes

    _LIBC = ctypes.CDLL("libc.so.6", use_errno=True)
except OSError:
    _LIBC = None


def _die_with_parent() -> None:
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


class Stack:
    def __init__(self, replicas: int = 2, port: int = 8500, host: str = "", tls: tuple[str, str] | None = None,
                 run_dir: Path | None = None, replica_port: int | None = None, serve_args: list[str] | None = None):
        if replicas < 1:
            raise ValueError("cần ít nhất 1 bản sao")
        self.port = port
        self.host = host
        self.tls = tls
        self.run_dir = Path(run_dir or settings.ROOT / "var" / "stack").resolve()
        self.serve_args = list(serve_args or [])
        ports = pick_ports(replica_port or port + 1, replicas, taken={port})
        self.replicas = [Replica(i, p) for i, p in enumerate(ports)]
        self.nginx: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.logs = self.run_dir / "logs"
        self.work: Path | None = None  # the folders nginx's workers write (see prepare)

    # -- files ------------------------------------------------------------------------------------
    def prepare(self) -> Path:
        """Write the run folder: nginx.conf, the folders nginx's workers write (temporary bodies, the cache)."""
        for d in (self.run_dir, self.logs):
            d.mkdir(parents=True, exist_ok=True)
        worker_user = None
        if os.geteuid() == 0:
            # Run as root, nginx's workers drop to nobody, who may not traverse the run folder's parents:
            # their writable folders go to a folder of their own under the system's temporary folder.
            import pwd
            import tempfile

            worker_user = "nobody nogroup"
            nobody = pwd.getpwnam("nobody")
            self.work = Path(tempfile.mkdtemp(prefix="communes-nginx-"))
            os.chmod(self.work, 0o755)
        else:
            self.work = self.run_dir / "nginx"
        for sub in ("cache", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.work / sub).mkdir(parents=True, exist_ok=True)
            if worker_user:
                os.chown(self.work / sub, nobody.pw_uid, nobody.pw_gid)
        site = nginx_site([r.port for r in self.replicas], self.port, self.host, self.tls,
                          cache_dir=str(self.work / "cache"), access_log=str(self.logs / "access.log"))
        conf = self.run_dir / "nginx.conf"
        conf.write_text(nginx_main(site, self.run_dir, self.work, worker_user), encoding="utf-8")
        return conf

    def cookie_secret(self) -> str:
        if os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET"):
            return os.environ["STREAMLIT_SERVER_COOKIE_SECRET"]
        path = self.run_dir / "cookie_secret"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(32))
        return path.read_text().strip()

    def write_state(self) -> None:
        state = {
            "pid": os.getpid(),
            "url": self.url,
            "nginx_pid": self.nginx.pid if self.nginx and self.nginx.poll() is None else None,
            "replicas": [{"name": r.name, "port": r.port,
                          "pid": r.proc.pid if r.proc and r.proc.poll() is None else None,
                          "started_at": r.started_at, "ready_at": r.ready_at, "restarts": r.restarts,
                          "healthy": r.healthy,
                          "version": r.last.get("version")} for r in self.replicas],
            "updated_at": now_iso(),
        }
        tmp = self.run_dir / f".stack.json.{os.getpid()}"
        tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
        os.replace(tmp, self.run_dir / "stack.json")

    @property
    def url(self) -> str:
        host = self.host if self.host not in ("", "0.0.0.0", "::") else "127.0.0.1"
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    # -- children ---------------------------------------------------------------------------------
    def start_nginx(self, conf: Path) -> None:
        exe = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(exe).exists():
            raise RuntimeError("không tìm thấy nginx: chạy bash scripts/install.sh (apt-get install nginx)")
        check = subprocess.run([exe, "-t", "-q", "-e", "stderr", "-p", str(self.run_dir), "-c", str(conf)],
                               capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"cấu hình nginx không hợp lệ ({conf}):\n{check.stderr}")
        self.nginx = subprocess.Popen([exe, "-e", "stderr", "-p", str(self.run_dir), "-c", str(conf)],
                                      preexec_fn=_die_with_parent)
        say(f"nginx (pid {self.nginx.pid}) trên {self.url}")

    def start_replica(self, r: Replica) -> None:
        env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret(), "COMMUNES_REPLICA": r.name}
        cmd = [sys.executable, "-m", "communes", "serve", "--server.port", str(r.port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false", *self.serve_args]
        log = open(self.logs / f"{r.name}.log", "ab")  # noqa: SIM115 - the replica keeps its own copy open
        try:
            r.proc = subprocess.Popen(cmd, cwd=settings.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        finally:
            log.close()
        r.started, r.started_at, r.healthy, r.failures, r.last = time.monotonic(), now_iso(), False, 0, {}
        r.ready_at = None
        say(f"bản sao {r.name} (pid {r.proc.pid}) trên cổng {r.port}")

    @staticmethod
    def _stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, grace: float = STOP_GRACE) -> None:
        """Stop a child's process group: ``sig``, then SIGKILL after ``grace`` seconds."""
        if proc is None:
            return
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=10)
        try:  # whatever is left of its group (a build child)
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    # -- supervision ------------------------------------------------------------------------------
    def check(self) -> None:
        """One round: restart the dead, probe the living."""
        now = time.monotonic()
        changed = False
        for r in self.replicas:
            if r.proc is None:
                if now >= r.next_start:
                    self.start_replica(r)
                    changed = True
                continue
            code = r.proc.poll()
            if code is not None:
                lived = now - r.started
                r.crashes = r.crashes + 1 if lived < 30 else 0
                delay = min(30.0, 2.0 ** (r.crashes - 1)) if r.crashes else 0.0
                say(f"bản sao {r.name} (pid {r.proc.pid}) đã dừng (mã {code}) sau {lived:.0f} s; "
                    f"khởi động lại{f' sau {delay:.0f} s' if delay else ''}")
                self._stop(r.proc)  # its leftover children, if any
                r.proc, r.healthy, r.restarts, r.next_start = None, False, r.restarts + 1, now + delay
                if not delay:
                    self.start_replica(r)
                changed = True
        if self.nginx is not None and self.nginx.poll() is not None and not self.stopping.is_set():
            say(f"nginx đã dừng (mã {self.nginx.returncode}); khởi động lại")
            self.start_nginx(self.run_dir / "nginx.conf")
            changed = True
        if changed:
            self.write_state()

    def probe(self) -> None:
        """Health checks (in their own thread: a slow answer never delays a restart)."""
        while not self.stopping.wait(1.0):
            for r in list(self.replicas):
                proc = r.proc
                if proc is None or proc.poll() is not None:
                    continue
                if r.healthy and time.monotonic() - r.last.get("_at", 0) < HEALTH_INTERVAL:
                    continue
                h = health(r.port, timeout=10 if r.healthy else 2)
                if proc is not r.proc or self.stopping.is_set():
                    continue
                if h is not None:
                    was = r.healthy
                    r.healthy, r.failures, r.last = True, 0, {**h, "_at": time.monotonic()}
                    if not was:
                        r.ready_at = time.time()
                        say(f"bản sao {r.name} sẵn sàng sau {time.monotonic() - r.started:.1f} s")
                        self.write_state()
                elif r.healthy:
                    r.failures += 1
                    if r.failures >= HEALTH_FAILURES:
                        say(f"bản sao {r.name} (pid {proc.pid}) không trả lời {r.failures} lần; dừng để khởi động lại")
                        self._stop(proc, signal.SIGKILL, 5)
                    r.last["_at"] = time.monotonic()

    def build_first(self) -> bool:
        """Build the database version of the current exports before any replica starts (``python -m communes
        load``, under the folder's lock; nothing to do when it exists). After an upgrade, new code may read
        tables only its own build makes: no replica then serves the previous version meanwhile. Invalid
        exports do not stop the stack (the pages show the problems). False when stopped meanwhile."""
        t0 = time.monotonic()
        say("kiểm tra cơ sở dữ liệu (python -m communes load)")
        proc = subprocess.Popen([sys.executable, "-m", "communes", "load"], cwd=settings.ROOT,
                                stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        while proc.poll() is None:
            if self.stopping.wait(0.2):
                self._stop(proc)
                return False
        say(f"cơ sở dữ liệu: xong sau {time.monotonic() - t0:.1f} s (mã {proc.returncode})")
        return True

    def run(self) -> int:
        conf = self.prepare()
        self.cookie_secret()
        stop_signal: list[int] = []

        def on_signal(signum, _frame):
            stop_signal.append(signum)
            self.stopping.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGHUP, on_signal)
        signal.signal(signal.SIGUSR1, lambda *_: self.nginx and self.nginx.poll() is None
                      and self.nginx.send_signal(signal.SIGUSR1))  # reopen the access log (logrotate)
        try:
            if not self.build_first():
                return 0
            for r in self.replicas:
                self.start_replica(r)
            self.start_nginx(conf)
            self.write_state()
            prober = threading.Thread(target=self.probe, name="health", daemon=True)
            prober.start()
            announced = False
            while not self.stopping.wait(0.5):
                self.check()
                if not announced and all(r.healthy for r in self.replicas):
                    announced = True
                    self.write_state()
                    say(f"sẵn sàng: {self.url} ({len(self.replicas)} bản sao)")
        finally:
            self.stopping.set()
            say("đang dừng" + (f" ({signal.Signals(stop_signal[0]).name})" if stop_signal else ""))
            self._stop(self.nginx, signal.SIGQUIT, 15)
            threads = [threading.Thread(target=self._stop, args=(r.proc,)) for r in self.replicas]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            (self.run_dir / "stack.json").unlink(missing_ok=True)
            if self.work is not None and self.work != self.run_dir / "nginx":
                shutil.rmtree(self.work, ignore_errors=True)
            say("đã dừng")
        return 0


def cmd_stack(args) -> int:
    if args.print_site:
        first = args.replica_port or 8601
        print(deploy_site(list(range(first, first + args.replicas)), args.server_name), end="")
        return 0
    if bool(args.tls_cert) != bool(args.tls_key):
        print("LỖI: --tls-cert và --tls-key phải đi cùng nhau", file=sys.stderr)
        return 2
    tls = None
    if args.tls_cert:
        cert, key = Path(args.tls_cert).resolve(), Path(args.tls_key).resolve()
        for p in (cert, key):
            if not p.is_file():
                print(f"LỖI: không đọc được tệp {p}", file=sys.stderr)
                return 2
        tls = (str(cert), str(key))
    try:
        stack = Stack(args.replicas, args.port, args.host, tls, Path(args.dir) if args.dir else None,
                      args.replica_port, args.streamlit_args)
        return stack.run()
    except (RuntimeError, ValueError) as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 1


def add_parser(sub) -> None:
    p = sub.add_parser("stack", help="chạy nginx trước N bản sao của serve (giữ ở tiền cảnh; SIGTERM dừng tất cả)")
    p.add_argument("--replicas", type=int, default=2, help="số bản sao (mặc định 2)")
    p.add_argument("--port", type=int, default=8500, help="cổng của nginx (mặc định 8500)")
    p.add_argument("--host", default="", help="địa chỉ nginx lắng nghe (mặc định mọi địa chỉ)")
    p.add_argument("--tls-cert", help="chứng chỉ TLS (PEM, cả chuỗi)")
    p.add_argument("--tls-key", help="khóa riêng của chứng chỉ (PEM)")
    p.add_argument("--replica-port", type=int, help="cổng của bản sao đầu tiên (mặc định PORT+1; cổng bận được bỏ qua)")
    p.add_argument("--dir", help="thư mục chạy: cấu hình nginx, nhật ký, bộ đệm (mặc định var/stack)")
    p.add_argument("--print-site", action="store_true",
                   help="chỉ in cấu hình nginx cho máy chủ thật (deploy/nginx/communes.conf) với --replicas bản sao "
                        "từ cổng --replica-port (mặc định 8601) rồi thoát")
    p.add_argument("--server-name", default="_", help="tên máy chủ trong cấu hình in ra (--print-site)")
    p.set_defaults(func=cmd_stack)
