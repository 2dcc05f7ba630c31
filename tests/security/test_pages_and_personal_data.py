"""Templates without inline script; uploads limited in size and type on every upload route;
ID numbers masked on every page; an audit entry for every download of personal or pay data;
no names or ID numbers in the application's logs."""
from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from hr.core.db import db
from tests.conftest import PUDONG, committee_in, login, valid_id
from tests.helpers.reliability import fingerprint
from tests.helpers.security import ROLES
from tests.helpers.web import new_client
from tests.security.matrix import requests_for, send

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Downloads of blank templates: no personal data, no audit entry needed.
BLANK = {"workers.template", "inputs.template", "opening.template"}


def test_templates_have_no_inline_script_or_event_handlers():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<script\b(?![^>]*\bsrc=)[^>]*>", text, re.I):
            found.append(f"{path.relative_to(TEMPLATES)}: {m.group(0)}")
        for m in re.finditer(r"<[a-z][^>]*\son[a-z]+\s*=", text, re.I):
            found.append(f"{path.relative_to(TEMPLATES)}: {m.group(0)[:80]}")
        for m in re.finditer(r"(href|src|action)\s*=\s*[\"']\s*javascript:", text, re.I):
            found.append(f"{path.relative_to(TEMPLATES)}: {m.group(0)}")
    assert len(list(TEMPLATES.rglob("*.html"))) > 30
    assert not found, "\n".join(found)


def _upload_rules(app, world):
    """Routes whose form has a file field: POST rules of the import and upload views."""
    return [r for r in requests_for(app, world)
            if r.method == "POST" and not r.api and re.search(r"import|files$|upload", r.url)
            and not r.url.endswith("/confirm")]


def _post_file(client, url, content, filename):
    """A multipart body built in memory (the test client would spool a big one to a temporary
    file that it never closes)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), filename=filename)})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_every_upload_route_refuses_an_oversized_body_and_a_wrong_file(app, pudong_world, make_user):
    c = new_client(app)
    login(c, make_user("officer", PUDONG, username="pdup").username)
    rules = _upload_rules(app, pudong_world)
    assert {"workers.import_upload", "grades.ratings_import", "inputs.import_upload"} <= {r.endpoint for r in rules}
    before = fingerprint(db.engine)
    big = b"PK\x03\x04" + b"\0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    for req in rules:
        resp = _post_file(c, req.url + f"?district={PUDONG}", big, "big.xlsx")
        if not req.real:  # a missing record: refused before the body is read
            assert resp.status_code in (404, 413), req
            continue
        assert resp.status_code == 413, req
        assert "文件过大" in resp.get_data(as_text=True)
        for content, name in ((b"MZ\x90\x00 not a workbook", "名册.exe"), (b"<html><script>x</script>", "名册.xlsx"),
                              (b"PK\x03\x04broken zip", "名册.xlsx")):
            resp = _post_file(c, req.url + f"?district={PUDONG}", content, name)
            body = resp.get_data(as_text=True)
            assert resp.status_code in (200, 400, 422), (req, name, resp.status_code)
            assert re.search(r"xlsx|Excel|工作簿|文件", body), (req, name)
            assert "Traceback" not in body
    assert fingerprint(db.engine) == before
    uploads = Path(app.config["UPLOAD_FOLDER"])
    assert not any(p.suffix == ".exe" for p in uploads.rglob("*"))


@pytest.fixture
def seeded_ids(pudong_world):
    from hr.workers.models import Worker

    return [n for (n,) in db.session.execute(sa.select(Worker.id_number))]


def _html_pages(app, world):
    return [r for r in requests_for(app, world) if r.method == "GET" and not r.endpoint.startswith("documents.")]


def test_full_id_numbers_appear_on_no_page(app, pudong_world, seeded_ids, client_as):
    """Every page and API answer (lists, details, search, slips, audit log) for every role
    shows ID numbers masked; the edit form is the one place that holds the full number."""
    assert len(seeded_ids) >= 2
    leaks = []
    for name, (role, code) in ROLES.items():
        c = client_as(role, code)
        for req in _html_pages(app, pudong_world):
            if req.endpoint in ("workers.edit", "workers.export") or (req.endpoint == "api.worker_get" and role != "auditor"):
                continue  # the edit form (and the API's record for writers) must hold the number; the export is the register itself
            resp = send(c, req)
            if resp.headers.get("Content-Disposition"):
                continue
            body = resp.get_data(as_text=True)
            leaks += [f"{name}: {req}" for n in seeded_ids if n in body]
        for n in seeded_ids:
            body = c.get(f"/workers/?q={n}").get_data(as_text=True)
            body = re.sub(rf'(value="|q=){n}', "", body)  # the search box and its links show what was typed
            if n in body:
                leaks.append(f"{name}: search by the number")
    assert not leaks, "\n".join(leaks)


def test_every_download_of_personal_or_pay_data_leaves_an_audit_entry(app, pudong_world, make_user):
    from hr.audit.models import AuditEntry

    user = make_user("officer", PUDONG, username="pdexport")
    c = new_client(app)
    login(c, user.username)
    downloads, missing = [], []
    for req in requests_for(app, pudong_world):
        if req.api or req.endpoint in BLANK or req.method not in ("GET", "POST"):
            continue
        if req.method == "POST" and not (req.endpoint.startswith("documents.") or "export" in req.url):
            continue
        count = db.session.execute(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action.in_(("export", "print")), AuditEntry.user_id == user.id)).scalar_one()
        resp = send(c, req)
        if "attachment" not in resp.headers.get("Content-Disposition", ""):
            continue
        downloads.append(req.endpoint)
        entries = db.session.execute(sa.select(AuditEntry).where(
            AuditEntry.action.in_(("export", "print")), AuditEntry.user_id == user.id)
            .order_by(AuditEntry.id)).scalars().all()
        if len(entries) <= count:
            missing.append(str(req))
            continue
        last = entries[-1]
        assert last.username == "pdexport" and last.at is not None and last.summary, req
    assert {"workers.export", "documents.slip_pdf", "documents.run_approval"} <= set(downloads), downloads
    assert not missing, "downloads without an audit entry:\n" + "\n".join(missing)


def test_no_names_or_id_numbers_in_the_logs(app, client, make_user, caplog, monkeypatch):
    """A day's requests that carry names and ID numbers (search, registering, a refused
    import, a failed login, an unexpected error in the middle of a save) log neither."""
    from hr.workers import services

    name, number = "欧阳娜娜", valid_id(birth="19770707")
    make_user("officer", "310109", username="hklog")
    login(client, "hklog")
    committee = committee_in("310109")
    form = {"name": name, "id_number": number, "phone": "13812345678", "education": "本科",
            "political_status": "群众", "qualification": "无", "hire_date": "2020-01-01", "prior_years": "0",
            "committee_id": str(committee.id), "bank_name": "中国银行", "bank_account": "6216612345678901234"}
    with caplog.at_level(logging.DEBUG):
        client.get(f"/workers/?q={name}")
        client.get(f"/workers/?q={number}")
        assert client.post("/workers/new", data=form).status_code == 302
        # The same number again, with the service's own check skipped: the database refuses
        # it, and the unexpected error is logged with its SQL, which must not carry the data.
        monkeypatch.setattr(services, "_check_unique_id", lambda *a, **k: None)
        resp = client.post("/workers/new", data=form)
        assert resp.status_code == 500
        _post_file(client, "/workers/import", b"PK\x03\x04" + name.encode(), "x.xlsx")
        client.post("/logout")
        client.post("/login", data={"username": number, "password": name})
    text = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    import traceback

    text += "\n".join("".join(traceback.format_exception(*r.exc_info)) for r in caplog.records if r.exc_info)
    assert caplog.records, "the unexpected error was logged"
    assert name not in text and number not in text, text[-2000:]
