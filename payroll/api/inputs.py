"""Payroll inputs per worker: special additional deductions and 补发/补扣 adjustments, through
payroll.inputs.services (which refuse a change to an approved or locked month)."""
from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select

from hr.accounts.scope import district_filter, get_in_scope, get_worker
from hr.api.pagination import page_of, paginate, with_paging
from hr.api.routing import route
from payroll.api import bp
from payroll.inputs import services
from payroll.inputs.models import Adjustment, Declaration
from payroll.inputs.schemas import (
    AdjustmentCreateSchema,
    AdjustmentQuerySchema,
    AdjustmentSchema,
    DeclarationCreateSchema,
    DeclarationEndSchema,
    DeclarationQuerySchema,
    DeclarationSchema,
)

TAGS = ["payroll"]


def _filtered(model: Any, args: dict[str, Any], keys: tuple[str, ...]) -> Any:
    stmt = select(model).where(district_filter(model.district_id))
    for key in keys:
        if args.get(key) is not None:
            stmt = stmt.where(getattr(model, key) == args[key])
    return stmt


@route(bp, "GET", "/payroll/declarations", summary="专项附加扣除申报", tags=TAGS,
       query=with_paging(DeclarationQuerySchema), response=page_of(DeclarationSchema))
def declarations_list(args: dict[str, Any]) -> Any:
    stmt = _filtered(Declaration, args, ("worker_id", "district_id", "kind"))
    return paginate(stmt.order_by(Declaration.worker_id, Declaration.start_month, Declaration.id), args,
                    DeclarationSchema(), unique=False)


@route(bp, "GET", "/payroll/declarations/<id:declaration_id>", summary="一项专项附加扣除申报", tags=TAGS,
       response=DeclarationSchema)
def declaration_get(declaration_id: int) -> Any:
    return DeclarationSchema().dump(get_in_scope(Declaration, declaration_id))


@route(bp, "POST", "/payroll/declarations", summary="录入专项附加扣除申报", tags=TAGS,
       body=DeclarationCreateSchema, response=DeclarationSchema, status=201)
def declaration_create(data: dict[str, Any]) -> Any:
    worker = get_worker(data.pop("worker_id"))
    decl = services.add_declaration(worker, data)
    return (DeclarationSchema().dump(decl), 201,
            {"Location": url_for("payroll_api.declaration_get", declaration_id=decl.id)})


@route(bp, "POST", "/payroll/declarations/<id:declaration_id>/end", summary="结束专项附加扣除申报", tags=TAGS,
       body=DeclarationEndSchema, response=DeclarationSchema)
def declaration_end(declaration_id: int, data: dict[str, Any]) -> Any:
    decl = get_in_scope(Declaration, declaration_id)
    services.end_declaration(decl, data["end_month"])
    return DeclarationSchema().dump(decl)


@route(bp, "DELETE", "/payroll/declarations/<id:declaration_id>", summary="删除误录的专项附加扣除申报",
       tags=TAGS, status=204)
def declaration_delete(declaration_id: int) -> Any:
    services.delete_declaration(get_in_scope(Declaration, declaration_id))
    return None, 204


@route(bp, "GET", "/payroll/adjustments", summary="补发补扣", tags=TAGS, query=with_paging(AdjustmentQuerySchema),
       response=page_of(AdjustmentSchema))
def adjustments_list(args: dict[str, Any]) -> Any:
    stmt = _filtered(Adjustment, args, ("worker_id", "district_id", "pay_month", "kind"))
    return paginate(stmt.order_by(Adjustment.pay_month.desc(), Adjustment.worker_id, Adjustment.id), args,
                    AdjustmentSchema(), unique=False)


@route(bp, "GET", "/payroll/adjustments/<id:adjustment_id>", summary="一笔补发补扣", tags=TAGS,
       response=AdjustmentSchema)
def adjustment_get(adjustment_id: int) -> Any:
    return AdjustmentSchema().dump(get_in_scope(Adjustment, adjustment_id))


@route(bp, "POST", "/payroll/adjustments", summary="录入补发补扣", tags=TAGS, body=AdjustmentCreateSchema,
       response=AdjustmentSchema, status=201,
       description="计入发放月份的应税工资；该月工资已审批或锁定时答复 400（pay_month）。")
def adjustment_create(data: dict[str, Any]) -> Any:
    worker = get_worker(data.pop("worker_id"))
    adj = services.add_adjustment(worker, data)
    return (AdjustmentSchema().dump(adj), 201,
            {"Location": url_for("payroll_api.adjustment_get", adjustment_id=adj.id)})


@route(bp, "DELETE", "/payroll/adjustments/<id:adjustment_id>", summary="删除补发补扣", tags=TAGS, status=204,
       description="仅限所在月份尚未审批；已发放的请录入一笔相反的补发/补扣（否则答复 409）。")
def adjustment_delete(adjustment_id: int) -> Any:
    services.delete_adjustment(get_in_scope(Adjustment, adjustment_id))
    return None, 204
