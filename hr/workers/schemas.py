"""The shape of a worker in the API: list item (ID number masked), detail, and the bodies of
creation, edit and departure. The rules themselves stay in services.clean()."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from hr.accounts.personal import mask_value
from hr.core.schema import BodySchema, Date, Id, QueryId, QuerySchema, Text, UtcDateTime
from hr.core.vocabulary import EDUCATIONS, POLITICAL_STATUSES, QUALIFICATIONS, WORKER_STATUSES
from hr.workers.idcard import mask
from hr.workers.queries import SORTS
from hr.workers.services import EDITABLE


class WorkerListItemSchema(Schema):
    """A row of a list: the ID number always masked (first 6 and last 4 characters)."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    id_number: fields.Field[Any] = fields.Function(lambda w: mask(w.id_number), required=True,
                                metadata={"type": "string", "description": "脱敏：前 6 位和后 4 位，如 310101********0022"})
    gender = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(WORKER_STATUSES))
    hire_date = fields.Date(required=True)
    leave_date = fields.Date(required=True, allow_none=True)
    district_id = fields.Integer(required=True)
    street_id = fields.Integer(required=True)
    street = fields.String(attribute="street.name", required=True)
    committee_id = fields.Integer(required=True)
    committee = fields.String(attribute="committee.name", required=True)
    shiye = fields.Boolean(required=True)
    reserve_cadre = fields.Boolean(required=True)
    first_job = fields.Boolean(required=True, metadata={"description": "首次参加工作：住房公积金自入职次月起缴存"})
    version = fields.Integer(required=True)


class WorkerSchema(WorkerListItemSchema):
    """One worker. `WorkerSchema(full=True)` shows the ID number and bank account in full (for
    users who may edit the worker); otherwise both are masked."""

    id_number = fields.Method("_id_number", required=True, metadata={
        "type": "string", "description": "可修改该职工的用户看到完整号码，只读账号看到脱敏号码"})
    birth_date = fields.Date(required=True)
    phone = fields.Method("_phone", required=True, metadata={"type": "string", "description": "只读审计账号看到脱敏号码"})
    education = fields.String(required=True, validate=validate.OneOf(EDUCATIONS))
    political_status = fields.String(required=True, validate=validate.OneOf(POLITICAL_STATUSES))
    qualification = fields.String(required=True, validate=validate.OneOf(QUALIFICATIONS))
    qualification_date = fields.Date(required=True, allow_none=True)
    prior_years = fields.Integer(required=True)
    district = fields.String(attribute="district.name", required=True)
    leave_reason = fields.String(required=True)
    bank_name = fields.String(required=True)
    bank_account = fields.Method("_bank_account", required=True, metadata={
        "type": "string", "description": "只读账号看到脱敏账号"})
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)

    def __init__(self, *args: Any, full: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.full = full

    def _id_number(self, w: Any) -> str:
        return w.id_number if self.full else mask(w.id_number)

    def _phone(self, w: Any) -> str:
        return w.phone if self.full or not w.phone else mask_value("phone", w.phone)

    def _bank_account(self, w: Any) -> str:
        return w.bank_account if self.full or not w.bank_account else mask(w.bank_account)


def _write_fields(create: bool) -> dict[str, Any]:
    """The editable fields (services.EDITABLE), required as a new worker needs them."""
    req: dict[str, Any] = {"required": True} if create else {}
    opt: dict[str, Any] = {}
    f: dict[str, Any] = {
        "name": Text(32, **req),
        "id_number": Text(30, **req, metadata={"description": "18 位居民身份证号"}),
        "phone": Text(20, **opt),
        "education": fields.String(validate=validate.OneOf(EDUCATIONS, error="学历须为 {choices} 之一"), **req),
        "political_status": fields.String(validate=validate.OneOf(POLITICAL_STATUSES, error="政治面貌须为 {choices} 之一"), **req),
        "qualification": fields.String(validate=validate.OneOf(QUALIFICATIONS, error="职业资格须为 {choices} 之一")),
        "qualification_date": Date(allow_none=True),
        "hire_date": Date(**req),
        "prior_years": fields.Integer(strict=True, metadata={"description": "认定的社区工作年限 0–45"}),
        "committee_id": Id(**req),
        "shiye": fields.Boolean(metadata={"description": "事业待遇（不参加三岗十八级薪酬发放）"}),
        "reserve_cadre": fields.Boolean(),
        "first_job": fields.Boolean(metadata={"description": "首次参加工作（住房公积金自参加工作的第二个月起缴存）"}),
        "bank_name": Text(64),
        "bank_account": Text(40),
    }
    assert set(f) == set(EDITABLE)
    return f


WorkerCreateSchema = type("WorkerCreateSchema", (BodySchema,), {
    "__doc__": "A new worker; omitted optional fields take the values of `defaults()`.",
    **_write_fields(create=True),
})

WorkerUpdateSchema = type("WorkerUpdateSchema", (BodySchema,), {
    "__doc__": "Only the fields given change. `version` is the version the edit was based on: if the "
               "worker was saved in between, the edit is refused (409).",
    **_write_fields(create=False),
    "version": Id(required=True),
})


class DepartureSchema(BodySchema):
    status = fields.String(required=True, validate=validate.OneOf(("离职", "退休"), error="须为 离职 或 退休"))
    leave_date = Date(required=True, metadata={"description": "最后在岗日期"})
    leave_reason = Text(200, load_default="")
    version = Id(required=True)


class WorkerQuerySchema(QuerySchema):
    q = Text(32, metadata={"description": "姓名或居委会名称包含；以数字开头时按身份证号前缀查找"})
    district_id = QueryId()
    street_id = QueryId()
    committee_id = QueryId()
    status = fields.String(load_default="在职", validate=validate.OneOf((*WORKER_STATUSES, "all")),
                           metadata={"description": "在职（默认）、离职、退休，或 all 全部"})
    sort = fields.String(load_default="name", validate=validate.OneOf(tuple(SORTS)))
    dir = fields.String(load_default="asc", validate=validate.OneOf(("asc", "desc")))


def defaults() -> dict[str, Any]:
    """What an omitted optional field means on creation (as the web form posts it)."""
    return {"phone": "", "qualification": "无", "qualification_date": None, "prior_years": 0,
            "shiye": False, "reserve_cadre": False, "bank_name": "", "bank_account": "",
            "first_job": False}
