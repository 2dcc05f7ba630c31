"""The shapes of districts, streets and committees (API and reference files)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from hr.core.schema import BodySchema, Id, QueryId, QuerySchema, Text
from hr.org.models import COMMITTEE_KINDS, STREET_KINDS


class DistrictSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"description": "GB/T 2260 区划代码，如 310109"})
    name = fields.String(required=True)
    pinyin = fields.String(required=True)


class StreetSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    district_id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(STREET_KINDS))


class CommitteeSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    street_id = fields.Integer(required=True)
    district_id = fields.Integer(attribute="street.district_id", required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(COMMITTEE_KINDS))


class OrgQuerySchema(QuerySchema):
    q = Text(32, metadata={"description": "名称包含"})
    code = Text(12, metadata={"description": "代码以此开头"})


class StreetQuerySchema(OrgQuerySchema):
    district_id = QueryId()
    kind = fields.String(validate=validate.OneOf(STREET_KINDS))


class CommitteeQuerySchema(OrgQuerySchema):
    district_id = QueryId()
    street_id = QueryId()
    kind = fields.String(validate=validate.OneOf(COMMITTEE_KINDS))


class StreetCreateSchema(BodySchema):
    district_id = Id(required=True)
    name = Text(32, 1, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(STREET_KINDS, error="类型须为 {choices} 之一"))


class CommitteeCreateSchema(BodySchema):
    street_id = Id(required=True)
    name = Text(32, 1, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(COMMITTEE_KINDS, error="类型须为 {choices} 之一"))


class RenameSchema(BodySchema):
    name = Text(32, 1, required=True)
