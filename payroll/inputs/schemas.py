"""The shapes of two per-worker payroll inputs in the API: special additional deductions
(专项附加扣除) and 补发/补扣 adjustments. Their rules stay in services.py."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from hr.core.schema import BodySchema, Id, QueryId, QuerySchema, Text, UtcDateTime
from payroll.inputs.models import DECLARATION_KINDS
from payroll.schemas_common import MoneyText, MonthText

ADJUSTMENT_KINDS = ("补发", "补扣")


class DeclarationSchema(Schema):
    id = fields.Integer(required=True)
    worker_id = fields.Integer(required=True)
    district_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(DECLARATION_KINDS))
    dependent = fields.String(required=True, metadata={"description": "子女姓名（子女教育、婴幼儿照护）"})
    only_child = fields.Boolean(required=True, allow_none=True,
                                metadata={"description": "赡养老人：是否独生子女（是 3000 元；否 分摊最多 1500 元）"})
    monthly = MoneyText(required=True)
    start_month = MonthText(required=True)
    end_month = MonthText(required=True, allow_none=True, metadata={"description": "最后一个月（含）；空为长期"})
    created_at = UtcDateTime(required=True)
    created_by = fields.String(required=True)


class DeclarationQuerySchema(QuerySchema):
    worker_id = QueryId()
    district_id = QueryId()
    kind = fields.String(validate=validate.OneOf(DECLARATION_KINDS))


class DeclarationCreateSchema(BodySchema):
    worker_id = Id(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(DECLARATION_KINDS, error="类型须为 {choices} 之一"))
    dependent = Text(32, load_default="")
    only_child = fields.Boolean(load_default=None, allow_none=True,
                                metadata={"description": "赡养老人：是否独生子女（是 3000 元；否 分摊最多 1500 元）"})
    monthly = MoneyText(required=True)
    start_month = MonthText(required=True)
    end_month = MonthText(allow_none=True, load_default=None)


class DeclarationEndSchema(BodySchema):
    end_month = MonthText(required=True)


class AdjustmentSchema(Schema):
    id = fields.Integer(required=True)
    worker_id = fields.Integer(required=True)
    district_id = fields.Integer(required=True)
    pay_month = MonthText(required=True, metadata={"description": "随哪个月的工资发放"})
    kind = fields.String(required=True, validate=validate.OneOf(ADJUSTMENT_KINDS))
    amount = MoneyText(required=True, metadata={"description": "带符号：补扣为负数"})
    reason = fields.String(required=True)
    corrects_month = MonthText(required=True, allow_none=True, metadata={"description": "所更正的月份"})
    created_at = UtcDateTime(required=True)
    created_by = fields.String(required=True)


class AdjustmentQuerySchema(QuerySchema):
    worker_id = QueryId()
    district_id = QueryId()
    pay_month = MonthText()
    kind = fields.String(validate=validate.OneOf(ADJUSTMENT_KINDS))


class AdjustmentCreateSchema(BodySchema):
    worker_id = Id(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ADJUSTMENT_KINDS, error="类型须为 补发 或 补扣"))
    amount = MoneyText(required=True, metadata={"description": "正数金额（补扣也填正数）"})
    pay_month = MonthText(required=True)
    corrects_month = MonthText(required=True)
    reason = Text(200, 1, required=True)
