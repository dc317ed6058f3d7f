"""Signing in, on the Streamlit side: the user a run serves (the session cookie every door reads, or
Streamlit's OIDC identity), the sign-in screen shown instead of a page, the sign-out control, and the
refusal of a unit the user may not see.

The cookie itself (signature, expiry) is ``communes.web.session``'s; the HTTP routes read it through
``communes.web.access``.
"""
from __future__ import annotations

import html
from urllib.parse import urlencode, urlsplit

import streamlit as st

from communes import auth, db, refdata
from communes.frame import Frame
from communes.i18n import t
from communes.ui import lang
from communes.web import session


def _login_settings() -> dict:
    try:
        return dict(st.secrets.get("communes", {}))
    except (FileNotFoundError, KeyError, AttributeError, st.errors.StreamlitSecretNotFoundError):
        return {}


def session_cookie() -> str | None:
    """The session cookie the browser sent (set by ``POST /auth/login``; HttpOnly, so only the server reads it)."""
    try:
        return st.context.cookies.get(session.COOKIE)
    except Exception:  # noqa: BLE001 — no browser context (AppTest)
        return None


def _here() -> str:
    """This page's path and query, to come back to after signing in."""
    query = urlencode({k: st.query_params.get(k) for k in st.query_params})
    try:
        path = urlsplit(st.context.url or "").path or "/"
    except Exception:  # noqa: BLE001 — no browser context (AppTest)
        path = "/"
    return path + (f"?{query}" if query else "")


def _same_tab_link(label: str, href: str) -> str:
    """A link that stays in this tab (Streamlit's link buttons open a new one), styled as a button."""
    return (f'<a href="{html.escape(href)}" target="_self" style="display:inline-block;padding:.45rem .9rem;'
            f'border-radius:.5rem;background:#1f4e79;color:#fff;text-decoration:none">{html.escape(label)}</a>')


def _session_name(conf: dict, mode: str) -> str | None:
    """The name the session holds: the cookie ``POST /auth/login`` sets, or Streamlit's OIDC identity."""
    hours = float(conf.get("session_hours", session.SESSION_HOURS))
    name = session.read_cookie(session_cookie(), session.secret_for(conf), int(hours * 3600),
                               session.Revocations(lambda: db.db_dir() / session.REVOKED_FILE))
    if not name and mode == "oidc" and st.user.is_logged_in:
        name = st.user.get("email") or st.user.get("name") or ""
    return name or None


def session_user(ref: refdata.RefData) -> auth.User | None:
    """The signed-in user, drawing nothing and never stopping the run: everyone is a leader when login is
    off (the default); None when login is on and nobody with a role is signed in (``sign_in_screen``).

    One session for every door: the cookie ``POST /auth/login`` sets (password mode) is read here
    from ``st.context.cookies``, so a reload or a new tab does not ask again; in OIDC mode Streamlit's
    own login (``st.login``), whose identity the HTTP routes read too.
    """
    conf = _login_settings()
    mode = conf.get("login", "off")
    if mode == "off":
        return auth.LOCAL
    name = _session_name(conf, mode)
    if not name:
        return None
    try:
        return auth.user_for(name, ref)
    except auth.AccessError:
        return None


def sign_in_screen(ref: refdata.RefData) -> None:
    """What a visitor without a user sees instead of the page (app.py, after ``st.navigation``): the way
    to sign in, or why the signed-in name is refused; then the run stops."""
    conf = _login_settings()
    mode = conf.get("login", "off")
    lg = lang()
    name = _session_name(conf, mode)
    if name:
        try:
            auth.user_for(name, ref)
        except auth.AccessError as exc:
            st.error(str(exc))
            st.stop()
    st.title(t("auth.title", lg))
    st.write(t("auth.intro", lg))
    if mode == "oidc":
        st.button(t("auth.login_oidc", lg), on_click=st.login)
    else:
        target = "/auth/login?" + urlencode({"next": _here(), "lang": lg})
        st.markdown(_same_tab_link(t("auth.submit", lg), target), unsafe_allow_html=True)
    st.stop()


def logout_control(user: auth.User) -> None:
    if user is auth.LOCAL:
        return
    lg = lang()
    st.sidebar.caption(t("auth.signed_in", lg, name=user.name, role=t(f"auth.role.{user.role}", lg)))
    st.sidebar.markdown(_same_tab_link(t("auth.logout", lg), "/auth/logout"), unsafe_allow_html=True)


def require_unit(f: Frame, code: str) -> None:
    """Stop the page when the user may not see ``code`` (direct URLs included)."""
    if not f.user.can_see(code):
        st.error(t("auth.refused_unit", f.lang))
        st.stop()
