"""The payroll lines of the home page's to-do list (hr.home.todo): the month not yet calculated,
runs waiting for approval or for the lock, runs whose inputs changed since their calculation."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from flask import url_for
from sqlalchemy import select

from hr.core.db import db
from hr.home.todo import APPROVERS, EDITORS, EVERYONE, Link, Todo
from hr.org.models import District
from hr.workers.models import Worker
from payroll.runs.changes import changes_since
from payroll.runs.models import PayrollRun


def _runs(district_ids: list[int], status: str) -> dict[int, list[PayrollRun]]:
    out: dict[int, list[PayrollRun]] = {}
    for r in db.session.execute(
        select(PayrollRun).where(PayrollRun.district_id.in_(district_ids), PayrollRun.status == status)
        .order_by(PayrollRun.month)
    ).scalars():
        out.setdefault(r.district_id, []).append(r)
    return out


def _run_links(runs: dict[int, list[PayrollRun]]) -> Callable[[District], list[Link]]:
    """The runs' own pages (a handful at most: months wait one after the other)."""
    return lambda d: [Link(f"{r.month.year}年{r.month.month}月", url_for("payroll.run", run_id=r.id))
                      for r in runs.get(d.id, [])[:6]]


def payroll_todos(districts: Sequence[District], on: date) -> list[Todo]:
    ids = [d.id for d in districts]
    month = on.replace(day=1)
    done = {d for d, in db.session.execute(
        select(PayrollRun.district_id).where(PayrollRun.district_id.in_(ids), PayrollRun.month == month,
                                             PayrollRun.status != "draft"))}
    staffed = {d for d, in db.session.execute(
        select(Worker.district_id).where(Worker.district_id.in_(ids), Worker.status == "在职")
        .group_by(Worker.district_id))}
    not_calculated = {d: 1 for d in ids if d not in done and d in staffed}
    calculated = _runs(ids, "calculated")
    approved = _runs(ids, "approved")
    blocking = {d: sum(len(r.blocking) for r in rs) for d, rs in calculated.items()}
    blocking = {d: n for d, n in blocking.items() if n}
    stale: dict[int, list[PayrollRun]] = {}
    # A calculated run with later changes in the pay change log is stale.
    for d, rs in [*calculated.items(), *approved.items()]:
        for r in rs:
            if changes_since(r, limit=1):
                stale.setdefault(d, []).append(r)
    label = f"{month.year}年{month.month}月"
    return [
        Todo("not_calculated", "本月工资尚未计算", f"本月（{label}）工资尚未计算", not_calculated,
             lambda d: [Link("去计算", url_for("payroll.runs"))], EDITORS, {}, "bad"),
        Todo("stale", "工资需重新计算", "{n} 个已计算的月份此后有变更，须重新计算",
             {d: len(rs) for d, rs in stale.items()}, _run_links(stale), EVERYONE, {}, "bad"),
        Todo("blocking", "阻止审批的问题", "{n} 个问题须处理后才能审批工资", blocking,
             lambda d: [Link("查看问题", url_for("payroll.run", run_id=calculated[d.id][-1].id, _anchor="problems"))],
             EVERYONE, {}, "bad"),
        Todo("unapproved", "待审批工资", "{n} 个月的工资已计算，待审批",
             {d: len(rs) for d, rs in calculated.items()}, _run_links(calculated), APPROVERS),
        Todo("unlocked", "待锁定工资", "{n} 个月的工资已审批，待锁定",
             {d: len(rs) for d, rs in approved.items()}, _run_links(approved), EDITORS),
    ]
