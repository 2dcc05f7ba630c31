"""What each role may do: the auditor reads, the officer works in the register, the admin also
manages accounts and the organisation."""
import io
from datetime import date

import pytest

from tests.conftest import HONGKOU, committee_in
from tests.helpers.register import form_data, xlsx, xlsx_row
from tests.helpers.web import text


@pytest.fixture
def street_id():
    return committee_in(HONGKOU).street_id


def _reads(worker):
    return ["/", "/workers/", f"/workers/{worker.id}", "/workers/?status=全部&q=张", "/org/",
            f"/org/district/{HONGKOU}", "/audit/", "/workers/template.xlsx", "/workers/export.xlsx"]


@pytest.mark.parametrize("district_code", [None, HONGKOU])
def test_auditor_can_read(client_as, make_worker, district_code, street_id):
    worker = make_worker()
    auditor = client_as("auditor", district_code)
    for path in _reads(worker) + [f"/org/street/{street_id}"]:
        assert auditor.get(path).status_code == 200, path


def test_auditor_sees_no_write_buttons(client_as, make_worker):
    worker = make_worker()
    auditor = client_as("auditor", HONGKOU)
    page = text(auditor.get(f"/workers/{worker.id}"))
    assert "/edit" not in page and "登记离职" not in page
    assert "登记职工" not in text(auditor.get("/workers/"))


@pytest.mark.parametrize("district_code", [None, HONGKOU])
def test_every_write_is_refused_to_the_auditor(client_as, make_worker, district_code, street_id):
    from hr.audit.models import AuditEntry
    from hr.core.db import db
    from hr.org.models import Street
    from hr.workers.models import Worker

    worker = make_worker()
    gone = make_worker(committee_index=1)
    gone_id = gone.id
    gone.status, gone.leave_date = "离职", date(2024, 1, 31)
    db.session.commit()
    before = db.session.query(AuditEntry).count()
    auditor = client_as("auditor", district_code)
    committee = committee_in(HONGKOU)
    checks = [
        ("get", "/workers/new", None),
        ("post", "/workers/new", form_data(committee_id=committee.id)),
        ("get", f"/workers/{worker.id}/edit", None),
        ("post", f"/workers/{worker.id}/edit", form_data(committee_id=committee.id, name="改名")),
        ("get", f"/workers/{worker.id}/leave", None),
        ("post", f"/workers/{worker.id}/leave", {"status": "离职", "leave_date": "2024-06-30"}),
        ("post", f"/workers/{gone_id}/reinstate", {}),
        ("get", "/workers/import", None),
        ("post", "/workers/import", {"file": (io.BytesIO(xlsx([xlsx_row(committee.street.name, committee.name)])), "a.xlsx")}),
        ("post", "/workers/import/confirm", {"token": "0" * 32}),
        ("post", f"/org/district/{HONGKOU}", {"name": "新街道", "kind": "街道"}),
        ("post", f"/org/district/{HONGKOU}", {"name": "", "kind": "街道"}),
        ("post", f"/org/street/{street_id}", {"c-name": "新居委", "c-kind": "居委会"}),
        ("post", f"/org/street/{street_id}/rename", {"r-name": "改名街道"}),
        ("post", f"/org/committee/{committee.id}/rename", {f"k{committee.id}-name": "改名居委"}),
        ("get", "/users", None),
        ("get", "/users/new", None),
    ]
    for method, path, data in checks:
        resp = getattr(auditor, method)(path, data=data)
        assert resp.status_code == 403, (method, path, resp.status_code)
    db.session.expire_all()
    assert db.session.get(Worker, worker.id).name == "张丽"
    assert db.session.get(Worker, gone_id).status == "离职"
    assert db.session.query(Street).filter(Street.name.in_(["新街道", "改名街道"])).count() == 0
    writes = db.session.query(AuditEntry).filter(AuditEntry.action != "login").count()
    assert writes == before


def test_refusal_page_says_why_in_chinese(client_as):
    auditor = client_as("auditor", HONGKOU)
    resp = auditor.get("/workers/new")
    assert "只读账号不能修改数据" in text(resp)


def test_officer_cannot_use_admin_pages(officer_client, street_id, make_user):
    from hr.core.db import db
    from hr.org.models import Committee, Street

    other = make_user("officer", "310115", username="pd")
    committee = committee_in(HONGKOU)
    committee_name = committee.name
    checks = [
        ("get", "/users", None),
        ("get", "/users/new", None),
        ("post", "/users/new", {"username": "sneaky", "role": "admin", "password": "Passw0rd-xyz"}),
        ("post", f"/users/{other.id}/toggle", {}),
        ("post", f"/org/district/{HONGKOU}", {"name": "新街道", "kind": "街道"}),
        ("post", f"/org/street/{street_id}", {"c-name": "新居委", "c-kind": "居委会"}),
        ("post", f"/org/street/{street_id}/rename", {"r-name": "改名街道"}),
        ("post", f"/org/committee/{committee.id}/rename", {f"k{committee.id}-name": "改名居委"}),
    ]
    for method, path, data in checks:
        resp = getattr(officer_client, method)(path, data=data)
        assert resp.status_code == 403, (method, path, resp.status_code)
    db.session.expire_all()
    assert db.session.query(Street).filter_by(name="新街道").count() == 0
    assert db.session.get(Committee, committee.id).name == committee_name
    assert "用户管理" not in text(officer_client.get("/"))


def test_admin_can_use_admin_pages(client_as, street_id):
    admin = client_as("admin")
    assert admin.get("/users").status_code == 200
    assert admin.get("/users/new").status_code == 200
    assert "用户管理" in text(admin.get("/"))
    resp = admin.post(f"/org/district/{HONGKOU}", data={"name": "新建街道", "kind": "街道"}, follow_redirects=True)
    assert "已新增街镇 新建街道" in text(resp)
