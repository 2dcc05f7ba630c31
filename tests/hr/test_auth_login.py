"""Logging in and out: messages, lockout, the session cookie, redirects after login."""
import pytest

from tests.conftest import PASSWORD, login
from tests.helpers.web import text


def test_login_page_renders(client):
    resp = client.get("/login")
    assert resp.status_code == 200
    assert "登录" in text(resp)


def test_pages_need_login_and_send_to_the_login_page(client):
    resp = client.get("/workers/")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/login")


def test_login_then_home_then_logout(client, make_user):
    make_user("officer", username="hk")
    resp = login(client, "hk")
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and "虹口区" in text(home)
    out = client.post("/logout", follow_redirects=True)
    assert "已退出登录" in text(out)
    assert client.get("/").status_code == 302


def test_user_name_is_not_case_sensitive(client, make_user):
    make_user("officer", username="hk")
    assert login(client, "HK").status_code == 302


@pytest.mark.parametrize("username, password", [("hk", "wrong-password1"), ("nobody", PASSWORD)])
def test_wrong_password_or_unknown_user_get_the_same_message(client, make_user, username, password):
    make_user("officer", username="hk")
    resp = login(client, username, password)
    assert resp.status_code == 200
    assert "用户名或密码错误" in text(resp)
    assert client.get("/").status_code == 302


def test_empty_fields_are_explained(client):
    resp = client.post("/login", data={"username": "", "password": ""})
    assert "请输入用户名" in text(resp) and "请输入密码" in text(resp)


def test_name_locks_from_this_address_after_max_failures_and_refuses_the_right_password(app, client, make_user):
    make_user("officer", username="hk")
    limit = app.config["LOGIN_MAX_FAILURES"]
    assert limit == 5
    for _ in range(limit):
        assert "用户名或密码错误" in text(login(client, "hk", "wrong-password1"))
    refused = login(client, "hk", PASSWORD)
    assert refused.status_code == 200
    assert "登录尝试过于频繁，请 15 分钟后再试" in text(refused)
    assert client.get("/").status_code == 302


def test_lock_expires(app, client, make_user, monkeypatch):
    import time

    from hr.core import ratelimit

    make_user("officer", username="hk")
    for _ in range(6):
        login(client, "hk", "wrong-password1")
    assert "过于频繁" in text(login(client, "hk"))
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(ratelimit, "_clock", lambda: later)
    assert login(client, "hk").status_code == 302


def test_failures_below_the_limit_are_forgotten_after_a_good_login(client, make_user):
    make_user("officer", username="hk")
    for _ in range(4):
        login(client, "hk", "wrong-password1")
    assert login(client, "hk").status_code == 302
    client.post("/logout")
    for _ in range(4):
        login(client, "hk", "wrong-password1")
    assert login(client, "hk").status_code == 302


def test_deactivated_account_cannot_log_in(client, make_user):
    from hr.core.db import db

    user = make_user("officer", username="hk")
    user.active = False
    db.session.commit()
    resp = login(client, "hk")
    assert resp.status_code == 200 and "停用" in text(resp)


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    make_user("officer", username="hk")
    resp = login(client, "hk")
    cookies = [v for v in resp.headers.getlist("Set-Cookie") if v.startswith("shequ_session=")]
    assert cookies
    flags = cookies[-1].lower()
    assert "httponly" in flags
    assert "samesite=lax" in flags


def test_login_starts_a_fresh_session(client, make_user):
    make_user("officer", username="hk")
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    login(client, "hk")
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess.get("_user_id")


@pytest.mark.parametrize("target", ["/workers/?status=全部", "/org/"])
def test_next_inside_the_site_is_followed(client, make_user, target):
    make_user("officer", username="hk")
    from urllib.parse import unquote

    resp = client.post("/login?next=" + target, data={"username": "hk", "password": PASSWORD})
    assert unquote(resp.headers["Location"]) == target


@pytest.mark.parametrize("target", [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "/\t/evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "///evil.example",
])
def test_next_to_another_site_is_refused(client, make_user, target):
    from urllib.parse import quote

    make_user("officer", username="hk")
    resp = client.post("/login?next=" + quote(target, safe=""), data={"username": "hk", "password": PASSWORD})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"


def test_a_logged_in_user_visiting_login_goes_home(officer_client):
    resp = officer_client.get("/login")
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


def test_logout_needs_post(officer_client):
    assert officer_client.get("/logout").status_code == 405
    assert officer_client.get("/").status_code == 200
