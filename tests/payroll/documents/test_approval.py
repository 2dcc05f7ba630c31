"""The approval sheet (工资发放审批表): street totals, the run's totals, who calculated and
approved it and when, signature lines; and the amount in financial capitals."""
from __future__ import annotations

from decimal import Decimal

import pytest

from hr.core.db import db
from payroll.documents import data
from payroll.documents.approval import rmb_upper
from payroll.runs import services
from tests.helpers.documents import (
    MONTH,
    audit_actions,
    content_disposition_name,
    pdf_text,
)


def test_approval_sheet_content(make_month, client_as, make_user):
    m = make_month(people=5)
    run = db.session.merge(m.run)
    services.approve_run(run, make_user("reviewer", "310109", username="hkapprover"))
    db.session.commit()
    resp = client_as().get(f"/payroll/documents/runs/{run.id}/approval.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert content_disposition_name(resp) == f"工资发放审批表_虹口区_{MONTH}.pdf"
    pages, text = pdf_text(resp.data)
    assert pages == 1
    assert "上海市虹口区社区工作者工资发放审批表" in text and "2026年11月" in text and "已审批" in text
    for s in data.street_totals(run, m.officer):
        assert s.name in text and f"{s.totals['net']:,.2f}" in text and f"{s.totals['gross']:,.2f}" in text
    assert "合计" in text
    for field in ("gross", "pension", "medical", "unemployment", "housing_fund", "iit", "net", "employer_total"):
        assert f"{getattr(run, field):,.2f}" in text, field
    assert f"计算：{m.officer.username}" in text and "审批：hkapprover" in text
    assert run.approved_at is not None
    for sign in ("经办人", "审核人", "单位负责人", "日期"):
        assert f"{sign}：" in text
    assert rmb_upper(run.net) in text
    assert audit_actions("print")[-1].summary == f"打印工资发放审批表 虹口区 {MONTH}"


def test_unapproved_run_says_so(make_month, client_as):
    m = make_month(people=1)
    _, text = pdf_text(client_as().get(f"/payroll/documents/runs/{m.run.id}/approval.pdf").data)
    assert "（未审批）" in text and "已计算" in text


def test_cli_approval(make_month, runner, tmp_path):
    make_month(people=2)
    out = tmp_path / "a.pdf"
    result = runner.invoke(args=["payroll", "approval", MONTH, "--district", "310109", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "工资发放审批表" in pdf_text(out.read_bytes())[1]


@pytest.mark.parametrize(("amount", "words"), [
    ("0", "零元整"), ("0.05", "伍分"), ("0.50", "伍角"), ("1.05", "壹元零伍分"), ("10", "壹拾元整"),
    ("100", "壹佰元整"), ("1010.10", "壹仟零壹拾元壹角"), ("10010", "壹万零壹拾元整"), ("20000", "贰万元整"),
    ("105000.30", "壹拾万伍仟元叁角"), ("10000100", "壹仟万零壹佰元整"), ("100000001", "壹亿零壹元整"),
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"), ("1234567.89", "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
    ("-3.20", "负叁元贰角"),
])
def test_rmb_upper(amount, words):
    assert rmb_upper(Decimal(amount)) == words


def test_approval_sheet_names_the_three_people(make_month, client_as, make_user):
    m = make_month(people=1)
    run = db.session.merge(m.run)
    services.approve_run(run, make_user("reviewer", "310109", username="hksigner"))
    services.lock_run(run, m.officer)
    db.session.commit()
    _pages, text = pdf_text(client_as().get(f"/payroll/documents/runs/{run.id}/approval.pdf").data)
    assert f"计算：{m.officer.username}" in text and "审批：hksigner" in text and f"锁定：{m.officer.username}" in text
