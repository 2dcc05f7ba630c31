"""Corrections of a locked December's annual bonus (§6b): a rating changed after December was
locked, or a grade change reaching back into December, pays the difference of 年度考核奖 in
the next open month, naming the year. The triggers come from the pay change log; the amount is
the bonus priced again with today's rating and timeline, less what December paid and what
later months already corrected."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hr.core.db import db
from hr.grades.models import Assessment
from payroll.calc.earnings import annual_bonus, months_in_service
from payroll.calc.money import ZERO, D
from payroll.calc.reference import scale_in_force
from payroll.runs.changes import PayChange
from payroll.runs.models import PayrollRun

BONUS = "年度考核奖"


def rating_candidates(district_id: int, month: date) -> dict[int, date]:
    """worker_id → a locked December (before `month`, within a year) whose rating changed after
    the lock."""
    out: dict[int, date] = {}
    for dec, locked_at in db.session.execute(
        select(PayrollRun.month, PayrollRun.locked_at).where(
            PayrollRun.district_id == district_id, PayrollRun.status == "locked", PayrollRun.month < month,
            PayrollRun.month >= date(month.year - 1, 12, 1))
    ):
        if dec.month != 12 or locked_at is None:
            continue
        for (wid,) in db.session.execute(
            select(PayChange.worker_id).where(
                PayChange.district_id == district_id, PayChange.kind == "assessment",
                PayChange.from_month == dec, PayChange.at > locked_at, PayChange.worker_id.is_not(None))
        ):
            if wid is not None:
                out[wid] = dec
    return out


def bonus_lines(ctx: Any, worker: Any, history: list[Any], timeline: list[Any]) -> list[dict[str, Any]]:
    """The 补发/补扣 年度考核奖 lines of one worker for the locked Decembers in `history` (their
    locked slips since the earliest month a change reaches, in month order)."""
    lines = []
    for s in history:
        if s.month.month != 12:
            continue
        year = s.month.year
        rating = db.session.execute(
            select(Assessment.rating).where(Assessment.worker_id == worker.id, Assessment.year == year)
        ).scalar()
        current = [a for a in timeline if a.effective <= s.month]
        due = ZERO
        if rating is not None and current and worker.hire_date <= date(year, 9, 30):
            scale = scale_in_force(ctx.ref.scales, s.month)
            due = annual_bonus(scale.grade_pay[current[-1].grade], scale.bonus_multiplier[rating],
                               months_in_service(year, worker.hire_date, worker.leave_date))
        corrected = sum(
            (D(line["amount"]) for later in history if later.month > s.month
             for line in (later.adjustment_lines or [])
             if line.get("auto") and line.get("corrects_month") == s.month.isoformat()
             and BONUS in line.get("reason", "")),
            ZERO,
        )
        diff: Decimal = due - s.annual_bonus - corrected
        if diff != 0:
            kind = "补发" if diff > 0 else "补扣"
            lines.append({
                "kind": kind, "amount": str(diff),
                "reason": f"{year}年度{BONUS}{kind}差额（考核结果或岗位等级调整）",
                "corrects_month": s.month.isoformat(), "auto": True,
            })
    return lines
