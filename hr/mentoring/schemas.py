"""The shapes of studios (with members and cohorts), pairings and activities, and of the
bodies that create or change them. The §7 rules stay in rules.py and services.py."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from hr.core.schema import BodySchema, Date, Id, QueryId, QuerySchema, Text, UtcDateTime
from hr.mentoring.rules import EVALUATIONS, KINDS, STATUSES


class StudioMemberSchema(Schema):
    id = fields.Integer(required=True)
    studio_id = fields.Integer(required=True)
    worker_id = fields.Integer(required=True)
    worker = fields.String(required=True, attribute="worker.name")
    joined = fields.Date(required=True)
    left_on = fields.Date(required=True, allow_none=True)


class CohortSchema(Schema):
    id = fields.Integer(required=True)
    studio_id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    opened = fields.Date(required=True)
    plan = fields.String(required=True)
    summary = fields.String(required=True)


class StudioSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    district_id = fields.Integer(required=True)
    street_id = fields.Integer(required=True, allow_none=True, metadata={"description": "空：全区工作室"})
    place = fields.String(required=True)
    lead_id = fields.Integer(required=True)
    lead = fields.String(required=True, attribute="lead.name")
    founded = fields.Date(required=True)
    active = fields.Boolean(required=True)
    intro = fields.String(required=True)
    created_at = UtcDateTime(required=True)


class StudioDetailSchema(StudioSchema):
    members = fields.List(fields.Nested(StudioMemberSchema), required=True)
    cohorts = fields.List(fields.Nested(CohortSchema), required=True)


class StudioQuerySchema(QuerySchema):
    district_id = QueryId()
    active = fields.Boolean()


def _studio_fields(create: bool) -> dict[str, fields.Field]:
    req = {"required": True} if create else {}
    return {
        "name": Text(64, **req),
        "street_id": Id(allow_none=True, metadata={"description": "所在街镇；空为全区工作室"}),
        "lead_id": Id(**req, metadata={"description": "领衔人：负责人（书记）岗位的在职职工"}),
        "intro": Text(2000),
        "active": fields.Boolean(),
    }


StudioCreateSchema = type("StudioCreateSchema", (BodySchema,), {
    "__doc__": "A studio; its lead becomes its first member on the founding date.",
    **_studio_fields(create=True),
    "district_id": Id(metadata={"description": "区人事专员可省略（本区）；全市账号必填"}),
    "founded": Date(required=True),
})

StudioUpdateSchema = type("StudioUpdateSchema", (BodySchema,), {
    "__doc__": "Only the fields given change; a new lead must hold the LEAD post today.",
    **_studio_fields(create=False),
})


class MemberCreateSchema(BodySchema):
    worker_id = Id(required=True, metadata={"description": "负责人（书记）岗位的在职职工"})
    joined = Date(required=True)


class CohortCreateSchema(BodySchema):
    year = fields.Integer(required=True, strict=True, validate=validate.Range(2000, 2100, error="年度须为 2000–2100"))
    opened = Date(required=True, metadata={"description": "开班日期，在该年度内"})
    plan = Text(5000, load_default="")


class PairingSchema(Schema):
    id = fields.Integer(required=True)
    studio_id = fields.Integer(required=True)
    cohort_id = fields.Integer(required=True)
    district_id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    mentor_id = fields.Integer(required=True)
    mentor = fields.String(required=True, attribute="mentor.name")
    mentee_id = fields.Integer(required=True)
    mentee = fields.String(required=True, attribute="mentee.name")
    start_on = fields.Date(required=True)
    end_on = fields.Date(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    evaluation = fields.String(required=True, allow_none=True, validate=validate.OneOf(EVALUATIONS))
    end_reason = fields.String(required=True)
    closed_on = fields.Date(required=True, allow_none=True)
    basis = fields.String(required=True)
    created_by = fields.String(required=True)
    created_at = UtcDateTime(required=True)


class PairingQuerySchema(QuerySchema):
    district_id = QueryId()
    studio_id = QueryId()
    year = fields.Integer(validate=validate.Range(2000, 2100, error="年度须为 2000–2100"))
    status = fields.String(validate=validate.OneOf(STATUSES))
    mentor_id = QueryId()
    mentee_id = QueryId()


class PairingCreateSchema(BodySchema):
    """A mentor (a member of the studio) and a mentee, in the studio's cohort of `year`."""

    studio_id = Id(required=True)
    year = fields.Integer(required=True, strict=True, validate=validate.Range(2000, 2100, error="年度须为 2000–2100"))
    mentor_id = Id(required=True)
    mentee_id = Id(required=True)
    start_on = Date(required=True)
    end_on = Date(allow_none=True, load_default=None, metadata={"description": "默认一年"})
    basis = Text(200, load_default="", metadata={"description": "结对依据；默认按规则生成"})


class PairingCloseSchema(BodySchema):
    action = fields.String(required=True, validate=validate.OneOf(("graduate", "terminate"), error="须为 graduate（结业）或 terminate（提前终止）"))
    closed_on = Date(required=True)
    evaluation = fields.String(allow_none=True, load_default=None,
                               validate=validate.OneOf(EVALUATIONS, error="结业评价须为 {choices} 之一"),
                               metadata={"description": "结业时必填"})
    reason = Text(200, load_default="", metadata={"description": "提前终止时必填"})


class ActivitySchema(Schema):
    id = fields.Integer(required=True)
    pairing_id = fields.Integer(required=True)
    district_id = fields.Integer(required=True)
    held_on = fields.Date(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    hours = fields.Function(lambda a: f"{a.hours:.1f}", required=True,
                            metadata={"type": "string", "pattern": r"^\d+\.\d$", "description": "学时，一位小数"})
    notes = fields.String(required=True)
    created_by = fields.String(required=True)
    created_at = UtcDateTime(required=True)


class ActivityQuerySchema(QuerySchema):
    pairing_id = QueryId()
    district_id = QueryId()
    kind = fields.String(validate=validate.OneOf(KINDS))
    held_from = Date()
    held_to = Date()


class ActivityCreateSchema(BodySchema):
    pairing_id = Id(required=True)
    held_on = Date(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS, error="活动形式须为 {choices} 之一"))
    hours = fields.String(required=True, validate=validate.Regexp(r"^\d{1,2}(\.\d)?$", error="学时须为 0.5–24 之间的数字，最多一位小数"),
                          metadata={"description": "学时，如 \"1.5\"（0.5–24）"})
    notes = Text(500, load_default="")
