"""Login and roles: what each role is shown and what it is refused."""
from __future__ import annotations

import hashlib

import pytest
from streamlit.testing.v1 import AppTest

from communes import auth, refdata, settings

REF = refdata.load("Thành phố Huế")
PQ = "19873"


def sha(p: str) -> str:
    return hashlib.sha256(p.encode()).hexdigest()


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


def test_password_check_is_exact():
    hashes = {"LanhDao": sha("mật khẩu")}
    assert auth.password_ok("lanhdao", "mật khẩu", hashes)
    assert not auth.password_ok("lanhdao", "mat khau", hashes)
    assert not auth.password_ok("khac", "mật khẩu", hashes)


def test_unit_viewer_sees_only_own_units():
    u = auth.User("v", "unit_viewer", (PQ,))
    assert u.allowed(None) == [PQ] and u.allowed(["19885"]) == [] and not u.can_see("19885")


@pytest.fixture
def app_env(make_exports, use_exports):
    return use_exports(make_exports())


def app_with_login() -> AppTest:
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=60)
    at.secrets["communes"] = {"login": "password",
                              "passwords": {"lanhdao": sha("a1"), "ubnd.phongquang": sha("b2"), "lạ": sha("c3")}}
    at.query_params["pk"] = "month"
    at.query_params["p"] = "2025-07"
    return at


def sign_in(at: AppTest, user: str, password: str) -> AppTest:
    at.run()
    at.text_input[0].input(user)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def test_login_form_first_and_wrong_password(app_env):
    at = app_with_login().run()
    assert not at.exception
    assert [x.value for x in at.title] == ["Đăng nhập"] and not at.metric
    at = sign_in(app_with_login(), "lanhdao", "sai")
    assert "Sai tên đăng nhập" in at.error[0].value and not at.metric


def test_leader_sees_every_unit(app_env):
    at = sign_in(app_with_login(), "lanhdao", "a1")
    assert not at.exception
    shown = " ".join(df.value.to_string() for df in at.dataframe)
    assert all(name in shown for name in REF.units.unit_name)


def test_unit_viewer_sees_only_their_unit(app_env):
    at = sign_in(app_with_login(), "ubnd.phongquang", "b2")
    assert not at.exception
    shown = " ".join(df.value.to_string() for df in at.dataframe)
    assert "Phường Phong Quảng" in shown
    others = [n for n in REF.units.unit_name if n != "Phường Phong Quảng" and n in shown]
    assert others == []
    assert at.selectbox(key="scope").options == ["Tất cả đơn vị"]


def test_user_without_a_role_is_refused(app_env):
    at = sign_in(app_with_login(), "lạ", "c3")
    assert "chưa được cấp quyền" in at.error[0].value and not at.metric
