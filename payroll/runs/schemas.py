"""The shapes of payroll runs and payslips: money as two-decimal strings, months as YYYY-MM."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from hr.core.schema import BodySchema, Id, QueryId, QuerySchema, UtcDateTime
from payroll.runs.models import STATUSES, TOTAL_FIELDS
from payroll.runs.transitions import ACTIONS
from payroll.schemas_common import MoneyText, MonthText


class ProblemSchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    blocking = fields.Boolean(required=True, metadata={"description": "须处理后才能审批"})
    worker_id = fields.Integer(required=True, allow_none=True)


PayrollRunSchema = type("PayrollRunSchema", (Schema,), {
    "__doc__": "A district's payroll of one month: draft → calculated → approved → locked.",
    "id": fields.Integer(required=True),
    "district_id": fields.Integer(required=True),
    "district": fields.String(required=True, attribute="district.name"),
    "month": MonthText(required=True),
    "status": fields.String(required=True, validate=validate.OneOf(tuple(STATUSES))),
    "status_name": fields.String(required=True),
    "headcount": fields.Integer(required=True),
    **{f: MoneyText(required=True) for f in TOTAL_FIELDS},
    "problem_count": fields.Function(lambda r: len(r.problems or []), required=True, metadata={"type": "integer"}),
    "blocking_count": fields.Function(lambda r: len(r.blocking), required=True, metadata={"type": "integer"}),
    "created_at": UtcDateTime(required=True),
    "created_by": fields.String(required=True),
    "calculated_at": UtcDateTime(required=True, allow_none=True),
    "calculated_by": fields.String(required=True),
    "approved_at": UtcDateTime(required=True, allow_none=True),
    "approved_by": fields.String(required=True),
    "locked_at": UtcDateTime(required=True, allow_none=True),
    "locked_by": fields.String(required=True),
    "calculated_by_id": fields.Integer(required=True, allow_none=True),
    "approved_by_id": fields.Integer(required=True, allow_none=True),
    "locked_by_id": fields.Integer(required=True, allow_none=True),
    "version": fields.Integer(required=True),
})


class PayChangeSchema(Schema):
    kind = fields.String(required=True, metadata={"description": "变更的数据表"})
    summary = fields.String(required=True)
    worker_id = fields.Integer(required=True, allow_none=True)
    at = UtcDateTime(required=True)
    by = fields.String(required=True)


class FreshnessSchema(Schema):
    """Whether the run still reflects its inputs: changes after its calculation make it stale
    (approve and lock answer 409 until it is calculated again)."""

    stale = fields.Boolean(required=True)
    changes = fields.Integer(required=True, metadata={"description": "自上次计算以来的变更数"})
    items = fields.List(fields.Nested(PayChangeSchema), required=True, metadata={"description": "前 100 条"})

StreetTotalSchema = type("StreetTotalSchema", (Schema,), {
    "__doc__": "Headcount and totals of one street (the employer) in a run.",
    "street_id": fields.Integer(required=True),
    "code": fields.String(required=True),
    "name": fields.String(required=True),
    "headcount": fields.Integer(required=True),
    **{f: MoneyText(required=True) for f in TOTAL_FIELDS},
})


class PayrollRunDetailSchema(PayrollRunSchema):  # type: ignore[valid-type,misc]
    """A run with its problems, its totals per street and the actions its state allows
    (dumped by `run_detail`)."""

    problems = fields.List(fields.Nested(ProblemSchema), required=True)
    streets = fields.List(fields.Nested(StreetTotalSchema), required=True)
    actions = fields.List(fields.String(validate=validate.OneOf(tuple(ACTIONS))), required=True,
                          metadata={"description": "当前状态下允许的操作（calculate/approve/reopen/lock）"})
    freshness = fields.Nested(FreshnessSchema, required=True)


class PayrollRunQuerySchema(QuerySchema):
    district_id = QueryId()
    month = MonthText()
    year = fields.Integer(validate=validate.Range(2017, 2100, error="年份须为 2017–2100"))
    status = fields.String(validate=validate.OneOf(tuple(STATUSES)))


class PayrollRunCreateSchema(BodySchema):
    """The run of a district and month (one per district and month: creating it again answers
    the existing one with 200)."""

    district_id = Id(metadata={"description": "区人事专员可省略（本区）；全市账号必填"})
    month = MonthText(required=True)


class RunActionSchema(BodySchema):
    version = Id(metadata={"description": "读取时的版本号；给出且已变化时答复 409"})


_SLIP_MONEY = ("grade_pay", "post_allowance", "performance", "qualification_allowance", "annual_bonus",
               "adjustments", "gross", "si_base", "hf_base", "pension", "medical", "unemployment", "housing_fund",
               "iit", "bonus_tax", "net", "employer_pension", "employer_medical", "employer_unemployment",
               "employer_injury", "employer_housing_fund", "employer_total", "special", "cum_wages", "cum_si_hf",
               "cum_special", "cum_basic", "cum_tax")

PayslipListItemSchema = type("PayslipListItemSchema", (Schema,), {
    "__doc__": "One worker's pay of one month (the summary of a list).",
    "id": fields.Integer(required=True),
    "run_id": fields.Integer(required=True),
    "worker_id": fields.Integer(required=True),
    "district_id": fields.Integer(required=True),
    "street_id": fields.Integer(required=True),
    "committee_id": fields.Integer(required=True),
    "month": MonthText(required=True),
    "name": fields.String(required=True),
    "post": fields.String(required=True),
    "grade": fields.Integer(required=True),
    "gross": MoneyText(required=True),
    "deductions": MoneyText(required=True),
    "iit": MoneyText(required=True),
    "net": MoneyText(required=True),
    "employer_total": MoneyText(required=True),
    "change": MoneyText(required=True, allow_none=True, metadata={"description": "与上月实发的差额"}),
})


class AdjustmentLineSchema(Schema):
    kind = fields.String(required=True)
    amount = MoneyText(required=True)
    reason = fields.String(required=True)
    corrects_month = fields.String(required=True, allow_none=True)
    auto = fields.Boolean(required=True)


PayslipSchema = type("PayslipSchema", (PayslipListItemSchema,), {
    "__doc__": "One payslip in full: what it was computed from, earnings, deductions, employer cost and "
               "the cumulative withholding state after this month.",
    "scale_version": fields.String(required=True),
    "assignment_id": fields.Integer(required=True, allow_none=True),
    "qualification": fields.String(required=True),
    "days_served": fields.Integer(required=True),
    "days_in_month": fields.Integer(required=True),
    **{f: MoneyText(required=True) for f in _SLIP_MONEY},
    "tax_months": fields.Integer(required=True),
    "change_reason": fields.String(required=True),
    "adjustment_lines": fields.List(fields.Nested(AdjustmentLineSchema), required=True),
})


def run_detail(run: Any, streets: list[dict[str, Any]], actions: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = PayrollRunSchema().dump(run)
    out["problems"] = ProblemSchema(many=True).dump(run.problems or [])
    out["streets"] = StreetTotalSchema(many=True).dump(streets)
    out["actions"] = actions
    return out


def slip_detail(slip: Any) -> dict[str, Any]:
    out: dict[str, Any] = PayslipSchema().dump({
        **{k: getattr(slip, k) for k in PayslipSchema().fields if k != "adjustment_lines"},
        "adjustment_lines": [
            {"corrects_month": None, "auto": False, "reason": "", **line} for line in slip.adjustment_lines or []
        ],
    })
    return out


class PayslipQuerySchema(QuerySchema):
    run_id = QueryId()
    worker_id = QueryId()
    month = MonthText()
    district_id = QueryId()
    street_id = QueryId()
    committee_id = QueryId()
