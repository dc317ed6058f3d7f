"""Login and roles: what each role is shown and what it is refused."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from communes import auth, refdata, settings, signin
from communes.web import session

REF = refdata.load("Thành phố Huế")
PQ = "19873"


def test_roles_file_resolves_unit_names():
    roles = auth.load_roles(REF, settings.ROOT / "config" / "roles.toml")
    assert roles["ubnd.phongquang"] == auth.User("ubnd.phongquang", "unit_viewer", (PQ,))
    assert roles["dulieu"].can_steward and roles["lanhdao"].units is None


def test_unknown_user_is_refused():
    with pytest.raises(auth.AccessError, match="chưa được cấp quyền"):
        auth.user_for("someone@else", REF)


def test_bad_role_or_unit_in_the_roles_file(tmp_path):
    f = tmp_path / "roles.toml"
    f.write_text('[users."x"]\nrole = "admin"\n', encoding="utf-8")
    with pytest.raises(auth.AccessError, match="vai trò «admin»"):
        auth.load_roles(REF, f)
    f.write_text('[users."x"]\nrole = "unit_viewer"\nunits = ["Không Có"]\n', encoding="utf-8")
    with pytest.raises(auth.AccessError, match="đơn vị «Không Có»"):
        auth.load_roles(REF, f)


def test_unit_viewer_sees_only_own_units():
    u = auth.User("v", "unit_viewer", (PQ,))
    assert u.allowed(None) == [PQ] and u.allowed(["19885"]) == [] and not u.can_see("19885")


@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports(), built=True)


def app_with_login() -> AppTest:
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=60)
    at.secrets["communes"] = {"login": "password", "session_secret": "k", "passwords": {}}
    at.query_params["pk"] = "month"
    at.query_params["p"] = "2025-07"
    return at


def sign_in(monkeypatch, user: str, secret: str = "k") -> AppTest:
    """The page as a browser holding the session cookie ``POST /auth/login`` set (AppTest cannot send
    cookies, so the page's reader of ``st.context.cookies`` answers with it)."""
    monkeypatch.setattr(signin, "session_cookie", lambda: session.make_cookie(user, secret))
    return app_with_login().run()


def test_without_a_session_the_page_links_to_the_login(app_env):
    at = app_with_login().run()
    assert not at.exception
    assert [x.value for x in at.title] == ["Đăng nhập"] and not at.metric
    assert any('href="/auth/login?next=' in m.value and 'target="_self"' in m.value for m in at.markdown)


def test_forged_cookie_is_not_a_session(app_env, monkeypatch):
    at = sign_in(monkeypatch, "lanhdao", secret="another key")
    assert [x.value for x in at.title] == ["Đăng nhập"] and not at.metric


def test_leader_sees_every_unit(app_env, monkeypatch):
    at = sign_in(monkeypatch, "lanhdao")
    assert not at.exception
    shown = " ".join(df.value.to_string() for df in at.dataframe)
    assert all(name in shown for name in REF.units.unit_name)
    assert any('href="/auth/logout"' in m.value for m in at.sidebar.markdown)


def test_unit_viewer_sees_only_their_unit(app_env, monkeypatch):
    at = sign_in(monkeypatch, "ubnd.phongquang")
    assert not at.exception
    shown = " ".join(df.value.to_string() for df in at.dataframe)
    assert "Phường Phong Quảng" in shown
    others = [n for n in REF.units.unit_name if n != "Phường Phong Quảng" and n in shown]
    assert others == []
    assert at.selectbox(key="scope").options == ["Tất cả đơn vị"]


def test_user_without_a_role_is_refused(app_env, monkeypatch):
    at = sign_in(monkeypatch, "lạ")
    assert "chưa được cấp quyền" in at.error[0].value and not at.metric


def test_a_deep_link_is_routed_first_and_its_page_runs_only_once_signed_in(app_env, monkeypatch):
    """app.py builds ``st.navigation`` before the login gate: a deep link resolves to its page, which shows
    the sign-in screen (and no menu, no figure) until the session holds a user, then the page itself."""
    at = app_with_login()
    at.switch_page("pages/dossiers.py").run()
    assert not at.exception
    assert [x.value for x in at.title] == ["Đăng nhập"] and not at.metric and not at.dataframe
    monkeypatch.setattr(signin, "session_cookie", lambda: session.make_cookie("lanhdao", "k"))
    at.run()
    assert not at.exception
    assert at.title[0].value == "Hồ sơ thủ tục hành chính – Tháng 7/2025" and at.metric
