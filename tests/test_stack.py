"""``python -m communes stack``: nginx in front of replicas — its configuration, one build at a time across
processes, and the running stack: proxying, sticky sessions, a data reload with sessions open, a replica
killed under an open page, TLS, and a clean stop."""
from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from browser_helpers import PAGES, app_errors, h1, new_context, problems_on, route, wait_until_idle
from conftest import DOSSIER_HEADER, DOSSIERS, write_csv
from stack_helpers import get, running_stack

from communes import db, nginx, settings, sources, stack
from communes.i18n import t

pytestmark = pytest.mark.slow  # servers and commands in subprocesses

NGINX = Path("/usr/sbin/nginx")
NEW_ROW = ["D12", "Xã Đan Điền", "Hộ tịch", "2", "2025-07-06", "2025-07-10", "2025-07-08", "1", ""]
VERSION = re.compile(r"(?:phiên bản dữ liệu|data version) ([0-9a-f]{8})")


def self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


# --- the configuration -----------------------------------------------------------------------------

def test_each_browser_goes_to_its_replica_and_the_others_stand_in():
    site = nginx.nginx_site([9001, 9002, 9003], port=9000)
    for i, port in enumerate([9001, 9002, 9003]):
        block = re.search(rf"upstream communes_r{i} \{{(.*?)\}}", site, re.S).group(1)
        servers = re.findall(r"server 127\.0\.0\.1:(\d+)( backup)?", block)
        assert servers[0] == (str(port), "")  # its own replica first …
        assert sorted(p for p, b in servers[1:] if b) == sorted(str(p) for p in {9001, 9002, 9003} - {port})
        assert f"    r{i} communes_r{i};" in site  # … chosen by the cookie
        assert f'"~(^|[ ,])127\\.0\\.0\\.1:{port}$" r{i};' in site  # the cookie follows who answered
    assert "least_conn;" in re.search(r"upstream communes_all \{(.*?)\}", site, re.S).group(1)
    assert "default communes_all;" in site  # a new browser: the least busy replica


def test_websocket_uploads_and_static_assets():
    site = nginx.nginx_site([9001], port=9000, upload_mb=250)
    ws = re.search(r"location = /_stcore/stream \{(.*?)\}", site, re.S).group(1)
    assert "proxy_read_timeout 1h;" in ws and "proxy_buffering off;" in ws
    assert "proxy_set_header Upgrade $http_upgrade;" in site and "proxy_set_header Connection $communes_connection;" in site
    assert "client_max_body_size 255m;" in site
    static = re.search(r"location /static/ \{(.*?)\}", site, re.S).group(1)
    assert "proxy_cache communes_static;" in static and "proxy_cache_use_stale" in static
    assert "gzip on;" in site
    assert "Secure" not in site and "Strict-Transport-Security" not in site and "ssl" not in site


def test_tls_adds_hsts_and_secure_cookies():
    site = nginx.nginx_site([9001, 9002], port=9443, tls=("/c.pem", "/k.pem"))
    assert "listen 9443 ssl" in site and "ssl_certificate /c.pem;" in site and "ssl_certificate_key /k.pem;" in site
    assert "Strict-Transport-Security" in site
    assert "SameSite=Lax; Secure" in site


def test_the_policy_allows_streamlits_own_inline_script_only():
    csp = nginx.security_headers()["Content-Security-Policy"]
    script = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert re.fullmatch(r"script-src 'self'( 'sha256-[A-Za-z0-9+/]+=*')*", script)


@pytest.mark.parametrize("tls", [False, True])
def test_the_generated_configuration_passes_nginx_t(tmp_path, tls):
    s = stack.Stack(2, 18000, "127.0.0.1", tuple(map(str, self_signed(tmp_path))) if tls else None, tmp_path / "run")
    conf = s.prepare()
    try:
        res = subprocess.run([str(NGINX), "-t", "-e", "stderr", "-p", str(s.run_dir), "-c", str(conf)],
                             capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
    finally:
        if s.work and s.work != s.run_dir / "nginx":
            import shutil

            shutil.rmtree(s.work, ignore_errors=True)


def test_deploy_site_is_generated_from_the_same_function():
    """deploy/nginx/communes.conf is nginx_site for the documented server (two replicas on 8601–8602, TLS)."""
    committed = (settings.ROOT / "deploy" / "nginx" / "communes.conf").read_text(encoding="utf-8")
    assert committed == nginx.deploy_site(), \
        "regenerate it: python -m communes stack --print-site > deploy/nginx/communes.conf"


# --- one build at a time across processes ------------------------------------------------------------

def test_concurrent_processes_build_one_version_and_the_others_take_it_through_current(make_exports, tmp_path):
    """Three ``load`` processes (what each replica runs) start while the folder's lock is held; when it is
    released, one builds the new version and the two others find ``CURRENT`` already pointing at it."""
    data = make_exports()
    db_dir = tmp_path / "db"
    env = {**os.environ, "COMMUNES_DATA_DIR": str(data), "COMMUNES_DB_DIR": str(db_dir)}
    with db.locked(db_dir):
        procs = [subprocess.Popen([sys.executable, "-m", "communes", "load"], cwd=settings.ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(3)]
        time.sleep(8)  # every process is up and waiting on the lock
        assert [p.poll() for p in procs] == [None, None, None]
        assert list(db_dir.glob("communes-*.duckdb")) == []
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    assert sum("đã tạo" in o for o in outs) == 1 and sum("không đổi" in o for o in outs) == 2, outs
    built = list(db_dir.glob("communes-*.duckdb"))
    assert len(built) == 1
    assert db.current_path(db_dir) == built[0]
    assert all(str(built[0]) in o for o in outs)


# --- the running stack ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A stack with two replicas on the small fixture's dossiers; (stack, data folder, database folder)."""
    work = tmp_path_factory.mktemp("stack")
    data = work / "data"
    data.mkdir()
    write_csv(data / "dossiers.csv", DOSSIER_HEADER, DOSSIERS)
    try:
        with running_stack(work, data) as s:
            yield s, data, work / "db"
    except RuntimeError as exc:
        pytest.fail(str(exc))


def _replica_ports(s) -> dict[str, int]:
    return {r["name"]: r["port"] for r in s.state()["replicas"]}


def test_nginx_serves_the_app_with_its_headers_and_a_replica_cookie(live):
    s, _, _ = live
    status, headers, body = get(f"{s.url}/")
    assert status == 200 and b"<div id=\"root\">" in body or b"id=\"root\"" in body
    assert headers["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" in headers
    cookie = re.match(r"communes_replica=(r[01]); Path=/; HttpOnly; SameSite=Lax$", headers["Set-Cookie"])
    assert cookie
    status, headers, _ = get(f"{s.url}/", {"Cookie": f"communes_replica={cookie.group(1)}"})
    assert status == 200 and "communes_replica" not in (headers.get("Set-Cookie") or "")  # already right
    asset = re.search(rb'src="\./(static/js/[^"]+\.js)"', body) or re.search(rb'"/?(static/js/[^"]+\.js)"', body)
    first = get(f"{s.url}/{asset.group(1).decode()}", {"Accept-Encoding": "gzip"})
    second = get(f"{s.url}/{asset.group(1).decode()}", {"Accept-Encoding": "gzip"})
    assert first[1]["Content-Encoding"] == "gzip" and "immutable" in first[1]["Cache-Control"]
    assert second[1]["X-Cache-Status"] == "HIT"


def test_a_browser_with_a_replica_cookie_stays_on_that_replica(live):
    s, _, _ = live
    ports = _replica_ports(s)
    log = s.run_dir / "logs" / "access.log"
    for name in ("r1", "r0"):
        before = len(log.read_text().splitlines())
        for _ in range(10):
            get(f"{s.url}/_stcore/health?sticky={name}", {"Cookie": f"communes_replica={name}"})
        deadline = time.time() + 10  # nginx writes a request's line just after answering it
        while True:
            lines = [ln for ln in log.read_text().splitlines()[before:] if f"sticky={name}" in ln]
            if len(lines) >= 10 or time.time() > deadline:
                break
            time.sleep(0.1)
        assert len(lines) == 10
        assert all(ln.split()[-3] == f"127.0.0.1:{ports[name]}" for ln in lines), lines


def test_every_page_draws_under_the_security_headers(live, browser):
    """Every page of the app and the phone pages, through nginx: drawn, with no Content-Security-Policy
    violation (or any other console error) in Chromium."""
    s, _, _ = live
    paths = [f"/{route(p)}?pk=month&p=2025-07{'&unit=19873' if p == 'profile' else ''}" for p in PAGES]
    paths += ["/m/?p=2025-07&pk=month", "/m/19873?p=2025-07&pk=month"]
    ctx, blocked, errors = new_context(browser, (1280, 900))
    try:
        for path in paths:
            page = ctx.new_page()
            page.goto(f"{s.url}{path}", wait_until="load")
            page.wait_for_selector("h1", timeout=90_000)
            if not path.startswith("/m/"):
                wait_until_idle(page, timeout_s=90)
            page.wait_for_timeout(500)
            page.close()
        assert [e for e in errors if "Content Security Policy" in e] == []
        assert app_errors(errors) == [] and blocked == []
    finally:
        ctx.close()


def _version_shown(page) -> str | None:
    m = VERSION.search(page.locator('[data-testid="stSidebar"]').inner_text())
    return m.group(1) if m else None


def _open(browser, url: str, replica: str | None = None):
    ctx, blocked, errors = new_context(browser, (1280, 900))
    if replica:
        ctx.add_cookies([{"name": nginx.COOKIE, "value": replica, "url": url}])
    page = ctx.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=90_000)
    wait_until_idle(page, timeout_s=90)
    return ctx, page, blocked, errors


def _rerun(page) -> None:
    """A leader's next click in the open session: the comparison switched (previous period ↔ a year earlier),
    which the page writes into its URL (``cmp=yoy``) once its run has taken it."""
    yoy = "cmp=yoy" not in page.evaluate("location.search")
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(3).click()
    page.get_by_role("option", name=t("compare.yoy" if yoy else "compare.prev"), exact=True).click()
    page.wait_for_function("want => location.search.includes('cmp=yoy') === want", arg=yoy, timeout=60_000)
    wait_until_idle(page, timeout_s=90)


def test_new_data_is_built_once_and_taken_up_by_open_sessions_on_both_replicas(live, browser):
    s, data, db_dir = live
    url = f"{s.url}/?pk=month&p=2025-07"
    old_fp = db.read_meta(db.current_path(db_dir))["fingerprint"]
    sessions = [_open(browser, url, name) for name in ("r0", "r1")]
    try:
        assert [_version_shown(p) for _, p, _, _ in sessions] == [old_fp[:8]] * 2
        write_csv(data / "dossiers.csv", DOSSIER_HEADER, DOSSIERS + [NEW_ROW])
        new_fp = db.fingerprint(data)
        assert new_fp != old_fp
        deadline = time.time() + 120
        shown = []
        while time.time() < deadline:
            for _, page, _, _ in sessions:
                _rerun(page)
            shown = [_version_shown(p) for _, p, _, _ in sessions]
            if shown == [new_fp[:8]] * 2:
                break
            time.sleep(2)
        assert shown == [new_fp[:8]] * 2, f"versions shown {shown}, new {new_fp[:8]}:\n{s.output()}"
        versions = sorted(db_dir.glob("communes-*.duckdb"))
        assert len(versions) == 2  # the old one and one new one: built once for both replicas
        assert db.read_meta(db.current_path(db_dir))["fingerprint"] == new_fp
        for r in s.state()["replicas"]:  # each replica's health names the version it serves
            assert json.loads(get(f"http://127.0.0.1:{r['port']}/healthz")[2])["version"] == new_fp
        for _ctx, page, blocked, errors in sessions:
            assert problems_on(page) == [] and app_errors(errors) == [] and blocked == []
        served = [next(c["value"] for c in ctx.cookies() if c["name"] == nginx.COOKIE) for ctx, *_ in sessions]
        assert served == ["r0", "r1"]  # each stayed on its own replica
    finally:
        for ctx, *_ in sessions:
            ctx.close()


def test_an_upload_goes_through_nginx_to_the_sessions_replica(live, browser, tmp_path):
    """A steward's upload (Streamlit's PUT to /_stcore/upload_file/, held by the session's process) reaches
    the replica of the page's session and its dry run answers."""
    s, _, _ = live
    ports = _replica_ports(s)
    upload = write_csv(tmp_path / "dossiers.csv", DOSSIER_HEADER,
                       DOSSIERS + [["D13", "Xã Đan Điền", "Hộ tịch", "2", "2025-07-07", "2025-07-11", "2025-07-09", "1", ""]])
    ctx, page, blocked, errors = _open(browser, f"{s.url}/data?pk=month&p=2025-07", "r1")
    try:
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
        page.get_by_role("button", name=t("data.dry_run")).click(timeout=60_000)
        page.wait_for_selector('[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentInfo"]',
                               timeout=90_000)
        wait_until_idle(page, timeout_s=90)
        assert problems_on(page) == [] and app_errors(errors) == [] and blocked == []
        puts = [ln for ln in (s.run_dir / "logs" / "access.log").read_text().splitlines() if "/_stcore/upload_file/" in ln]
        assert puts and all(ln.split()[-3] == f"127.0.0.1:{ports['r1']}" for ln in puts), puts
        assert any(" 20" in ln.split('"')[2][:5] for ln in puts)  # the file was accepted
    finally:
        ctx.close()


def test_a_replica_killed_under_an_open_page(live, browser):
    """SIGKILL to the replica serving an open page: the page recovers on the other one with no error box
    within 30 s and keeps working, a new visit draws, and the replica is back within 30 s."""
    s, _, _ = live
    sockets = []
    ctx, blocked, errors = new_context(browser, (1280, 900))
    page = ctx.new_page()

    def opened(ws):
        entry = {"ws": ws, "closed": False}
        ws.on("close", lambda _: entry.update(closed=True))
        ws.on("socketerror", lambda _: entry.update(closed=True))
        sockets.append(entry)

    page.on("websocket", opened)
    page.goto(f"{s.url}/?pk=month&p=2025-07", wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=90_000)
    wait_until_idle(page, timeout_s=90)
    try:
        served = next(c["value"] for c in ctx.cookies() if c["name"] == nginx.COOKIE)
        victim = s.replica(served)["pid"]
        title = h1(page)
        assert len(sockets) == 1
        os.kill(victim, signal.SIGKILL)
        killed = time.time()
        # The page notices (its websocket closes) and reconnects through nginx to the surviving replica:
        # a new websocket, still open a few seconds later. The page keeps what it showed, with no error box.
        while time.time() - killed < 30:
            if sockets[0]["closed"] and len(sockets) > 1 and not sockets[-1]["closed"]:
                page.wait_for_timeout(2000)
                if not sockets[-1]["closed"]:
                    break
            page.wait_for_timeout(200)
        assert sockets[0]["closed"] and len(sockets) > 1 and not sockets[-1]["closed"], \
            f"no reconnection within 30 s ({len(sockets)} websockets):\n{s.output()}"
        assert time.time() - killed <= 30
        assert problems_on(page) == [] and page.locator('[role="dialog"]').count() == 0
        assert h1(page) == title
        now = next(c["value"] for c in ctx.cookies() if c["name"] == nginx.COOKIE)
        assert now != served  # the cookie followed the session to the replica that holds it now
        # The recovered session works: the next page is answered by the replica that holds it now.
        page.locator('[data-testid="stSidebarNav"] a[href$="/dossiers"]').click()
        page.wait_for_function("before => document.querySelector('h1')?.innerText.trim() !== before", arg=title,
                               timeout=60_000)
        wait_until_idle(page, timeout_s=60)
        # (A new session: the sidebar's choices start again from the defaults; the open page had kept them.)
        assert h1(page).startswith("Hồ sơ thủ tục hành chính") and problems_on(page) == []
        # The frontend's own notes on the killed connection (a socket that closed, a rerun asked for while it
        # was down) are the fault under test, not errors of the app; anything else is.
        expected = ("WebSocket", "Failed to load resource", "Cannot send rerun backMessage when disconnected")
        assert app_errors([e for e in errors if not any(x in e for x in expected)]) == []
        # A new visit draws.
        ctx2, page2, blocked2, errors2 = _open(browser, f"{s.url}/dossiers?pk=month&p=2025-07")
        assert problems_on(page2) == [] and app_errors(errors2) == [] and blocked2 == []
        ctx2.close()
        # The replacement replica: up (its first good health check) within 30 s of the kill.
        deadline = time.time() + 60
        while time.time() < deadline and not s.replica(served)["ready_at"]:
            time.sleep(0.3)
        r = s.replica(served)
        assert r["pid"] not in (None, victim) and r["healthy"] and r["restarts"] == 1, s.output()
        assert r["ready_at"] - killed <= 30, s.output()
        health = json.loads(get(f"http://127.0.0.1:{r['port']}/healthz")[2])
        assert health["pid"] == r["pid"] and health["ready"] is True
    finally:
        ctx.close()


def test_sigterm_stops_nginx_and_every_replica(live):
    s, _, _ = live
    pids = s.pids()
    assert len(pids) == 3
    assert s.stop(timeout=60) == 0
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    with pytest.raises(OSError):
        get(f"{s.url}/_stcore/health", timeout=3)
    assert "đã dừng" in s.output()


# --- TLS ---------------------------------------------------------------------------------------------------

def test_tls_serves_pages_and_the_websocket(make_exports, tmp_path):
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    data = make_exports()
    cert = self_signed(tmp_path)
    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
    with running_stack(tmp_path, data, replicas=1, tls=cert) as s:
        status, headers, _ = get(f"{s.url}/", context=insecure)
        assert status == 200 and headers["Strict-Transport-Security"] == "max-age=31536000"
        assert headers["Set-Cookie"].endswith("; Secure")

        async def session() -> list[str]:
            kinds = []
            async with websockets.connect(f"wss://127.0.0.1:{s.url.rsplit(':', 1)[1]}/_stcore/stream",
                                          subprotocols=["streamlit"], ssl=insecure, max_size=None) as ws:
                msg = BackMsg()
                msg.rerun_script.query_string = "pk=month&p=2025-07"
                msg.rerun_script.page_name = ""
                await ws.send(msg.SerializeToString())
                while "script_finished" not in kinds:
                    fwd = ForwardMsg()
                    fwd.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
                    kinds.append(fwd.WhichOneof("type"))
            return kinds

        with ThreadPoolExecutor(1) as pool:  # a loop of its own: Playwright's sync API may hold this thread's
            kinds = pool.submit(asyncio.run, session()).result(timeout=120)
        assert kinds[0] == "new_session" and "delta" in kinds


# --- deploy/ -------------------------------------------------------------------------------------------

def test_backup_copies_the_exports_and_the_current_version_under_the_lock(make_exports, tmp_path):
    data = make_exports()
    db_dir = tmp_path / "db"
    old = db.build(data, db_dir).path
    write_csv(data / "dossiers.csv", DOSSIER_HEADER, DOSSIERS + [NEW_ROW])
    current = db.build(data, db_dir).path
    (db_dir / "audit.jsonl").write_text('{"who": "test"}\n', encoding="utf-8")
    env = {**os.environ, "COMMUNES_DB_DIR": str(db_dir), "COMMUNES_DATA_DIR": str(data)}
    script = [str(settings.ROOT / "deploy" / "backup.sh"), str(tmp_path / "backups")]
    with db.locked(db_dir):  # a build or an upload in progress: the backup waits for it
        proc = subprocess.Popen(script, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert proc.poll() is None and list((tmp_path / "backups").glob("*.tar.gz")) == []
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    import tarfile

    with tarfile.open(out.strip()) as tar:
        names = set(tar.getnames())
    strip = lambda p: str(p).lstrip("/")  # noqa: E731
    assert {strip(data / "dossiers.csv"), strip(db_dir / "CURRENT"), strip(current), strip(db_dir / "audit.jsonl"),
            strip(sources.part_path(current, "dossiers", 0))} <= names
    assert not any(n.startswith(strip(old.with_suffix(""))) for n in names)  # only the current version


def test_a_version_built_on_another_machine_is_swapped_in_without_a_rebuild(make_exports, tmp_path):
    """Past one machine (docs/deploy.md): the build machine's version file is copied into a serving machine's
    database folder and made current with ``rollback 0``, which writes its exports into that machine's data
    folder; the exports' fingerprint then equals the version's, so its replicas build nothing."""
    build_data = make_exports("build-data", dossiers=DOSSIERS + [NEW_ROW])
    built = db.build(build_data, tmp_path / "build-db").path
    serve_data = make_exports("serve-data")  # the serving machine still has the older exports …
    serve_db = tmp_path / "serve-db"
    old = db.build(serve_data, serve_db).path  # … and their version
    env = {**os.environ, "COMMUNES_DATA_DIR": str(serve_data), "COMMUNES_DB_DIR": str(serve_db), "PYTHON": sys.executable}
    res = subprocess.run([str(settings.ROOT / "deploy" / "take-version.sh"), str(built)], cwd=settings.ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    shipped = Path(res.stdout.strip().splitlines()[-1])
    assert shipped.parent == serve_db and shipped.name != built.name
    assert db.current_path(serve_db) == shipped and old.exists()
    assert (serve_data / "dossiers.csv").read_bytes() == (build_data / "dossiers.csv").read_bytes()
    assert db.fingerprint(serve_data) == db.read_meta(built)["fingerprint"]
    res = db.build(serve_data, serve_db)  # what each replica does on its next run
    assert res.built is False and res.path == shipped
