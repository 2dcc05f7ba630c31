"""The timeline read in bulk: what was in force on a date, for one worker or many."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import and_, func, select

from hr.core.db import db
from hr.grades.models import Assessment, Assignment, DistrictSetting


def in_force(worker_id: int, on: date) -> Assignment | None:
    """The post and grade of one worker on a date."""
    return db.session.execute(
        select(Assignment).where(Assignment.worker_id == worker_id, Assignment.effective <= on)
        .order_by(Assignment.effective.desc(), Assignment.id.desc()).limit(1)
    ).scalar_one_or_none()


def in_force_many(on: date, district_id: int | None = None, worker_ids: Sequence[int] | None = None) -> dict[int, Assignment]:
    """worker_id → the assignment in force on `on`, in one query (for a district or a list)."""
    ranked = select(
        Assignment.id,
        func.row_number().over(
            partition_by=Assignment.worker_id,
            order_by=(Assignment.effective.desc(), Assignment.id.desc()),
        ).label("rn"),
    ).where(Assignment.effective <= on)
    if district_id is not None:
        ranked = ranked.where(Assignment.district_id == district_id)
    if worker_ids is not None:
        ranked = ranked.where(Assignment.worker_id.in_(list(worker_ids)))
    sub = ranked.subquery()
    rows = db.session.execute(
        select(Assignment).join(sub, and_(sub.c.id == Assignment.id, sub.c.rn == 1))
    ).scalars()
    return {a.worker_id: a for a in rows}


def timeline(worker_id: int) -> list[Assignment]:
    return list(db.session.execute(
        select(Assignment).where(Assignment.worker_id == worker_id)
        .order_by(Assignment.effective, Assignment.id)
    ).scalars())


def ratings(worker_ids: Iterable[int], year: int) -> dict[int, str]:
    ids = list(worker_ids)
    out: dict[int, str] = {}
    for i in range(0, len(ids), 900):
        out.update({wid: r for wid, r in db.session.execute(
            select(Assessment.worker_id, Assessment.rating)
            .where(Assessment.year == year, Assessment.worker_id.in_(ids[i:i + 900]))
        )})
    return out


def settings_for(district_id: int) -> DistrictSetting:
    """The district's settings, with the defaults when none were saved."""
    s = db.session.get(DistrictSetting, district_id)
    if s is None:
        s = DistrictSetting(district_id=district_id, qualification_mode="allowance", hf_rate_pct=7,
                            si_rounding="half_up", pay_day=15, approval_by_other=True)
    return s
