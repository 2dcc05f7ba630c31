"""The workforce statistics of a year for a user: the scope checked against the user's district
(another district, or a street outside it, is answered like a missing one), the figures
computed by `queries`, and the units named."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_login import current_user
from sqlalchemy import select

from hr.accounts.scope import district_filter, in_scope
from hr.core.db import db
from hr.core.errors import NotFound, ValidationError
from hr.core.timeutil import to_local, today, utcnow
from hr.org.models import District, Street
from stats import queries
from stats.figures import Figures, Report

FIRST_YEAR = 2000
OUT_OF_SCOPE = "记录不存在或不在您的管辖范围内。"


def reference_date(year: int, on: date | None = None) -> date:
    """31 December, or today for the current year."""
    now = on or today()
    if year == now.year:
        return now
    return date(year, 12, 31)


def check_year(year: int, now: date | None = None) -> int:
    current = (now or today()).year
    if not FIRST_YEAR <= year <= current:
        raise ValidationError(f"年度须在 {FIRST_YEAR}–{current} 之间。", "year")
    return year


def resolve_scope(user: Any, district_id: int | None = None, street_id: int | None = None
                  ) -> tuple[District | None, Street | None]:
    """The district and street asked for, limited to the user's district: an officer asking for
    nothing gets their district; anything outside it is NotFound (same message as missing)."""
    u = current_user if user is None else user
    if district_id is None and getattr(u, "district_id", None) is not None:
        district_id = u.district_id
    district = None
    if district_id is not None:
        district = db.session.execute(
            select(District).where(District.id == district_id, district_filter(District.id, u))
        ).scalar_one_or_none()
        if district is None:
            raise NotFound(OUT_OF_SCOPE)
    street = None
    if street_id is not None:
        street = db.session.execute(
            select(Street).where(Street.id == street_id, district_filter(Street.district_id, u))
        ).unique().scalar_one_or_none()
        if street is None or (district is not None and street.district_id != district.id):
            raise NotFound(OUT_OF_SCOPE)
        if district is None:
            district = db.session.get(District, street.district_id)
    if district is None and not in_scope(None, u):
        raise NotFound(OUT_OF_SCOPE)
    return district, street


def workforce(year: int, user: Any = None, district_id: int | None = None, street_id: int | None = None,
              now: date | None = None) -> Report:
    """The statistics of `year` for the city, a district or a street, as the user may see them."""
    check_year(year, now)
    district, street = resolve_scope(user, district_id, street_id)
    on = reference_date(year, now)
    scope = queries.Scope(district.id if district else None, street.id if street else None,
                          by_street=district is not None)
    found, months, open_months = queries.compute(scope, year, on)
    total = Figures(name=_scope_name(district, street))
    for f in found.values():
        total.add(f)
    units = []
    for unit_id, code, name in _units(district, street):
        f = found.get(unit_id) or Figures()
        f.key, f.code, f.name = unit_id, code, name
        units.append(f)
    return Report(year=year, on=on, scope=total.name, district_id=district.id if district else None,
                  street_id=street.id if street else None, unit_label="街镇" if district else "区",
                  total=total, units=units, pay_months=months, open_months=open_months,
                  current=on.year == (now or today()).year,
                  generated_at=f"{to_local(utcnow()):%Y-%m-%d %H:%M}")


def _scope_name(district: District | None, street: Street | None) -> str:
    if street is not None and district is not None:
        return f"{district.name}{street.name}"
    return district.name if district is not None else "全市"


def _units(district: District | None, street: Street | None) -> list[tuple[int, str, str]]:
    if street is not None:
        return [(street.id, street.code, street.name)]
    if district is not None:
        rows = db.session.execute(select(Street.id, Street.code, Street.name)
                                  .where(Street.district_id == district.id).order_by(Street.code)).all()
    else:
        rows = db.session.execute(select(District.id, District.code, District.name).order_by(District.code)).all()
    return [(r[0], r[1], r[2]) for r in rows]


def district_by_code(code: str) -> District:
    district = db.session.execute(select(District).where(District.code == code)).scalar_one_or_none()
    if district is None:
        raise NotFound(f"没有代码为 {code} 的区。")
    return district


def choices(user: Any = None) -> tuple[list[District], int | None]:
    """The districts the user may pick (all for the city, their own for an officer)."""
    u = current_user if user is None else user
    rows = list(db.session.execute(
        select(District).where(district_filter(District.id, u)).order_by(District.code)).scalars())
    return rows, getattr(u, "district_id", None)
