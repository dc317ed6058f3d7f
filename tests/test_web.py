"""HTTP tests of the server's own routes (``communes.web.server``) on the fixture exports, through
Starlette's TestClient: health, the API (numbers equal ``python -m communes kpi`` and the hand-worked
values of test_indicators.py), errors, caching headers, and the login on every door (401/403, unit
viewers, tokens, throttling, refused SHA-256 hashes, OIDC identity).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import threading
import time

import duckdb
import pandas as pd
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from communes import cli, db, settings, steward
from communes.web import access, server, session

PQ, DD = "19873", "19885"
FAST_N = 2 ** 10  # scrypt cost for test hashes (the stored value carries its cost)


@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports(), built=True)


def client(svc: server.Services | None = None, **login) -> TestClient:
    svc = svc or server.Services()
    if login:
        conf = access.Login(**{"secret": "k", **login})
        svc.login = lambda: conf
    app = Starlette(routes=server.routes(svc), middleware=list(server.middleware(svc, warm=False)))
    return TestClient(app, follow_redirects=False)


def with_cookies(c: TestClient, **cookies) -> TestClient:
    c.cookies.clear()
    for k, v in cookies.items():
        c.cookies.set(k, v)
    return c


def cli_kpi(capsys, *args) -> dict:
    assert cli.main(["kpi", *args, "--db", str(db.current_path())]) == 0
    return json.loads(capsys.readouterr().out)


# --- health --------------------------------------------------------------------------------------

def test_healthz_before_and_after_the_first_build(make_exports, use_exports):
    use_exports(make_exports())  # no version yet
    c = client()
    body = c.get("/healthz").json()
    assert set(body) == {"pid", "version", "ready", "building", "started_at"}
    assert body["ready"] is False and body["version"] is None  # no database yet
    c.get("/api/v1/units")  # builds the first version, as the first page visit does
    body = c.get("/healthz").json()
    assert body["ready"] is True and body["version"] == db.read_meta(db.current_path())["fingerprint"]
    assert body["building"] is False
    assert isinstance(body["pid"], int) and body["started_at"].startswith("20")


def test_healthz_is_not_ready_on_a_version_of_other_code_and_says_when_newer_data_builds(app_env):
    from communes import served

    c = client()
    c.get("/api/v1/units")
    builds = served._builds()
    with builds.lock:  # a newer version being built in the background, the current one served meanwhile
        builds.running["newer"] = threading.current_thread()
    try:
        assert c.get("/healthz").json() | {"pid": 0, "started_at": ""} == {
            "pid": 0, "version": db.read_meta(db.current_path())["fingerprint"], "ready": True, "building": True,
            "started_at": ""}
    finally:
        with builds.lock:
            builds.running.pop("newer")
    # the current version built by other code (before an upgrade): the first page would wait for a build
    older = db.db_dir() / "communes-99991231T000000000000-0ther0c0de0000000.duckdb"
    shutil.copyfile(db.current_path(), older)
    with duckdb.connect(str(older)) as con:
        con.execute("update meta set value = 'other' where key = 'code'")
    db._point_to(db.db_dir(), older.name)
    body = c.get("/healthz").json()
    assert body["ready"] is False and body["version"] is None and body["building"] is False


# --- the API: the numbers -------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--period", "2025-07", "--unit", "Phong Quảng"], ["--period", "2025-Q3"],
                                  ["--period", "2025-07-03..2025-08-05", "--unit", DD]])
def test_kpi_is_exactly_the_cli_json(app_env, capsys, args):
    c = client()
    period = args[1]
    unit = args[3] if len(args) > 2 else None
    r = c.get("/api/v1/kpi", params={"period": period, **({"unit": unit} if unit else {})})
    assert r.status_code == 200
    assert r.json() == cli_kpi(capsys, *args)


def test_kpi_by_hand(app_env):
    d = client().get("/api/v1/kpi?period=2025-07&unit=P. Phong Quảng").json()
    assert d["unit"] == "Phường Phong Quảng" and d["period"] == {"start": "2025-07-01", "end": "2025-07-31"}
    assert d["dossiers"]["received"] == 8 and d["dossiers"]["on_time_rate"] == 3 / 4  # test_indicators.py
    assert d["tourism"]["visitors"] is None  # no tourism export: no data, not 0


def test_units(app_env):
    r = client().get("/api/v1/units")
    body = r.json()
    assert r.status_code == 200 and body["data_version"] == r.headers["x-data-version"]
    units = {u["unit_code"]: u for u in body["units"]}
    assert len(units) == 40
    pq = units[PQ]
    assert pq["unit_name"] == "Phường Phong Quảng" and pq["unit_type"] == "Phường"
    assert pq["peer_groups"] == ["phuong", "coastal"]
    assert "Xã Quảng Công" in pq["former_communes"] and pq["area_km2"] > 0
    assert pq["population"] is None  # no units export: no data


def test_ranking_by_hand(app_env):
    body = client().get("/api/v1/ranking?period=2025-07&metric=on_time_rate").json()
    rows = {r["unit_code"]: r for r in body["ranking"]}
    # July: Đan Điền 1/1 on time, Phong Quảng 3/4; June (the comparison): Phong Quảng 1/1 (D3 early)
    assert (rows[DD]["rank"], rows[DD]["value"], rows[DD]["status"]) == (1, 1.0, "met")
    assert (rows[PQ]["rank"], rows[PQ]["value"], rows[PQ]["status"]) == (2, 0.75, "not_met")
    assert rows[PQ]["value_compare"] == 1.0 and rows[PQ]["rank_compare"] == 1 and rows[PQ]["rank_change"] == -1
    others = [r for c, r in rows.items() if c not in (PQ, DD)]
    assert len(others) == 38 and all(r["rank"] is None and r["value"] is None for r in others)  # never ranked last
    assert body["ranking"][0]["unit_code"] == DD and body["compare_period"]["start"] == "2025-06-01"
    xa = client().get("/api/v1/ranking?period=2025-07&metric=on_time_rate&scope=xa").json()["ranking"]
    assert xa[0]["unit_code"] == DD and PQ not in {r["unit_code"] for r in xa} and len(xa) == 19


def test_csv_has_bom_and_is_formula_safe(app_env):
    from communes import served

    def runner(path):
        run = served.runner(path)

        def go(name, **p):
            df = run(name, **p)
            if name == "api/units":
                df.loc[df.unit_code == PQ, "short_name"] = "=HYPERLINK(\"http://x\")"
            return df
        return go

    r = client(server.Services(runner=runner)).get("/api/v1/units?format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    text = r.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("unit_code,unit_name")
    assert "'=HYPERLINK" in text and "\n19873," in text.replace("\r\n", "\n")
    assert "filename=" in r.headers["content-disposition"]
    r = client().get("/api/v1/ranking?period=2025-07&metric=received&format=csv")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "rank,unit_code,unit_name,value,value_compare,rank_compare,rank_change,status"
    assert lines[1].startswith("1,19873,Phường Phong Quảng,8,")


def test_etag_and_cache_headers(app_env):
    c = client()
    r = c.get("/api/v1/kpi?period=2025-07")
    fp = db.read_meta(db.current_path())["fingerprint"]
    assert r.headers["x-data-version"] == fp and r.headers["etag"].startswith(f'"{fp}-')
    assert r.headers["cache-control"] == "private, no-cache"
    again = c.get("/api/v1/kpi?period=2025-07", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    other = c.get("/api/v1/kpi?period=2025-08")
    assert other.headers["etag"] != r.headers["etag"]


@pytest.mark.parametrize("url,param", [
    ("/api/v1/kpi?period=2025-13", "period"), ("/api/v1/kpi", "period"), ("/api/v1/kpi?period=2025&x=1", "x"),
    ("/api/v1/ranking?period=2025-07", "metric"), ("/api/v1/ranking?period=2025-07&metric=nope", "metric"),
    ("/api/v1/ranking?period=2025-07&metric=received&scope=moon", "scope"),
    ("/api/v1/ranking?period=2025-07&metric=received&cmp=later", "cmp"),
    ("/api/v1/units?format=xml", "format"), ("/api/v1/kpi?period=2025&format=csv", "format"),
    ("/api/v1/kpi?period=2025&period=2024", "period")])
def test_bad_parameters_answer_400_naming_them(app_env, url, param):
    r = client().get(url)
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["parameter"] == param and f"«{param}»" in err["vi"] and f"«{param}»" in err["en"]
    assert "tham số" in err["vi"].lower() and "parameter" in err["en"].lower()


def test_unknown_unit_and_endpoint_404_and_no_traceback(app_env):
    r = client().get("/api/v1/kpi?period=2025&unit=Nowhere")
    assert r.status_code == 404 and r.json()["error"]["parameter"] == "unit"
    assert client().get("/api/v1/things").status_code == 404

    def broken(path):
        def go(name, **p):
            raise RuntimeError("secret internals")
        return go

    r = client(server.Services(runner=broken)).get("/api/v1/kpi?period=2025")
    assert r.status_code == 500
    assert "Traceback" not in r.text and "secret internals" not in r.text and r.json()["error"]["en"]


def test_api_documentation(app_env):
    r = client().get("/api/v1/")
    assert r.status_code == 200 and "curl" in r.text
    for path in ("/api/v1/kpi", "/api/v1/units", "/api/v1/ranking", "format=csv"):
        assert path in r.text


# --- login on every door --------------------------------------------------------------------------

def pw(p: str) -> str:
    return session.hash_password(p, n=FAST_N)


PASSWORDS = {"lanhdao": pw("a1"), "ubnd.phongquang": pw("b2"), "lạ": pw("c3")}


def sign_in(c: TestClient, user: str, password: str, **kw):
    return c.post("/auth/login", data={"user": user, "password": password, "next": "/overview?p=2025-07"}, **kw)


def test_without_a_session_every_door_answers_401(app_env):
    c = client(mode="password", passwords=PASSWORDS)
    for url in ("/api/v1/units", "/api/v1/kpi?period=2025", "/api/v1/ranking?period=2025&metric=received",
                "/media/abc.csv"):
        r = c.get(url)
        assert r.status_code == 401, url
        assert r.json()["error"]["vi"] == "Cần đăng nhập."
    assert c.get("/healthz").status_code == 200  # the deployment's probe needs no login
    forged = session.make_cookie("lanhdao", "another key")
    assert with_cookies(c, **{session.COOKIE: forged}).get("/api/v1/units").status_code == 401


def test_login_sets_a_signed_expiring_httponly_cookie(app_env):
    c = client(mode="password", passwords=PASSWORDS)
    r = sign_in(c, "lanhdao", "a1")
    assert r.status_code == 303 and r.headers["location"] == "/overview?p=2025-07"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{session.COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Max-Age=43200" in cookie and "Secure" not in cookie
    assert session.read_cookie(c.cookies[session.COOKIE], "k") == "lanhdao"
    assert len(c.get("/api/v1/units").json()["units"]) == 40
    tls = sign_in(client(mode="password", passwords=PASSWORDS), "lanhdao", "a1",
                  headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in tls.headers["set-cookie"]
    out = c.get("/auth/logout")
    assert out.status_code == 303 and f'{session.COOKIE}=""' in out.headers["set-cookie"]
    c.cookies.clear()
    assert c.get("/api/v1/units").status_code == 401


def test_a_signed_out_or_revoked_session_no_longer_opens_any_door_on_any_replica(app_env, capsys):
    """A copy of the cookie (another tab, a proxy's log, a shared phone) stops working once its session is
    signed out; ``python -m communes revoke USER`` ends every session of a user. Both are kept in the
    database folder, so another replica (another process's services) refuses them too."""
    here, there = server.Services(), server.Services()  # two replicas' services

    def holding(svc, cookie):  # a browser of its own, holding ``cookie``
        return with_cookies(client(svc, mode="password", passwords=PASSWORDS), **{session.COOKIE: cookie})

    c = client(here, mode="password", passwords=PASSWORDS)
    assert sign_in(c, "lanhdao", "a1").status_code == 303
    copied = c.cookies[session.COOKIE]
    assert holding(there, copied).get("/api/v1/units").status_code == 200
    assert c.get("/auth/logout").status_code == 303
    c.cookies.clear()
    for svc in (here, there):
        assert holding(svc, copied).get("/api/v1/units").status_code == 401
        assert holding(svc, copied).get("/m/19873").status_code == 401
    # signed in again at once: a new session, not the ended one
    assert sign_in(c, "lanhdao", "a1").status_code == 303 and c.cookies[session.COOKIE] != copied
    assert c.get("/api/v1/units").status_code == 200
    # every session of the user ended from the command line; another user keeps theirs
    d = client(mode="password", passwords=PASSWORDS)
    assert sign_in(d, "ubnd.phongquang", "b2").status_code == 303
    time.sleep(1.05)  # cookies carry whole seconds: those issued before this second are ended
    assert cli.main(["revoke", "LanhDao"]) == 0 and "LanhDao" in capsys.readouterr().out
    assert c.get("/api/v1/units").status_code == 401
    assert d.get("/api/v1/units").status_code == 200
    assert sign_in(c, "lanhdao", "a1").status_code == 303 and c.get("/api/v1/units").status_code == 200


def test_expired_cookie_is_refused(app_env, monkeypatch):
    import itsdangerous.timed

    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: 1_000_000_000)
    old = session.make_cookie("lanhdao", "k")
    monkeypatch.undo()
    assert session.read_cookie(old, "k") is None
    c = with_cookies(client(mode="password", passwords=PASSWORDS), **{session.COOKIE: old})
    assert c.get("/api/v1/units").status_code == 401


def test_wrong_password_and_user_without_role(app_env):
    c = client(mode="password", passwords=PASSWORDS)
    r = sign_in(c, "lanhdao", "wrong")
    assert r.status_code == 401 and "Sai tên đăng nhập" in r.text and session.COOKIE not in c.cookies
    r = sign_in(c, "lạ", "c3")
    assert r.status_code == 403 and "chưa được cấp quyền" in r.text
    # a valid cookie for a user the roles file does not list is refused on the routes too
    assert with_cookies(c, **{session.COOKIE: session.make_cookie("lạ", "k")}).get("/api/v1/units").status_code == 403


def test_unit_viewer_gets_only_their_units_on_every_route(app_env):
    c = client(mode="password", passwords=PASSWORDS)
    assert sign_in(c, "ubnd.phongquang", "b2").status_code == 303
    assert [u["unit_code"] for u in c.get("/api/v1/units").json()["units"]] == [PQ]
    assert c.get("/api/v1/kpi?period=2025-07&unit=Phong Quảng").json()["dossiers"]["received"] == 8
    r = c.get("/api/v1/kpi?period=2025-07&unit=Đan Điền")
    assert r.status_code == 403 and r.json()["error"]["parameter"] == "unit"
    assert c.get("/api/v1/kpi?period=2025-07").status_code == 403  # the whole province is not theirs
    ranked = c.get("/api/v1/ranking?period=2025-07&metric=on_time_rate").json()["ranking"]
    assert [r["unit_code"] for r in ranked] == [PQ] and ranked[0]["rank"] == 1
    csv = c.get("/api/v1/ranking?period=2025-07&metric=received&format=csv").content.decode("utf-8-sig")
    assert len(csv.splitlines()) == 2 and "Đan Điền" not in csv


def test_api_tokens_are_hashed_and_carry_a_role(app_env):
    leader, leader_hash = session.new_token("ioc")
    viewer, viewer_hash = session.new_token("pq")
    assert leader not in leader_hash and leader_hash.startswith("scrypt$")
    tokens = {"ioc": {"hash": leader_hash, "role": "leader"},
              "pq": {"hash": viewer_hash, "role": "unit_viewer", "units": ["Phong Quảng"]}}
    c = client(mode="oidc", tokens=tokens)
    auth_ = {"Authorization": f"Bearer {leader}"}
    assert len(c.get("/api/v1/units", headers=auth_).json()["units"]) == 40
    assert c.get("/api/v1/units", headers=auth_).status_code == 200  # the remembered check answers the same
    pq = {"Authorization": f"Bearer {viewer}"}
    assert [u["unit_code"] for u in c.get("/api/v1/units", headers=pq).json()["units"]] == [PQ]
    assert c.get("/api/v1/kpi?period=2025&unit=Đan Điền", headers=pq).status_code == 403
    for bad in (leader + "x", "ioc.nothing", "nobody.abc", viewer.replace("pq.", "ioc.")):
        assert c.get("/api/v1/units", headers={"Authorization": f"Bearer {bad}"}).status_code == 401, bad


def test_oidc_identity_applies_to_the_routes(app_env):
    from streamlit.web.server.server_util import get_cookie_secret
    from streamlit.web.server.starlette.starlette_app_utils import create_signed_value

    def oidc_cookie(email: str) -> str:
        value = json.dumps({"email": email, "is_logged_in": True, "provider": "default"})
        return create_signed_value(get_cookie_secret(), "_streamlit_user", value).decode()

    c = client(mode="oidc")
    assert c.get("/api/v1/units").status_code == 401
    r = with_cookies(c, _streamlit_user=oidc_cookie("ubnd.phongquang")).get("/api/v1/units")
    assert [u["unit_code"] for u in r.json()["units"]] == [PQ]
    assert with_cookies(c, _streamlit_user=oidc_cookie("lanhdao")).get("/api/v1/units").status_code == 200
    assert with_cookies(c, _streamlit_user=oidc_cookie("x@y")).get("/api/v1/units").status_code == 403
    c.cookies.clear()
    assert sign_in(c, "lanhdao", "a1").status_code == 400  # no password login in OIDC mode


def test_five_failures_then_429_with_a_growing_wait_and_the_audit_log(app_env, monkeypatch):
    clock = [1000.0]
    svc = server.Services(throttle=session.Throttle(lambda: clock[0]))
    c = client(svc, mode="password", passwords=PASSWORDS)
    for _ in range(5):
        assert sign_in(c, "lanhdao", "wrong").status_code == 401
    r = sign_in(c, "lanhdao", "a1")  # even the right password waits
    assert r.status_code == 429 and r.headers["retry-after"] == "30" and "30" in r.text
    clock[0] += 31
    assert sign_in(c, "lanhdao", "wrong").status_code == 401
    r = sign_in(c, "lanhdao", "a1")
    assert r.status_code == 429 and r.headers["retry-after"] == "60"  # doubled
    clock[0] += 61
    assert sign_in(c, "lanhdao", "a1").status_code == 303
    log = [e for e in steward.audit(db.db_dir()) if e["action"].startswith("login")]
    actions = [e["action"] for e in log[::-1]]
    assert actions == ["login_failed"] * 5 + ["login_throttled", "login_failed", "login_throttled", "login"]
    assert all(e["who"] == "lanhdao" and e["address"] == "testclient" for e in log)


def test_five_failures_from_one_address_throttle_every_user(app_env):
    c = client(mode="password", passwords=PASSWORDS)
    for i in range(5):
        assert sign_in(c, f"guess{i}", "x").status_code == 401
    assert sign_in(c, "ubnd.phongquang", "b2").status_code == 429


def test_failed_sign_ins_are_counted_by_every_replica_serving_the_database(app_env, tmp_path):
    """Behind nginx a guesser's tries spread over the replicas; each one counts them all (a file in the
    database folder, under a lock), so five failures anywhere make every replica answer 429."""
    store = db.db_dir() / session.FAILURES_FILE
    fail = ("import sys; from pathlib import Path; from communes.web import session; "
            "th = session.Throttle(store=lambda: Path(sys.argv[1])); "
            "[th.fail(['user:lanhdao', 'addr:' + sys.argv[2]]) for _ in range(int(sys.argv[3]))]")
    subprocess.run([sys.executable, "-c", fail, str(store), "10.0.0.9", "5"], check=True, cwd=settings.ROOT)
    c = client(mode="password", passwords=PASSWORDS)  # this process: another replica
    r = sign_in(c, "lanhdao", "a1")
    assert r.status_code == 429 and 0 < int(r.headers["retry-after"]) <= 30
    assert sign_in(c, "ubnd.phongquang", "b2").status_code == 303  # another user, another address
    # two replicas failing at the same moment lose no count (the file is read and written under its lock)
    procs = [subprocess.Popen([sys.executable, "-c", fail, str(store), f"10.0.0.{i}", "40"], cwd=settings.ROOT)
             for i in (1, 2)]
    assert [p.wait(60) for p in procs] == [0, 0]
    counts = json.loads(store.read_text(encoding="utf-8"))
    assert counts["user:lanhdao"][0] == 5 + 80 and counts["addr:10.0.0.1"][0] == counts["addr:10.0.0.2"][0] == 40
    # a damaged file counts nothing (never locks everyone out) and is written anew at the next failure
    store.write_text("{not json", encoding="utf-8")
    assert session.Throttle(store=lambda: store).wait(["user:lanhdao"]) == 0
    session.Throttle(store=lambda: store).fail(["user:x"])
    assert list(json.loads(store.read_text(encoding="utf-8"))) == ["user:x"]


def test_unsalted_sha256_is_refused_with_how_to_migrate(app_env):
    legacy = {"lanhdao": hashlib.sha256(b"a1").hexdigest()}
    r = sign_in(client(mode="password", passwords=legacy), "lanhdao", "a1")
    assert r.status_code == 403
    assert "python -m communes passwd lanhdao" in r.text and "SHA-256" in r.text
    with pytest.raises(session.LegacyHash, match="passwd lanhdao"):
        session.check_user("lanhdao", "a1", legacy)


@pytest.mark.slow
def test_passwd_command_prints_a_salted_scrypt_value():
    import subprocess
    import sys

    from communes import settings

    def run(user, password):
        out = subprocess.run([sys.executable, "-m", "communes", "passwd", user], input=password + "\n",
                             capture_output=True, text=True, cwd=settings.ROOT, timeout=60)
        assert out.returncode == 0, out.stderr
        name, value = out.stdout.strip().split(" = ")
        return json.loads(name), json.loads(value)

    name, first = run("lanhdao", "mật khẩu dài")
    _, second = run("lanhdao", "mật khẩu dài")
    assert name == "lanhdao" and first.startswith("scrypt$") and first != second  # a new salt each time
    assert session.verify_password("mật khẩu dài", first) and not session.verify_password("mật khẩu", first)
    assert session.check_user("LanhDao", "mật khẩu dài", {"lanhdao": first})


def test_login_page_and_safe_redirect(app_env):
    c = client(mode="password", passwords=PASSWORDS)
    page = c.get("/auth/login?next=/profile?unit=19873")
    assert page.status_code == 200 and 'name="user"' in page.text and 'name="password"' in page.text
    assert 'method="post"' in page.text and "/profile?unit=19873" in page.text
    r = c.post("/auth/login", data={"user": "lanhdao", "password": "a1", "next": "//evil.example/"})
    assert r.headers["location"] == "/"


def test_phone_pages_are_mounted_behind_the_same_login(app_env):
    open_ = client()
    assert open_.get("/m/").status_code == 200
    assert "Phường Phong Quảng" in open_.get("/m/Phong Quảng?pk=month&p=2025-07").text
    assert open_.get("/m").status_code == 308
    c = client(mode="password", passwords=PASSWORDS)
    for url in ("/m/", "/m/19873"):
        r = c.get(url)
        assert r.status_code == 401 and "/auth/login?next=" in r.text, url
    assert sign_in(c, "ubnd.phongquang", "b2").status_code == 303
    assert c.get("/m/19873?pk=month&p=2025-07").status_code == 200
    r = c.get("/m/Đan Điền")
    assert r.status_code == 403 and "không được xem" in r.text
    index = c.get("/m/?pk=month&p=2025-07").text
    assert "Phong Quảng" in index and "Đan Điền" not in index


def test_streamlits_oidc_login_and_logout_still_answer(app_env):
    from streamlit.web.server.server_util import get_cookie_secret
    from streamlit.web.server.starlette.starlette_app_utils import create_signed_value

    c = client(mode="oidc")
    r = c.get("/auth/login?provider=not-a-token")  # st.login's redirect goes to Streamlit's OIDC handler
    assert r.status_code in (302, 303, 307) and 'name="password"' not in r.text
    value = json.dumps({"email": "lanhdao", "is_logged_in": True})
    with_cookies(c, _streamlit_user=create_signed_value(get_cookie_secret(), "_streamlit_user", value).decode(),
                 **{session.COOKIE: session.make_cookie("lanhdao", "k")})
    out = c.get("/auth/logout")
    cleared = out.headers.get_list("set-cookie")
    assert out.status_code in (302, 303, 307)
    assert any(x.startswith("_streamlit_user=") for x in cleared)  # Streamlit ended its session
    assert any(x.startswith(f'{session.COOKIE}=""') for x in cleared)  # and so did ours


@pytest.mark.parametrize("metric,cmp", [("on_time_rate", "prev"), ("received", "yoy"), ("visitors", "prev"),
                                        ("rice_production_tonnes", "yoy")])
def test_ranking_equals_the_overview_pages(app_env, metric, cmp):
    from communes import frame, refdata, served, settings
    from communes.missing import tidy_doc
    from communes.views import overview as ov

    version = served.served_version()[0]
    run = served.runner(version.path)
    ref = refdata.load(settings.get("province"))
    first, as_of = frame.span(run)
    f = frame.from_params({"pk": "quarter", "p": "2025-Q3", "cmp": cmp}, ref, first, as_of, version)
    d = ov.load(run, f, metric=metric)  # what the overview page draws its ranking from
    page = ov.ranking(d.table, d.table_before, metric)
    api_rows = client().get(f"/api/v1/ranking?period=2025-Q3&metric={metric}&cmp={cmp}").json()["ranking"]
    assert [r["unit_code"] for r in api_rows] == page["unit_code"].tolist()
    for r, (_, p) in zip(api_rows, page.iterrows()):
        for key, col in (("rank", "rank"), ("value", metric), ("value_compare", "value_before")):
            want = None if pd.isna(p[col]) else tidy_doc(p[col].item() if hasattr(p[col], "item") else p[col])
            assert r[key] == want, (r["unit_code"], key)  # the page's figure, to 12 significant digits


def test_with_oidc_the_refusals_point_to_the_dashboards_sign_in(app_env):
    c = client(mode="oidc")
    r = c.get("/m/19873")
    assert r.status_code == 401 and 'href="/?lang=vi"' in r.text and "/auth/login" not in r.text
    assert c.get("/auth/login").status_code == 303 and c.get("/auth/login").headers["location"] == "/?lang=vi"
