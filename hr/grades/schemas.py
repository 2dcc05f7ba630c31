"""The shapes of the post/grade timeline, the annual ratings and the promotion run's
proposals, and of the bodies that change them (the rules stay in services.py and rules.py)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow import ValidationError as SchemaError

from hr.core.schema import BodySchema, Date, Id, QueryId, QuerySchema, Text, UtcDateTime
from hr.core.vocabulary import POSTS, RATINGS
from hr.grades.models import REASONS
from hr.grades.rules import KIND_NAMES
from hr.workers.idcard import mask

POST = validate.OneOf(POSTS, error="岗位须为 LEAD（负责人）/SUPV（主管）/STAF（工作人员）之一")
GRADE = validate.Range(1, 18, error="等级须为 1–18")


class AssignmentSchema(Schema):
    """One entry of the timeline, in force from `effective` until the next entry."""

    id = fields.Integer(required=True)
    worker_id = fields.Integer(required=True)
    district_id = fields.Integer(required=True)
    post = fields.String(required=True, validate=validate.OneOf(POSTS))
    post_name = fields.String(required=True)
    grade = fields.Integer(required=True)
    effective = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(REASONS))
    note = fields.String(required=True)
    corrects_id = fields.Integer(required=True, allow_none=True,
                                 metadata={"description": "纠错记录所更正的记录"})
    approved_by = fields.String(required=True)
    qualification = fields.String(required=True)
    created_at = UtcDateTime(required=True)


class AssignmentQuerySchema(QuerySchema):
    worker_id = QueryId()
    district_id = QueryId()
    post = fields.String(validate=validate.OneOf(POSTS))
    reason = fields.String(validate=validate.OneOf(REASONS))
    effective_from = Date(metadata={"description": "生效日期不早于"})
    effective_to = Date(metadata={"description": "生效日期不晚于"})


class EntryGradeSchema(BodySchema):
    """入职定级: effective on the 1st of the hire month. Without `grade` the proposal of the
    rules is taken; another grade is an override and needs a `note`."""

    post = fields.String(required=True, validate=POST)
    grade = fields.Integer(strict=True, allow_none=True, load_default=None, validate=GRADE)
    note = Text(200, load_default="")


class PostChangeSchema(BodySchema):
    """岗位变动: the grade is kept, brought into the new post's range."""

    post = fields.String(required=True, validate=POST)
    effective = Date(required=True, metadata={"description": "某月 1 日，晚于最近一条记录"})
    note = Text(200, load_default="")


class CorrectionSchema(BodySchema):
    """纠错: a new entry on the corrected entry's date; the corrected one stays visible."""

    post = fields.String(required=True, validate=POST)
    grade = fields.Integer(required=True, strict=True, validate=GRADE)
    note = Text(200, 1, required=True, metadata={"description": "更正理由"})


class QualificationGradeSchema(BodySchema):
    """资格晋级 for the qualification recorded on the worker (districts in mode 'grade')."""

    effective = Date(allow_none=True, load_default=None, metadata={"description": "默认取应晋级的日期"})


class AssessmentSchema(Schema):
    id = fields.Integer(required=True)
    worker_id = fields.Integer(required=True)
    district_id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    rating = fields.String(required=True, validate=validate.OneOf(RATINGS))
    entered_by = fields.String(required=True)
    entered_at = UtcDateTime(required=True)


class AssessmentQuerySchema(QuerySchema):
    worker_id = QueryId()
    district_id = QueryId()
    year = fields.Integer(validate=validate.Range(1980, 2100, error="年度须为 1980–2100"))
    rating = fields.String(validate=validate.OneOf(RATINGS))


class RatingSchema(BodySchema):
    rating = fields.String(required=True, allow_none=True, validate=validate.OneOf(RATINGS, error="考核结果须为 {choices} 之一"),
                           metadata={"description": "null 清除该年度的考核结果"})


class RatingItemSchema(BodySchema):
    worker_id = Id(required=True)
    year = fields.Integer(required=True, strict=True, validate=validate.Range(1980, 2100, error="年度须为 1980–2100"))
    rating = fields.String(required=True, allow_none=True, validate=validate.OneOf(RATINGS, error="考核结果须为 {choices} 之一"))


class RatingBatchSchema(BodySchema):
    """Several ratings at once: all saved, or (one error) none. Errors are keyed "worker_id/year"."""

    items = fields.List(fields.Nested(RatingItemSchema), required=True,
                        validate=validate.Length(1, 2000, error="一次 1–2000 条"))


class RatingCountsSchema(Schema):
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    deleted = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)


class PromotionLineSchema(Schema):
    """What the promotion run for 1 January of a year says about one worker."""

    worker_id = fields.Integer(required=True)
    district_id = fields.Integer(required=True)
    name = fields.String(required=True)
    id_number = fields.Function(lambda line: mask(line.id_number), required=True, metadata={"type": "string"})
    street_id = fields.Integer(required=True)
    street = fields.String(required=True)
    committee_id = fields.Integer(required=True)
    committee = fields.String(required=True)
    post = fields.String(required=True, attribute="proposal.post")
    post_name = fields.String(required=True)
    grade = fields.Integer(required=True, attribute="proposal.grade")
    new_grade = fields.Integer(required=True, attribute="proposal.new_grade")
    kind = fields.String(required=True, attribute="proposal.kind", validate=validate.OneOf(tuple(KIND_NAMES)))
    reason = fields.String(required=True, attribute="proposal.reason")
    detail = fields.String(required=True, attribute="proposal.detail")
    since = fields.Date(required=True, attribute="proposal.since")
    rises = fields.Boolean(required=True, attribute="proposal.rises")
    approvable = fields.Boolean(required=True, metadata={"description": "可审批：应晋级且 1 月 1 日后没有别的任职记录"})
    later_entry = fields.Date(required=True, allow_none=True)


class PromotionQuerySchema(QuerySchema):
    district_id = QueryId(metadata={"description": "区人事专员可省略（本区）；全市账号必填"})
    year = fields.Integer(validate=validate.Range(1981, 2100, error="年度须为 1981–2100"),
                          metadata={"description": "晋级生效年度（该年 1 月 1 日），默认本年（12 月起为下一年）"})
    kind = fields.String(validate=validate.OneOf(("rise", *KIND_NAMES)),
                         metadata={"description": "rise 全部晋级，或一种结论"})
    post = fields.String(validate=validate.OneOf(POSTS))
    street_id = QueryId()
    q = Text(32, metadata={"description": "姓名包含，或身份证号前缀"})


class PromotionApproveSchema(BodySchema):
    """Approve the rises of the given workers, or of every approvable one (`all`). The run is
    computed afresh: what is no longer due is skipped."""

    district_id = Id(metadata={"description": "区人事专员可省略（本区）"})
    year = fields.Integer(required=True, strict=True, validate=validate.Range(1981, 2100, error="年度须为 1981–2100"))
    worker_ids = fields.List(Id(), validate=validate.Length(1, 20000, error="须为 1–20000 个职工"))
    all = fields.Boolean(load_default=False, metadata={"description": "批准全部可审批的晋级"})

    @validates_schema
    def _one_of(self, data: dict[str, object], **kwargs: object) -> None:
        if bool(data.get("worker_ids")) == bool(data.get("all")):
            raise SchemaError("须给出 worker_ids 或 all=true（二者之一）", "worker_ids")


class PromotionResultSchema(Schema):
    district_id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    approved = fields.Integer(required=True, metadata={"description": "写入的晋级记录数"})
