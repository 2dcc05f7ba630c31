from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hr.core.forms import Form, choices
from hr.core.vocabulary import EDUCATIONS, POLITICAL_STATUSES, QUALIFICATIONS


def _id_or_none(value: Any) -> int | None:
    """The committee select: its first option, "请选择", posts an empty value."""
    return None if value in (None, "") else int(value)


class WorkerForm(Form):
    name = StringField("姓名", validators=[DataRequired("请输入姓名"), Length(max=32, message="姓名过长")])
    id_number = StringField("身份证号", validators=[DataRequired("请输入身份证号"), Length(max=30, message="身份证号过长")])
    phone = StringField("手机号", validators=[Optional(), Length(max=20, message="手机号过长")])
    # No preselected value: an officer who skips these gets a message, not 高中/中专 or 中共党员.
    education = SelectField("学历", choices=choices([("", "请选择学历")] + list(EDUCATIONS)),
                            validators=[DataRequired("请选择学历")])
    political_status = SelectField("政治面貌", choices=choices([("", "请选择政治面貌")] + list(POLITICAL_STATUSES)),
                                   validators=[DataRequired("请选择政治面貌")])
    qualification = SelectField("职业资格", choices=choices(QUALIFICATIONS))
    qualification_date = DateField("资格取得日期", validators=[Optional()], format="%Y-%m-%d")
    hire_date = DateField("入职日期", validators=[InputRequired("请输入入职日期")], format="%Y-%m-%d")
    prior_years = IntegerField("认定社区工作年限", default=0,
                               validators=[InputRequired("请输入年限（无则填 0）"), NumberRange(0, 45, "年限须为 0–45")])
    committee_id = SelectField("所属居委会", coerce=_id_or_none, choices=[],
                               validators=[DataRequired("请选择所属居委会")],
                               invalid_value_message="请选择所属居委会",
                               invalid_choice_message="所选居委会不存在或不在您的管辖范围内")
    shiye = BooleanField("事业待遇（不参加三岗十八级薪酬发放）")
    reserve_cadre = BooleanField("后备干部")
    first_job = BooleanField("首次参加工作（住房公积金自参加工作的第二个月起缴存）")
    bank_name = StringField("开户行", validators=[Optional(), Length(max=64, message="开户行过长")])
    bank_account = StringField("银行账号", validators=[Optional(), Length(max=32, message="银行账号过长")])
    version = HiddenField()

    def data_for_service(self) -> dict[str, object]:
        return {
            f: getattr(self, f).data
            for f in (
                "name", "id_number", "phone", "education", "political_status", "qualification",
                "qualification_date", "hire_date", "prior_years", "committee_id", "shiye",
                "reserve_cadre", "bank_name", "bank_account", "first_job",
            )
        }


class DepartureForm(Form):
    status = SelectField("类型", choices=choices(("离职", "退休")))
    leave_date = DateField("最后在岗日期", validators=[InputRequired("请输入日期")], format="%Y-%m-%d")
    leave_reason = StringField("原因", validators=[Optional(), Length(max=200, message="原因不能超过 200 字")])
    version = HiddenField()


class ImportForm(Form):
    file = FileField("Excel 文件（.xlsx）", validators=[FileRequired("请选择要上传的文件")])


class ConfirmImportForm(Form):
    token = HiddenField(validators=[DataRequired()])
    filename = HiddenField()
