from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Regexp


class NewRunForm(FlaskForm):
    month = StringField("月份", validators=[
        DataRequired("请输入月份"), Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", message="月份格式应为 YYYY-MM，如 2026-11")])
    district = SelectField("区", choices=[], validate_choice=False)
