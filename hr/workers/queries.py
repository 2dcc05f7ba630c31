"""Read-side queries of the register, always through the scoping helper."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_login import current_user
from sqlalchemy import Select, false, func, or_, select
from wtforms.fields.choices import SelectChoice

from hr.accounts.scope import district_filter, scoped_workers
from hr.core.db import db
from hr.core.schema import MAX_ID
from hr.core.timeutil import today
from hr.core.vocabulary import POSTS, WORKER_STATUSES
from hr.org.models import Committee, District, Street
from hr.workers.models import Worker

SORTS = {
    "name": Worker.name_key,
    "hire_date": Worker.hire_date,
    "id_number": Worker.id_number,
    "committee": Worker.committee_id,
    "street": Worker.street_id,
}


# Columns of the register page an officer may show or hide (key, heading), and the default set.
COLUMNS = (
    ("gender", "性别"), ("id_number", "身份证号"), ("phone", "手机号"), ("street", "街镇"),
    ("committee", "居委会"), ("post", "岗位"), ("grade", "等级"), ("education", "学历"),
    ("political_status", "政治面貌"), ("hire_date", "入职日期"), ("status", "状态"), ("flags", "标记"),
)
DEFAULT_COLUMNS = ("id_number", "street", "committee", "post", "grade", "education", "hire_date", "flags")
# Filters on the worker's own fields: query argument → column.
FIELD_FILTERS = (("education", Worker.education), ("political_status", Worker.political_status))


def chosen_columns(args: dict[str, Any], requested: list[str]) -> list[str]:
    known = [k for k, _ in COLUMNS]
    picked = [c for c in requested if c in known]
    return [k for k in known if k in picked] if picked else list(DEFAULT_COLUMNS)


def _search(stmt: Select[Any], q: str) -> Select[Any]:
    """Digits search the ID number (its start, or the last four characters a masked ID shows)
    and the phone number; anything else searches names and committees."""
    # autoescape: a typed % or _ is searched for, not a wildcard
    q = q.replace(" ", "")
    if q[:1].isdigit():
        q = q.upper()
        conditions = [Worker.id_number.startswith(q, autoescape=True), Worker.phone.contains(q, autoescape=True)]
        if len(q) == 4:
            conditions.append(Worker.id_tail == q)
        return stmt.where(or_(*conditions))
    committee_ids = select(Committee.id).where(Committee.name.contains(q, autoescape=True))
    return stmt.where(or_(Worker.name.contains(q, autoescape=True), Worker.committee_id.in_(committee_ids)))


def current_assignment_id() -> Any:
    """The id of each worker's assignment in force today (an index seek per worker)."""
    from hr.grades.models import Assignment

    return (
        select(Assignment.id).where(Assignment.worker_id == Worker.id, Assignment.effective <= today())
        .order_by(Assignment.effective.desc(), Assignment.id.desc()).limit(1)
        .correlate(Worker).scalar_subquery()
    )


def _post_grade(stmt: Select[Any], post: str, grade: str) -> Select[Any]:
    from hr.grades.models import Assignment

    grade = grade if grade.isascii() and grade.isdigit() and len(grade) <= 2 else ""
    if post not in POSTS and not grade and post != "none":
        return stmt
    current = current_assignment_id()
    if post == "none":  # 未定级: no assignment in force today
        return stmt.where(current.is_(None))
    stmt = stmt.join(Assignment, Assignment.id == current)
    if post in POSTS:
        stmt = stmt.where(Assignment.post == post)
    if grade:
        stmt = stmt.where(Assignment.grade == int(grade))
    return stmt


def filtered(args: dict[str, str]) -> Select[Any]:
    stmt = scoped_workers()
    q = (args.get("q") or "").strip()
    if q:
        stmt = _search(stmt, q)
    for key, fcol in FIELD_FILTERS:
        value = args.get(key, "")
        if value:
            stmt = stmt.where(fcol == value)
    if args.get("reserve_cadre") in ("1", "0"):
        stmt = stmt.where(Worker.reserve_cadre.is_(args["reserve_cadre"] == "1"))
    if args.get("first_job") in ("1", "0"):
        stmt = stmt.where(Worker.first_job.is_(args["first_job"] == "1"))
    year = args.get("hire_year", "")
    if year.isascii() and year.isdigit() and 1900 < int(year) < 2200:
        y = int(year)
        stmt = stmt.where(Worker.hire_date >= date(y, 1, 1), Worker.hire_date < date(y + 1, 1, 1))
    stmt = _post_grade(stmt, args.get("post", ""), args.get("grade", ""))
    for key, col in (("street", Worker.street_id), ("committee", Worker.committee_id), ("district", Worker.district_id)):
        value = args.get(key, "")
        if value.isascii() and value.isdigit():
            # A number past an INTEGER column names no row (PostgreSQL would refuse the comparison).
            stmt = stmt.where(col == int(value)) if int(value) <= MAX_ID else stmt.where(false())
    status = args.get("status", "在职")
    if status in WORKER_STATUSES:
        stmt = stmt.where(Worker.status == status)
    return stmt


def ordered(stmt: Select[Any], args: dict[str, str]) -> Select[Any]:
    col = SORTS.get(args.get("sort", ""), Worker.name_key)
    desc = args.get("dir") == "desc"
    return stmt.order_by(col.desc() if desc else col.asc(), Worker.id)


def count(stmt: Select[Any]) -> int:
    return db.session.execute(
        select(func.count()).select_from(stmt.with_only_columns(Worker.id).order_by(None).subquery())
    ).scalar_one()


def streets_in_scope() -> list[Street]:
    return list(db.session.execute(
        select(Street).where(district_filter(Street.district_id)).order_by(Street.code)
    ).scalars())


def committees_of(street_id: int) -> list[Committee]:
    return list(db.session.execute(
        select(Committee).join(Committee.street)
        .where(Committee.street_id == street_id, district_filter(Street.district_id))
        .order_by(Committee.code)
    ).unique().scalars())


def committee_choices() -> list[SelectChoice]:
    """Committees the user may assign, grouped by street (and district for the city), after
    an empty "请选择" so that a new worker is never filed under the first committee by default."""
    rows = db.session.execute(
        select(Committee.id, Committee.name, Street.name, District.name)
        .join(Street, Committee.street_id == Street.id)
        .join(District, Street.district_id == District.id)
        .where(district_filter(Street.district_id))
        .order_by(Street.code, Committee.code)
    ).all()
    city = current_user.district_id is None
    return [SelectChoice("", "请选择居委会")] + [
        SelectChoice(str(cid), cname, optgroup=f"{dname} {sname}" if city else sname)
        for cid, cname, sname, dname in rows
    ]
