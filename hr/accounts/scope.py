"""The one scoping helper. A request reaches a district's records (workers, slips, runs,
exports, PDFs) through these functions, filtered by the user's district, so that another
district's record is indistinguishable from a missing one. Services that receive a worker or
a run already loaded here, or ids from a scoped query, query further by those ids and trust
their caller; every page, export and API operation starts from one of these functions."""
from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import Select, select, true
from sqlalchemy.sql.elements import ColumnElement

from hr.core.db import db
from hr.core.errors import Forbidden, NotFound


def _user(user: Any) -> Any:
    return current_user if user is None else user


def district_filter(column: Any, user: Any = None) -> ColumnElement[bool]:
    """A SQL condition limiting `column` (a district id) to what the user may see."""
    u = _user(user)
    if not getattr(u, "is_authenticated", False):
        return column == -1  # nobody's district
    if u.district_id is None:
        return true()
    return column == u.district_id


def in_scope(district_id: int | None, user: Any = None) -> bool:
    u = _user(user)
    return bool(getattr(u, "is_authenticated", False)) and (
        u.district_id is None or u.district_id == district_id
    )


def scoped_workers(user: Any = None) -> Select[Any]:
    from hr.workers.models import Worker

    return select(Worker).where(district_filter(Worker.district_id, user))


def get_in_scope(model: Any, object_id: int, user: Any = None, district_attr: str = "district_id") -> Any:
    """Load one row by id, or raise NotFound when it does not exist *or* lies outside the
    user's district: another district's records are indistinguishable from missing ones."""
    stmt = select(model).where(
        model.id == object_id, district_filter(getattr(model, district_attr), user)
    )
    obj = db.session.execute(stmt).unique().scalar_one_or_none()
    if obj is None:
        raise NotFound("记录不存在或不在您的管辖范围内。")
    return obj


def get_worker(worker_id: int, user: Any = None) -> Any:
    from hr.workers.models import Worker

    return get_in_scope(Worker, worker_id, user)


def require_write(district_id: int | None, user: Any = None) -> None:
    """Raise unless the user may change data of this district."""
    u = _user(user)
    if not getattr(u, "can_write", False):
        raise Forbidden("只读账号不能修改数据。")
    if not in_scope(district_id, u):
        raise NotFound("记录不存在或不在您的管辖范围内。")


def require_approve(district_id: int | None, user: Any = None) -> None:
    """Raise unless the user may approve or send back this district's runs and promotion lists
    (officers, reviewers and the city administrator)."""
    u = _user(user)
    if not getattr(u, "can_approve", False):
        raise Forbidden("只读账号不能审批。")
    if not in_scope(district_id, u):
        raise NotFound("记录不存在或不在您的管辖范围内。")


def require_admin(user: Any = None) -> None:
    if not _user(user).is_admin:
        raise Forbidden("仅市级管理员可以执行此操作。")
