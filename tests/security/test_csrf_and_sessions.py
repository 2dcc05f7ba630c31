"""CSRF on every state-changing route; the session cookie's flags, lifetime and renewal on login;
throttling of the password-change form; the production password hash."""
from __future__ import annotations

import re
import time
from datetime import timedelta

import itsdangerous.timed
import pytest

from hr.core.db import db
from tests.conftest import PASSWORD, PUDONG, login
from tests.helpers.reliability import fingerprint
from tests.helpers.web import new_client
from tests.security.matrix import WRITE_METHODS, requests_for

COOKIE = "shequ_session"


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_every_state_changing_route_refuses_a_request_without_the_csrf_token(app, pudong_world, make_user,
                                                                            csrf_on):
    """As a logged-in officer of the records' district and as the city administrator (who may
    do everything): each unsafe request without a token gets 400 and changes nothing."""
    before = fingerprint(db.engine)
    reqs = [r for r in requests_for(app, pudong_world) if r.method in WRITE_METHODS]
    assert len(reqs) >= 60
    refused, wrong = 0, []
    for role, code in (("officer", PUDONG), ("admin", None)):
        c = new_client(app)
        user = make_user(role, code, username=f"csrf{role}")
        # Log in with the token, as a browser would.
        html = c.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        resp = c.post("/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token})
        assert resp.status_code == 302
        before = fingerprint(db.engine)
        for req in reqs:
            if req.api:
                resp = c.open(req.url, method=req.method, json={})
            else:
                resp = c.open(req.url, method=req.method, data={"district": PUDONG})
            if resp.status_code == 400 and ("CSRF" in resp.get_data(as_text=True)):
                refused += 1
            else:
                wrong.append(f"{role}: {req}: {resp.status_code}")
        assert fingerprint(db.engine) == before, role
    assert not wrong, "\n" + "\n".join(wrong)
    assert refused == 2 * len(reqs)


def _set_cookie(resp):
    values = [v for v in resp.headers.getlist("Set-Cookie") if v.startswith(COOKIE + "=")]
    assert values, resp.headers
    return values[-1]


def test_session_cookie_flags_and_lifetime(app, client, make_user):
    make_user("officer", username="hk")
    resp = login(client, "hk")
    cookie = _set_cookie(resp).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=8)
    expires = re.search(r"expires=([^;]+)", cookie).group(1)
    from email.utils import parsedate_to_datetime

    left = parsedate_to_datetime(expires).timestamp() - time.time()
    assert 8 * 3600 - 120 < left <= 8 * 3600 + 5
    assert not any(v.startswith("remember_token=") for v in resp.headers.getlist("Set-Cookie"))


def test_production_settings_secure_the_cookie_and_hash_with_scrypt():
    from hr.core import config

    assert config.SESSION_COOKIE_HTTPONLY is True and config.SESSION_COOKIE_SAMESITE == "Lax"
    assert config.PASSWORD_HASH_METHOD == "scrypt"
    assert config.WTF_CSRF_ENABLED is True
    assert config.MAX_CONTENT_LENGTH == 10 * 1024 * 1024


def test_a_session_older_than_its_lifetime_is_refused(app, client, make_user, monkeypatch):
    make_user("officer", username="hk")
    login(client, "hk")
    assert client.get("/").status_code == 200
    real = itsdangerous.timed.TimestampSigner.get_timestamp
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp",
                        lambda self: real(self) + 8 * 3600 + 60)
    resp = client.get("/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


def test_login_issues_a_new_cookie_and_the_anonymous_one_stays_anonymous(app, client, make_user):
    make_user("officer", username="hk")
    client.get("/login")
    with client.session_transaction() as sess:
        sess["seen"] = "before login"
    before = client.get_cookie(COOKIE).value
    login(client, "hk")
    after = client.get_cookie(COOKIE).value
    assert before != after
    stale = new_client(app)
    stale.set_cookie(COOKIE, before)
    assert stale.get("/").status_code == 302
    with client.session_transaction() as sess:
        assert "seen" not in sess


def test_guessing_the_current_password_on_the_account_page_locks_the_account(app, client, make_user):
    """The password-change form checks the current password through the same throttle as
    the login page: a stolen session cannot brute-force it."""
    make_user("officer", username="hk")
    login(client, "hk")
    for i in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/account", data={"current": f"guess-{i}-x1", "new": "NewPassw0rd-x", "confirm": "NewPassw0rd-x"})
    resp = client.post("/account", data={"current": PASSWORD, "new": "NewPassw0rd-x", "confirm": "NewPassw0rd-x"})
    assert "过于频繁" in resp.get_data(as_text=True)
    client.post("/logout")
    assert login(client, "hk").status_code == 200  # locked for the login page too
