"""The officer's desk in Chromium at 1366×768 and at 390×844: the home page's to-do counts match
the data, its links lead to the pages that fix them, the run page groups its problems, the trial
form gives the API's figures for the same case, and the home page, the run page's problems and
the trial page fit the window, with no console error (the charts are inline SVG under the
strict Content-Security-Policy). Screenshots of each page at both sizes are saved in tests/e2e/artifacts/
(listed in the README)."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from hr.core.db import db
from hr.core.timeutil import today
from hr.grades.models import Assignment
from tests.conftest import HONGKOU, PASSWORD, committee_in, district

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
CASE = {"year": 2026, "from_month": 1, "to_month": 12, "post": "主管", "grade": 8,
        "qualification": "社会工作师", "qualification_date": "2021-07-15", "hire_date": "2018-04-01",
        "rating": "优秀", "bonus_tax": "merged", "hf_rate": "0.06",
        "special_deductions": [{"kind": "赡养老人", "monthly": "1500", "from": "2026-01"}]}


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def _graded(make_worker, name: str, **kw):
    w = make_worker(HONGKOU, name=name, **kw)
    db.session.add(Assignment(worker_id=w.id, district_id=w.district_id, post="STAF", grade=5,
                              effective=w.hire_date.replace(day=1), reason="入职定级"))
    db.session.commit()
    return w


def _month(make_user):
    """This month calculated, not approved, as an officer of the district."""
    from payroll.runs import services

    user = make_user("officer", HONGKOU, username="deskrunner")
    run = services.get_or_create_run(district(HONGKOU), today().replace(day=1), user)
    services.calculate_run(run, user)
    db.session.commit()
    return run


def _fits(page, selector: str = "main") -> None:
    """Nothing under `selector` reaches past the right edge of the window (a table may scroll
    inside its own box). The menu and the base layout's tables are the layout's own test."""
    wide = page.evaluate("""(selector) => {
        const edge = document.documentElement.clientWidth + 1;
        const inScrollBox = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
            const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
        return [...document.querySelectorAll(selector + ', ' + selector + ' *')]
            .filter(e => e.getBoundingClientRect().right > edge && !inScrollBox(e))
            .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id); }""", selector)
    assert not wide, f"{page.url}: past the right edge: {wide}"


def _shot(page, name: str, size: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)


def _todo(page) -> dict[str, int]:
    return {li.get_attribute("data-todo"): int(li.get_attribute("data-count"))
            for li in page.locator("#todo li[data-todo]").all()}


@pytest.mark.parametrize("size", list(SIZES))
def test_the_officers_desk(app, csrf_on, browser, live_server, make_user, make_worker, size):
    make_user("officer", HONGKOU, username="deskofficer")
    workers = [_graded(make_worker, name) for name in ("王小明", "李春花", "赵建国")]
    _graded(make_worker, "钱无卡", bank_account="", committee_id=committee_in(HONGKOU, 1).id)
    make_worker(HONGKOU, name="孙未定")  # no post and grade yet
    run = _month(make_user)
    slip_id = db.session.execute(
        db.select(db.text("id")).select_from(db.text("payslip")).where(db.text(f"worker_id = {workers[0].id}"))
    ).scalar_one()

    width, height = SIZES[size]
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": width, "height": height})
    context.set_default_timeout(30_000)
    page = context.new_page()
    problems: list[str] = []  # console errors (CSP refusals included) and failed loads
    page.on("console", lambda msg: problems.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    # The browser's own request for /favicon.ico is the base layout's business, not this walk's.
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    try:
        page.goto("/login")
        page.fill('input[name="username"]', "deskofficer")
        page.fill('input[name="password"]', PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r"/$"))

        # Home: the to-do counts are the data's.
        counts = _todo(page)
        assert counts["ungraded"] == 1  # 孙未定
        assert counts["bank"] == 1  # 钱无卡
        assert counts["unapproved"] == 1
        assert counts["blocking"] == len(run.blocking)
        assert "not_calculated" not in counts
        assert page.locator("#fig-home-post-grade svg").count() == 1
        _fits(page)
        _shot(page, "home", size)

        # The list of names opens, and its link leads to the worker's form.
        item = page.locator('#todo li[data-todo="bank"]')
        item.locator("summary").click()
        item.get_by_role("link", name="钱无卡").click()
        page.wait_for_url(re.compile(r"/workers/\d+/edit"))

        # The run page: one line per kind of problem, with the pages that fix them.
        page.goto(f"/payroll/runs/{run.id}")
        kinds = {p["code"] for p in run.problems}
        assert page.locator("#problems li[data-problem]").count() == len(kinds)
        line = page.locator('#problems li[data-problem="no_bank_account"]')
        assert line.get_attribute("data-count") == "1"
        assert "1 人没有银行账号" in line.inner_text()
        _fits(page, "#problems")
        _shot(page, "run", size)

        # The worker page offers the trial; the slip page.
        page.goto(f"/workers/{workers[0].id}")
        assert page.get_by_role("link", name="调级试算").count() == 1
        _shot(page, "worker", size)
        page.goto(f"/payroll/slips/{slip_id}")
        _shot(page, "slip", size)

        # The trial form, filled by hand, gives the API's figures for the same case.
        page.goto("/payroll/trial")
        page.select_option("#year", "2026")
        page.select_option("#post", "主管")
        page.select_option("#grade", "8")
        page.select_option("#qualification", "社会工作师")
        page.fill("#qualification_date", "2021-07-15")
        page.fill("#hire_date", "2018-04-01")
        page.select_option("#rating", "优秀")
        page.select_option("#hf_rate", "0.06")
        page.fill("#special_2", "1500")  # 赡养老人
        page.locator("#trial-form").get_by_role("button", name="试算").click()
        page.wait_for_selector("#trial-result-1")
        token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
        api = page.request.post("/api/v1/payroll/preview", data=json.dumps(CASE, ensure_ascii=False),
                                headers={"Content-Type": "application/json", "X-CSRFToken": token or ""})
        assert api.status == 200, api.text()
        answer = api.json()
        assert len(answer["months"]) == 12
        for m in answer["months"]:
            for field in ("gross", "annual_bonus", "pension", "housing_fund", "iit", "net"):
                cell = page.locator(f'td[data-month="{m["month"]}"][data-field="{field}"]').inner_text()
                assert Decimal(cell.replace(",", "")) == Decimal(m[field]), (m["month"], field)
        net = page.locator('#trial-result-1 [data-amount="net"]').inner_text()
        assert Decimal(net.replace(",", "")) == Decimal(answer["totals"]["net"]) and "," in net
        _fits(page)
        _shot(page, "trial", size)

        # 调级试算 from the register: one grade more than today's.
        page.goto(f"/payroll/trial?worker={workers[0].id}&mode=raise")
        assert page.locator("#grade").input_value() == "6"
        assert "与现状相比" in page.content()
        assert problems == []
    finally:
        context.close()
