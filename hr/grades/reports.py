"""Read-side queries of the grades pages, always through the scoping helper."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_login import current_user
from sqlalchemy import exists, func, or_, select

from hr.accounts.scope import district_filter, in_scope
from hr.core.db import db
from hr.core.errors import NotFound
from hr.grades import rules
from hr.grades.models import Assessment, Assignment
from hr.grades.services import QualificationDue, qualification_due
from hr.org.models import Committee, District, Street
from hr.workers.models import Worker


def chosen_district(code: str | None) -> District | None:
    """The district a page is about: the officer's own, or the one a city-wide user picked.
    Another district's code is answered as if it did not exist."""
    if current_user.district_id is not None:
        if code and code != current_user.district.code:
            raise NotFound("记录不存在或不在您的管辖范围内。")
        return current_user.district
    if not code:
        return None
    d = db.session.execute(select(District).where(District.code == code)).scalar_one_or_none()
    if d is None or not in_scope(d.id):
        raise NotFound("记录不存在或不在您的管辖范围内。")
    return d


def districts() -> list[District]:
    return list(db.session.execute(
        select(District).where(district_filter(District.id)).order_by(District.code)).scalars())


def _in_service(district: District | None) -> list[Any]:
    cond = [Worker.status == "在职", district_filter(Worker.district_id)]
    if district is not None:
        cond.append(Worker.district_id == district.id)
    return cond


def distribution(district: District | None, on: date) -> dict[tuple[str, int], int]:
    """(post, grade) → in-service headcount, by the assignment in force on `on`."""
    ranked = select(
        Assignment.worker_id, Assignment.post, Assignment.grade,
        func.row_number().over(partition_by=Assignment.worker_id,
                               order_by=(Assignment.effective.desc(), Assignment.id.desc())).label("rn"),
    ).where(Assignment.effective <= on).subquery()
    rows = db.session.execute(
        select(ranked.c.post, ranked.c.grade, func.count())
        .join(Worker, Worker.id == ranked.c.worker_id)
        .where(ranked.c.rn == 1, *_in_service(district))
        .group_by(ranked.c.post, ranked.c.grade)
    ).all()
    return {(post, grade): n for post, grade, n in rows}


def ungraded(district: District | None, limit: int = 100) -> tuple[int, list[Worker]]:
    """In-service workers without any assignment (未定级): how many, and the first `limit`."""
    cond = [*_in_service(district), ~exists().where(Assignment.worker_id == Worker.id)]
    total = db.session.execute(select(func.count(Worker.id)).where(*cond)).scalar_one()
    workers = db.session.execute(
        select(Worker).where(*cond).order_by(Worker.street_id, Worker.committee_id, Worker.name).limit(limit)
    ).unique().scalars().all()
    return total, list(workers)


def qualifications_due(district: District, limit: int = 100) -> list[tuple[Worker, QualificationDue]]:
    """In mode 'grade': in-service workers whose recorded qualification grants grades not yet
    on their timeline (two queries for the district)."""
    workers = db.session.execute(
        select(Worker).where(*_in_service(district), Worker.qualification != "无",
                             Worker.qualification_date.is_not(None))
        .order_by(Worker.street_id, Worker.committee_id, Worker.name)
    ).unique().scalars().all()
    if not workers:
        return []
    from hr.grades.services import to_entry

    entries: dict[int, list[rules.Entry]] = {}
    for a in db.session.execute(select(Assignment).where(Assignment.worker_id.in_(
            select(Worker.id).where(*_in_service(district), Worker.qualification != "无")))).scalars():
        entries.setdefault(a.worker_id, []).append(to_entry(a))
    out = []
    for w in workers:
        due = qualification_due(w, entries.get(w.id, []), "grade")
        if due is not None:
            out.append((w, due))
            if len(out) >= limit:
                break
    return out


def committees(district: District | None, year: int) -> list[dict[str, Any]]:
    """Committees in scope with the workers to assess in `year` and how many are rated."""
    start, cutoff = date(year, 1, 1), date(year, 9, 30)
    eligible = [Worker.hire_date <= cutoff, or_(Worker.leave_date.is_(None), Worker.leave_date >= start),
                district_filter(Worker.district_id)]
    if district is not None:
        eligible.append(Worker.district_id == district.id)
    counts = dict(db.session.execute(
        select(Worker.committee_id, func.count(Worker.id)).where(*eligible).group_by(Worker.committee_id)).all())
    rated = dict(db.session.execute(
        select(Worker.committee_id, func.count(Assessment.id)).join(Assessment, Assessment.worker_id == Worker.id)
        .where(*eligible, Assessment.year == year).group_by(Worker.committee_id)).all())
    stmt = (select(Committee.id, Committee.name, Street.id, Street.name)
            .join(Street, Committee.street_id == Street.id).where(district_filter(Street.district_id)))
    if district is not None:
        stmt = stmt.where(Street.district_id == district.id)
    return [{"id": cid, "name": cname, "street_id": sid, "street": sname,
             "workers": counts.get(cid, 0), "rated": rated.get(cid, 0)}
            for cid, cname, sid, sname in db.session.execute(stmt.order_by(Street.code, Committee.code))]


def committee_in_scope(committee_id: int) -> Committee:
    c = db.session.execute(
        select(Committee).join(Committee.street)
        .where(Committee.id == committee_id, district_filter(Street.district_id))
    ).unique().scalar_one_or_none()
    if c is None:
        raise NotFound("记录不存在或不在您的管辖范围内。")
    return c


def committee_workers(committee: Committee, year: int) -> list[Worker]:
    """The committee's workers who served some of `year` (the bulk rating page)."""
    return list(db.session.execute(
        select(Worker).where(
            Worker.committee_id == committee.id, district_filter(Worker.district_id),
            Worker.hire_date <= date(year, 12, 31),
            or_(Worker.leave_date.is_(None), Worker.leave_date >= date(year, 1, 1)),
        ).order_by(Worker.name, Worker.id)
    ).unique().scalars())


def ratings_of(worker_ids: list[int], year: int | None = None) -> dict[tuple[int, int], Assessment]:
    out: dict[tuple[int, int], Assessment] = {}
    for i in range(0, len(worker_ids), 900):
        stmt = select(Assessment).where(Assessment.worker_id.in_(worker_ids[i:i + 900]))
        if year is not None:
            stmt = stmt.where(Assessment.year == year)
        for a in db.session.execute(stmt).scalars():
            out[(a.worker_id, a.year)] = a
    return out


def sheet_rows(district: District | None, year: int) -> list[tuple[str, str, int, str | None]]:
    """(ID number, name, year, rating) of every worker to assess in `year`, for the pre-filled sheet."""
    cond = [Worker.hire_date <= date(year, 9, 30),
            or_(Worker.leave_date.is_(None), Worker.leave_date >= date(year, 1, 1)),
            district_filter(Worker.district_id)]
    if district is not None:
        cond.append(Worker.district_id == district.id)
    rows = db.session.execute(
        select(Worker.id_number, Worker.name, Assessment.rating)
        .outerjoin(Assessment, (Assessment.worker_id == Worker.id) & (Assessment.year == year))
        .where(*cond).order_by(Worker.street_id, Worker.committee_id, Worker.name)
    ).all()
    return [(number, name, year, rating) for number, name, rating in rows]
