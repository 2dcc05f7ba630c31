"""The staff register: list (ID numbers masked), detail, creation, edit with optimistic
locking (`version`), departure and reinstatement, all through hr.workers.services."""
from __future__ import annotations

from typing import Any

from flask import url_for

from hr.accounts.personal import sees_full
from hr.accounts.scope import get_worker
from hr.api import bp
from hr.api.pagination import page_of, paginate, with_paging
from hr.api.routing import route
from hr.workers import queries, services
from hr.workers.schemas import (
    DepartureSchema,
    WorkerCreateSchema,
    WorkerListItemSchema,
    WorkerQuerySchema,
    WorkerSchema,
    WorkerUpdateSchema,
    defaults,
)

TAGS = ["workers"]


def worker_json(worker: Any) -> dict[str, Any]:
    """Full ID number, phone and bank account by the policy of hr.accounts.personal, masked otherwise."""
    return WorkerSchema(full=sees_full()).dump(worker)


@route(bp, "GET", "/workers", summary="社工名册", tags=TAGS, query=with_paging(WorkerQuerySchema),
       response=page_of(WorkerListItemSchema),
       description="按管辖范围筛选；身份证号脱敏。默认只列在职人员（status=all 列出全部）。")
def workers_list(args: dict[str, Any]) -> Any:
    filters = {"q": args.get("q") or "", "status": args["status"], "sort": args["sort"], "dir": args["dir"]}
    for key in ("district", "street", "committee"):
        if args.get(f"{key}_id"):
            filters[key] = str(args[f"{key}_id"])
    stmt = queries.ordered(queries.filtered(filters), filters)
    return paginate(stmt, args, WorkerListItemSchema())


@route(bp, "GET", "/workers/<id:worker_id>", summary="一名社工", tags=TAGS, response=WorkerSchema)
def worker_get(worker_id: int) -> Any:
    return worker_json(get_worker(worker_id))


@route(bp, "POST", "/workers", summary="登记社工", tags=TAGS, body=WorkerCreateSchema, response=WorkerSchema,
       status=201, description="校验规则与网页登记相同；所属居委会决定街镇和区。")
def worker_create(data: dict[str, Any]) -> Any:
    worker = services.create_worker({**defaults(), **data})
    return worker_json(worker), 201, {"Location": url_for("api.worker_get", worker_id=worker.id)}


@route(bp, "PATCH", "/workers/<id:worker_id>", summary="修改社工信息", tags=TAGS, body=WorkerUpdateSchema,
       response=WorkerSchema,
       description="只改给出的字段。version 须为读取时的版本号；其间已被他人修改则答复 409。"
                   "离职和恢复在职请用专门的操作。")
def worker_update(worker_id: int, data: dict[str, Any]) -> Any:
    worker = get_worker(worker_id)
    expected = data.pop("version")
    merged = {k: getattr(worker, k) for k in services.EDITABLE} | data
    services.update_worker(worker, merged, expected)
    return worker_json(worker)


@route(bp, "POST", "/workers/<id:worker_id>/departure", summary="登记离职或退休", tags=TAGS,
       body=DepartureSchema, response=WorkerSchema)
def worker_departure(worker_id: int, data: dict[str, Any]) -> Any:
    worker = get_worker(worker_id)
    services.record_departure(worker, data["status"], data["leave_date"], data["leave_reason"], data["version"])
    return worker_json(worker)


@route(bp, "POST", "/workers/<id:worker_id>/reinstate", summary="恢复在职（撤销误登记的离职）", tags=TAGS,
       response=WorkerSchema)
def worker_reinstate(worker_id: int) -> Any:
    worker = get_worker(worker_id)
    services.reinstate(worker)
    return worker_json(worker)
