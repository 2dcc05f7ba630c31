from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hr.core.forms import Form, choices
from hr.mentoring.models import FILE_KINDS
from hr.mentoring.rules import EVALUATIONS, KINDS


def _id_or_none(value: Any) -> int | None:
    """Selects whose first option ("请选择", "全区") posts an empty value."""
    return None if value in (None, "") else int(value)


class StudioForm(Form):
    name = StringField("工作室名称", validators=[DataRequired("请输入工作室名称"), Length(max=64, message="名称过长")])
    street_id = SelectField("所在街镇", coerce=_id_or_none, choices=[],
                            invalid_choice_message="所选街镇不存在或不在您的管辖范围内")
    lead_id = SelectField("领衔人", coerce=_id_or_none, choices=[], validators=[DataRequired("请选择领衔人")],
                          invalid_value_message="请选择领衔人",
                          invalid_choice_message="所选领衔人不是本区负责人岗位的在职职工")
    founded = DateField("成立日期", validators=[InputRequired("请输入成立日期")], format="%Y-%m-%d")
    active = BooleanField("运行中（停用后不能开设新届次和新结对）", default=True)
    intro = TextAreaField("简介", validators=[Optional(), Length(max=2000, message="简介不能超过 2000 字")])

    def data_for_service(self) -> dict[str, Any]:
        return {f: getattr(self, f).data for f in ("name", "street_id", "lead_id", "founded", "active", "intro")
                if f in self._fields}


class MemberForm(Form):
    worker_id = SelectField("导师", coerce=_id_or_none, choices=[], validators=[DataRequired("请选择导师")],
                            invalid_value_message="请选择导师",
                            invalid_choice_message="所选职工不是本区负责人岗位的在职职工")
    joined = DateField("加入日期", validators=[InputRequired("请输入加入日期")], format="%Y-%m-%d")


class LeaveForm(Form):
    left_on = DateField("退出日期", validators=[InputRequired("请输入退出日期")], format="%Y-%m-%d")


class CohortForm(Form):
    year = IntegerField("年度", validators=[InputRequired("请输入年度"), NumberRange(2000, 2100, "年度须为 4 位数")])
    opened = DateField("开班日期", validators=[InputRequired("请输入开班日期")], format="%Y-%m-%d")
    plan = TextAreaField("带教计划", validators=[Optional(), Length(max=5000, message="带教计划不能超过 5000 字")])


class CohortEditForm(Form):
    opened = DateField("开班日期", validators=[InputRequired("请输入开班日期")], format="%Y-%m-%d")
    plan = TextAreaField("带教计划", validators=[Optional(), Length(max=5000, message="带教计划不能超过 5000 字")])
    summary = TextAreaField("年度总结", validators=[Optional(), Length(max=5000, message="年度总结不能超过 5000 字")])


class FileForm(Form):
    kind = SelectField("类别", choices=choices(FILE_KINDS.items()))
    file = FileField("文件（PDF、Word、Excel、JPG、PNG）", validators=[FileRequired("请选择要上传的文件")])


class PairingForm(Form):
    year = SelectField("届次", coerce=_id_or_none, choices=[], validators=[DataRequired("请选择届次")],
                       invalid_value_message="请选择届次", invalid_choice_message="该工作室没有这一届次")
    mentor_id = SelectField("导师", coerce=_id_or_none, choices=[], validators=[DataRequired("请选择导师")],
                            invalid_value_message="请选择导师", invalid_choice_message="所选导师不是该工作室成员")
    mentee_id = SelectField("带教对象", coerce=_id_or_none, choices=[], validators=[DataRequired("请选择带教对象")],
                            invalid_value_message="请选择带教对象",
                            invalid_choice_message="所选职工不是本区的带教对象")
    start_on = DateField("开始日期", validators=[InputRequired("请输入开始日期")], format="%Y-%m-%d")
    end_on = DateField("结束日期", validators=[Optional()], format="%Y-%m-%d")


class CloseForm(Form):
    action = SelectField("办理", choices=choices((("graduate", "结业"), ("terminate", "提前终止"))))
    closed_on = DateField("日期", validators=[InputRequired("请输入日期")], format="%Y-%m-%d")
    evaluation = SelectField("结业评价", choices=choices([("", "（提前终止时不填）"), *[(e, e) for e in EVALUATIONS]]))
    reason = StringField("终止原因", validators=[Optional(), Length(max=200, message="原因不能超过 200 字")])


class ActivityForm(Form):
    held_on = DateField("日期", validators=[InputRequired("请输入活动日期")], format="%Y-%m-%d")
    kind = SelectField("形式", choices=choices(KINDS))
    hours = StringField("学时", validators=[DataRequired("请输入学时")])
    notes = StringField("内容", validators=[Optional(), Length(max=500, message="内容不能超过 500 字")])
