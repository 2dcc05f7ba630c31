"""Payroll runs: creation (one per district and month, guaranteed by the database),
calculation, approval and locking through the transition table."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hr.accounts.scope import require_approve, require_write
from hr.audit.services import record
from hr.core.db import db
from hr.core.errors import Conflict, DomainError
from hr.core.timeutil import utcnow
from hr.org.models import District
from payroll.runs import calculate as calc
from payroll.runs import changes
from payroll.runs.actor import acting
from payroll.runs.models import PayrollRun
from payroll.runs.transitions import next_status


def parse_month(text: str) -> date:
    try:
        year, month = text.strip().split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise DomainError("月份格式应为 YYYY-MM，如 2026-11", "month") from None


def _username(user: Any) -> str:
    return acting(user)[1]


def month_name(month: date) -> str:
    return f"{month.year}年{month.month}月"


def _add_months(month: date, n: int) -> date:
    idx = month.year * 12 + month.month - 1 + n
    return date(idx // 12, idx % 12 + 1, 1)


def next_month(district_id: int) -> date | None:
    """The month the district calculates next: the one after its latest locked month, or, before
    any lock, its first calculated month; none for a district not yet in the system (its first
    month is free)."""
    last_locked = db.session.execute(
        select(db.func.max(PayrollRun.month)).where(PayrollRun.district_id == district_id,
                                                    PayrollRun.status == "locked")).scalar()
    if last_locked is not None:
        return _add_months(last_locked, 1)
    first = db.session.execute(
        select(db.func.min(PayrollRun.month)).where(PayrollRun.district_id == district_id,
                                                    PayrollRun.status != "draft")).scalar()
    return first


def _check_order(run: PayrollRun) -> None:
    """Months run in order (§6b): the month before must be locked, across the new year too,
    except for the district's first month in the system (no earlier month calculated, none
    later locked)."""
    before = _add_months(run.month, -1)
    prev_status = db.session.execute(
        select(PayrollRun.status).where(PayrollRun.district_id == run.district_id, PayrollRun.month == before)
    ).scalar()
    if prev_status == "locked":
        return
    others = db.session.execute(
        select(PayrollRun.month, PayrollRun.status).where(
            PayrollRun.district_id == run.district_id, PayrollRun.id != run.id, PayrollRun.status != "draft")
    ).all()
    if not any(m < run.month for m, _ in others) and not any(st == "locked" for _, st in others):
        return
    raise Conflict(f"须先锁定{month_name(before)}的工资，才能处理{month_name(run.month)}（工资须按月份顺序计算）。")


def _check_fresh(run: PayrollRun, verb: str) -> None:
    found = changes.changes_since(run)
    if found:
        raise Conflict(f"自上次计算以来有 {len(found)} 处变更，须重新计算后才能{verb}。")


def _check_other(run: PayrollRun, user: Any) -> None:
    """审批须由他人: the person who calculated cannot approve (when the district wants it)."""
    from hr.grades.queries import settings_for

    if not settings_for(run.district_id).approval_by_other:
        return
    uid, name = acting(user)
    same = (uid is not None and uid == run.calculated_by_id) or (
        uid is None and run.calculated_by_id is None and name == run.calculated_by)
    if same:
        raise Conflict("本区设定审批须由他人：计算该月工资的人不能审批，请由区审核或其他专员审批。")


def get_or_create_run(district: District, month: date, user: Any = None) -> PayrollRun:
    """The run of a district and month. Two officers creating it at once get the same row:
    the unique constraint decides and the loser reads the winner's."""
    return ensure_run(district, month, user)[0]


def ensure_run(district: District, month: date, user: Any = None) -> tuple[PayrollRun, bool]:
    """The run of a district and month and whether this call created it (exactly one of several
    simultaneous callers gets True: the unique constraint decides)."""
    require_write(district.id, user)
    month = month.replace(day=1)
    if month.year < 2017 or month.year > date.today().year + 1:
        raise DomainError("月份超出可计算范围（2017 年起）", "month")
    stmt = select(PayrollRun).where(PayrollRun.district_id == district.id, PayrollRun.month == month)
    run = db.session.execute(stmt).scalar_one_or_none()
    if run is not None:
        return run, False
    try:
        with db.session.begin_nested():
            run = PayrollRun(district_id=district.id, month=month, status="draft", created_by=_username(user))
            db.session.add(run)
    except IntegrityError:
        return db.session.execute(stmt).scalar_one(), False
    return run, True


def _lock_row(run: PayrollRun) -> PayrollRun:
    """Serialise work on one run: PostgreSQL row lock; SQLite's single writer does the same.
    FOR UPDATE OF the run only: PostgreSQL refuses to lock the outer-joined district."""
    locked = db.session.execute(
        select(PayrollRun).where(PayrollRun.id == run.id).with_for_update(of=PayrollRun)
        .execution_options(populate_existing=True)
    ).scalar_one()
    return locked


def calculate_run(run: PayrollRun, user: Any = None, progress: calc.Progress | None = None) -> dict[str, Any]:
    require_write(run.district_id, user)
    run = _lock_row(run)
    status = next_status(run.status, "calculate")
    _check_order(run)
    mark = changes.last_mark()
    _ctx, out = calc.run_calculation(run, progress)
    run.status = status
    run.calculated_at = utcnow()
    run.calculated_by_id, run.calculated_by = acting(user)
    run.approved_at, run.approved_by, run.approved_by_id = None, "", None
    run.change_mark = mark
    db.session.flush()
    record("calculate", "payroll_run", run.id, district_id=run.district_id, user=user,
           summary=f"计算 {run.district.name} {run.label} 工资：{run.headcount} 人，实发 {run.net:,.2f} 元",
           changes={"headcount": run.headcount, "net": str(run.net), "problems": len(out.problems)})
    return {"headcount": run.headcount, "problems": out.problems}


def approve_run(run: PayrollRun, user: Any = None) -> None:
    require_approve(run.district_id, user)
    run = _lock_row(run)
    status = next_status(run.status, "approve")
    _check_other(run, user)
    _check_order(run)
    if run.blocking:
        raise DomainError(f"还有 {len(run.blocking)} 个问题需要处理后才能审批（见“待处理问题”）。")
    _check_fresh(run, "审批")
    run.status = status
    run.approved_at = utcnow()
    run.approved_by_id, run.approved_by = acting(user)
    db.session.flush()
    record("approve", "payroll_run", run.id, district_id=run.district_id, user=user,
           summary=f"审批 {run.district.name} {run.label} 工资")


def reopen_run(run: PayrollRun, user: Any = None) -> None:
    require_approve(run.district_id, user)
    run = _lock_row(run)
    run.status = next_status(run.status, "reopen")
    run.approved_at, run.approved_by, run.approved_by_id = None, "", None
    db.session.flush()
    record("update", "payroll_run", run.id, district_id=run.district_id, user=user,
           summary=f"退回 {run.district.name} {run.label} 工资重新计算")


def lock_run(run: PayrollRun, user: Any = None) -> None:
    require_write(run.district_id, user)
    run = _lock_row(run)
    status = next_status(run.status, "lock")
    _check_order(run)
    _check_fresh(run, "锁定")
    run.status = status
    run.locked_at = utcnow()
    run.locked_by_id, run.locked_by = acting(user)
    db.session.flush()
    record("lock", "payroll_run", run.id, district_id=run.district_id, user=user,
           summary=f"锁定 {run.district.name} {run.label} 工资")
