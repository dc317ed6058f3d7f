"""Who is asking, at every door of the server alike: the login settings, the caller (an API token, the
session cookie or Streamlit's OIDC identity) and the refusals (401 without credentials, 403 without a role),
as JSON for the API and downloads, as a page for a browser.

The cookie, its signature, the password hashes and the throttle are ``communes.web.session``'s; the
routes that use this are ``communes.web.server``'s.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse

from communes import auth, refdata
from communes.i18n import t
from communes.web import session
from communes.web.html_pages import page


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


def identify(request: Request, svc, login: Login) -> auth.User:
    """The caller: a token, the session cookie or the OIDC identity; raises ``Refused`` (401/403). ``svc``
    is the server's ``Services`` (its reference data and token check)."""
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
    name = session.read_cookie(request.cookies.get(session.COOKIE), login.secret, int(login.hours * 3600),
                               svc.revocations)
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


def safe_next(value: str | None) -> str:
    """A local path to go to after signing in (never another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value



class DownloadGuard:
    """With login on, Streamlit's downloads (``/media/``) answer 401 without a session or token, 403
    without a role; every other path passes through."""

    def __init__(self, app, svc):
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
