from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hr.workers.models import EDUCATIONS, POLITICAL, QUALIFICATIONS


class WorkerForm(FlaskForm):
    name = StringField("姓名", validators=[DataRequired("请输入姓名"), Length(max=32, message="姓名过长")])
    id_number = StringField("身份证号", validators=[DataRequired("请输入身份证号"), Length(max=30, message="身份证号过长")])
    phone = StringField("手机号", validators=[Optional(), Length(max=20, message="手机号过长")])
    education = SelectField("学历", choices=[(e, e) for e in EDUCATIONS])
    political_status = SelectField("政治面貌", choices=[(p, p) for p in POLITICAL])
    qualification = SelectField("职业资格", choices=[(q, q) for q in QUALIFICATIONS])
    qualification_date = DateField("资格取得日期", validators=[Optional()], format="%Y-%m-%d")
    hire_date = DateField("入职日期", validators=[InputRequired("请输入入职日期")], format="%Y-%m-%d")
    prior_years = IntegerField("认定社区工作年限", default=0,
                               validators=[InputRequired("请输入年限（无则填 0）"), NumberRange(0, 45, "年限须为 0–45")])
    committee_id = SelectField("所属居委会", coerce=int, choices=[],
                               validators=[DataRequired("请选择所属居委会")])
    shiye = BooleanField("事业待遇（不参加三岗十八级薪酬发放）")
    reserve_cadre = BooleanField("后备干部")
    bank_name = StringField("开户行", validators=[Optional(), Length(max=64, message="开户行过长")])
    bank_account = StringField("银行账号", validators=[Optional(), Length(max=32, message="银行账号过长")])
    version = HiddenField()

    def data_for_service(self) -> dict[str, object]:
        return {
            f: getattr(self, f).data
            for f in (
                "name", "id_number", "phone", "education", "political_status", "qualification",
                "qualification_date", "hire_date", "prior_years", "committee_id", "shiye",
                "reserve_cadre", "bank_name", "bank_account",
            )
        }


class DepartureForm(FlaskForm):
    status = SelectField("类型", choices=[("离职", "离职"), ("退休", "退休")])
    leave_date = DateField("最后在岗日期", validators=[InputRequired("请输入日期")], format="%Y-%m-%d")
    leave_reason = StringField("原因", validators=[Optional(), Length(max=200, message="原因不能超过 200 字")])
    version = HiddenField()


class ImportForm(FlaskForm):
    file = FileField("Excel 文件（.xlsx）", validators=[FileRequired("请选择要上传的文件")])


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    filename = HiddenField()
