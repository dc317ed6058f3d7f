"""The one server: the Streamlit dashboard and the routes of its own, in one ASGI application (``st.App``).

``python -m communes serve`` runs ``create_app()`` with Streamlit's own runner (uvicorn), with the
same command-line options as ``streamlit run``. Next to the pages it serves:

- ``/healthz``: pid, data version, ready, building, started_at (JSON);
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
from communes.missing import tidy_doc
from communes.web import api, session
from communes.web.access import DownloadGuard, Login, Refused, identify, lang_of, refusal_html, refusal_json, safe_next, secrets_login
from communes.web.html_pages import login_form, page

LOG = logging.getLogger(__name__)
STARTED_AT = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Services:
    """What the routes run on; the server's defaults read the pages' data version and cache."""

    login: Callable[[], Login] = secrets_login
    version: Callable[[], object] = None  # () -> ui.DataVersion | None
    runner: Callable[[str], Callable] = None  # path -> run(name, **params)
    ref: Callable[[], refdata.RefData] = lambda: refdata.load(settings.get("province"))
    audit_dir: Callable[[], Path] = db.db_dir
    # failed sign-ins counted in the database folder: every replica serving it counts the same ones
    throttle: session.Throttle = field(default_factory=lambda: session.Throttle(
        store=lambda: db.db_dir() / session.FAILURES_FILE))
    tokens: session.TokenCheck = field(default_factory=session.TokenCheck)
    # sessions ended before they expire (signed out; ``python -m communes revoke USER``), for every replica
    revocations: session.Revocations = field(default_factory=lambda: session.Revocations(
        lambda: db.db_dir() / session.REVOKED_FILE))

    def __post_init__(self):
        if self.version is None or self.runner is None:
            from communes import served  # the pages' cache and data version

            self.version = self.version or (lambda: served.served_version()[0])
            self.runner = self.runner or served.runner


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


# --- routes ----------------------------------------------------------------------------------------

def routes(svc: Services) -> list[Route]:
    from streamlit.web.server.starlette.starlette_auth_routes import create_auth_routes

    st_auth = {r.path: r.endpoint for r in create_auth_routes("")}  # Streamlit's OIDC routes (st.login)

    def healthz(request: Request) -> JSONResponse:
        from communes import served

        # ready: a version this code serves is current (one built by other code, before an upgrade, makes
        # the first page wait for a new build); building: this process builds newer data meanwhile
        cur = db.current_path()
        meta = db.read_meta(cur) if cur is not None else {}
        ready = db.built_here(meta)
        return JSONResponse({"pid": os.getpid(), "version": meta.get("fingerprint") if ready else None, "ready": ready,
                             "building": served.building(), "started_at": STARTED_AT},
                            headers={"Cache-Control": "no-store"})

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
            return JSONResponse(tidy_doc(doc), headers=headers)
        except api.ApiError as exc:
            return JSONResponse(exc.body(), exc.status, headers={"Cache-Control": "no-store"})
        except Exception:  # noqa: BLE001 — never a traceback to the caller; the log keeps it
            LOG.exception("API %s failed", request.url)
            return JSONResponse(api.ApiError(500, "api.internal").body(), 500, headers={"Cache-Control": "no-store"})

    def api_doc(request: Request) -> HTMLResponse:
        return HTMLResponse(page("API /api/v1/", api.docs_html()), headers={"Cache-Control": "no-cache"})

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

        cookie = request.cookies.get(session.COOKIE)
        conf = svc.login()
        if cookie and session.read_cookie(cookie, conf.secret, int(conf.hours * 3600), svc.revocations):
            # ended here and on every replica: a copy of the cookie no longer signs anyone in
            svc.revocations.end_session(cookie, conf.hours * 3600)
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
