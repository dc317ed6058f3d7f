"""One login for every door, in a real browser (Playwright driving Debian's Chromium) against the real
server (``python -m communes serve``) with password login on: the page links to the sign-in form, the
form's cookie opens the pages (a new tab does not ask again) and the API, the sidebar's link signs out,
and repeated wrong passwords are answered 429."""
from __future__ import annotations

import pytest
from browser_helpers import ARTIFACTS, VIEWPORTS, new_context, problems_on, streamlit_server, wait_until_idle

from communes.web import session

H1_IS = "(text) => document.querySelector('h1')?.innerText.trim() === text"
PASSWORDS = {"lanhdao": "mật khẩu một", "ubnd.phongquang": "mật khẩu hai"}


@pytest.fixture(scope="module")
def login_server(tmp_path_factory):
    from conftest import write_exports

    work = tmp_path_factory.mktemp("login-server")
    data = write_exports(work / "data")
    lines = ['[communes]', 'login = "password"', 'session_secret = "browser-test-key"', '[communes.passwords]']
    lines += [f'"{u}" = "{session.hash_password(p, n=2 ** 12)}"' for u, p in PASSWORDS.items()]
    secrets = work / "secrets.toml"
    secrets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with streamlit_server(work, data, extra=("--secrets.files", str(secrets))) as url:
        yield url


def test_sign_in_once_for_every_door_then_sign_out(login_server, browser):
    ctx, blocked, errors = new_context(browser, VIEWPORTS["desktop"])
    page = ctx.new_page()
    page.goto(f"{login_server}/?pk=month&p=2025-07", wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=90_000)
    assert page.locator("h1").first.inner_text().strip() == "Đăng nhập"
    assert ctx.request.get(f"{login_server}/api/v1/units").status == 401
    page.get_by_role("link", name="Đăng nhập").click()  # the same tab goes to the form
    page.wait_for_url("**/auth/login?**")
    page.screenshot(path=str(ARTIFACTS / "login-form.png"))
    page.fill("input[name=user]", "lanhdao")
    page.fill("input[name=password]", PASSWORDS["lanhdao"])
    page.click("button[type=submit]")
    page.wait_for_url("**/?pk=month&p=2025-07")
    page.wait_for_function(f"() => !({H1_IS})('Đăng nhập') && !!document.querySelector('h1')", timeout=90_000)
    wait_until_idle(page)
    assert "Tổng quan" in page.locator("h1").first.inner_text() and not problems_on(page)
    page.screenshot(path=str(ARTIFACTS / "login-signed-in.png"))
    cookie = next(c for c in ctx.cookies() if c["name"] == session.COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]
    assert ctx.request.get(f"{login_server}/api/v1/units").status == 200  # the same session opens the API

    tab = ctx.new_page()  # a new tab is not asked again
    tab.goto(f"{login_server}/dossiers?pk=month&p=2025-07", wait_until="domcontentloaded")
    tab.wait_for_selector("h1", timeout=90_000)
    wait_until_idle(tab)
    assert tab.locator("h1").first.inner_text().strip() != "Đăng nhập"
    tab.locator("[data-testid=stSidebar] a", has_text="Đăng xuất").click()  # signs out, in the same tab
    tab.wait_for_function(H1_IS, arg="Đăng nhập", timeout=90_000)
    assert len(ctx.pages) == 2 and tab.url.rstrip("/") == login_server
    tab.screenshot(path=str(ARTIFACTS / "login-after-logout.png"))
    assert session.COOKIE not in {c["name"] for c in ctx.cookies()}
    assert ctx.request.get(f"{login_server}/api/v1/units").status == 401
    assert blocked == []
    ctx.close()


def test_wrong_passwords_are_throttled(login_server, browser):
    ctx, _, _ = new_context(browser, VIEWPORTS["phone"])
    page = ctx.new_page()
    statuses = []
    for _ in range(6):
        page.goto(f"{login_server}/auth/login")
        page.fill("input[name=user]", "ubnd.phongquang")
        page.fill("input[name=password]", "sai")
        with page.expect_navigation() as nav:
            page.click("button[type=submit]")
        statuses.append(nav.value.status)
    assert statuses == [401] * 5 + [429]
    # the wait left of the first 30 s, in whole seconds rounded up: the page and Retry-After say the same
    seconds = int(nav.value.headers["retry-after"])
    assert 0 < seconds <= 30
    assert f"Thử lại sau {seconds} giây" in page.content()
    ctx.close()
