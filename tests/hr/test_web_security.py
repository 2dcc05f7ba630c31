"""Security headers, CSRF and the upload size limit."""
import re

import pytest

from tests.conftest import PASSWORD, committee_in
from tests.helpers.register import form_data, upload
from tests.helpers.web import config, text


def _csp(resp):
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in resp.headers["Content-Security-Policy"].split(";")) if d}


@pytest.mark.parametrize("path", ["/login", "/", "/workers/", "/org/", "/audit/", "/no-such-page"])
def test_security_headers_on_pages(officer_client, path):
    resp = officer_client.get(path)
    csp = _csp(resp)
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert csp.get("frame-ancestors") == ["'none'"]
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers.get("Cache-Control") == "no-store"


def test_pages_have_no_inline_script(officer_client, make_worker):
    worker = make_worker()
    for path in ("/", "/workers/", f"/workers/{worker.id}", f"/workers/{worker.id}/edit", "/workers/import"):
        html = text(officer_client.get(path))
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+=", html), path


def _token(html):
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert m
    return m.group(1)


def test_csrf_refuses_a_form_post_without_token(app, officer_client):
    with config(app, WTF_CSRF_ENABLED=True):
        data = form_data(committee_id=committee_in("310109").id)
        resp = officer_client.post("/workers/new", data=data)
        assert resp.status_code == 400
        assert "CSRF" in text(resp) and "刷新页面" in text(resp)
        page = officer_client.get("/workers/new")
        data["csrf_token"] = _token(text(page))
        resp = officer_client.post("/workers/new", data=data)
        assert resp.status_code == 302


def test_csrf_protects_login_and_logout(app, client, make_user):
    make_user("officer", username="hk")
    with config(app, WTF_CSRF_ENABLED=True):
        resp = client.post("/login", data={"username": "hk", "password": PASSWORD})
        assert resp.status_code == 400
        token = _token(text(client.get("/login")))
        resp = client.post("/login", data={"username": "hk", "password": PASSWORD, "csrf_token": token})
        assert resp.status_code == 302
        assert client.post("/logout").status_code == 400
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("csrf", [False, True])
def test_oversized_upload_gets_a_chinese_413_page(app, officer_client, csrf):
    big = b"PK" + b"\0" * (app.config["MAX_CONTENT_LENGTH"] + 1024)
    with config(app, WTF_CSRF_ENABLED=csrf):
        resp = upload(officer_client, big, "big.xlsx")
    assert resp.status_code == 413
    body = text(resp)
    assert "文件过大" in body and "10 MB" in body
    assert "Traceback" not in body
