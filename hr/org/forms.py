from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from hr.core.forms import Form, choices
from hr.org.models import COMMITTEE_KINDS, STREET_KINDS


class StreetForm(Form):
    name = StringField("名称", validators=[DataRequired("请输入名称"), Length(max=32, message="名称不能超过 32 个字")])
    kind = SelectField("类型", choices=choices(STREET_KINDS))


class CommitteeForm(Form):
    name = StringField("名称", validators=[DataRequired("请输入名称"), Length(max=32, message="名称不能超过 32 个字")])
    kind = SelectField("类型", choices=choices(COMMITTEE_KINDS))


class RenameForm(Form):
    name = StringField("新名称", validators=[DataRequired("请输入名称"), Length(max=32, message="名称不能超过 32 个字")])
