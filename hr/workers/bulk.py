"""Changes to many workers at once, all or nothing: every worker is checked, the first refusal
names the worker, and the caller commits once."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select

from hr.accounts.scope import district_filter, require_write, scoped_workers
from hr.audit.services import diff, record
from hr.core.db import db
from hr.core.errors import DomainError, NotFound
from hr.org.models import Committee, Street
from hr.workers import services
from hr.workers.models import Worker

MAX_SELECTED = 500


def selected(ids: Sequence[str | int], user: Any = None) -> list[Worker]:
    """The selected workers, all in the user's scope: an id outside it is as missing as an
    unknown one, and the whole selection is refused."""
    wanted = sorted({int(i) for i in ids if str(i).isdigit()})
    if not wanted:
        raise DomainError("请先勾选职工。")
    if len(wanted) > MAX_SELECTED:
        raise DomainError(f"一次最多处理 {MAX_SELECTED} 人，请缩小范围后分批操作。")
    workers = list(db.session.execute(
        scoped_workers(user).where(Worker.id.in_(wanted)).order_by(Worker.name_key, Worker.id)
    ).unique().scalars())
    if len(workers) != len(wanted):
        raise NotFound("记录不存在或不在您的管辖范围内。")
    return workers


def depart(workers: Sequence[Worker], status: str, leave_date: date, reason: str, user: Any = None) -> None:
    for w in workers:
        if not w.in_service:
            raise DomainError(f"{w.name} 已{w.status}，请取消勾选后重试。")
        try:
            services.record_departure(w, status, leave_date, reason, user=user)
        except DomainError as e:
            raise DomainError(f"{w.name}：{e.message}") from None


def target_committee(committee_id: int | None, user: Any = None) -> Committee:
    """The committee to move to, in the user's scope (another district's is as unknown as a
    missing one)."""
    if not committee_id:
        raise DomainError("请选择目标居委会。")
    committee = db.session.execute(
        select(Committee).join(Street, Committee.street_id == Street.id)
        .where(Committee.id == committee_id, district_filter(Street.district_id, user))
    ).unique().scalar_one_or_none()
    if committee is None:
        raise DomainError("所选居委会不存在或不在您的管辖范围内。")
    return committee


def move(workers: Sequence[Worker], committee: Committee, user: Any = None) -> int:
    """File the workers under another committee of the same district; returns how many moved."""
    street = db.session.get(Street, committee.street_id)
    assert street is not None
    require_write(street.district_id, user)
    moved = 0
    for w in workers:
        require_write(w.district_id, user)
        if w.district_id != street.district_id:
            raise DomainError(f"{w.name} 属于其他区，不能调整到该居委会。")
        if w.committee_id == committee.id:
            continue
        before = services.snapshot(w)
        w.committee_id, w.street_id = committee.id, committee.street_id
        services._flush_or_conflict()
        record("update", "worker", w.id, district_id=w.district_id,
               summary=f"{w.name} 调整居委会至 {committee.name}", changes=diff(before, services.snapshot(w)), user=user)
        moved += 1
    return moved


def committee_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Committee.id, Committee.name).where(Committee.id.in_(ids))).all())
