"""Read-side queries of the register, always through the scoping helper."""
from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import Select, func, or_, select
from wtforms.fields.choices import SelectChoice

from hr.accounts.scope import district_filter, scoped_workers
from hr.core.db import db
from hr.core.vocabulary import WORKER_STATUSES
from hr.org.models import Committee, District, Street
from hr.workers.models import Worker

SORTS = {
    "name": Worker.name,
    "hire_date": Worker.hire_date,
    "id_number": Worker.id_number,
    "committee": Worker.committee_id,
    "street": Worker.street_id,
}


def filtered(args: dict[str, str]) -> Select[Any]:
    stmt = scoped_workers()
    q = (args.get("q") or "").strip()
    if q:
        # autoescape: a typed % or _ is searched for, not a wildcard
        if q[:1].isdigit():
            stmt = stmt.where(Worker.id_number.startswith(q.upper(), autoescape=True))
        else:
            committee_ids = select(Committee.id).where(Committee.name.contains(q, autoescape=True))
            stmt = stmt.where(or_(Worker.name.contains(q, autoescape=True), Worker.committee_id.in_(committee_ids)))
    for key, col in (("street", Worker.street_id), ("committee", Worker.committee_id), ("district", Worker.district_id)):
        value = args.get(key, "")
        if value.isdigit():
            stmt = stmt.where(col == int(value))
    status = args.get("status", "在职")
    if status in WORKER_STATUSES:
        stmt = stmt.where(Worker.status == status)
    return stmt


def ordered(stmt: Select[Any], args: dict[str, str]) -> Select[Any]:
    col = SORTS.get(args.get("sort", ""), Worker.name)
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
