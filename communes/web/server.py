"""The one server: the Streamlit dashboard and the routes of its own, in one ASGI application (``st.App``).

``python -m communes serve`` runs ``create_app()`` with Streamlit's own runner (uvicorn), with the
same command-line options as ``streamlit run``. Next to the pages it serves:

- ``/healthz``: pid, data version, ready, started_at (JSON);
- ``/api/v1/``: the read-only API (``communes.web.api``), documented at ``/api/v1/``;
- ``/m/`` and ``/m/{unit}``: the site-visit pages for phones (``communes.web.mobile``);
- ``/auth/login`` and ``/auth/logout``: the session cookie every door reads (``communes.web.session``);
- Streamlit's frontend files compressed once (``communes.web.assets``).

Login applies to every door alike: with login on (``[communes] login`` in secrets), ``/m/``, ``/api/``
and downloads (Streamlit's ``/media/``) answer 401 without a session or token and 403 to a user without
a role, and a unit viewer gets only their own units everywhere.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from communes import auth, db, exports, refdata, settings
from communes.i18n import t
from communes.web import api, session

LOG = logging.getLogger(__name__)
STARTED_AT = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# --- login settings --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Login:
    """``[communes]`` of the secrets: the mode (off, password, oidc), password hashes, API tokens."""

    mode: str = "off"
    passwords: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    secret: str = ""
    hours: float = session.SESSION_HOURS

    @classmethod
    def from_conf(cls, conf: dict) -> Login:
        return cls(mode=str(conf.get("login", "off")), passwords=dict(conf.get("passwords", {})),
                   tokens={k: dict(v) for k, v in dict(conf.get("tokens", {})).items()},
                   secret=session.secret_for(conf), hours=float(conf.get("session_hours", session.SESSION_HOURS)))

    @property
    def on(self) -> bool:
        return self.mode != "off"


def secrets_login() -> Login:
    """The login settings from Streamlit's secrets (``.streamlit/secrets.toml``)."""
    import streamlit as st

    try:
        conf = dict(st.secrets.get("communes", {}))
    except (FileNotFoundError, KeyError, AttributeError, st.errors.StreamlitSecretNotFoundError):
        conf = {}
    return Login.from_conf(conf)


@dataclass
class Services:
    """What the routes run on; the server's defaults read the pages' data version and cache."""

    login: Callable[[], Login] = secrets_login
    version: Callable[[], object] = None  # () -> ui.DataVersion | None
    runner: Callable[[str], Callable] = None  # path -> run(name, **params)
    ref: Callable[[], refdata.RefData] = lambda: refdata.load(settings.get("province"))
    audit_dir: Callable[[], Path] = db.db_dir
    throttle: session.Throttle = field(default_factory=session.Throttle)
    tokens: session.TokenCheck = field(default_factory=session.TokenCheck)

    def __post_init__(self):
        if self.version is None or self.runner is None:
            from communes import ui  # the pages' cache and data version

            self.version = self.version or (lambda: ui.served_version()[0])
            self.runner = self.runner or ui.runner


def audit(svc: Services, action: str, who: str | None, request: Request, **more) -> None:
    from communes import steward

    try:
        directory = Path(svc.audit_dir())
        directory.mkdir(parents=True, exist_ok=True)
        steward.log(directory, action=action, who=who, address=client_address(request), **more)
    except OSError as exc:
        LOG.error("audit log: %s", exc)


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


# --- who is asking ---------------------------------------------------------------------------------

class Refused(Exception):
    """401 (no or bad credentials) or 403 (no role), with a message key."""

    def __init__(self, status: int, key: str, text: str | None = None):
        super().__init__(key)
        self.status, self.key, self.text = status, key, text


def oidc_identity(request: Request) -> dict | None:
    """The user Streamlit's OIDC login (``st.login``) stored in its signed cookie, if any."""
    from streamlit.auth_util import get_cookie_with_chunks
    from streamlit.web.server.server_util import get_cookie_secret
    from streamlit.web.server.starlette.starlette_app_utils import decode_signed_value
    from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME

    secret = get_cookie_secret()

    def one(name: str) -> bytes | None:
        v = request.cookies.get(name)
        return decode_signed_value(secret, name, v) if v else None

    raw = get_cookie_with_chunks(one, USER_COOKIE_NAME)
    try:
        info = json.loads(raw) if raw else None
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return info if isinstance(info, dict) and info.get("is_logged_in") else None


def token_user(name: str, entry: dict, ref: refdata.RefData) -> auth.User:
    """The user an API token acts as: its name and the role stored with its hash."""
    role = str(entry.get("role", ""))
    if role not in auth.ROLES:
        raise Refused(403, "web.bad_token")
    units = None
    if role == "unit_viewer":
        codes = [refdata.resolve(ref, u, before_merger=False).unit_code for u in entry.get("units", [])]
        units = tuple(c for c in codes if c)
    return auth.User(f"token:{name}", role, units)


def identify(request: Request, svc: Services, login: Login) -> auth.User:
    """The caller: a token, the session cookie or the OIDC identity; raises ``Refused`` (401/403)."""
    if not login.on:
        return auth.LOCAL
    ref = svc.ref()
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        token = header[7:].strip()
        name = svc.tokens.name(token, login.tokens)
        if name is None:
            raise Refused(401, "web.bad_token")
        return token_user(name, login.tokens[name], ref)
    name = session.read_cookie(request.cookies.get(session.COOKIE), login.secret, int(login.hours * 3600))
    if name is None and login.mode == "oidc":
        info = oidc_identity(request)
        name = (info.get("email") or info.get("name")) if info else None
    if not name:
        raise Refused(401, "web.unauthorized")
    try:
        return auth.user_for(name, ref)
    except auth.AccessError as exc:
        raise Refused(403, "web.unauthorized", str(exc)) from None


def lang_of(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "vi"


def refusal_json(exc: Refused) -> JSONResponse:
    body = {"error": {"status": exc.status, "vi": exc.text or t(exc.key, "vi"), "en": exc.text or t(exc.key, "en")}}
    headers = {"WWW-Authenticate": 'Bearer realm="communes"'} if exc.status == 401 else {}
    return JSONResponse(body, exc.status, headers=headers)


def refusal_html(exc: Refused, request: Request, mode: str = "password") -> HTMLResponse:
    """The 401/403 page of a browser route; a 401 links to the sign-in (the form, or with OIDC the
    dashboard's sign-in button)."""
    lg = lang_of(request)
    msg = exc.text or t(exc.key, lg)
    link = ""
    if exc.status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        href = f"/?{urlencode({'lang': lg})}" if mode == "oidc" else f"/auth/login?{urlencode({'next': target, 'lang': lg})}"
        link = f'<p><a href="{html.escape(href)}">{t("web.go_login", lg)}</a></p>'
    return HTMLResponse(page(t("web.login_title", lg), f"<p>{html.escape(msg)}</p>{link}", lg), exc.status)


# --- small HTML pages ------------------------------------------------------------------------------

CSS = ("body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;"
       "line-height:1.5}input{display:block;width:100%;padding:.5rem;margin:.25rem 0 1rem;font-size:1rem;"
       "box-sizing:border-box}button{padding:.6rem 1.2rem;font-size:1rem;background:#1f4e79;color:#fff;border:0;"
       "border-radius:.3rem}.err{color:#a3191f}pre{background:#f2f5f8;padding:.6rem;overflow-x:auto}"
       "code{background:#f2f5f8}@media(prefers-color-scheme:dark){body{background:#11161c;color:#e6e9ed}"
       "pre,code{background:#1b232c}.err{color:#ff8a80}a{color:#8ab4f8}}")


def page(title: str, body: str, lang: str = "vi") -> str:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head><body>{body}</body></html>")


def login_form(lang: str, next_url: str, error: str = "") -> str:
    err = f'<p class="err" role="alert">{html.escape(error)}</p>' if error else ""
    other = "en" if lang == "vi" else "vi"
    return page(t("web.login_title", lang), (
        f"<h1>{t('auth.title', lang)}</h1><p>{t('auth.intro', lang)}</p>{err}"
        f'<form method="post" action="/auth/login?{html.escape(urlencode({"lang": lang}))}">'
        f'<input type="hidden" name="next" value="{html.escape(next_url)}">'
        f'<label>{t("auth.user", lang)}<input name="user" autocomplete="username" required></label>'
        f'<label>{t("auth.password", lang)}<input name="password" type="password" autocomplete="current-password"'
        f' required></label><button type="submit">{t("auth.submit", lang)}</button></form>'
        f'<p><a href="/auth/login?{html.escape(urlencode({"next": next_url, "lang": other}))}">'
        f'{t(f"lang.{other}", other)}</a></p>'), lang)


def safe_next(value: str | None) -> str:
    """A local path to go to after signing in (never another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


# --- routes ----------------------------------------------------------------------------------------

def routes(svc: Services) -> list[Route]:
    from streamlit.web.server.starlette.starlette_auth_routes import create_auth_routes

    st_auth = {r.path: r.endpoint for r in create_auth_routes("")}  # Streamlit's OIDC routes (st.login)

    def healthz(request: Request) -> JSONResponse:
        cur = db.current_path()
        meta = db.read_meta(cur) if cur is not None else {}
        return JSONResponse({"pid": os.getpid(), "version": meta.get("fingerprint"), "ready": cur is not None,
                             "started_at": STARTED_AT}, headers={"Cache-Control": "no-store"})

    def api_call(request: Request) -> Response:
        name = request.path_params["endpoint"]
        try:
            try:
                user = identify(request, svc, svc.login())
            except Refused as exc:
                return refusal_json(exc)
            if name not in api.ENDPOINTS:
                raise api.ApiError(404, "api.not_found")
            params = request.query_params
            for k in params:
                if len(params.getlist(k)) > 1:
                    raise api.ApiError(400, "api.repeated", k)
            fmt = api.choice(params, "format", api.FORMATS, "json") if name in api.LISTS else "json"
            version = svc.version()
            if version is None:
                raise api.ApiError(503, "api.no_data")
            fp = version.meta.get("fingerprint", "")
            sample = version.is_sample
            tag = hashlib.sha256(json.dumps([fp, request.url.path, sorted(params.multi_items()), user.name,
                                             user.role, user.units], default=str).encode()).hexdigest()[:20]
            etag = f'"{fp}-{tag}"'
            headers = {"ETag": etag, "X-Data-Version": fp, "X-Sample-Data": "true" if sample else "false",
                       "Cache-Control": "private, no-cache", "Vary": "Authorization, Cookie"}
            if etag in [x.strip() for x in request.headers.get("if-none-match", "").split(",")]:
                return Response(status_code=304, headers=headers)
            answer = api.ENDPOINTS[name](api.Request(params, user, svc.ref(), svc.runner(version.path)))
            if fmt == "csv":
                stem = ("du-lieu-mau_" if sample else "") + answer.name
                headers["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
                return Response(exports.csv_bytes(answer.rows), media_type="text/csv; charset=utf-8",
                                headers=headers)
            doc = answer.doc if name == "kpi" else {"data_version": fp, "sample": sample, **answer.doc}
            return JSONResponse(doc, headers=headers)
        except api.ApiError as exc:
            return JSONResponse(exc.body(), exc.status, headers={"Cache-Control": "no-store"})
        except Exception:  # noqa: BLE001 — never a traceback to the caller; the log keeps it
            LOG.exception("API %s failed", request.url)
            return JSONResponse(api.ApiError(500, "api.internal").body(), 500, headers={"Cache-Control": "no-store"})

    def api_doc(request: Request) -> HTMLResponse:
        return HTMLResponse(page("API /api/v1/", api_docs_html()), headers={"Cache-Control": "no-cache"})

    async def login(request: Request) -> Response:
        lg = lang_of(request)
        if request.method == "GET":
            if "provider" in request.query_params:  # st.login's redirect: Streamlit's OIDC flow
                return await st_auth["/auth/login"](request)
            if svc.login().mode == "oidc":  # no password form: the dashboard's sign-in button starts st.login
                return RedirectResponse(f"/?{urlencode({'lang': lg})}", 303)
            return HTMLResponse(login_form(lg, safe_next(request.query_params.get("next"))),
                                headers={"Cache-Control": "no-store"})
        form = await request.form()
        user, password = str(form.get("user", "")).strip(), str(form.get("password", ""))
        next_url = safe_next(str(form.get("next", "")) or None)
        conf = svc.login()
        if conf.mode != "password":
            return HTMLResponse(page(t("web.login_title", lg), f"<p>{t('web.no_password_login', lg)}</p>", lg), 400)
        keys = [f"user:{user.lower()}", f"addr:{client_address(request)}"]
        wait = svc.throttle.wait(keys)
        if wait > 0:
            seconds = int(wait + 0.999)
            audit(svc, "login_throttled", user, request, wait_s=seconds)
            return HTMLResponse(login_form(lg, next_url, t("web.throttled", lg, seconds=seconds)), 429,
                                headers={"Retry-After": str(seconds), "Cache-Control": "no-store"})
        try:
            ok = await _in_thread(session.check_user, user, password, conf.passwords)
        except session.LegacyHash as exc:
            LOG.error("%s", exc)
            audit(svc, "login_refused_legacy_hash", user, request)
            return HTMLResponse(login_form(lg, next_url, str(exc)), 403, headers={"Cache-Control": "no-store"})
        if not ok:
            svc.throttle.fail(keys)
            audit(svc, "login_failed", user, request)
            return HTMLResponse(login_form(lg, next_url, t("auth.wrong", lg)), 401, headers={"Cache-Control": "no-store"})
        svc.throttle.succeed(keys)
        try:
            auth.user_for(user, svc.ref())
        except auth.AccessError as exc:
            audit(svc, "login_no_role", user, request)
            return HTMLResponse(login_form(lg, next_url, str(exc)), 403, headers={"Cache-Control": "no-store"})
        audit(svc, "login", user, request)
        resp = RedirectResponse(next_url, 303)
        resp.set_cookie(session.COOKIE, session.make_cookie(user, conf.secret), max_age=int(conf.hours * 3600),
                        path="/", httponly=True, samesite="lax", secure=behind_tls(request))
        return resp

    async def logout(request: Request) -> Response:
        from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME

        if USER_COOKIE_NAME in request.cookies:  # signed in with OIDC: Streamlit ends that session too
            resp = await st_auth["/auth/logout"](request)
        else:
            resp = RedirectResponse("/", 303)
        resp.delete_cookie(session.COOKIE, path="/", httponly=True, samesite="lax", secure=behind_tls(request))
        return resp

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/api/v1/", api_doc, methods=["GET"]),
        Route("/api/v1", lambda r: RedirectResponse("/api/v1/", 308), methods=["GET"]),
        Route("/api/v1/{endpoint:path}", api_call, methods=["GET"]),
        Route("/auth/login", login, methods=["GET", "POST"]),
        Route("/auth/logout", logout, methods=["GET", "POST"]),
        *mobile_routes(svc),
    ]


async def _in_thread(fn, *args):
    from anyio import to_thread

    return await to_thread.run_sync(fn, *args)


def behind_tls(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


def mobile_routes(svc: Services) -> list[Route]:
    """``/m/`` and ``/m/{unit}``: the site-visit pages (rendered by ``communes.web.mobile``), behind login."""
    try:
        from communes.web import mobile
    except ImportError:
        return []

    def gate(request: Request) -> auth.User | Response:
        login = svc.login()
        try:
            return identify(request, svc, login)
        except Refused as exc:
            return refusal_html(exc, request, login.mode)

    def index(request: Request) -> Response:
        user = gate(request)
        if isinstance(user, Response):
            return user
        status, body = mobile.index_page(dict(request.query_params), user)
        return HTMLResponse(body, status, headers={"Cache-Control": "private, no-cache"})

    def unit(request: Request) -> Response:
        user = gate(request)
        if isinstance(user, Response):
            return user
        name = request.path_params["unit"]
        m = refdata.resolve(svc.ref(), name, before_merger=False)
        if m.unit_code is not None and not user.can_see(m.unit_code):
            return refusal_html(Refused(403, "web.refused_unit", t("web.refused_unit", lang_of(request), value=name)),
                                request)
        status, body = mobile.unit_page(name, dict(request.query_params), user)
        return HTMLResponse(body, status, headers={"Cache-Control": "private, no-cache"})

    return [Route("/m/", index, methods=["GET"]), Route("/m", lambda r: RedirectResponse("/m/", 308)),
            Route("/m/{unit}", unit, methods=["GET"])]


class DownloadGuard:
    """With login on, Streamlit's downloads (``/media/``) answer 401 without a session or token, 403
    without a role; every other path passes through."""

    def __init__(self, app, svc: Services):
        self.app, self.svc = app, svc

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith("/media/"):
            login = self.svc.login()
            if login.on:
                request = Request(scope, receive)
                try:
                    identify(request, self.svc, login)
                except Refused as exc:
                    return await refusal_json(exc)(scope, receive, send)
        await self.app(scope, receive, send)


def middleware(svc: Services, warm: bool = True) -> list:
    from starlette.middleware import Middleware

    from communes.web.assets import CompressedStatic

    return [Middleware(CompressedStatic, warm=warm), Middleware(DownloadGuard, svc=svc)]


class _OutsidePageRuns(logging.Filter):
    """The routes call the pages' cached functions outside any page run, as designed; Streamlit would warn
    about the missing run context on every such call."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


def create_app(svc: Services | None = None):
    """The dashboard and its routes as one ASGI application (``st.App``)."""
    import streamlit as st

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_OutsidePageRuns())
    svc = svc or Services()
    return st.App(str(settings.ROOT / "app.py"), routes=routes(svc), middleware=middleware(svc))


def api_docs_html() -> str:
    from communes.views.overview import METRICS

    base = "http://localhost:8501"
    metrics = ", ".join(f"<code>{m}</code>" for m in METRICS)
    return f"""<h1>API /api/v1/ (chỉ đọc / read-only)</h1>
<p>Các con số giống hệt trang bảng điều hành và <code>python -m communes kpi</code> (cùng truy vấn, cùng phiên
bản dữ liệu). / The same numbers as the dashboard and <code>python -m communes kpi</code>.</p>
<p>Mỗi câu trả lời có <code>X-Data-Version</code> (phiên bản dữ liệu), <code>ETag</code> và
<code>Cache-Control: private, no-cache</code>; <code>X-Sample-Data: true</code> khi đang dùng DỮ LIỆU MẪU.
Lỗi: 400 (tham số sai, thông báo tiếng Việt và tiếng Anh nêu tên tham số), 401/403 (đăng nhập, quyền),
404 (đơn vị không có).</p>
<h2>GET /api/v1/kpi?period=P[&amp;unit=U]</h2>
<p>Mọi chỉ tiêu của kỳ, cho một đơn vị hoặc cả thành phố: đúng JSON của <code>python -m communes kpi</code>.
<code>P</code>: <code>2025-07</code>, <code>2025-Q3</code>, <code>2025</code> hoặc
<code>2025-07-01..2025-10-31</code>; <code>U</code>: mã hoặc tên đơn vị, viết kiểu nào cũng được.</p>
<pre>curl -s '{base}/api/v1/kpi?period=2025-Q3&amp;unit=Phong%20Qu%E1%BA%A3ng'</pre>
<h2>GET /api/v1/units[?format=csv]</h2>
<p>Mã, tên, loại, nhóm tương đồng, các xã/phường cũ, diện tích, dân số.</p>
<pre>curl -s '{base}/api/v1/units'
curl -s -o don-vi.csv '{base}/api/v1/units?format=csv'</pre>
<h2>GET /api/v1/ranking?period=P&amp;metric=M[&amp;scope=S][&amp;cmp=prev|yoy][&amp;format=csv]</h2>
<p>Xếp hạng như trang Tổng quan: hạng, giá trị, giá trị kỳ so sánh, trạng thái so với chỉ tiêu. <code>M</code>:
{metrics}. <code>S</code>: <code>all</code>, <code>phuong</code>, <code>xa</code> hoặc mã nhóm
(<code>urban</code>, <code>coastal</code>, …).</p>
<pre>curl -s '{base}/api/v1/ranking?period=2025-Q3&amp;metric=on_time_rate&amp;scope=xa'
curl -s -o xep-hang.csv '{base}/api/v1/ranking?period=2025-Q3&amp;metric=visitors&amp;format=csv'</pre>
<h2>Đăng nhập / Authentication</h2>
<p>Khi bật đăng nhập: mã truy cập (token) của hệ thống khác, hoặc phiên đăng nhập (cookie) của trình duyệt.</p>
<pre>curl -s -H 'Authorization: Bearer TEN.MA_BI_MAT' '{base}/api/v1/units'
curl -s -c jar -d user=lanhdao --data-urlencode password@- '{base}/auth/login' &lt; matkhau.txt
curl -s -b jar '{base}/api/v1/kpi?period=2025'</pre>
"""
