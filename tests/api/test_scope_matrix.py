"""The scope matrix: every operation of the API × administrator, officer of 虹口区, auditor
(of 虹口区 and of the city), against the objects of 浦东新区.

An officer of 虹口区 gets 404 for every object of 浦东新区, read or write, and never sees one in
a list; an auditor gets 403 for every write; the administrator sees and may change both."""
from __future__ import annotations

import re
from typing import Any

import pytest

from hr.core.db import db
from tests.conftest import HONGKOU
from tests.helpers.api import RUN_MONTH, World, Y, body


def detail_urls(w: World) -> list[str]:
    p = w.pd
    return [f"/api/v1/districts/{p.district_id}", f"/api/v1/streets/{p.street_id}",
            f"/api/v1/committees/{p.committee_id}", f"/api/v1/workers/{p.worker_id}",
            f"/api/v1/assignments/{p.assignment_id}", f"/api/v1/assessments/{p.assessment_id}",
            f"/api/v1/studios/{p.studio_id}", f"/api/v1/pairings/{p.pairing_id}",
            f"/api/v1/activities/{p.activity_id}", f"/api/v1/payroll/runs/{p.run_id}",
            f"/api/v1/payroll/payslips/{p.slip_id}", f"/api/v1/payroll/declarations/{p.declaration_id}",
            f"/api/v1/payroll/adjustments/{p.adjustment_id}"]


LISTS = ["/api/v1/districts", "/api/v1/streets", "/api/v1/committees", "/api/v1/workers?status=all",
         "/api/v1/assignments", "/api/v1/assessments", "/api/v1/studios", "/api/v1/pairings", "/api/v1/activities",
         "/api/v1/payroll/runs", "/api/v1/payroll/payslips", "/api/v1/payroll/declarations",
         "/api/v1/payroll/adjustments"]


def writes(w: World) -> list[tuple[str, str, Any]]:
    """(method, url, body) of every write, aimed at 浦东新区, each with a valid body."""
    p = w.pd
    worker = f"/api/v1/workers/{p.worker_id}"
    run = f"/api/v1/payroll/runs/{p.run_id}"
    return [
        ("POST", "/api/v1/streets", {"district_id": p.district_id, "name": "测试街道", "kind": "街道"}),
        ("PATCH", f"/api/v1/streets/{p.street_id}", {"name": "改名街道"}),
        ("POST", "/api/v1/committees", {"street_id": p.street_id, "name": "测试居委会", "kind": "居委会"}),
        ("PATCH", f"/api/v1/committees/{p.committee_id}", {"name": "改名居委会"}),
        ("POST", "/api/v1/workers", None),  # filled in below: a valid new worker of 浦东新区
        ("PATCH", worker, {"phone": "13800000000", "version": 1}),
        ("POST", f"{worker}/departure", {"status": "离职", "leave_date": "2026-06-30", "version": 1}),
        ("POST", f"{worker}/reinstate", None),
        ("POST", f"/api/v1/workers/{p.ungraded_id}/assignments/entry", {"post": "STAF"}),
        ("POST", f"{worker}/assignments/post-change", {"post": "SUPV", "effective": "2026-12-01"}),
        ("POST", f"{worker}/assignments/{p.assignment_id}/correction", {"post": "STAF", "grade": 6, "note": "x"}),
        ("POST", f"{worker}/assignments/qualification", {}),
        ("PUT", f"{worker}/assessments/2024", {"rating": "合格"}),
        ("POST", "/api/v1/assessments/batch", {"items": [{"worker_id": p.worker_id, "year": 2024, "rating": "合格"}]}),
        ("POST", "/api/v1/promotions/approve", {"district_id": p.district_id, "year": 2026, "all": True}),
        ("POST", "/api/v1/studios", {"district_id": p.district_id, "name": "测试工作室", "lead_id": p.lead_id,
                                     "founded": f"{Y - 1}-01-01"}),
        ("PATCH", f"/api/v1/studios/{p.studio_id}", {"intro": "改"}),
        ("POST", f"/api/v1/studios/{p.studio_id}/members", {"worker_id": p.lead_id, "joined": f"{Y}-01-01"}),
        ("POST", f"/api/v1/studios/{p.studio_id}/cohorts", {"year": Y - 1, "opened": f"{Y - 1}-03-01"}),
        ("POST", "/api/v1/pairings", {"studio_id": p.studio_id, "year": Y, "mentor_id": p.lead_id,
                                      "mentee_id": p.worker_id, "start_on": f"{Y}-02-01"}),
        ("POST", f"/api/v1/pairings/{p.pairing_id}/close", {"action": "terminate", "closed_on": f"{Y}-02-01",
                                                            "reason": "测试"}),
        ("POST", "/api/v1/activities", {"pairing_id": p.pairing_id, "held_on": f"{Y}-02-01", "kind": "带教",
                                        "hours": "1"}),
        ("DELETE", f"/api/v1/activities/{p.activity_id}", None),
        ("POST", "/api/v1/payroll/runs", {"district_id": p.district_id, "month": "2026-02"}),
        ("POST", f"{run}/calculate", None),
        ("POST", f"{run}/approve", None),
        ("POST", f"{run}/reopen", None),
        ("POST", f"{run}/lock", None),
        ("POST", "/api/v1/payroll/declarations", {"worker_id": p.worker_id, "kind": "继续教育", "monthly": "400",
                                                  "start_month": f"{Y}-03"}),
        ("POST", f"/api/v1/payroll/declarations/{p.declaration_id}/end", {"end_month": f"{Y}-06"}),
        ("DELETE", f"/api/v1/payroll/declarations/{p.declaration_id}", None),
        ("POST", "/api/v1/payroll/adjustments", {"worker_id": p.worker_id, "kind": "补扣", "amount": "50",
                                                 "pay_month": "2026-01", "corrects_month": "2025-11",
                                                 "reason": "多发"}),
        ("DELETE", f"/api/v1/payroll/adjustments/{p.adjustment_id}", None),
        ("PUT", f"/api/v1/filings/agents/{p.street_id}", {"tax_name": "上海市某区人民政府某街道办事处",
                                                           "credit_code": "91110000600037341L"}),
    ]


ORG_WRITES = ("/api/v1/streets", "/api/v1/committees", "/api/v1/filings/agents")  # the city administrator's alone


def _new_pd_worker(w: World) -> dict[str, Any]:
    from tests.conftest import PUDONG, valid_id, worker_data

    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in worker_data().items()}
    data.update(committee_id=w.pd.committee_id, id_number=valid_id(area=PUDONG))
    return data


def _send(client: Any, method: str, url: str, payload: Any) -> Any:
    return client.open(method, url, json=payload) if payload is not None else client.open(method, url)


def _state(w: World) -> tuple[Any, ...]:
    from hr.grades.models import Assessment, Assignment
    from hr.mentoring.models import Activity, Pairing, Studio
    from hr.workers.models import Worker
    from payroll.inputs.models import Adjustment, Declaration
    from payroll.runs.models import PayrollRun

    db.session.expire_all()
    return (db.session.query(Declaration).count(), db.session.query(Adjustment).count(),
            db.session.get(Declaration, w.pd.declaration_id).end_month,
            db.session.get(Worker, w.pd.worker_id).version, db.session.get(PayrollRun, w.pd.run_id).status,
            db.session.get(Pairing, w.pd.pairing_id).status, db.session.get(Activity, w.pd.activity_id) is not None,
            db.session.get(Studio, w.pd.studio_id).intro, db.session.query(Assignment).count(),
            db.session.query(Assessment).count(), db.session.query(Worker).count())


def test_every_write_of_the_api_is_in_the_matrix(app, world):
    from hr.api.openapi import build

    doc = build(app)
    documented = {(m.upper(), re.sub(r"\{[^}]+\}", "{id}", path)) for path, ops in doc["paths"].items()
                  for m in ops if m != "get" and not path.endswith("/preview")}  # the trial writes nothing
    covered = {(m, re.sub(r"/\d+", "/{id}", url)) for m, url, _ in writes(world)}
    assert documented == covered


def test_officer_of_another_district_gets_404_for_everything(world, api_as):
    c = api_as("officer", HONGKOU)
    for url in detail_urls(world):
        assert c.get(url).status_code == 404, url
    before = _state(world)
    for method, url, payload in writes(world):
        if payload is None and url == "/api/v1/workers":
            payload = _new_pd_worker(world)
        resp = _send(c, method, url, payload)
        expected = 403 if url.startswith(ORG_WRITES) else 404
        assert resp.status_code == expected, (method, url, resp.status_code, body(resp))
        assert resp.is_json
    assert _state(world) == before


def test_officer_never_sees_another_district_in_lists(world, api_as):
    c = api_as("officer", HONGKOU)
    pd = world.pd.district_id
    for url in LISTS:
        page = body(c.get(url + ("&" if "?" in url else "?") + "per_page=200"))
        assert page["total"] > 0, url
        for item in page["items"]:
            assert item.get("district_id", item.get("id") if "districts" in url else None) != pd, (url, item)
        if "districts" not in url:
            sep = "&" if "?" in url else "?"
            filtered = c.get(f"{url}{sep}district_id={pd}")
            assert filtered.status_code == 200 and body(filtered)["total"] == 0, url
    for url in (f"/api/v1/payroll/payslips?run_id={world.pd.run_id}", f"/api/v1/payroll/payslips?worker_id={world.pd.worker_id}",
                f"/api/v1/assignments?worker_id={world.pd.worker_id}", f"/api/v1/pairings?studio_id={world.pd.studio_id}",
                f"/api/v1/activities?pairing_id={world.pd.pairing_id}", f"/api/v1/committees?street_id={world.pd.street_id}",
                f"/api/v1/workers?q={world.pd.code}"):
        assert body(c.get(url))["total"] == 0, url
    assert c.get(f"/api/v1/promotions?district_id={pd}").status_code == 404


@pytest.mark.parametrize("district_code", [HONGKOU, None])
def test_auditors_read_but_every_write_is_403(world, api_as, district_code):
    c = api_as("auditor", district_code)
    own = world.hk
    assert c.get(f"/api/v1/workers/{own.worker_id}").status_code == 200
    assert c.get(f"/api/v1/payroll/runs/{own.run_id}").status_code == 200
    if district_code is None:  # a city-wide auditor reads every district
        assert all(c.get(url).status_code == 200 for url in detail_urls(world))
    before = _state(world)
    for target in (world.pd, world.hk):
        w = World(hk=world.hk, pd=target, admin=world.admin)
        for method, url, payload in writes(w):
            resp = _send(c, method, url, payload if payload is not None or url != "/api/v1/workers" else {})
            assert resp.status_code == 403, (method, url, resp.status_code)
    assert _state(world) == before


def test_the_administrator_reaches_both_districts(world, api_as):
    c = api_as("admin")
    for url in detail_urls(world):
        assert c.get(url).status_code == 200, url
    assert body(c.get("/api/v1/workers?status=all"))["total"] == 8
    for method, url, payload in writes(world):
        if payload is None and url == "/api/v1/workers":
            payload = _new_pd_worker(world)
        resp = _send(c, method, url, payload)
        assert resp.status_code not in (403, 404, 500), (method, url, resp.status_code, body(resp))
    assert body(c.get(f"/api/v1/payroll/runs?month={RUN_MONTH}"))["total"] == 2
