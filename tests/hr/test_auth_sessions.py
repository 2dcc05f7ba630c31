"""A session ends for good: a copied login cookie stops working after logout, a password change
or deactivation."""
from tests.conftest import PASSWORD, login
from tests.helpers.web import new_client, text

COOKIE = "shequ_session"


def _cookie(client):
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def _replay(app, value):
    other = new_client(app)
    other.set_cookie(COOKIE, value)
    return other


def test_old_cookie_is_dead_after_logout(app, client, make_user):
    make_user("officer", username="hk")
    login(client, "hk")
    stolen = _cookie(client)
    assert _replay(app, stolen).get("/").status_code == 200
    client.post("/logout")
    resp = _replay(app, stolen).get("/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


def test_logging_in_again_after_logout_works(client, make_user):
    make_user("officer", username="hk")
    login(client, "hk")
    client.post("/logout")
    assert login(client, "hk").status_code == 302
    assert client.get("/").status_code == 200


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, make_user):
    make_user("officer", username="hk")
    login(client, "hk")
    elsewhere = new_client(app)
    login(elsewhere, "hk")
    resp = client.post("/account", data={"current": PASSWORD, "new": "NewPassw0rd-x", "confirm": "NewPassw0rd-x"},
                       follow_redirects=True)
    assert "密码已修改" in text(resp)
    assert client.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    client.post("/logout")
    assert login(client, "hk", PASSWORD).status_code == 200
    assert login(client, "hk", "NewPassw0rd-x").status_code == 302


def test_deactivating_an_account_ends_its_open_session(app, client_as, make_user):
    from hr.accounts.models import User
    from hr.core.db import db

    officer = client_as("officer", username="leaver")
    assert officer.get("/").status_code == 200
    admin = client_as("admin")
    user = db.session.query(User).filter_by(username="leaver").one()
    admin.post(f"/users/{user.id}/toggle")
    assert officer.get("/").status_code == 302
