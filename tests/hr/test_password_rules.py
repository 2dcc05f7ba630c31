"""Password rules, seen through the password change page and the admin's new-account page."""
import pytest

from tests.conftest import PASSWORD
from tests.helpers.web import text


@pytest.mark.parametrize("new, message", [
    ("Sh0rt", "密码至少 10 位"),
    ("onlyletterspassword", "密码须同时包含字母和数字"),
    ("1234567890123", "密码须同时包含字母和数字"),
    ("xx-hk-2024-pass", "密码不能包含用户名"),
    ("XXHK20240000", "密码不能包含用户名"),
])
def test_weak_new_password_is_refused_beside_the_field(officer_client, new, message):
    resp = officer_client.post("/account", data={"current": PASSWORD, "new": new, "confirm": new})
    assert resp.status_code == 200
    assert message in text(resp)
    assert "密码已修改" not in text(resp)


def test_wrong_current_password_is_refused(officer_client):
    resp = officer_client.post("/account", data={"current": "not-it-123", "new": "NewPassw0rd-x",
                                                 "confirm": "NewPassw0rd-x"})
    assert "用户名或密码错误" in text(resp)


def test_confirmation_must_match(officer_client):
    resp = officer_client.post("/account", data={"current": PASSWORD, "new": "NewPassw0rd-x",
                                                 "confirm": "NewPassw0rd-y"})
    assert "两次输入的密码不一致" in text(resp)


def test_admin_new_account_checks_the_password(client_as):
    admin = client_as("admin")
    resp = admin.post("/users/new", data={"username": "pd1", "role": "officer", "district": "310115",
                                          "password": "pd1pd1pd1pd1"})
    assert "密码不能包含用户名" in text(resp)
    resp = admin.post("/users/new", data={"username": "pd1", "role": "officer", "district": "310115",
                                          "password": "Str0ng-pass-x"}, follow_redirects=True)
    assert "账号 pd1 已创建" in text(resp)
    assert "浦东新区" in text(resp)
