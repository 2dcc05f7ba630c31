"""Payroll runs: creation (one per district and month, guaranteed by the database),
calculation, approval and locking through the transition table."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hr.accounts.scope import require_write
from hr.audit.services import record
from hr.core.db import db
from hr.core.errors import Conflict, DomainError
from hr.core.timeutil import utcnow
from hr.org.models import District
from payroll.runs import calculate as calc
from payroll.runs.models import PayrollRun
from payroll.runs.transitions import next_status


def parse_month(text: str) -> date:
    try:
        year, month = text.strip().split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise DomainError("月份格式应为 YYYY-MM，如 2026-11", "month") from None


def _username(user: Any) -> str:
    return getattr(user, "username", "") or "system"


def get_or_create_run(district: District, month: date, user: Any = None) -> PayrollRun:
    """The run of a district and month. Two officers creating it at once get the same row:
    the unique constraint decides and the loser reads the winner's."""
    require_write(district.id, user)
    month = month.replace(day=1)
    if month.year < 2017 or month.year > date.today().year + 1:
        raise DomainError("月份超出可计算范围（2017 年起）", "month")
    stmt = select(PayrollRun).where(PayrollRun.district_id == district.id, PayrollRun.month == month)
    run = db.session.execute(stmt).scalar_one_or_none()
    if run is not None:
        return run
    try:
        with db.session.begin_nested():
            run = PayrollRun(district_id=district.id, month=month, status="draft", created_by=_username(user))
            db.session.add(run)
    except IntegrityError:
        run = db.session.execute(stmt).scalar_one()
    return run


def _lock_row(run: PayrollRun) -> PayrollRun:
    """Serialise work on one run: PostgreSQL row lock; SQLite's single writer does the same.
    FOR UPDATE OF the run only: PostgreSQL refuses to lock the outer-joined district."""
    locked = db.session.execute(
        select(PayrollRun).where(PayrollRun.id == run.id).with_for_update(of=PayrollRun)
        .execution_options(populate_existing=True)
    ).scalar_one()
    return locked


def _check_earlier_locked(run: PayrollRun) -> None:
    earlier = db.session.execute(
        select(PayrollRun.month).where(
            PayrollRun.district_id == run.district_id, PayrollRun.month < run.month,
            PayrollRun.month >= date(run.month.year, 1, 1), PayrollRun.status != "locked",
        ).order_by(PayrollRun.month)
    ).scalars().first()
    if earlier is not None:
        raise Conflict(f"请先审批并锁定 {earlier:%Y-%m} 的工资，再计算 {run.month:%Y-%m}。")


def calculate_run(run: PayrollRun, user: Any = None, progress: calc.Progress | None = None) -> dict[str, Any]:
    require_write(run.district_id, user)
    run = _lock_row(run)
    status = next_status(run.status, "calculate")
    _check_earlier_locked(run)
    _ctx, out = calc.run_calculation(run, progress)
    run.status = status
    run.calculated_at = utcnow()
    run.calculated_by = _username(user)
    run.approved_at, run.approved_by = None, ""
    db.session.flush()
    record("calculate", "payroll_run", run.id, district_id=run.district_id, user=user,
           summary=f"计算 {run.district.name} {run.label} 工资：{run.headcount} 人，实发 {run.net:,.2f} 元",
           changes={"headcount": run.headcount, "net": str(run.net), "problems": len(out.problems)})
    return {"headcount": run.headcount, "problems": out.problems}


def approve_run(run: PayrollRun, user: Any = None) -> None:
    require_write(run.district_id, user)
    run = _lock_row(run)
    status = next_status(run.status, "approve")
    if run.blocking:
        raise DomainError(f"还有 {len(run.blocking)} 个问题需要处理后才能审批（见“待处理问题”）。")
    run.status = status
    run.approved_at = utcnow()
    run.approved_by = _username(user)
    db.session.flush()
    record("approve", "payroll_run", run.id, district_id=run.district_id, user=user,
           summary=f"审批 {run.district.name} {run.label} 工资")


def reopen_run(run: PayrollRun, user: Any = None) -> None:
    require_write(run.district_id, user)
    run = _lock_row(run)
    run.status = next_status(run.status, "reopen")
    run.approved_at, run.approved_by = None, ""
    db.session.flush()
    record("update", "payroll_run", run.id, district_id=run.district_id, user=user,
           summary=f"退回 {run.district.name} {run.label} 工资重新计算")


def lock_run(run: PayrollRun, user: Any = None) -> None:
    require_write(run.district_id, user)
    run = _lock_row(run)
    run.status = next_status(run.status, "lock")
    run.locked_at = utcnow()
    run.locked_by = _username(user)
    db.session.flush()
    record("lock", "payroll_run", run.id, district_id=run.district_id, user=user,
           summary=f"锁定 {run.district.name} {run.label} 工资")
