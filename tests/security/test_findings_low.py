"""Regression tests of the smaller findings: JSON errors for hostile API bodies and long query
strings, tokens revoked with the password or the account, the password deny-list, production
cookie and HSTS defaults."""
from __future__ import annotations

import pytest

from hr.core.db import db
from tests.conftest import PASSWORD, login
from tests.helpers.web import new_client

WRITES = ["/api/v1/workers", "/api/v1/pairings", "/api/v1/studios", "/api/v1/activities", "/api/v1/payroll/preview"]


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize("url", WRITES)
@pytest.mark.parametrize("payload", [_nested(100_000), b'{"a":' * 5000 + b"1" + b"}" * 5000, b'{"name": "\\ud800"}',
                                     b'{"x": 1' + b"0" * 400 + b"}", b'{"x": 1e400}', b'{"x": NaN}', b"\xff\xfe{"])
@pytest.mark.parametrize("token", [False, True])
def test_hostile_json_bodies_get_a_json_400(app, make_user, url, payload, token):
    headers = {"Content-Type": "application/json"}
    if token:
        from tests.helpers.api import make_token

        headers["Authorization"] = f"Bearer {make_token(make_user('officer', username='jsonhk'))}"
    resp = new_client(app).post(url, data=payload, headers=headers)
    assert resp.status_code in (400, 401), (resp.status_code, resp.get_data(as_text=True)[:200])
    assert resp.is_json


def test_a_long_contribution_base_in_the_trial_is_a_400(app, make_user):
    from tests.helpers.api import make_token

    token = make_token(make_user("officer", username="trialhk"))
    resp = new_client(app).post("/api/v1/payroll/preview", headers={"Authorization": f"Bearer {token}"},
                                json={"post": "STAF", "grade": 5, "hire_date": "2020-01-01", "months": ["2026-03"],
                                      "contribution_base": "9" * 31})
    assert resp.status_code == 400 and resp.is_json


@pytest.mark.parametrize("path, is_json", [("/api/v1/workers", True), ("/workers/", False), ("/login", False)])
def test_a_long_query_string_gets_414_in_the_right_form(app, make_user, path, is_json):
    c = new_client(app)
    login(c, make_user("officer", username="qhk").username)
    resp = c.get(path + "?q=" + "x" * 5000)
    assert resp.status_code == 414
    assert resp.is_json == is_json


def test_tokens_die_with_a_password_change_and_a_disabled_account(app, make_user):
    from hr.accounts.models import User
    from tests.helpers.api import make_token

    user = make_user("officer", username="tokhk")
    admin = make_user("admin", username="tokadmin")
    first = make_token(user)
    api = new_client(app)
    assert api.get("/api/v1/workers", headers={"Authorization": f"Bearer {first}"}).status_code == 200
    c = new_client(app)
    login(c, "tokhk")
    resp = c.post("/account", data={"current": PASSWORD, "new": "Fresh-Kite-93x", "confirm": "Fresh-Kite-93x"})
    assert resp.status_code == 302
    assert api.get("/api/v1/workers", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    second = make_token(db.session.get(User, user.id))
    a = new_client(app)
    login(a, admin.username)
    assert a.post(f"/users/{user.id}/toggle").status_code == 302  # disabled
    assert a.post(f"/users/{user.id}/toggle").status_code == 302  # enabled again
    assert api.get("/api/v1/workers", headers={"Authorization": f"Bearer {second}"}).status_code == 401


@pytest.mark.parametrize("password", ["Password123", "aaaaaaaaa1", "P@ssw0rd2024", "abcabcabc1", "Qwertyuiop12",
                                      "Woaini1314520", "Shequ2026demo"])
def test_common_repetitive_and_demo_passwords_are_refused(client_as, password):
    admin = client_as("admin")
    resp = admin.post("/users/new", data={"username": "newhk", "role": "officer", "district": "310109",
                                          "password": password})
    text = resp.get_data(as_text=True)
    assert "过于常见或有规律" in text or "演示环境的公开密码" in text
    from hr.accounts.models import User

    assert db.session.query(User).filter_by(username="newhk").count() == 0


def test_the_demo_password_is_fine_in_the_demo(app):
    from hr.accounts.services import password_problems

    with app.test_request_context():
        app.config["DEMO"] = True
        try:
            assert password_problems("Shequ2026demo") == []
        finally:
            app.config["DEMO"] = False
        assert password_problems("Shequ2026demo")


def test_production_defaults_secure_cookie_and_hsts(tmp_path):
    from wsgi import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "SECRET_KEY": "x"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    resp = app.test_client().get("/login")
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in resp.headers.get("Set-Cookie", "Secure")
    demo = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/y.db", "SECRET_KEY": "x", "DEMO": True})
    assert not demo.config["SESSION_COOKIE_SECURE"]
    assert "Strict-Transport-Security" not in demo.test_client().get("/login").headers


@pytest.mark.parametrize("query", ["district=9007199254740992", "street=99999999999999999999", "committee=2147483648"])
def test_an_id_past_the_integer_column_in_a_list_filter_is_no_500(app, make_user, query):
    c = new_client(app)
    login(c, make_user("officer", username="bighk").username)
    resp = c.get("/workers/?" + query)
    assert resp.status_code == 200
