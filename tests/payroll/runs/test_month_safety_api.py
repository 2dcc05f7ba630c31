"""The four scenarios of a month that cannot lock wrong money, through the JSON API."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from hr.core.db import db
from hr.grades.models import Assessment
from tests.conftest import HONGKOU
from tests.helpers.api import ApiClient, make_token

RUNS = "/api/v1/payroll/runs"


def _client(app, make_user, role: str, username: str) -> ApiClient:
    user = make_user(role, HONGKOU, username=username)
    return ApiClient(app, make_token(user), user)


def _run(c: ApiClient, month: str) -> dict:
    resp = c.post(RUNS, json={"month": month})
    assert resp.status_code in (200, 201), resp.get_json()
    return resp.get_json()


def test_months_in_order_through_the_api(app, make_user, graded_worker, run_month):
    graded_worker(hire_date=date(2025, 3, 1))
    run_month("2026-11")  # the district's first month
    officer = _client(app, make_user, "officer", "apiorder")
    dec = _run(officer, "2026-12")
    feb = _run(officer, "2027-02")
    resp = officer.post(f"{RUNS}/{feb['id']}/calculate")
    assert resp.status_code == 409 and "须先锁定2027年1月" in resp.get_json()["error"]
    resp = officer.post(f"{RUNS}/{dec['id']}/calculate")
    assert resp.status_code == 200, resp.get_json()


def test_two_people_and_a_stale_run_through_the_api(app, make_user, graded_worker):
    w = graded_worker(hire_date=date(2025, 3, 1))
    officer = _client(app, make_user, "officer", "apicalc")
    reviewer = _client(app, make_user, "reviewer", "apicheck")
    run = _run(officer, "2026-01")
    url = f"{RUNS}/{run['id']}"
    calc = officer.post(f"{url}/calculate")
    assert calc.status_code == 200 and calc.get_json()["freshness"] == {"stale": False, "changes": 0, "items": []}
    refused = officer.post(f"{url}/approve")
    assert refused.status_code in (403, 409) and "审批须由他人" in refused.get_json()["error"]
    assert reviewer.post(f"{url}/calculate").status_code == 403  # a reviewer does not calculate
    added = officer.post("/api/v1/payroll/adjustments", json={
        "worker_id": w.id, "kind": "补发", "amount": "300", "pay_month": "2026-01", "corrects_month": "2025-12",
        "reason": "防汛值守补贴"})
    assert added.status_code == 201, added.get_json()
    fresh = reviewer.get(url).get_json()["freshness"]
    assert fresh["stale"] and fresh["changes"] == 1 and fresh["items"][0]["kind"] == "adjustment"
    stale = reviewer.post(f"{url}/approve")
    assert stale.status_code == 409 and "1 处变更" in stale.get_json()["error"]
    assert officer.post(f"{url}/calculate").status_code == 200
    ok = reviewer.post(f"{url}/approve")
    assert ok.status_code == 200, ok.get_json()
    locked = officer.post(f"{url}/lock").get_json()
    assert locked["status"] == "locked"
    assert (locked["calculated_by"], locked["approved_by"], locked["locked_by"]) == ("apicalc", "apicheck", "apicalc")
    assert (locked["calculated_by_id"], locked["approved_by_id"]) == (officer.user.id, reviewer.user.id)
    slip = officer.get(f"/api/v1/payroll/payslips?run_id={run['id']}").get_json()["items"][0]
    assert Decimal(officer.get(f"/api/v1/payroll/payslips/{slip['id']}").get_json()["adjustments"]) == Decimal("300")
    listed = officer.get(f"{RUNS}?month=2026-01").get_json()["items"][0]
    assert (listed["calculated_by"], listed["approved_by"]) == ("apicalc", "apicheck")


def test_a_rating_changed_after_december_through_the_api(app, make_user, graded_worker, run_month):
    w = graded_worker(hire_date=date(2025, 3, 1))
    db.session.add(Assessment(worker_id=w.id, district_id=w.district_id, year=2026, rating="合格"))
    db.session.commit()
    for m in range(1, 13):
        run_month(f"2026-{m:02d}")
    officer = _client(app, make_user, "officer", "apirate")
    resp = officer.put(f"/api/v1/workers/{w.id}/assessments/2026", json={"rating": "优秀"})
    assert resp.status_code in (200, 201), resp.get_json()
    jan = _run(officer, "2027-01")
    assert officer.post(f"{RUNS}/{jan['id']}/calculate").status_code == 200
    slip = officer.get(f"/api/v1/payroll/payslips?run_id={jan['id']}").get_json()["items"][0]
    lines = officer.get(f"/api/v1/payroll/payslips/{slip['id']}").get_json()["adjustment_lines"]
    (line,) = [x for x in lines if x["auto"]]
    assert line["kind"] == "补发" and "年度考核奖" in line["reason"] and "2026年度" in line["reason"] and Decimal(line["amount"]) > 0
