"""The trial calculation's input: one marshmallow schema for the page, the API and the CLI."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from hr.core.vocabulary import POST_BY_NAME, POST_NAMES, POST_RANGES, POSTS, QUALIFICATIONS, RATINGS
from payroll.calc.engine import Case
from payroll.calc.special import SpecialDeduction
from payroll.inputs.models import DECLARATION_KINDS
from payroll.schemas_common import MoneyText, MonthText

__all__ = ["MoneyText", "MonthText", "SpecialDeductionSchema", "TrialCaseSchema", "TrialResultSchema"]

# The amounts of a month and of the totals, and the employer's part of each.
AMOUNTS = ("grade_pay", "post_allowance", "performance", "qualification_allowance", "annual_bonus", "adjustments",
           "gross", "pension", "medical", "unemployment", "housing_fund", "iit", "net")
EMPLOYER = ("pension", "medical", "unemployment", "work_injury", "housing_fund", "total")
CN: dict[str, Any] = {
    "required": "必填",
    "null": "不能为空",
    "invalid": "格式不正确",
}


def _date(**kw: Any) -> fields.Date:
    return fields.Date(error_messages={**CN, "invalid": "日期格式应为 YYYY-MM-DD"}, **kw)


class SpecialDeductionSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    kind = fields.String(required=True, validate=validate.OneOf(DECLARATION_KINDS, error="类型须为 {choices} 之一"),
                         error_messages=CN)
    monthly = MoneyText(required=True, error_messages=CN)
    from_ = MonthText(required=True, data_key="from", error_messages=CN)
    to = MonthText(load_default=None, allow_none=True)
    dependent = fields.String(load_default="")
    only_child = fields.Boolean(load_default=None, allow_none=True)


class TrialCaseSchema(Schema):
    """One case. Unknown keys are refused so that a misspelt key is not silently ignored."""

    error_messages = {"unknown": "未知的字段（请检查拼写）", "type": "须为 JSON 对象"}

    year = fields.Integer(required=True, strict=True, validate=validate.Range(2017, 2100, error="年份须在 2017–2100 之间"),
                          error_messages=CN)
    from_month = fields.Integer(load_default=1, strict=True, validate=validate.Range(1, 12, error="月份须为 1–12"))
    to_month = fields.Integer(load_default=12, strict=True, validate=validate.Range(1, 12, error="月份须为 1–12"))
    post = fields.String(required=True, error_messages=CN)
    grade = fields.Integer(required=True, strict=True, validate=validate.Range(1, 18, error="等级须为 1–18"),
                           error_messages=CN)
    qualification = fields.String(load_default="无", validate=validate.OneOf(QUALIFICATIONS, error="职业资格须为 {choices} 之一"))
    qualification_date = _date(load_default=None, allow_none=True)
    hire_date = _date(required=True)
    leave_date = _date(load_default=None, allow_none=True)
    rating = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(RATINGS, error="考核结果须为 {choices} 之一"))
    bonus_tax = fields.String(load_default="merged", validate=validate.OneOf(("merged", "separate"), error="须为 merged 或 separate"))
    hf_rate = MoneyText(load_default=Decimal("0.07"), max_places=4)
    contribution_base = MoneyText(load_default=None, allow_none=True)
    special_deductions = fields.List(fields.Nested(SpecialDeductionSchema), load_default=list)
    first_income_of_year = fields.Boolean(load_default=False)
    prior_year_low_income = fields.Boolean(load_default=False)
    scale_version = fields.String(load_default=None, allow_none=True)
    first_job = fields.Boolean(load_default=False)

    @validates_schema
    def _check(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        post = data.get("post")
        code = post if post in POSTS else POST_BY_NAME.get(post or "")
        if post is not None and code is None:
            errors["post"] = ["岗位须为 LEAD/SUPV/STAF 或 负责人/主管/工作人员"]
        grade = data.get("grade")
        if code and grade is not None:
            lo, hi = POST_RANGES[code]
            if not lo <= grade <= hi:
                errors["grade"] = [f"{POST_NAMES[code]}岗位的等级须在 {lo}–{hi} 之间"]
        if data.get("from_month", 1) > data.get("to_month", 12):
            errors["to_month"] = ["结束月份不能早于开始月份"]
        hire, leave = data.get("hire_date"), data.get("leave_date")
        if hire and leave and leave < hire:
            errors["leave_date"] = ["离职日期不能早于入职日期"]
        if data.get("qualification", "无") != "无" and data.get("qualification_date") is None:
            errors["qualification_date"] = ["有职业资格时须填写取得日期"]
        rate = data.get("hf_rate")
        if rate is not None and not Decimal("0.05") <= rate <= Decimal("0.07"):
            errors["hf_rate"] = ["公积金比例须在 0.05–0.07 之间"]
        base = data.get("contribution_base")
        if base is not None and base <= 0:
            errors["contribution_base"] = ["缴费基数须大于 0"]
        if data.get("bonus_tax") == "separate" and data.get("year", 0) > 2027:
            errors["bonus_tax"] = ["年终奖单独计税政策执行至 2027 年 12 月 31 日"]
        if errors:
            raise ValidationError(errors)

    @post_load
    def _to_case(self, data: dict[str, Any], **kwargs: Any) -> Case:
        post = data["post"] if data["post"] in POSTS else POST_BY_NAME[data["post"]]
        return Case(
            year=data["year"], from_month=data["from_month"], to_month=data["to_month"], post=post,
            grade=data["grade"], qualification=data["qualification"], qualification_date=data["qualification_date"],
            hire_date=data["hire_date"], leave_date=data["leave_date"], rating=data["rating"],
            bonus_tax=data["bonus_tax"], hf_rate=data["hf_rate"], contribution_base=data["contribution_base"],
            special_deductions=[
                SpecialDeduction(kind=s["kind"], monthly=s["monthly"], start=s["from_"], end=s["to"],
                                 dependent=s.get("dependent", ""), only_child=s.get("only_child"))
                for s in data["special_deductions"]
            ],
            first_income_of_year=data["first_income_of_year"], prior_year_low_income=data["prior_year_low_income"],
            scale_version=data["scale_version"], first_job=data["first_job"],
        )


# --- the answer (service.run builds it; these schemas describe it for the API document) -------

TrialEmployerSchema = type("TrialEmployerSchema", (Schema,), {
    "__doc__": "The employer's contributions.", **{k: MoneyText(required=True) for k in EMPLOYER}})

TrialTotalsSchema = type("TrialTotalsSchema", (Schema,), {
    "__doc__": "Amounts of the whole period.", **{k: MoneyText(required=True) for k in AMOUNTS},
    "employer": fields.Nested(TrialEmployerSchema, required=True)})

TrialMonthSchema = type("TrialMonthSchema", (TrialTotalsSchema,), {
    "__doc__": "One month's pay.", "month": MonthText(required=True)})


class TrialResultSchema(Schema):
    """One case, month by month, with the totals of the period."""

    months = fields.List(fields.Nested(TrialMonthSchema), required=True)
    totals = fields.Nested(TrialTotalsSchema, required=True)
    notes = fields.List(fields.String(), metadata={"description": "计算说明（如 9月30日后入职无年度考核奖）"})
