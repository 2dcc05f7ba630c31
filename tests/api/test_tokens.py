"""Personal API tokens: their life (created, used, expired, revoked), the 401 answers, the audit
entry of every token request, the account page and `flask users token`, and how token and
session-cookie authentication meet (CSRF)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from hr.accounts.models import ApiToken
from hr.audit.models import AuditEntry
from hr.core.db import db
from hr.core.timeutil import utcnow
from tests.conftest import HONGKOU, login
from tests.helpers.api import ApiClient, body, make_token
from tests.helpers.web import config, new_client


def _token_row(secret: str) -> ApiToken:
    from hr.accounts.tokens import digest

    db.session.expire_all()
    return db.session.execute(select(ApiToken).where(ApiToken.token_hash == digest(secret))).unique().scalar_one()


def _api_entries() -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "api").order_by(AuditEntry.id)).scalars())


def test_a_token_acts_as_its_user_and_is_stored_only_as_a_hash(app, make_user):
    user = make_user("officer", HONGKOU, username="tok1")
    secret = make_token(user)
    row = _token_row(secret)
    assert secret.startswith("shq_") and len(secret) >= 40
    assert row.token_hash != secret and secret not in (row.prefix, row.name)
    assert secret.startswith(row.prefix) and len(row.prefix) == 12
    assert row.expires_at - row.created_at == timedelta(days=90)
    resp = ApiClient(app, secret).get("/api/v1/districts")
    assert resp.status_code == 200
    assert [d["code"] for d in body(resp)["items"]] == [HONGKOU]  # the officer's district only
    assert "Set-Cookie" not in resp.headers  # a token request has no session


def test_last_used_and_one_audit_entry_per_request_without_query_or_body(app, make_user):
    user = make_user("officer", HONGKOU, username="tok2")
    secret = make_token(user)
    assert _token_row(secret).last_used_at is None
    c = ApiClient(app, secret)
    assert c.get("/api/v1/workers?q=张丽&status=all").status_code == 200
    assert c.get("/api/v1/workers/999").status_code == 404
    assert c.post("/api/v1/workers", json={"name": "王芳"}).status_code == 400
    assert c.get("/api/v1/nothing/here").status_code == 404
    assert c.delete("/api/v1/workers").status_code == 405
    entries = _api_entries()
    assert [e.summary for e in entries] == [
        "GET /api/v1/workers 200", "GET /api/v1/workers/999 404", "POST /api/v1/workers 400",
        "GET （未知路径） 404", "DELETE /api/v1/workers 405"]
    assert {(e.user_id, e.username, e.district_id, e.object_type) for e in entries} == {
        (user.id, "tok2", user.district_id, "api")}
    assert not any("张" in e.summary or "王芳" in e.summary for e in entries)
    assert _token_row(secret).last_used_at is not None


@pytest.mark.parametrize("header, message", [
    (None, "未登录"),
    ("Bearer shq_thisisnotatoken", "令牌无效"),
    ("Bearer nonsense", "令牌无效"),
    ("Basic dXNlcjpwYXNz", "Bearer"),
    ("Bearer", "Bearer"),
    ("", "Bearer"),
])
def test_missing_or_wrong_tokens_are_401(app, make_user, header, message):
    make_token(make_user("admin", username="tok3"))
    c = ApiClient(app, None)
    headers = {} if header is None else {"Authorization": header}
    resp = c.get("/api/v1/workers", headers=headers)
    assert resp.status_code == 401 and resp.is_json
    assert message in body(resp)["error"]
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert _api_entries() == []  # nobody to attribute the attempt to


def test_expired_and_revoked_tokens_are_401_and_audited(app, make_user):
    from hr.accounts.tokens import revoke_token

    user = make_user("officer", HONGKOU, username="tok4")
    expired, revoked = make_token(user, days=1), make_token(user)
    row = _token_row(expired)
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    revoke_token(user, _token_row(revoked).id)
    db.session.commit()
    resp = ApiClient(app, expired).get("/api/v1/workers")
    assert resp.status_code == 401 and "已过期" in body(resp)["error"]
    resp = ApiClient(app, revoked).get("/api/v1/workers")
    assert resp.status_code == 401 and "已被撤销" in body(resp)["error"]
    assert [e.summary for e in _api_entries()] == ["GET /api/v1/workers 401"] * 2
    assert _token_row(expired).last_used_at is None


def test_a_deactivated_users_tokens_stop_working(app, make_user):
    user = make_user("officer", HONGKOU, username="tok5")
    secret = make_token(user)
    user.active = False
    db.session.commit()
    assert ApiClient(app, secret).get("/api/v1/workers").status_code == 401


def test_token_days_are_bounded(make_user):
    from hr.accounts.tokens import create_token
    from hr.core.errors import ValidationError

    user = make_user("officer", HONGKOU, username="tok6")
    for days in (0, 366, -5):
        with pytest.raises(ValidationError):
            create_token(user, "x", days)
    assert create_token(user, "一年", 365).token.expires_at - utcnow() > timedelta(days=364)


def test_cli_prints_a_token_once(app, runner, make_user):
    make_user("auditor", None, username="tok7")
    result = runner.invoke(args=["users", "token", "tok7", "--days", "30", "--label", "报表脚本"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    row = _token_row(secret)
    assert row.name == "报表脚本" and row.expires_at - row.created_at == timedelta(days=30)
    assert ApiClient(app, secret).get("/api/v1/workers").status_code == 200
    assert runner.invoke(args=["users", "token", "nobody"]).exit_code != 0
    bad = runner.invoke(args=["users", "token", "tok7", "--days", "400"])
    assert bad.exit_code != 0 and "有效期" in bad.output


def test_account_page_creates_shows_once_and_revokes(app, make_user):
    user = make_user("officer", HONGKOU, username="tok8")
    other = make_user("officer", HONGKOU, username="tok9")
    others = make_token(other)
    c = new_client(app)
    login(c, user.username)
    page = c.get("/account").get_data(as_text=True)
    assert "API 令牌" in page and "还没有令牌" in page
    resp = c.post("/account/tokens", data={"token-name": "数据同步", "token-days": "30"})
    assert resp.status_code == 200
    secret = re.search(r"(shq_[A-Za-z0-9_-]{40,})", resp.get_data(as_text=True)).group(1)
    assert "no-store" in resp.headers["Cache-Control"]
    row = _token_row(secret)
    assert row.user_id == user.id and row.name == "数据同步"
    page = c.get("/account").get_data(as_text=True)
    assert row.prefix in page and secret not in page and "有效" in page
    assert c.post("/account/tokens", data={"token-name": "x", "token-days": "999"},
                  follow_redirects=True).status_code == 200
    assert db.session.execute(select(ApiToken).where(ApiToken.user_id == user.id)).unique().scalars().all() == [row]
    # Another user's token cannot be revoked from here.
    c.post(f"/account/tokens/{_token_row(others).id}/revoke")
    assert _token_row(others).revoked_at is None
    c.post(f"/account/tokens/{row.id}/revoke")
    assert _token_row(secret).revoked_at is not None
    assert ApiClient(app, secret).get("/api/v1/workers").status_code == 401
    assert "已撤销" in c.get("/account").get_data(as_text=True)


def test_session_cookie_reads_but_writes_need_the_csrf_token(app, make_user, world):
    user = make_user("officer", HONGKOU, username="tok10")
    c = new_client(app)
    login(c, user.username)
    assert c.get("/api/v1/workers").status_code == 200
    with config(app, WTF_CSRF_ENABLED=True):
        resp = c.post("/api/v1/workers", json={})
        assert resp.status_code == 400 and resp.is_json and "CSRF" in body(resp)["error"]
        resp = c.patch(f"/api/v1/workers/{world.hk.worker_id}", json={"phone": "13900000000", "version": 1})
        assert resp.status_code == 400 and "CSRF" in body(resp)["error"]
        page = c.get("/account").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
            r'name="csrf_token" value="([^"]+)"', page)
        resp = c.patch(f"/api/v1/workers/{world.hk.worker_id}", json={"phone": "13900000000", "version": 1},
                       headers={"X-CSRFToken": csrf.group(1)})
        assert resp.status_code == 200, body(resp)
        # A token request needs no CSRF token: it cannot be forged by another site.
        secret = make_token(user)
        resp = ApiClient(app, secret).patch(f"/api/v1/workers/{world.hk.worker_id}",
                                            json={"phone": "13900000001", "version": 2})
        assert resp.status_code == 200, body(resp)


def test_a_token_wins_over_a_session_cookie_sent_along(app, make_user, world):
    officer = make_user("officer", HONGKOU, username="tok11")
    admin_token = make_token(make_user("admin", username="tok12"))
    c = new_client(app)
    login(c, officer.username)
    assert body(c.get("/api/v1/districts"))["total"] == 1
    resp = c.get("/api/v1/districts", headers={"Authorization": f"Bearer {admin_token}"})
    assert body(resp)["total"] > 1  # the administrator's scope: the whole city
