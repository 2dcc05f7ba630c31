"""The trial page's form: it builds the API's case, so the page shows the API's figures for the
same case; a worker chosen from the register fills it (within the user's district only)."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from hr.core.db import db
from hr.grades.models import Assignment
from tests.conftest import HONGKOU, PUDONG, login

FORM = {"year": "2026", "from_month": "1", "to_month": "3", "post": "工作人员", "grade": "5",
        "qualification": "助理社会工作师", "qualification_date": "2019-05-01", "hire_date": "2020-01-01",
        "rating": "合格", "bonus_tax": "merged", "hf_rate": "0.07", "special_1": "", "special_0": "2000"}
# The same case as the API takes it.
CASE = {"year": 2026, "from_month": 1, "to_month": 3, "post": "工作人员", "grade": 5,
        "qualification": "助理社会工作师", "qualification_date": "2019-05-01", "hire_date": "2020-01-01",
        "rating": "合格", "bonus_tax": "merged", "hf_rate": "0.07",
        "special_deductions": [{"kind": "子女教育", "monthly": "2000", "from": "2026-01"}]}


def _cells(html: str) -> dict[tuple[str, str], Decimal]:
    return {(m, f): Decimal(v.replace(",", "")) for m, f, v in
            re.findall(r'data-month="([\d-]+)" data-field="(\w+)">([\d,.-]+)<', html)}


def _graded(make_worker, code: str = HONGKOU, **kw):
    w = make_worker(code, **kw)
    db.session.add(Assignment(worker_id=w.id, district_id=w.district_id, post="STAF", grade=5,
                              effective=w.hire_date.replace(day=1), reason="入职定级"))
    db.session.commit()
    return w


def test_the_form_gives_the_api_s_figures(client, make_user):
    login(client, make_user("officer", HONGKOU, username="trialform").username)
    api = client.post("/api/v1/payroll/preview", json=CASE).get_json()
    html = client.post("/payroll/trial", data=FORM).get_data(as_text=True)
    cells = _cells(html)
    assert len(api["months"]) == 3
    for m in api["months"]:
        for field in ("grade_pay", "gross", "pension", "medical", "unemployment", "housing_fund", "iit", "net"):
            assert cells[(m["month"], field)] == Decimal(m[field]), (m["month"], field)
    total = re.search(r'data-total="net">([\d,.]+)<', html).group(1)
    assert Decimal(total.replace(",", "")) == Decimal(api["totals"]["net"])
    assert "," in total  # thousands separators, as on the payroll pages


def test_form_errors_are_shown_beside_the_fields_in_chinese(client, make_user):
    login(client, make_user("officer", HONGKOU, username="trialerr").username)
    html = client.post("/payroll/trial", data={**FORM, "qualification_date": ""}).get_data(as_text=True)
    assert "有职业资格时须填写取得日期" in html
    assert "data-total" not in html
    html = client.post("/payroll/trial", data={**FORM, "grade": "18"}).get_data(as_text=True)
    assert "工作人员岗位的等级须在 1–12 之间" in html
    html = client.post("/payroll/trial", data={**FORM, "special_0": "abc"}).get_data(as_text=True)
    field = html.split('id="special_0"')[1].split("</div>")[0]
    assert '<div class="error">金额应为数字' in field


def test_a_worker_fills_the_form_and_raise_adds_a_grade(client, make_user, make_worker):
    w = _graded(make_worker, name="试算人", hire_date=date(2019, 3, 1), qualification="无", qualification_date=None)
    login(client, make_user("officer", HONGKOU, username="trialw").username)
    html = client.get(f"/payroll/trial?worker={w.id}&year=2026").get_data(as_text=True)
    assert re.search(r'<option selected value="工作人员">|<option value="工作人员" selected>', html)
    assert re.search(r'<option selected value="5">|<option value="5" selected>', html)
    assert 'value="2019-03-01"' in html
    base_net = Decimal(re.search(r'data-total="net">([\d,.]+)<', html).group(1).replace(",", ""))
    raised = client.get(f"/payroll/trial?worker={w.id}&year=2026&mode=raise").get_data(as_text=True)
    assert re.search(r'<option selected value="6">|<option value="6" selected>', raised)
    assert "等级 5 → 6 级" in raised and "与现状相比" in raised
    assert Decimal(re.search(r'data-total="net">([\d,.]+)<', raised).group(1).replace(",", "")) > base_net
    qual = client.get(f"/payroll/trial?worker={w.id}&year=2026&mode=qualification").get_data(as_text=True)
    assert "未持证 → 助理社会工作师" in qual


def test_another_district_s_worker_is_missing(client, make_user, make_worker):
    w = _graded(make_worker, PUDONG, name="浦东人")
    login(client, make_user("officer", HONGKOU, username="trialscope").username)
    assert client.get(f"/payroll/trial?worker={w.id}").status_code == 404
    html = client.get("/payroll/trial?q=浦东人").get_data(as_text=True)
    assert "没有找到职工" in html


def test_first_job_and_only_child_go_through_the_form_as_through_the_api(client, make_user):
    """A first-job hire in March pays no housing fund in March and its normal amount in April;
    an only child's 赡养老人 of 3,000 counts in full, a sibling's share at most 1,500 (§6b)."""
    login(client, make_user("officer", HONGKOU, username="trialfirst").username)
    form = {**FORM, "from_month": "3", "to_month": "4", "hire_date": "2026-03-01", "first_job": "y",
            "special_0": "", "special_2": "3,000", "only_child": "y"}
    case = {**CASE, "from_month": 3, "to_month": 4, "hire_date": "2026-03-01", "first_job": True,
            "special_deductions": [{"kind": "赡养老人", "monthly": "3000", "from": "2026-01", "only_child": True}]}
    api = client.post("/api/v1/payroll/preview", json=case).get_json()
    cells = _cells(client.post("/payroll/trial", data=form).get_data(as_text=True))
    (march, april) = api["months"]
    assert Decimal(march["housing_fund"]) == 0 < Decimal(april["housing_fund"])
    for m in api["months"]:
        for field in ("housing_fund", "iit", "net"):
            assert cells[(m["month"], field)] == Decimal(m[field]), (m["month"], field)
    sibling = client.post("/payroll/trial", data={**form, "only_child": ""}).get_data(as_text=True)
    assert "非独生子女每月分摊最多1500元" in sibling  # a share above the cap is named, as by the API


def test_a_misplaced_comma_in_an_amount_is_refused_not_read_as_thousands(client, make_user):
    login(client, make_user("officer", HONGKOU, username="trialcomma").username)
    html = client.post("/payroll/trial", data={**FORM, "special_0": "100,00"}).get_data(as_text=True)
    assert "data-total" not in html and "金额" in html
    ok = client.post("/payroll/trial", data={**FORM, "special_0": "2,000"}).get_data(as_text=True)
    assert "data-total" in ok
