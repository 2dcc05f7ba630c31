"""Retroactive changes: a grade, post, qualification or rating change that reaches back into a
locked month is never an edit of that month. The month is re-priced with the corrected facts and
the next open month pays the difference as 补发/补扣 lines, one per pay component (the annual
bonus included), naming the month they correct. (A late special-deduction declaration needs no line:
cumulative withholding counts it back to its start month by itself.)"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hr.core.db import db
from hr.grades.models import Assessment, Assignment
from hr.workers.models import QualificationRecord, Worker
from payroll.calc.money import ZERO, D
from payroll.calc.months import add_months
from payroll.calc.payslip import (
    COMPONENTS,
    CarryOver,
    PricingError,
    WorkerMonth,
    price,
    reprice_lines,
)
from payroll.runs.models import PayrollRun, Payslip

COMPONENT_NAMES = {"grade_pay": "岗位等级工资", "post_allowance": "岗位津贴", "performance": "月度绩效",
                   "qualification_allowance": "职业资格津贴", "annual_bonus": "年度考核奖"}


def candidates(district_id: int, month: date) -> dict[int, date]:
    """worker_id → the earliest locked month a later change reaches back into."""
    locked = [
        (m, at) for m, at in db.session.execute(
            select(PayrollRun.month, PayrollRun.locked_at).where(
                PayrollRun.district_id == district_id, PayrollRun.status == "locked",
                PayrollRun.month < month, PayrollRun.month >= add_months(month, -12),
            )
        ) if at is not None
    ]
    if not locked:
        return {}
    since = min(at for _, at in locked)
    found: dict[int, date] = {}

    def touch(worker_id: int, changed_at: datetime, from_month: date) -> None:
        months = [m for m, at in locked if at < changed_at and m >= from_month]
        if months:
            earliest = min(months)
            if worker_id not in found or earliest < found[worker_id]:
                found[worker_id] = earliest

    for wid, effective, created in db.session.execute(
        select(Assignment.worker_id, Assignment.effective, Assignment.created_at).where(
            Assignment.district_id == district_id, Assignment.created_at > since, Assignment.effective < month)
    ):
        touch(wid, created, effective)
    # The qualification history is a dated record written whenever a qualification is set or changed.
    for wid, at in db.session.execute(
        select(QualificationRecord.worker_id, QualificationRecord.recorded_at).where(
            QualificationRecord.district_id == district_id, QualificationRecord.recorded_at > since)
    ):
        touch(wid, at, date(1900, 1, 1))
    # A rating entered or changed after its December was locked changes the annual bonus.
    for wid, year, at in db.session.execute(
        select(Assessment.worker_id, Assessment.year, Assessment.entered_at).where(
            Assessment.district_id == district_id, Assessment.entered_at > since)
    ):
        december = date(year, 12, 1)
        if any(m == december and locked_at < at for m, locked_at in locked):
            touch(wid, at, december)
    return found


def retro_lines(ctx: Any) -> dict[int, list[dict[str, Any]]]:
    """Re-price each locked month a change reaches back into with the corrected facts
    (``payroll.calc.payslip.price``) and return, per worker, one 补发/补扣 line per pay
    component that differs from what was paid (less what earlier lines already corrected)."""
    in_run = {w.id: w for w in ctx.workers}
    found = {wid: m for wid, m in candidates(ctx.run.district_id, ctx.month).items() if wid in in_run}
    if not found:
        return {}
    ids = list(found)
    slips: dict[int, list[Any]] = defaultdict(list)
    timelines: dict[int, list[Any]] = defaultdict(list)
    workers: dict[int, Any] = {}
    ratings: dict[tuple[int, int], str] = {}
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        for s in db.session.execute(
            select(Payslip).join(PayrollRun).where(
                Payslip.worker_id.in_(chunk), PayrollRun.status == "locked",
                Payslip.month < ctx.month, Payslip.month >= min(found.values()))
            .order_by(Payslip.month)
        ).scalars():
            slips[s.worker_id].append(s)
        for a in db.session.execute(
            select(Assignment).where(Assignment.worker_id.in_(chunk)).order_by(Assignment.effective, Assignment.id)
        ).scalars():
            timelines[a.worker_id].append(a)
        for w in db.session.execute(select(Worker).where(Worker.id.in_(chunk))).unique().scalars():
            workers[w.id] = w
        for wid, year, rating in db.session.execute(
            select(Assessment.worker_id, Assessment.year, Assessment.rating).where(Assessment.worker_id.in_(chunk))
        ):
            ratings[(wid, year)] = rating
    out: dict[int, list[dict[str, Any]]] = {}
    for wid, earliest in found.items():
        worker = workers[wid]
        history = slips.get(wid, [])
        lines = []
        for s in history:
            if s.month < earliest:
                continue
            current = [a for a in timelines.get(wid, []) if a.effective <= s.month]
            if not current:
                continue
            a = current[-1]
            inputs = s.inputs or {}
            facts = WorkerMonth(
                month=s.month, post=a.post, grade=a.grade, hire_date=worker.hire_date,
                leave_date=worker.leave_date, qualification=worker.qualification,
                qualification_date=worker.qualification_date,
                qualification_mode=inputs.get("qualification_mode") or ctx.settings.qualification_mode,
                rating=ratings.get((wid, s.month.year)) if s.month.month == 12 else None,
                base_override=D(inputs["base"]) if inputs.get("base") else None,
                scale_version=s.scale_version,
            )
            try:
                corrected = price(facts, CarryOver(), ctx.ref)
            except PricingError:
                continue
            if corrected is None:
                continue
            if s.month.month == 12 and facts.rating is None:
                # No rating known: the bonus paid stands.
                corrected = replace(corrected, annual_bonus=s.annual_bonus)
            already: dict[str, Decimal] = defaultdict(lambda: ZERO)
            for later in history:
                if later.month <= s.month:
                    continue
                for line in later.adjustment_lines or []:
                    if line.get("auto") and line.get("corrects_month") == s.month.isoformat():
                        already[line.get("component", "grade_pay")] += D(line["amount"])
            paid = {c: getattr(s, c) + already[c] for c in COMPONENTS}
            for component, diff in reprice_lines(paid, corrected).items():
                kind = "补发" if diff > 0 else "补扣"
                lines.append({
                    "kind": kind,
                    "amount": str(diff),
                    "reason": f"{s.month:%Y-%m} {COMPONENT_NAMES[component]}调整{kind}差额"
                    + (f"（{s.month.year}年度）" if component == "annual_bonus" else ""),
                    "corrects_month": s.month.isoformat(),
                    "component": component,
                    "auto": True,
                })
        if lines:
            out[wid] = lines
    return out
