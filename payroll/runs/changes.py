"""The pay change log: every change that can alter the slips of some month, written by a
session hook in the same transaction as the change itself. A calculated or approved run that
has entries after its calculation is stale: it cannot be approved or locked until it is
calculated again. After a lock the same entries are the candidates for difference lines
(补发/补扣) in the next open month.

An entry names the district (none: every district, for reference data), the worker when there
is one, and the months it can reach: from `from_month` (none: any earlier month) to `to_month`
(none: every later month)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, and_, event, inspect, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hr.core.db import db
from hr.core.timeutil import utcnow
from payroll.calc.months import add_months
from payroll.runs.actor import actor_name


class PayChange(db.Model):
    __tablename__ = "pay_change"
    __table_args__ = (Index("ix_pay_change_district", "district_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("worker.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # the table changed
    action: Mapped[str] = mapped_column(String(8))  # 新增 / 修改 / 删除
    summary: Mapped[str] = mapped_column(String(200), default="")
    from_month: Mapped[date | None] = mapped_column()
    to_month: Mapped[date | None] = mapped_column()
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by: Mapped[str] = mapped_column(String(64), default="")


LABELS = {
    "adjustment": "补发补扣", "declaration": "专项附加扣除", "base_override": "缴费基数核定",
    "pay_profile": "公积金比例", "tax_option": "个税选项", "assignment": "岗位等级",
    "assessment": "年度考核", "worker": "名册", "district_setting": "区参数",
    "pay_scale": "薪酬标准", "contribution_bounds": "缴费基数上下限", "rate_version": "缴费比例",
    "tax_table": "个税税率表", "opening_balance": "期初累计",
}
# Register fields that change pay or the bank sheet; other register edits do not count.
WORKER_FIELDS = ("hire_date", "leave_date", "shiye", "first_job", "bank_account", "bank_name", "qualification",
                 "qualification_date", "street_id", "committee_id", "district_id")


def _first(d: date | None) -> date | None:
    return d.replace(day=1) if d else None


def _old(obj: Any, name: str) -> Any:
    hist = inspect(obj).attrs[name].history
    return hist.deleted[0] if hist.deleted else getattr(obj, name)


def _earliest(*months: date | None) -> date | None:
    found = [m for m in months if m is not None]
    return min(found) if found else None


def _span(kind: str, obj: Any, action: str) -> tuple[date | None, date | None] | None:
    """The months a change can reach, or None when it cannot change any pay."""
    if kind == "adjustment":
        months = [_first(obj.pay_month), _first(_old(obj, "pay_month"))]
        return min(m for m in months if m), max(m for m in months if m)
    if kind == "declaration":
        # Cumulative withholding counts a declaration from its start month on.
        return _earliest(obj.start_month, _old(obj, "start_month")), None
    if kind == "base_override":
        return obj.year_start, add_months(obj.year_start, 11)
    if kind == "tax_option":
        return date(obj.year, 1, 1), date(obj.year, 12, 1)
    if kind == "assignment":
        return obj.effective, None
    if kind == "assessment":
        # The year's rating prices December's annual bonus.
        return date(obj.year, 12, 1), date(obj.year, 12, 1)
    if kind == "worker":
        if action == "新增":
            return _first(obj.hire_date), None
        if action == "删除":
            return None, None
        changed = [f for f in WORKER_FIELDS if f in inspect(obj).attrs and inspect(obj).attrs[f].history.has_changes()]
        if not changed:
            return None
        if set(changed) <= {"hire_date", "leave_date"}:
            return _earliest(*(_first(m) for f in changed for m in (getattr(obj, f), _old(obj, f)))), None
        return None, None
    if kind in ("pay_scale", "contribution_bounds", "rate_version", "tax_table"):
        return obj.start, None
    if kind == "opening_balance":
        return date(obj.year, 1, 1), date(obj.year, 12, 1)
    return None, None  # pay_profile, district_setting: every open month


def _summary(kind: str, obj: Any, action: str) -> str:
    label = LABELS.get(kind, kind)
    detail = ""
    if kind == "adjustment":
        detail = f"{obj.pay_month:%Y-%m} {obj.kind} {abs(obj.amount):,.2f} 元"
    elif kind == "assessment":
        detail = f"{obj.year}年度 {obj.rating}"
    elif kind == "assignment":
        detail = f"{obj.effective:%Y-%m} 起 {obj.post}{obj.grade}级"
    elif kind == "declaration":
        detail = f"{obj.kind} {obj.start_month:%Y-%m} 起"
    elif kind == "worker" and action == "修改":
        detail = "、".join(f for f in WORKER_FIELDS
                          if f in inspect(obj).attrs and inspect(obj).attrs[f].history.has_changes())
    return f"{label}{action}" + (f"：{detail}" if detail else "")


def _entry(obj: Any, action: str) -> PayChange | None:
    kind = getattr(obj, "__tablename__", "")
    if kind not in LABELS:
        return None
    if action == "修改" and not db.session.is_modified(obj, include_collections=False):
        return None
    span = _span(kind, obj, action)
    if span is None:
        return None
    district_id = getattr(obj, "district_id", None)
    if kind == "worker" and action == "修改":
        old = _old(obj, "district_id")
        if old != district_id:
            district_id = None  # a move between districts reaches both
    worker_id = obj.id if kind == "worker" else getattr(obj, "worker_id", None)
    return PayChange(district_id=district_id, worker_id=worker_id, kind=kind, action=action,
                     summary=_summary(kind, obj, action)[:200], from_month=span[0], to_month=span[1],
                     at=utcnow(), by=actor_name()[:64])


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    entries = []
    for action, objects in (("新增", session.new), ("修改", session.dirty), ("删除", session.deleted)):
        for obj in list(objects):
            if isinstance(obj, PayChange):
                continue
            try:
                entry = _entry(obj, action)
            except Exception:  # a half-built object (a failing insert) is reported by the flush itself
                entry = None
            if entry is not None:
                entries.append(entry)
    for entry in _collapsed(entries):
        session.add(entry)


COLLAPSE_OVER = 20  # entries of one kind in one flush (an import) become one summary entry


def _collapsed(entries: list[PayChange]) -> list[PayChange]:
    """One entry per kind, action and district for a large batch, spanning all its months.
    Ratings stay one per worker: a rating changed after December's lock names whose bonus to
    correct."""
    groups: dict[tuple[str, str, int | None], list[PayChange]] = {}
    for e in entries:
        groups.setdefault((e.kind, e.action, e.district_id), []).append(e)
    out: list[PayChange] = []
    for (kind, action, district_id), group in groups.items():
        if len(group) <= COLLAPSE_OVER or kind == "assessment":
            out.extend(group)
            continue
        starts = [e.from_month for e in group]
        ends = [e.to_month for e in group]
        out.append(PayChange(
            district_id=district_id, worker_id=None, kind=kind, action=action,
            summary=f"{LABELS.get(kind, kind)}{action} {len(group)} 条（批量）",
            from_month=None if None in starts else min(m for m in starts if m is not None),
            to_month=None if None in ends else max(m for m in ends if m is not None),
            at=group[0].at, by=group[0].by))
    return out


def install() -> None:
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


def last_mark() -> int:
    db.session.flush()
    return int(db.session.execute(select(db.func.max(PayChange.id))).scalar() or 0)


def changes_since(run: Any, limit: int | None = None) -> list[PayChange]:
    """Entries after the run's calculation that can reach its month."""
    if run.status not in ("calculated", "approved"):
        return []
    stmt = select(PayChange).where(
        or_(PayChange.district_id == run.district_id, PayChange.district_id.is_(None)),
        or_(PayChange.from_month.is_(None), PayChange.from_month <= run.month),
        or_(PayChange.to_month.is_(None), PayChange.to_month >= run.month,
            # A rating of a locked December is corrected in the months after it.
            and_(PayChange.kind == "assessment", PayChange.to_month >= add_months(run.month, -12))),
    )
    if run.change_mark is not None:
        stmt = stmt.where(PayChange.id > run.change_mark)
    elif run.calculated_at is not None:
        stmt = stmt.where(PayChange.at > run.calculated_at)
    stmt = stmt.order_by(PayChange.id)
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.execute(stmt).scalars())


def freshness(run: Any) -> dict[str, Any]:
    found = changes_since(run)
    return {
        "stale": bool(found),
        "changes": len(found),
        "items": [{"kind": c.kind, "summary": c.summary, "worker_id": c.worker_id, "at": c.at, "by": c.by}
                  for c in found[:100]],
    }
