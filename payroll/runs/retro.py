"""Retroactive changes: a grade, post or qualification change that reaches back into a locked
month is never an edit of that month. The next open month pays the difference as 补发/补扣
lines naming the month they correct. (A late special-deduction declaration needs no line:
cumulative withholding counts it back to its start month by itself.)"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hr.audit.models import AuditEntry
from hr.core.db import db
from hr.grades.models import Assignment
from hr.workers.models import Worker
from payroll.calc.earnings import month_earnings, qualification_allowance
from payroll.calc.money import ZERO, D
from payroll.calc.reference import scale_in_force
from payroll.runs import corrections
from payroll.runs.models import PayrollRun, Payslip

QUALIFICATION_FIELDS = ("qualification", "qualification_date")


def _add_months(month: date, n: int) -> date:
    idx = month.year * 12 + month.month - 1 + n
    return date(idx // 12, idx % 12 + 1, 1)


def candidates(district_id: int, month: date) -> dict[int, date]:
    """worker_id → the earliest locked month a later change reaches back into."""
    locked = [
        (m, at) for m, at in db.session.execute(
            select(PayrollRun.month, PayrollRun.locked_at).where(
                PayrollRun.district_id == district_id, PayrollRun.status == "locked",
                PayrollRun.month < month, PayrollRun.month >= _add_months(month, -12),
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
    for wid, at, changes in db.session.execute(
        select(AuditEntry.object_id, AuditEntry.at, AuditEntry.changes).where(
            AuditEntry.district_id == district_id, AuditEntry.object_type == "worker",
            AuditEntry.action.in_(("update", "import")), AuditEntry.at > since)
    ):
        if wid and changes and any(f in changes for f in QUALIFICATION_FIELDS):
            touch(wid, at, date(1900, 1, 1))
    # A rating changed after December's lock (the bonus correction, payroll/runs/corrections.py).
    for wid, dec in corrections.rating_candidates(district_id, month).items():
        if wid not in found or dec < found[wid]:
            found[wid] = dec
    return found


def retro_lines(ctx: Any) -> dict[int, list[dict[str, Any]]]:
    in_run = {w.id: w for w in ctx.workers}
    found = {wid: m for wid, m in candidates(ctx.run.district_id, ctx.month).items() if wid in in_run}
    if not found:
        return {}
    ids = list(found)
    slips: dict[int, list[Any]] = defaultdict(list)
    timelines: dict[int, list[Any]] = defaultdict(list)
    workers: dict[int, Any] = {}
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
    scales = {s.name: s for s in ctx.ref.scales}
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
            scale = scales.get(s.scale_version) or scale_in_force(ctx.ref.scales, s.month)
            qa = ZERO if ctx.settings.qualification_mode == "grade" else qualification_allowance(
                scale, worker.qualification, worker.qualification_date, s.month.year, s.month.month)
            earn = month_earnings(scale, a.post, a.grade, qa, s.days_served, s.days_in_month)
            paid = s.grade_pay + s.post_allowance + s.performance + s.qualification_allowance
            corrected = sum(
                (D(line["amount"]) for later in history if later.month > s.month
                 for line in (later.adjustment_lines or [])
                 if line.get("auto") and line.get("corrects_month") == s.month.isoformat()
                 and corrections.BONUS not in line.get("reason", "")),
                ZERO,
            )
            diff: Decimal = earn.gross - paid - corrected
            if diff != 0:
                lines.append({
                    "kind": "补发" if diff > 0 else "补扣",
                    "amount": str(diff),
                    "reason": f"{s.month:%Y-%m} 岗位等级/职业资格调整{'补发' if diff > 0 else '补扣'}差额",
                    "corrects_month": s.month.isoformat(),
                    "auto": True,
                })
        # The annual bonus of a locked December (payroll/runs/corrections.py).
        lines += corrections.bonus_lines(ctx, worker, history, timelines.get(wid, []))
        if lines:
            out[wid] = lines
    return out
