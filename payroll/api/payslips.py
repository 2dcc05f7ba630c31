"""Payslips: by run, worker, month or place; one slip in full. Scoped by the slip's district."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hr.accounts.scope import district_filter
from hr.api.pagination import page_of, paginate, with_paging
from hr.api.routing import route
from payroll.api import bp
from payroll.runs import queries
from payroll.runs.models import Payslip
from payroll.runs.schemas import (
    PayslipListItemSchema,
    PayslipQuerySchema,
    PayslipSchema,
    slip_detail,
)

TAGS = ["payroll"]


@route(bp, "GET", "/payroll/payslips", summary="工资条列表", tags=TAGS, query=with_paging(PayslipQuerySchema),
       response=page_of(PayslipListItemSchema),
       description="按月度工资（run_id）、职工、月份、区、街镇或居委会筛选；按月份倒序、街镇、居委会、姓名排列。")
def payslips_list(args: dict[str, Any]) -> Any:
    stmt = select(Payslip).where(district_filter(Payslip.district_id))
    for key, col in (("run_id", Payslip.run_id), ("worker_id", Payslip.worker_id), ("month", Payslip.month),
                     ("district_id", Payslip.district_id), ("street_id", Payslip.street_id),
                     ("committee_id", Payslip.committee_id)):
        if args.get(key) is not None:
            stmt = stmt.where(col == args[key])
    stmt = stmt.order_by(Payslip.month.desc(), Payslip.street_id, Payslip.committee_id, Payslip.name, Payslip.id)
    return paginate(stmt, args, PayslipListItemSchema(), unique=False)


@route(bp, "GET", "/payroll/payslips/<id:slip_id>", summary="一张工资条", tags=TAGS, response=PayslipSchema)
def payslip_get(slip_id: int) -> Any:
    return slip_detail(queries.get_slip(slip_id))
