"""A district officer's month in a real browser (headless Chromium), with CSRF on as in
production: log in, register a worker and give the entry grade, import a register file with an
error, read the row/column message, fix it and import again, calculate, approve and lock the
month from the pages, download the payroll workbook and a slip PDF and read them back; an
officer of another district gets the 404 page."""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from hr.core.db import db
from tests.conftest import HONGKOU, PASSWORD, PUDONG, committee_in, valid_id

pytestmark = pytest.mark.e2e

HEADERS = ["姓名", "身份证号", "手机号", "学历", "政治面貌", "职业资格", "资格取得日期", "入职日期",
           "社区工作年限", "街镇", "居委会", "事业待遇", "后备干部", "开户行", "银行账号", "岗位", "等级"]


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "社区工作者名册"
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _row(name: str, id_number: str, account: str) -> list[object]:
    c = committee_in(HONGKOU)
    return [name, id_number, "13912345678", "大专", "群众", "无", None, "2018-09-01", 0, c.street.name, c.name,
            "否", "否", "中国银行上海分行", account, "工作人员", 5]


def _login(page, username: str) -> None:
    page.goto("/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))


def _flash(page) -> str:
    return page.locator(".flash").all_inner_texts().__str__()


def test_an_officers_month_in_the_browser(app, csrf_on, new_page, make_user, tmp_path):
    from hr.audit.models import AuditEntry
    from hr.workers.models import Worker
    from payroll.runs.models import PayrollRun, Payslip

    make_user("officer", HONGKOU, username="hkbrowser")
    make_user("officer", PUDONG, username="pdbrowser")
    make_user("reviewer", HONGKOU, username="hkbrowsercheck")
    committee = committee_in(HONGKOU)
    page = new_page()

    # Log in.
    _login(page, "hkbrowser")
    assert "虹口区" in page.content()

    # Register a worker, then give the entry grade on the page the save leads to.
    page.goto("/workers/new")
    page.fill('input[name="name"]', "陈晓红")
    page.fill('input[name="id_number"]', valid_id(birth="19900512"))
    page.fill('input[name="phone"]', "13800138000")
    page.select_option('select[name="education"]', "本科")
    page.select_option('select[name="political_status"]', "群众")
    page.select_option('select[name="qualification"]', "无")
    page.fill('input[name="hire_date"]', "2019-03-01")
    page.fill('input[name="prior_years"]', "0")
    page.select_option('select[name="committee_id"]', str(committee.id))
    page.fill('input[name="bank_name"]', "中国工商银行上海分行")
    page.fill('input[name="bank_account"]', "6222021234567890123")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/grades/worker/\d+/entry"))
    assert "已登记职工 陈晓红" in page.content()
    worker_id = int(re.search(r"/grades/worker/(\d+)/entry", page.url).group(1))
    page.check('input[name="post"][value="STAF"]')
    page.get_by_role("button", name="确认定级").click()
    page.wait_for_load_state()
    assert "/entry" not in page.url, _flash(page)

    # Import a file with an error: the preview names the row and the column, imports nothing.
    good_id, bad_id = valid_id(birth="19850101"), "310109198501010000"
    bad = tmp_path / "名册.xlsx"
    bad.write_bytes(_xlsx([_row("周建国", good_id, "6216611111111111111"),
                           _row("吴佳怡", bad_id, "6216622222222222222")]))
    page.goto("/workers/import")
    page.set_input_files('input[name="file"]', str(bad))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state()
    errors = page.locator("table tr", has_text="身份证号").all_inner_texts()
    assert any(re.search(r"^\s*3\s+身份证号\s+\S", e) for e in errors), errors
    assert "未导入任何数据" in page.content()
    assert page.get_by_role("button", name="确认导入").count() == 0
    assert db.session.execute(sa.select(sa.func.count(Worker.id))).scalar_one() == 1

    # Fix the cell and import again.
    fixed = tmp_path / "名册-改.xlsx"
    fixed.write_bytes(_xlsx([_row("周建国", good_id, "6216611111111111111"),
                             _row("吴佳怡", valid_id(birth="19920202"), "6216622222222222222")]))
    page.goto("/workers/import")
    page.set_input_files('input[name="file"]', str(fixed))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state()
    assert "新增 2" in page.content()
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url(re.compile(r"/workers/"))
    assert "导入完成：新增 2 人" in page.content()

    # Calculate January (the district's first month), a reviewer approves it on the approval
    # screen, the officer locks it.
    page.goto("/payroll/")
    page.fill('input[name="month"]', "2026-01")
    page.get_by_role("button", name="计算该月工资").click()
    page.wait_for_url(re.compile(r"/payroll/runs/\d+$"))
    run_url = page.url
    assert "已计算" in page.content()
    reviewer = new_page()
    _login(reviewer, "hkbrowsercheck")
    reviewer.goto(run_url)
    reviewer.get_by_role("link", name="审批…").click()
    reviewer.wait_for_url(re.compile(r"/approve$"))
    assert "分项合计" in reviewer.content() and "补发补扣" in reviewer.content()
    reviewer.get_by_role("button", name="确认审批").click()
    reviewer.wait_for_load_state()
    assert "已审批" in reviewer.locator("h1").inner_text(), _flash(reviewer)
    page.goto(run_url)
    page.get_by_role("button", name="锁定", exact=True).click()
    page.wait_for_load_state()
    assert "已锁定" in page.locator("h1").inner_text(), _flash(page)
    assert "hkbrowsercheck" in page.content()
    db.session.expire_all()
    run = db.session.execute(sa.select(PayrollRun)).scalar_one()
    assert (run.status, run.headcount, run.month) == ("locked", 3, date(2026, 1, 1))
    slips = {s.name: s for s in db.session.execute(sa.select(Payslip)).scalars()}
    assert set(slips) == {"陈晓红", "周建国", "吴佳怡"}

    # The payroll workbook: every slip's name and net pay.
    with page.expect_download() as info:
        page.get_by_role("button", name="导出工资表").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    cells = [[c for c in row] for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]
    wb.close()
    for name, slip in slips.items():
        rows = [r for r in cells if name in r]
        assert rows, name
        amounts = {Decimal(str(v)).quantize(Decimal("0.01")) for r in rows for v in r
                   if isinstance(v, (int, float)) and not isinstance(v, bool)}
        assert slip.net in amounts, (name, slip.net, rows)

    # One slip's PDF, from the slip page.
    slip = slips["陈晓红"]
    page.goto(f"/payroll/slips/{slip.id}")
    with page.expect_download() as info:
        page.get_by_role("link", name="工资条 PDF").click()
    pdf_path = info.value.path()
    from pypdf import PdfReader

    text = "".join(p.extract_text() or "" for p in PdfReader(pdf_path).pages)
    compact = re.sub(r"\s+", "", text)
    assert "陈晓红" in compact, text[:500]
    assert f"{slip.net:,.2f}" in compact or f"{slip.net:.2f}" in compact, (slip.net, text[:800])

    # Each download left an audit entry: who, what, when.
    audit = db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.action.in_(("export", "print")))).scalars().all()
    kinds = {(a.action, a.username) for a in audit}
    assert ("export", "hkbrowser") in kinds and ("print", "hkbrowser") in kinds, kinds
    assert all(a.at is not None for a in audit)

    # An officer of 浦东新区 gets the 404 page for 虹口区's worker, run and slip.
    other = new_page()
    _login(other, "pdbrowser")
    for url in (f"/workers/{worker_id}", run_url, f"/payroll/slips/{slip.id}",
                f"/payroll/documents/slips/{slip.id}.pdf"):
        resp = other.goto(url)
        assert resp is not None and resp.status == 404, url
        assert "不存在" in other.content() and "陈晓红" not in other.content()
