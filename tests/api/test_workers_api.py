"""The register through the API: lists (masked, filtered, paginated), detail, creation, edit
with `version`, departure and reinstatement, all through hr.workers.services."""
from __future__ import annotations

from sqlalchemy import select

from hr.audit.models import AuditEntry
from hr.core.db import db
from hr.workers.idcard import mask
from tests.conftest import PUDONG, valid_id, worker_data
from tests.helpers.api import body


def new_worker_json(committee_id: int, **overrides):
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in worker_data().items()}
    data.update(committee_id=committee_id, **overrides)
    return data


def test_list_masks_id_numbers_filters_and_paginates(api_as, world):
    c = api_as("officer")
    page = body(c.get("/api/v1/workers?per_page=2&sort=hire_date&dir=desc"))
    assert (page["page"], page["per_page"], page["total"]) == (1, 2, 4)
    assert len(page["items"]) == 2
    for item in page["items"]:
        assert "*" in item["id_number"] and len(item["id_number"]) == 18
        assert "bank_account" not in item and "phone" not in item
    assert page["items"][0]["hire_date"] >= page["items"][1]["hire_date"]
    second = body(c.get("/api/v1/workers?per_page=2&page=2&sort=hire_date&dir=desc"))
    assert {i["id"] for i in second["items"]}.isdisjoint({i["id"] for i in page["items"]})
    assert body(c.get("/api/v1/workers?page=9"))["items"] == []
    one = body(c.get(f"/api/v1/workers?committee_id={world.hk.committee_id}&q=zzz"))
    assert one["total"] == 0
    assert body(c.get(f"/api/v1/workers?street_id={world.hk.street_id}"))["total"] == 4
    assert body(c.get("/api/v1/workers?status=离职"))["total"] == 0


def test_detail_is_full_for_writers_and_masked_for_auditors(api_as, world):
    from hr.workers.models import Worker

    w = db.session.get(Worker, world.hk.worker_id)
    officer = body(api_as("officer").get(f"/api/v1/workers/{w.id}"))
    assert officer["id_number"] == w.id_number and officer["bank_account"] == w.bank_account
    assert officer["district"] == "虹口区" and officer["version"] == w.version
    assert officer["created_at"].endswith("+00:00")
    auditor = body(api_as("auditor", None).get(f"/api/v1/workers/{w.id}"))
    assert auditor["id_number"] == mask(w.id_number) and auditor["bank_account"] == mask(w.bank_account)


def test_create_through_the_service_with_its_audit_entry(api_as, world):
    c = api_as("officer")
    number = valid_id()
    resp = c.post("/api/v1/workers", json=new_worker_json(world.hk.committee_id, id_number=number, name="周敏"))
    assert resp.status_code == 201, body(resp)
    created = body(resp)
    assert resp.headers["Location"].endswith(f"/api/v1/workers/{created['id']}")
    assert created["id_number"] == number and created["street_id"] == world.hk.street_id
    assert created["gender"] in ("男", "女") and created["status"] == "在职"
    entry = db.session.execute(select(AuditEntry).where(
        AuditEntry.object_type == "worker", AuditEntry.object_id == created["id"])).scalar_one()
    assert entry.action == "create" and entry.username == c.user.username
    # The same ID number again: the service's rule, per field.
    again = c.post("/api/v1/workers", json=new_worker_json(world.hk.committee_id, id_number=number))
    assert again.status_code == 400 and "id_number" in body(again)["errors"]
    # Optional fields may be left out.
    minimal = {k: v for k, v in new_worker_json(world.hk.committee_id, id_number=valid_id()).items()
               if k in ("name", "id_number", "education", "political_status", "hire_date", "committee_id")}
    resp = c.post("/api/v1/workers", json=minimal)
    assert resp.status_code == 201, body(resp)
    assert body(resp)["qualification"] == "无" and body(resp)["phone"] == ""


def test_a_committee_of_another_district_is_refused(api_as, world):
    from hr.workers.models import Worker

    before = db.session.query(Worker).count()
    resp = api_as("officer").post("/api/v1/workers", json=new_worker_json(world.pd.committee_id,
                                                                          id_number=valid_id(area=PUDONG)))
    assert resp.status_code == 404
    assert db.session.query(Worker).count() == before


def test_edit_changes_only_the_given_fields_and_checks_the_version(api_as, world):
    c = api_as("officer")
    url = f"/api/v1/workers/{world.hk.worker_id}"
    before = body(c.get(url))
    resp = c.patch(url, json={"phone": "13911112222", "reserve_cadre": True, "version": before["version"]})
    assert resp.status_code == 200, body(resp)
    after = body(resp)
    assert (after["phone"], after["reserve_cadre"], after["name"]) == ("13911112222", True, before["name"])
    assert after["version"] == before["version"] + 1
    assert c.patch(url, json={"phone": "13911113333", "version": before["version"]}).status_code == 409
    assert c.patch(url, json={"phone": "13911113333"}).status_code == 400  # version is required
    bad = c.patch(url, json={"hire_date": "1970-01-01", "version": after["version"]})
    assert bad.status_code == 400 and "hire_date" in body(bad)["errors"]
    moved = c.patch(url, json={"committee_id": world.pd.committee_id, "version": after["version"]})
    assert moved.status_code == 404  # not into another district
    assert body(c.get(url))["district_id"] == world.hk.district_id


def test_departure_and_reinstatement(api_as, world):
    c = api_as("officer")
    url = f"/api/v1/workers/{world.hk.ungraded_id}"
    version = body(c.get(url))["version"]
    resp = c.post(f"{url}/departure", json={"status": "退休", "leave_date": "2026-06-30", "leave_reason": "到龄",
                                            "version": version})
    assert resp.status_code == 200, body(resp)
    assert (body(resp)["status"], body(resp)["leave_date"]) == ("退休", "2026-06-30")
    assert body(c.get("/api/v1/workers?status=退休"))["total"] == 1
    bad = c.post(f"{url}/departure", json={"status": "开除", "leave_date": "2026-06-30", "version": version + 1})
    assert bad.status_code == 400 and "status" in body(bad)["errors"]
    resp = c.post(f"{url}/reinstate")
    assert resp.status_code == 200 and body(resp)["status"] == "在职"
    assert c.post(f"{url}/reinstate").status_code == 409  # already in service
