from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from hr.org.models import COMMITTEE_KINDS, STREET_KINDS


class StreetForm(FlaskForm):
    name = StringField("名称", validators=[DataRequired("请输入名称"), Length(max=32, message="名称不能超过 32 个字")])
    kind = SelectField("类型", choices=[(k, k) for k in STREET_KINDS])


class CommitteeForm(FlaskForm):
    name = StringField("名称", validators=[DataRequired("请输入名称"), Length(max=32, message="名称不能超过 32 个字")])
    kind = SelectField("类型", choices=[(k, k) for k in COMMITTEE_KINDS])


class RenameForm(FlaskForm):
    name = StringField("新名称", validators=[DataRequired("请输入名称"), Length(max=32, message="名称不能超过 32 个字")])
