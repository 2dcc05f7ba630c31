from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.validators import ValidationError as FieldError

from hr.core.forms import Form, choices
from hr.core.vocabulary import POST_NAMES, POST_RANGES
from hr.grades.models import QUALIFICATION_MODES
from hr.grades.services import SI_ROUNDING

POST_CHOICES = choices((code, f"{name}（{POST_RANGES[code][0]}–{POST_RANGES[code][1]} 级）") for code, name in POST_NAMES.items())


def _grade_in_post_range(form: Any, field: Any) -> None:
    post = form.post.data
    if field.data is None or post not in POST_RANGES:
        return
    lo, hi = POST_RANGES[post]
    if not lo <= field.data <= hi:
        raise FieldError(f"{POST_NAMES[post]}的等级须在 {lo}–{hi} 级之间")


def _first_of_month(form: Any, field: Any) -> None:
    if field.data is not None and field.data.day != 1:
        raise FieldError("生效日期须为某月 1 日")


class EntryForm(Form):
    post = RadioField("岗位", choices=POST_CHOICES, validators=[InputRequired("请选择岗位")])
    grade = IntegerField("确定等级", validators=[Optional(), NumberRange(1, 18, "等级须为 1–18"), _grade_in_post_range])
    note = StringField("调整理由", validators=[Optional(), Length(max=200, message="理由不能超过 200 字")])


class PostChangeForm(Form):
    post = SelectField("新岗位", choices=POST_CHOICES, validators=[InputRequired("请选择岗位")])
    effective = DateField("生效日期", format="%Y-%m-%d",
                          validators=[InputRequired("请输入生效日期"), _first_of_month])
    note = StringField("说明", validators=[Optional(), Length(max=200, message="说明不能超过 200 字")])


class CorrectionForm(Form):
    post = SelectField("岗位", choices=POST_CHOICES, validators=[InputRequired("请选择岗位")])
    grade = IntegerField("等级", validators=[InputRequired("请输入等级"), NumberRange(1, 18, "等级须为 1–18"),
                                             _grade_in_post_range])
    note = StringField("更正理由", validators=[InputRequired("请说明更正理由"), Length(max=200, message="理由不能超过 200 字")])


class QualificationForm(Form):
    effective = DateField("生效日期", format="%Y-%m-%d", validators=[Optional(), _first_of_month])


class SettingsForm(Form):
    qualification_mode = RadioField("职业资格处理方式", choices=choices(QUALIFICATION_MODES.items()),
                                    validators=[InputRequired("请选择")])
    hf_rate_pct = SelectField("住房公积金缴存比例", coerce=int, choices=choices([(7, "7%"), (6, "6%"), (5, "5%")]))
    si_rounding = SelectField("社保个人缴费舍入", choices=choices(SI_ROUNDING.items()))
    pay_day = IntegerField("发薪日（每月）", validators=[InputRequired("请输入发薪日"), NumberRange(1, 28, "发薪日须为 1–28")])


class RatingImportForm(Form):
    file = FileField("Excel 文件（.xlsx）", validators=[FileRequired("请选择要上传的文件")])


class ConfirmForm(Form):
    token = HiddenField(validators=[InputRequired()])
    filename = HiddenField()


class ApproveForm(Form):
    """Approve the ticked lines (`worker` values) or, with the button scope=all, every
    approvable line the filters show."""

    year = HiddenField(validators=[InputRequired()])
    district = HiddenField()


class ConfirmUndoForm(Form):
    """The confirmation of withdrawing an approved rise (CSRF only)."""
