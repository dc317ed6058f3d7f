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

The nginx configuration it writes, and the security headers every answer carries: ``communes.nginx``.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from communes import settings
from communes.nginx import deploy_site, nginx_main, nginx_site
from communes.replicas import Replica, die_with_parent, health, pick_ports

HEALTH_INTERVAL = 5.0  # seconds between two health checks of a running replica
HEALTH_FAILURES = 6  # consecutive failed checks (10 s timeout each) after which a replica counts as hung
STOP_GRACE = 20.0  # seconds a replica or nginx gets to stop after SIGTERM before SIGKILL

def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def say(message: str) -> None:
    print(f"{datetime.now().strftime('%H:%M:%S')} stack: {message}", flush=True)


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
                                      preexec_fn=die_with_parent)
        say(f"nginx (pid {self.nginx.pid}) trên {self.url}")

    def start_replica(self, r: Replica) -> None:
        env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret(), "COMMUNES_REPLICA": r.name}
        cmd = [sys.executable, "-m", "communes", "serve", "--server.port", str(r.port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false", *self.serve_args]
        log = open(self.logs / f"{r.name}.log", "ab")  # noqa: SIM115 - the replica keeps its own copy open
        try:
            r.proc = subprocess.Popen(cmd, cwd=settings.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
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
                                stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
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
