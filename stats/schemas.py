"""The API's query and answer of the workforce statistics (documented in the OpenAPI file)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from hr.core.schema import QueryId, QuerySchema

SHARE = {"description": "比例，0–1（无人时为 null）"}
MONEY = {"description": "金额（元），两位小数的字符串；无数据时为 null"}


def _share(**kw: object) -> fields.Float:
    return fields.Float(allow_none=True, metadata={**SHARE, **kw})


def _money(**kw: object) -> fields.String:
    return fields.String(allow_none=True, metadata={**MONEY, **kw})


def _counts(description: str) -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": description})


class WorkforceQuerySchema(QuerySchema):
    year = fields.Integer(validate=validate.Range(2000, 2100, error="年度须为 2000–2100"),
                          error_messages={"invalid": "须为整数"},
                          metadata={"description": "年度；缺省为今年（数据截至今天）"})
    district_id = QueryId(metadata={"description": "区；区人事专员缺省为本区，其他区答复 404"})
    street_id = QueryId(metadata={"description": "街镇（须在所选区内）"})


class PostGradeCountSchema(Schema):
    post = fields.String(required=True, metadata={"description": "LEAD 负责人 / SUPV 主管 / STAF 工作人员"})
    grade = fields.Integer(required=True)
    count = fields.Integer(required=True)


class YearFlowSchema(Schema):
    year = fields.Integer(required=True)
    headcount_start = fields.Integer(required=True, metadata={"description": "1 月 1 日在职人数"})
    headcount_end = fields.Integer(required=True, metadata={"description": "12 月 31 日（今年为今天）在职人数"})
    joiners = fields.Integer(required=True)
    leavers = fields.Integer(required=True)
    turnover = _share(description="离职率 = 离职人数 ÷（年初人数 + 入职人数）")


class MentoringFiguresSchema(Schema):
    studios = fields.Integer(required=True)
    active_pairings = fields.Integer(required=True)
    eligible_mentees = fields.Integer(required=True)
    paired_mentees = fields.Integer(required=True)
    share_paired = _share()
    activities = fields.Integer(required=True)
    activity_hours = fields.Float(required=True)


class UnitFiguresSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    headcount = fields.Integer(required=True)
    mean_age = fields.Float(allow_none=True)
    share_college = _share()
    share_party = _share()
    share_qualified = _share()
    joiners = fields.Integer(required=True)
    leavers = fields.Integer(required=True)
    mean_annual_gross = _money()
    total_cost = _money()


class WorkforceSchema(Schema):
    """社区工作者队伍建设统计：一个年度、一个范围（全市、区或街镇）。"""

    year = fields.Integer(required=True)
    as_of = fields.Date(required=True, metadata={"description": "统计时点：12 月 31 日，今年为今天"})
    scope = fields.String(required=True, metadata={"description": "全市、区名或区名+街镇名"})
    district_id = fields.Integer(allow_none=True)
    street_id = fields.Integer(allow_none=True)
    headcount = fields.Integer(required=True, metadata={"description": "统计时点在职人数"})
    mean_age = fields.Float(allow_none=True, metadata={"description": "平均年龄（周岁）"})
    share_female = _share()
    share_college = _share(description="大专及以上学历比例，0–1")
    share_party = _share(description="中共党员（含预备党员）比例，0–1")
    share_qualified = _share(description="持社会工作者职业资格证书比例，0–1")
    joiners = fields.Integer(required=True)
    leavers = fields.Integer(required=True)
    headcount_start = fields.Integer(required=True)
    turnover = _share(description="离职率 = 离职人数 ÷（年初人数 + 入职人数）")
    mean_annual_gross = _money(description="全年在职且有工资条人员的人均年度应发（元）")
    full_year_paid_workers = fields.Integer(required=True)
    total_gross = _money()
    employer_total = _money()
    total_cost = _money(description="应发合计 + 单位缴费合计（元）")
    pay_months = fields.List(fields.Integer(), required=True, metadata={"description": "有工资条的月份"})
    open_months = fields.List(fields.Integer(), required=True, metadata={"description": "其中尚未锁定的月份"})
    mean_service_years = fields.Float(allow_none=True)
    age_bands = _counts("年龄段 → 人数")
    gender = _counts("性别 → 人数")
    education = _counts("学历 → 人数")
    political_status = _counts("政治面貌 → 人数")
    qualification = _counts("职业资格 → 人数（统计时点已取得）")
    service_years = _counts("工作年限段 → 人数")
    posts = _counts("岗位 → 人数")
    ungraded = fields.Integer(required=True, metadata={"description": "统计时点无岗位等级记录的人数"})
    post_grade = fields.List(fields.Nested(PostGradeCountSchema), required=True)
    mean_annual_gross_by_post = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True),
                                            metadata={"description": "岗位 → 人均年度应发（元）"})
    promotions = _counts("晋级原因 → 人次")
    mentoring = fields.Nested(MentoringFiguresSchema, required=True)
    history = fields.List(fields.Nested(YearFlowSchema), required=True, metadata={"description": "近十年"})
    units = fields.List(fields.Nested(UnitFiguresSchema), required=True,
                        metadata={"description": "全市时为各区，区或街镇时为各街镇"})
