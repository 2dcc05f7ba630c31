"""What an approver signs: totals by component, the change from last month, joiners and
leavers, the 补发/补扣 lines and the count of problems, read in a few grouped queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hr.core.db import db
from payroll.calc.money import ZERO
from payroll.runs.models import PayrollRun, Payslip

COMPONENTS = (
    ("grade_pay", "等级工资"), ("post_allowance", "岗位津贴"), ("performance", "绩效工资"),
    ("qualification_allowance", "职业资格津贴"), ("annual_bonus", "年度考核奖"), ("adjustments", "补发补扣"),
    ("gross", "应发合计"), ("pension", "养老保险"), ("medical", "医疗保险"), ("unemployment", "失业保险"),
    ("housing_fund", "住房公积金"), ("iit", "个人所得税"), ("net", "实发合计"), ("employer_total", "单位缴费合计"),
)


@dataclass
class ComponentRow:
    key: str
    label: str
    amount: Decimal
    previous: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.amount - self.previous


@dataclass
class ApprovalSummary:
    run: PayrollRun
    previous: PayrollRun | None
    headcount_before: int | None
    components: list[ComponentRow] = field(default_factory=list)
    joiners: list[tuple[int, str]] = field(default_factory=list)
    leavers: list[tuple[int, str]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    problems: int = 0
    blocking: int = 0


def _sum(run_id: int) -> dict[str, Decimal]:
    """Totals by component, summed from the slips as Decimals (the Money type's way out)."""
    out = {key: ZERO for key, _ in COMPONENTS}
    for row in db.session.execute(
        select(*(getattr(Payslip, key) for key, _ in COMPONENTS)).where(Payslip.run_id == run_id)
    ):
        for (key, _), value in zip(COMPONENTS, row, strict=True):
            out[key] += value
    return out


def _people(run_id: int) -> dict[int, str]:
    return dict(db.session.execute(select(Payslip.worker_id, Payslip.name).where(Payslip.run_id == run_id)).all())


def summary(run: PayrollRun) -> ApprovalSummary:
    from payroll.runs.services import _add_months

    previous = db.session.execute(select(PayrollRun).where(
        PayrollRun.district_id == run.district_id, PayrollRun.month == _add_months(run.month, -1),
        PayrollRun.status != "draft")).scalar_one_or_none()
    now = _sum(run.id)
    before = _sum(previous.id) if previous is not None else None
    out = ApprovalSummary(run=run, previous=previous, headcount_before=previous.headcount if previous else None)
    out.components = [ComponentRow(key, label, now[key], before[key] if before else None) for key, label in COMPONENTS]
    people = _people(run.id)
    if previous is not None:
        earlier = _people(previous.id)
        out.joiners = sorted((wid, name) for wid, name in people.items() if wid not in earlier)
        out.leavers = sorted((wid, name) for wid, name in earlier.items() if wid not in people)
    for s in db.session.execute(
        select(Payslip.id, Payslip.name, Payslip.adjustment_lines).where(
            Payslip.run_id == run.id, Payslip.adjustments != 0).order_by(Payslip.name)
    ):
        for line in s.adjustment_lines or []:
            out.lines.append({"slip_id": s.id, "name": s.name, **line})
    out.problems = len(run.problems or [])
    out.blocking = len(run.blocking)
    return out
