"""The home page's to-do list and charts, and the run page's grouped problems: counts built
from data made here, scoped to the user's district, one row per district for the city."""
from __future__ import annotations

import re
from datetime import date

from hr.core.db import db
from hr.core.timeutil import today
from hr.grades.models import Assessment
from hr.home.todo import assessment_year
from tests.conftest import HONGKOU, PUDONG, committee_in, login


def _client(app, make_user, role: str, code: str | None, name: str):
    from tests.conftest import RequestClient

    make_user(role, code, username=name)
    c = RequestClient(app, app.response_class, use_cookies=True)
    login(c, name)
    return c


def _counts(html: str) -> dict[str, int]:
    todo = html.split('id="todo"')[1].split("</div>")[0]
    return {k: int(n) for k, n in re.findall(r'<li data-todo="(\w+)" data-count="(\d+)"', todo)}


def _rate(worker, year: int, rating: str = "合格") -> None:
    db.session.add(Assessment(worker_id=worker.id, district_id=worker.district_id, year=year, rating=rating))
    db.session.commit()


def test_officer_sees_the_district_s_to_do_counts(app, make_user, make_worker, graded_worker):
    year = assessment_year(today())
    graded_worker(name="张甲")
    rated = graded_worker(name="李乙", bank_account="")
    _rate(rated, year)
    make_worker(HONGKOU, name="未定级者")  # no post and grade
    graded_worker(district_code=PUDONG, name="浦东人", bank_account="")
    make_worker(PUDONG, name="浦东未定级")
    html = _client(app, make_user, "officer", HONGKOU, "hkdesk").get("/").get_data(as_text=True)
    counts = _counts(html)
    assert counts["ungraded"] == 1
    assert counts["bank"] == 1
    assert counts["ratings"] == 2  # 张甲 and 未定级者; 李乙 is rated
    assert "not_calculated" in counts  # workers in service, no run this month
    assert "浦东" not in html.split('id="todo"')[1].split("</div>")[0]
    todo = html.split('id="todo"')[1]
    assert f"2 人缺少 {year} 年度考核结果" in todo
    assert "/grades/assessments" in todo and "/grades/assessments/sheet.xlsx" in todo


def test_a_district_with_nothing_to_do_says_so(app, make_user):
    html = _client(app, make_user, "officer", HONGKOU, "hkempty").get("/").get_data(as_text=True)
    assert _counts(html) == {}
    assert "暂无待办" in html


def test_runs_waiting_for_approval_and_their_problems(app, make_user, graded_worker, run_month):
    graded_worker(name="无账号", bank_account="")
    graded_worker(name="有账号")
    month = today().replace(day=1)
    run = run_month(f"{month:%Y-%m}", lock=False)
    html = _client(app, make_user, "officer", HONGKOU, "hkrun").get("/").get_data(as_text=True)
    counts = _counts(html)
    assert "not_calculated" not in counts
    assert counts["unapproved"] == 1
    assert counts["blocking"] == len(run.blocking) >= 1
    assert f'/payroll/runs/{run.id}#problems' in html
    # The charts: the month's headcount and net pay, the cost by street, posts and grades.
    for chart in ("home-headcount", "home-net", "home-cost", "home-post-grade"):
        assert f'id="fig-{chart}"' in html
    assert "style=" not in html.split('id="fig-home-net"')[1].split("</svg>")[0]


def test_promotions_waiting_counts_an_approvable_rise(app, make_user, graded_worker):
    worker = graded_worker(name="待晋级", hire_date=date(2019, 3, 1))
    for y in range(2020, 2025):
        _rate(worker, y)
    c = _client(app, make_user, "officer", HONGKOU, "hkpromo")
    assert _counts(c.get("/").get_data(as_text=True))["promotions"] == 1
    auditor = _client(app, make_user, "auditor", HONGKOU, "hkaudit")
    assert "promotions" not in _counts(auditor.get("/").get_data(as_text=True))


def test_the_city_sees_one_row_per_district(app, make_user, make_worker):
    make_worker(HONGKOU, name="虹口未定级")
    make_worker(PUDONG, name="浦东未定级甲")
    make_worker(PUDONG, committee_index=1, name="浦东未定级乙")
    html = _client(app, make_user, "admin", None, "cityadmin").get("/").get_data(as_text=True)
    rows = dict(re.findall(r'<tr data-district="(\d+)">.*?data-todo="ungraded" data-count="(\d+)"', html, re.S))
    from tests.conftest import district

    assert rows[district(HONGKOU).code] == "1"
    assert rows[district(PUDONG).code] == "2"


def test_run_page_groups_problems_by_kind_and_street(app, make_user, graded_worker, run_month):
    a = graded_worker(name="甲无账号", bank_account="")
    b = graded_worker(name="乙无账号", bank_account="", committee_id=committee_in(HONGKOU, 1).id)
    graded_worker(name="丙有账号")
    run = run_month(f"{today():%Y-%m}", lock=False)
    html = _client(app, make_user, "officer", HONGKOU, "hkprob").get(f"/payroll/runs/{run.id}").get_data(as_text=True)
    block = html.split('id="problems"')[1].split("</ul>")[0]
    line = block.split('data-problem="no_bank_account"')[1].split("</li>")[0]
    assert 'data-count="2"' in block.split('data-problem="no_bank_account"')[1][:30]
    assert "2 人没有银行账号" in line
    assert f"/workers/{a.id}/edit" in line and f"/workers/{b.id}/edit" in line
    assert "丙有账号" not in line
    streets = {a.street.name, b.street.name}
    for name in streets:
        assert name in line
    # One line per kind, not one per worker.
    assert block.count("<li ") == len({p["code"] for p in run.problems})


def test_qualification_promotions_due_where_the_district_grants_grades(app, make_user, graded_worker):
    from hr.grades.models import DistrictSetting
    from tests.conftest import district

    graded_worker(name="新持证", hire_date=date(2019, 3, 1), qualification="社会工作师",
                  qualification_date=date(2023, 5, 20))
    graded_worker(name="未持证", hire_date=date(2019, 3, 1), qualification="无", qualification_date=None)
    c = _client(app, make_user, "officer", HONGKOU, "hkqual")
    assert "qualification" not in _counts(c.get("/").get_data(as_text=True))  # allowance mode: nothing due
    db.session.add(DistrictSetting(district_id=district(HONGKOU).id, qualification_mode="grade", hf_rate_pct=7,
                                   si_rounding="half_up", pay_day=15))
    db.session.commit()
    html = c.get("/").get_data(as_text=True)
    assert _counts(html)["qualification"] == 1
    assert "新持证" in html.split('data-todo="qualification"')[1].split("</li>")[0]
