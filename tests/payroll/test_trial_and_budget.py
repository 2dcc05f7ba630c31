from __future__ import annotations

import json
from datetime import date

from tests.conftest import HONGKOU, login

EXAMPLE_1 = {"year": 2026, "from_month": 1, "to_month": 1, "post": "工作人员", "grade": 5,
             "qualification": "助理社会工作师", "qualification_date": "2019-05-01", "hire_date": "2020-01-01",
             "scale_version": "2017"}


def test_preview_api_reproduces_worked_example_1(client, make_user):
    login(client, make_user("officer", HONGKOU, username="trial").username)
    resp = client.post("/api/v1/payroll/preview", json=EXAMPLE_1)
    assert resp.status_code == 200
    (m,) = resp.get_json()["months"]
    assert (m["gross"], m["pension"], m["medical"], m["unemployment"], m["housing_fund"], m["iit"], m["net"]) == (
        "6445.00", "596.80", "149.20", "37.30", "451.00", "6.32", "5204.38")
    assert m["employer"]["total"] == "2368.22"


def test_preview_api_takes_a_list_and_names_bad_fields(client, make_user):
    login(client, make_user("officer", HONGKOU, username="trial2").username)
    resp = client.post("/api/v1/payroll/preview", json=[EXAMPLE_1, {**EXAMPLE_1, "grade": 14, "hf_rate": 0.07}])
    assert resp.status_code == 400
    errors = resp.get_json()["errors"]["1"]
    assert set(errors) == {"hf_rate"}
    resp = client.post("/api/v1/payroll/preview", json=[EXAMPLE_1, {**EXAMPLE_1, "grade": 14}])
    assert resp.status_code == 400 and "grade" in resp.get_json()["errors"]["1"]
    resp = client.post("/api/v1/payroll/preview", json=[EXAMPLE_1, {**EXAMPLE_1, "grade": 6}])
    assert resp.status_code == 200 and len(resp.get_json()) == 2
    assert client.post("/api/v1/payroll/preview", data="x=1").status_code == 415


def test_preview_api_needs_login(client):
    resp = client.post("/api/v1/payroll/preview", json=EXAMPLE_1)
    assert resp.status_code == 401 and "error" in resp.get_json()


def test_preview_cli_reads_stdin(runner):
    out = runner.invoke(args=["payroll", "preview", "--json", "-"], input=json.dumps(EXAMPLE_1))
    assert out.exit_code == 0
    assert json.loads(out.output)["months"][0]["net"] == "5204.38"
    bad = runner.invoke(args=["payroll", "preview", "--json", "-"], input='{"year": 2026}')
    assert bad.exit_code == 2


def test_trial_page(client, make_user):
    login(client, make_user("auditor", None, username="trial3").username)
    page = client.post("/payroll/trial", data={"case": json.dumps(EXAMPLE_1)}).get_data(as_text=True)
    assert "5,204.38" in page
    page = client.post("/payroll/trial", data={"case": "{oops"}).get_data(as_text=True)
    assert "JSON 格式错误" in page


def test_budget_cli_by_hand(runner, make_worker):
    from hr.core.db import db
    from hr.grades.models import Assignment

    w = make_worker(hire_date=date(2016, 5, 1), qualification="助理社会工作师", qualification_date=date(2016, 6, 1))
    db.session.add(Assignment(worker_id=w.id, district_id=w.district_id, post="STAF", grade=5,
                              effective=date(2016, 5, 1), reason="入职定级"))
    db.session.commit()
    out = runner.invoke(args=["payroll", "budget", "--year", "2017", "--scale", "2017", "--json"])
    assert out.exit_code == 0, (out.output, out.exception)
    data = json.loads(out.output)
    # 12 × 6,445 + 5,430 × 1.5 = 77,340 + 8,145
    assert data["headcount"] == 1 and data["total_gross"] == "85485.00" == data["mean_gross"]
    assert runner.invoke(args=["payroll", "budget", "--year", "2017", "--scale", "1999"]).exit_code != 0
