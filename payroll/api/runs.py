"""Payroll runs: list, create (one per district and month), and the transitions calculate,
approve, reopen and lock, through payroll.runs.services and its transition table."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_login import current_user
from sqlalchemy import select

from hr.accounts.scope import district_filter
from hr.api.common import chosen_district
from hr.api.pagination import page_of, paginate, with_paging
from hr.api.routing import route
from hr.core.db import db
from hr.core.errors import Conflict
from payroll.api import bp
from payroll.runs import changes, permissions, queries, services
from payroll.runs.models import PayrollRun
from payroll.runs.schemas import (
    FreshnessSchema,
    PayrollRunCreateSchema,
    PayrollRunDetailSchema,
    PayrollRunQuerySchema,
    PayrollRunSchema,
    RunActionSchema,
    run_detail,
)
from payroll.runs.transitions import allowed

TAGS = ["payroll"]


def _detail(run: PayrollRun) -> dict[str, Any]:
    actions = [a for a in allowed(run.status) if permissions.may(current_user, a)]
    out = run_detail(run, queries.street_totals(run), actions)
    out["freshness"] = FreshnessSchema().dump(changes.freshness(run))
    return out


@route(bp, "GET", "/payroll/runs", summary="月度工资列表", tags=TAGS, query=with_paging(PayrollRunQuerySchema),
       response=page_of(PayrollRunSchema))
def runs_list(args: dict[str, Any]) -> Any:
    stmt = select(PayrollRun).where(district_filter(PayrollRun.district_id))
    for key, col in (("district_id", PayrollRun.district_id), ("month", PayrollRun.month),
                     ("status", PayrollRun.status)):
        if args.get(key) is not None:
            stmt = stmt.where(col == args[key])
    if args.get("year"):
        year = args["year"]
        stmt = stmt.where(PayrollRun.month >= date(year, 1, 1), PayrollRun.month <= date(year, 12, 1))
    return paginate(stmt.order_by(PayrollRun.month.desc(), PayrollRun.district_id), args, PayrollRunSchema())


@route(bp, "GET", "/payroll/runs/<id:run_id>", summary="一个月度工资（含问题、分街镇合计）", tags=TAGS,
       response=PayrollRunDetailSchema)
def run_get(run_id: int) -> Any:
    return _detail(queries.get_run(run_id))


@route(bp, "POST", "/payroll/runs", summary="新建月度工资", tags=TAGS, body=PayrollRunCreateSchema,
       response=PayrollRunDetailSchema, status=201,
       also=(200,), description="每区每月只有一个：已存在时答复 200 和现有的那个。新建的状态为草稿（draft），再调用 calculate 计算。")
def run_create(data: dict[str, Any]) -> Any:
    district = chosen_district(data.get("district_id"))
    run, created = services.ensure_run(district, data["month"])
    return _detail(run), 201 if created else 200, {"Location": url_for("payroll_api.run_get", run_id=run.id)}


def _act(run_id: int, data: dict[str, Any], action: Any) -> Any:
    run = queries.get_run(run_id)
    if data.get("version") is not None and data["version"] != run.version:
        raise Conflict("该月工资已被他人处理（版本已变化），请刷新后重试。")
    action(run)
    db.session.flush()
    db.session.refresh(run)
    return _detail(run)


def _action_route(action: str, summary: str, description: str, service: Any, approval: bool = False) -> None:
    def view(run_id: int, data: dict[str, Any]) -> Any:
        return _act(run_id, data, service)

    view.__name__ = f"run_{action}"
    route(bp, "POST", f"/payroll/runs/<id:run_id>/{action}", summary=summary, tags=TAGS, body=RunActionSchema,
          body_required=False, response=PayrollRunDetailSchema, description=description, approval=approval)(view)


_action_route("calculate", "计算（草稿或已计算 → 已计算）",
              "按当月名册、任职记录、薪酬录入和参数计算全部工资条。上一个月须已锁定（跨年亦然；本区在系统中的第一个月除外），"
              "否则 409，消息指明须先锁定的月份。",
              services.calculate_run)
_action_route("approve", "审批（已计算 → 已审批）",
              "区人事专员、区审核或市级管理员。有阻断性问题时答复 422；自上次计算以来有变更（freshness.stale）、"
              "上一个月未锁定时答复 409；本区设定“审批须由他人”时，计算者本人审批答复 403。",
              services.approve_run, approval=True)
_action_route("reopen", "退回重算（已审批 → 已计算）", "区人事专员、区审核或市级管理员。", services.reopen_run,
              approval=True)
_action_route("lock", "锁定（已审批 → 已锁定）",
              "锁定后该月工资不能再修改（再操作答复 409）。自上次计算以来有变更或上一个月未锁定时答复 409。",
              services.lock_run)
