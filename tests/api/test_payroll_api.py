"""Payroll runs, payslips and the trial calculation through the API."""
from __future__ import annotations

import re
from datetime import date

from hr.core.db import db
from hr.workers.models import Worker
from tests.helpers.api import RUN_MONTH, body
from tests.helpers.grades import give_post
from tests.payroll.test_trial_and_budget import EXAMPLE_1

MONEY = re.compile(r"^-?\d+\.\d{2}$")


def test_runs_list_and_detail(api_as, world):
    c = api_as("officer")
    page = body(c.get("/api/v1/payroll/runs"))
    assert [r["id"] for r in page["items"]] == [world.hk.run_id]
    run = page["items"][0]
    assert (run["month"], run["status"], run["district"]) == (RUN_MONTH, "calculated", "虹口区")
    assert all(MONEY.match(run[f]) for f in ("gross", "net", "iit", "employer_total"))
    assert body(c.get("/api/v1/payroll/runs?year=2025"))["total"] == 0
    assert body(c.get(f"/api/v1/payroll/runs?month={RUN_MONTH}&status=calculated"))["total"] == 1
    detail = body(c.get(f"/api/v1/payroll/runs/{world.hk.run_id}"))
    assert detail["actions"] == ["calculate", "approve"]
    assert any(p["blocking"] for p in detail["problems"]) and detail["streets"]
    assert sum(s["headcount"] for s in detail["streets"]) == detail["headcount"]
    assert body(api_as("auditor").get(f"/api/v1/payroll/runs/{world.hk.run_id}"))["actions"] == []


def test_create_is_one_run_per_district_and_month(api_as, world):
    c = api_as("officer")
    resp = c.post("/api/v1/payroll/runs", json={"month": "2026-02"})
    assert resp.status_code == 201, body(resp)
    run = body(resp)
    assert (run["status"], run["month"], run["district_id"]) == ("draft", "2026-02", world.hk.district_id)
    again = c.post("/api/v1/payroll/runs", json={"month": "2026-02"})
    assert again.status_code == 200 and body(again)["id"] == run["id"]
    assert c.post("/api/v1/payroll/runs", json={"month": "2026-13"}).status_code == 400
    assert c.post("/api/v1/payroll/runs", json={"month": "2040-01"}).status_code == 422
    assert c.post("/api/v1/payroll/runs", json={"month": "2026-03", "district_id": world.pd.district_id}
                  ).status_code == 404
    admin = api_as("admin")
    need = admin.post("/api/v1/payroll/runs", json={"month": "2026-03"})
    assert need.status_code == 400 and "district_id" in body(need)["errors"]
    # February cannot be calculated while January is not locked.
    blocked = c.post(f"/api/v1/payroll/runs/{run['id']}/calculate")
    assert blocked.status_code == 409 and "须先锁定2026年1月" in body(blocked)["error"]


def test_calculate_approve_lock_and_then_nothing(api_as, world):
    c = api_as("officer")
    ungraded = db.session.get(Worker, world.hk.ungraded_id)
    give_post(ungraded, "STAF", 4, date(2019, 3, 1))
    url = f"/api/v1/payroll/runs/{world.hk.run_id}"
    calc = c.post(f"{url}/calculate")
    assert calc.status_code == 200, body(calc)
    run = body(calc)
    assert run["blocking_count"] == 0 and run["headcount"] == 4
    reviewer = api_as("reviewer")
    stale = reviewer.post(f"{url}/approve", json={"version": run["version"] - 1})
    assert stale.status_code == 409
    approved = reviewer.post(f"{url}/approve", json={"version": run["version"]})
    assert approved.status_code == 200 and body(approved)["status"] == "approved"
    assert body(approved)["actions"] == ["reopen"]  # a reviewer does not lock
    assert body(c.get(url))["actions"] == ["reopen", "lock"]
    locked = c.post(f"{url}/lock")
    assert locked.status_code == 200 and body(locked)["status"] == "locked" and body(locked)["actions"] == []
    for action in ("calculate", "approve", "reopen", "lock"):
        resp = c.post(f"{url}/{action}")
        assert resp.status_code == 409 and "已锁定" in body(resp)["error"], action


def test_payslips_by_run_worker_and_month(api_as, world):
    c = api_as("officer")
    by_run = body(c.get(f"/api/v1/payroll/payslips?run_id={world.hk.run_id}"))
    assert by_run["total"] == 3  # the worker without a post has no slip
    by_worker = body(c.get(f"/api/v1/payroll/payslips?worker_id={world.hk.worker_id}"))
    (item,) = by_worker["items"]
    assert (item["id"], item["month"], item["run_id"]) == (world.hk.slip_id, RUN_MONTH, world.hk.run_id)
    assert all(MONEY.match(item[f]) for f in ("gross", "deductions", "iit", "net", "employer_total"))
    assert body(c.get("/api/v1/payroll/payslips?month=2025-12"))["total"] == 0
    assert body(c.get(f"/api/v1/payroll/payslips?month={RUN_MONTH}&street_id={world.hk.street_id}"))["total"] == 3
    slip = body(c.get(f"/api/v1/payroll/payslips/{world.hk.slip_id}"))
    assert slip["worker_id"] == world.hk.worker_id and slip["adjustment_lines"] == []
    assert MONEY.match(slip["cum_tax"]) and slip["days_served"] == slip["days_in_month"]


def test_trial_preview_with_a_token_for_any_role(api_as):
    for role in ("officer", "auditor"):
        resp = api_as(role).post("/api/v1/payroll/preview", json=EXAMPLE_1)
        assert resp.status_code == 200, body(resp)
        (m,) = body(resp)["months"]
        assert (m["gross"], m["net"]) == ("6445.00", "5204.38")
    resp = api_as("officer").post("/api/v1/payroll/preview", json=[EXAMPLE_1, {**EXAMPLE_1, "grade": 99}])
    assert resp.status_code == 400 and "grade" in body(resp)["errors"]["1"]
    assert api_as("officer").post("/api/v1/payroll/preview", json=[]).status_code == 400


def test_the_preview_url_has_one_definition(app):
    rules = [r for r in app.url_map.iter_rules() if r.rule == "/api/v1/payroll/preview"]
    assert [r.endpoint for r in rules] == ["payroll_api.preview"]


def test_declarations(api_as, world):
    c = api_as("officer")
    page = body(c.get(f"/api/v1/payroll/declarations?worker_id={world.hk.worker_id}"))
    (d,) = page["items"]
    assert (d["kind"], d["monthly"], d["start_month"], d["end_month"]) == ("住房租金", "1500.00", "2026-01", None)
    resp = c.post("/api/v1/payroll/declarations", json={"worker_id": world.hk.worker_id, "kind": "子女教育",
                                                         "monthly": "2000", "start_month": "2026-03"})
    assert resp.status_code == 400 and "dependent" in body(resp)["errors"]
    resp = c.post("/api/v1/payroll/declarations", json={"worker_id": world.hk.worker_id, "kind": "子女教育",
                                                         "dependent": "张小明", "monthly": "2000",
                                                         "start_month": "2026-03"})
    assert resp.status_code == 201, body(resp)
    new = body(resp)
    assert c.post("/api/v1/payroll/declarations", json={"worker_id": world.hk.worker_id, "kind": "继续教育",
                                                        "monthly": 400.0, "start_month": "2026-03"}).status_code == 400
    ended = c.post(f"/api/v1/payroll/declarations/{new['id']}/end", json={"end_month": "2026-08"})
    assert ended.status_code == 200 and body(ended)["end_month"] == "2026-08"
    assert c.post(f"/api/v1/payroll/declarations/{new['id']}/end", json={"end_month": "2026-01"}).status_code == 400
    assert c.delete(f"/api/v1/payroll/declarations/{new['id']}").status_code == 204
    assert c.get(f"/api/v1/payroll/declarations/{new['id']}").status_code == 404


def test_adjustments(api_as, world):
    c = api_as("officer")
    (a,) = body(c.get(f"/api/v1/payroll/adjustments?worker_id={world.hk.worker_id}&pay_month=2026-01"))["items"]
    assert (a["kind"], a["amount"], a["corrects_month"]) == ("补发", "200.00", "2025-12")
    resp = c.post("/api/v1/payroll/adjustments", json={"worker_id": world.hk.worker_id, "kind": "补扣", "amount": "80.5",
                                                       "pay_month": "2026-01", "corrects_month": "2025-11",
                                                       "reason": "多发交通补贴"})
    assert resp.status_code == 201, body(resp)
    assert body(resp)["amount"] == "-80.50"
    bad = c.post("/api/v1/payroll/adjustments", json={"worker_id": world.hk.worker_id, "kind": "补扣", "amount": "1",
                                                      "pay_month": "2026-01", "corrects_month": "2026-02",
                                                      "reason": "x"})
    assert bad.status_code == 400 and "corrects_month" in body(bad)["errors"]
    assert c.delete(f"/api/v1/payroll/adjustments/{body(resp)['id']}").status_code == 204
    # Once the month is approved, an adjustment is neither added to it nor deleted from it.
    ungraded = db.session.get(Worker, world.hk.ungraded_id)
    give_post(ungraded, "STAF", 4, date(2019, 3, 1))
    run = f"/api/v1/payroll/runs/{world.hk.run_id}"
    assert c.post(f"{run}/calculate").status_code == 200
    assert api_as("reviewer").post(f"{run}/approve").status_code == 200
    late = c.post("/api/v1/payroll/adjustments", json={"worker_id": world.hk.worker_id, "kind": "补发",
                                                       "amount": "10", "pay_month": "2026-01",
                                                       "corrects_month": "2025-12", "reason": "再补"})
    assert late.status_code == 400 and "pay_month" in body(late)["errors"]
    assert c.delete(f"/api/v1/payroll/adjustments/{a['id']}").status_code == 409
