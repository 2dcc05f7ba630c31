"""What a year's promotion run approved: the list (who rose, who approved, when), undoing a
rise before it takes effect, and the notices per committee."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select

from hr.accounts.scope import get_in_scope, require_write
from hr.audit.services import record
from hr.core.db import db
from hr.core.errors import Conflict
from hr.core.timeutil import today
from hr.core.vocabulary import POST_NAMES
from hr.grades.models import Assignment
from hr.grades.services import actor
from hr.org.models import Committee, Street
from hr.workers.models import Worker

PROMOTION_REASONS = ("年度晋级", "提前晋级")


@dataclass(frozen=True)
class Approved:
    assignment_id: int
    worker_id: int
    name: str
    street: str
    committee_id: int
    committee: str
    post: str
    grade_before: int | None
    grade: int
    reason: str
    approved_by: str
    approved_at: datetime
    effective: date

    @property
    def post_name(self) -> str:
        return POST_NAMES[self.post]

    @property
    def undoable(self) -> bool:
        return today() < self.effective


def approved(district_id: int, year: int, committee_id: int | None = None) -> list[Approved]:
    """The rises effective 1 January of `year` in the district, by street, committee and name."""
    effective = date(year, 1, 1)
    stmt = (
        select(Assignment, Worker.name, Street.name, Committee.id, Committee.name)
        .join(Worker, Worker.id == Assignment.worker_id)
        .join(Committee, Committee.id == Worker.committee_id).join(Street, Street.id == Worker.street_id)
        .where(Assignment.district_id == district_id, Assignment.effective == effective,
               Assignment.reason.in_(PROMOTION_REASONS))
        .order_by(Street.code, Committee.code, Worker.name_key, Worker.id)
    )
    if committee_id is not None:
        stmt = stmt.where(Worker.committee_id == committee_id)
    rows = db.session.execute(stmt).all()
    before = _grades_before([a.worker_id for a, *_ in rows], effective)
    return [
        Approved(a.id, a.worker_id, name, street, cid, cname, a.post, before.get(a.worker_id), a.grade,
                 a.reason, a.approved_by, a.created_at, a.effective)
        for a, name, street, cid, cname in rows
    ]


def _grades_before(worker_ids: list[int], effective: date) -> dict[int, int]:
    from hr.grades.queries import in_force_many

    if not worker_ids:
        return {}
    day_before = date.fromordinal(effective.toordinal() - 1)
    return {wid: a.grade for wid, a in in_force_many(day_before, worker_ids=worker_ids).items()}


def get_approved(assignment_id: int) -> Assignment:
    """An approved rise the user may withdraw: another district's entry is NotFound, a
    read-only account is refused, an entry that is not a rise is refused (it is corrected, never undone)."""
    a: Assignment = get_in_scope(Assignment, assignment_id)
    require_write(a.district_id)
    if a.reason not in PROMOTION_REASONS:
        raise Conflict("只能撤销年度晋级或提前晋级；其他岗位等级记录请用“纠错”。")
    return a


def undo(assignment: Assignment, user: Any = None) -> None:
    """Withdraw an approved rise that has not taken effect: the entry is removed (no payroll
    month has used it) and the audit log keeps what was withdrawn and by whom."""
    user = actor(user)
    require_write(assignment.district_id, user)
    if today() >= assignment.effective:
        raise Conflict(f"该晋级已于 {assignment.effective.isoformat()} 生效，不能撤销；如有错误请用“纠错”。")
    later = db.session.execute(
        select(Assignment.id).where(
            Assignment.worker_id == assignment.worker_id, Assignment.id != assignment.id,
            or_(Assignment.effective > assignment.effective, Assignment.corrects_id == assignment.id,
                (Assignment.effective == assignment.effective) & (Assignment.id > assignment.id)),
        ).limit(1)
    ).first()
    if later:
        raise Conflict("该职工在此次晋级之后已有新的岗位等级记录，不能撤销；请用“纠错”处理。")
    worker = db.session.get(Worker, assignment.worker_id)
    name = worker.name if worker else ""
    record("delete", "assignment", assignment.id, district_id=assignment.district_id, user=user,
           summary=f"撤销 {assignment.effective.year} 年{assignment.reason}：{name} {POST_NAMES[assignment.post]} {assignment.grade} 级",
           changes={"worker_id": assignment.worker_id, "post": assignment.post, "grade": assignment.grade,
                    "effective": assignment.effective.isoformat(), "approved_by": assignment.approved_by})
    db.session.delete(assignment)
    db.session.flush()
