"""Approved promotions whose grounds changed: a rating of the years a rise rests on, entered or
changed after the rise was approved. The officer undoes the rise before its effective date (a
纠错 entry), or corrects it after; pay differences of locked months then follow as 补发/补扣."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from hr.core.db import db
from hr.core.timeutil import today
from hr.grades.models import Assessment, Assignment
from hr.workers.models import Worker

GROUND_YEARS = 3  # the ratings a rise can rest on: the three years before it


@dataclass
class ChangedGround:
    worker_id: int
    name: str
    assignment_id: int
    effective: date
    reason: str
    grade: int
    year: int
    rating: str
    rated_at: datetime

    @property
    def before_effective(self) -> bool:
        return today() < self.effective

    @property
    def advice(self) -> str:
        if self.before_effective:
            return "尚未生效：请核实后撤销或改正（纠错）"
        return "已生效：请以纠错记录更正，已锁定月份的差额在下一个未锁定月份补发/补扣"


def changed_grounds(district_id: int, year: int) -> list[ChangedGround]:
    """Promotions effective 1 January of `year` (or the year before) with a rating of their
    ground years changed after approval."""
    out = []
    rows = db.session.execute(
        select(Assignment, Worker.name, Assessment)
        .join(Worker, Worker.id == Assignment.worker_id)
        .join(Assessment, Assessment.worker_id == Assignment.worker_id)
        .where(Assignment.district_id == district_id, Assignment.reason.in_(("年度晋级", "提前晋级")),
               Assignment.effective >= date(year - 1, 1, 1), Assignment.effective <= date(year, 1, 1),
               Assessment.entered_at > Assignment.created_at)
        .order_by(Worker.name)
    ).all()
    for a, name, rating in rows:
        if not a.effective.year - GROUND_YEARS <= rating.year < a.effective.year:
            continue
        out.append(ChangedGround(a.worker_id, name, a.id, a.effective, a.reason, a.grade, rating.year,
                                 rating.rating, rating.entered_at))
    return out
