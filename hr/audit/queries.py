"""The audit log read back: filters by date range, district, worker, object kind, action and
user, always inside the reader's scope; worker names for worker entries."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, or_, select

from hr.accounts.scope import district_filter, scoped_workers
from hr.audit.models import AuditEntry
from hr.core.db import db
from hr.core.timeutil import SHANGHAI


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _utc(day: date) -> datetime:
    """Midnight of a Shanghai day as the naive UTC the log stores."""
    return datetime.combine(day, time(0), tzinfo=SHANGHAI).astimezone(UTC).replace(tzinfo=None)


def filtered(args: Mapping[str, str]) -> Select[Any]:
    stmt = select(AuditEntry).where(district_filter(AuditEntry.district_id))
    action = args.get("action", "")
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    kind = args.get("object", "")
    if kind:
        stmt = stmt.where(AuditEntry.object_type == kind)
    user = (args.get("user") or "").strip()
    if user:
        stmt = stmt.where(AuditEntry.username == user)
    district = args.get("district", "")
    if district.isdigit():
        stmt = stmt.where(AuditEntry.district_id == int(district))
    start, end = parse_day(args.get("from")), parse_day(args.get("to"))
    if start:
        stmt = stmt.where(AuditEntry.at >= _utc(start))
    if end:
        stmt = stmt.where(AuditEntry.at < _utc(end + timedelta(days=1)))
    worker = (args.get("worker") or "").strip()
    if worker:
        from hr.workers.models import Worker

        ids = scoped_workers().with_only_columns(Worker.id).where(Worker.name.contains(worker, autoescape=True))
        stmt = stmt.where(or_(
            (AuditEntry.object_type == "worker") & AuditEntry.object_id.in_(ids),
            AuditEntry.summary.contains(worker, autoescape=True),
        ))
    return stmt


def ordered(stmt: Select[Any]) -> Select[Any]:
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def worker_names(entries: Iterable[AuditEntry]) -> dict[int, str]:
    """worker id → name for the worker entries among these, within the reader's scope."""
    from hr.workers.models import Worker

    ids = {e.object_id for e in entries if e.object_type == "worker" and e.object_id}
    if not ids:
        return {}
    rows = db.session.execute(scoped_workers().with_only_columns(Worker.id, Worker.name).where(Worker.id.in_(ids)))
    return {wid: name for wid, name in rows}
