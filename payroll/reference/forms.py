"""Forms of the reference pages. Amounts are plain text fields: the services parse them as
exact decimals and say in Chinese what is wrong, beside the field."""
from __future__ import annotations

from typing import Any

from wtforms import DateField, FieldList, FormField, HiddenField, StringField
from wtforms import Form as PlainForm
from wtforms.validators import Length, Optional

from hr.core.forms import Form
from hr.core.vocabulary import GRADES, HELD_QUALIFICATIONS, POST_NAMES, POSTS, RATINGS
from payroll.reference.services import RATE_FIELDS
from payroll.reference.tables import BOUND_FIELDS, MAX_BRACKETS

POST_LABELS = dict(POST_NAMES)
RATE_LABELS = {
    "pension": "养老保险（个人）", "medical": "医疗保险（个人）", "unemployment": "失业保险（个人）",
    "employer_pension": "养老保险（单位）", "employer_medical": "医疗保险（单位）",
    "employer_unemployment": "失业保险（单位）", "work_injury": "工伤保险（单位）",
}
BOUND_LABELS = {"si_floor": "社保基数下限", "si_ceiling": "社保基数上限",
                "hf_floor": "公积金基数下限", "hf_ceiling": "公积金基数上限"}


def _amount(label: str) -> StringField:
    return StringField(label, validators=[Length(max=24, message="数值过长")])


def flat_fields(form: Any) -> dict[str, Any]:
    """Every input of a form by its HTML name, nested lists included (brackets-0-rate)."""
    out: dict[str, Any] = {}
    for f in form:
        if f.type in ("FieldList", "FormField"):
            out.update(flat_fields(f))
        else:
            out[f.name] = f
    return out


class ScaleForm(Form):
    performance_share = _amount("月度绩效比例")
    fingerprint = HiddenField()

    def raw(self) -> dict[str, Any]:
        return {name: f.data for name, f in flat_fields(self).items()}

    def grade_fields(self) -> list[Any]:
        return [self[f"grade_{g}"] for g in GRADES]

    def post_fields(self) -> list[Any]:
        return [self[f"post_{c}"] for c in POSTS]

    def qual_fields(self) -> list[Any]:
        return [self[f"qual_{i}"] for i in range(1, len(HELD_QUALIFICATIONS) + 1)]

    def bonus_fields(self) -> list[Any]:
        return [self[f"bonus_{i}"] for i in range(1, len(RATINGS) + 1)]


for _g in GRADES:
    setattr(ScaleForm, f"grade_{_g}", _amount(f"{_g} 级"))
for _c in POSTS:
    setattr(ScaleForm, f"post_{_c}", _amount(POST_LABELS[_c]))
for _i, _k in enumerate(HELD_QUALIFICATIONS, start=1):
    setattr(ScaleForm, f"qual_{_i}", _amount(_k))
for _i, _k in enumerate(RATINGS, start=1):
    setattr(ScaleForm, f"bonus_{_i}", _amount(_k))


class NewScaleForm(ScaleForm):
    year = StringField("起始年份", validators=[Length(max=8, message="年份过长")])


class BoundsForm(Form):
    fingerprint = HiddenField()

    def raw(self) -> dict[str, Any]:
        return {f: self[f].data for f in BOUND_FIELDS}


for _f in BOUND_FIELDS:
    setattr(BoundsForm, _f, _amount(BOUND_LABELS[_f]))


class NewBoundsForm(BoundsForm):
    year = StringField("缴费年度（起始年份）", validators=[Length(max=8, message="年份过长")])


class RatesForm(Form):
    fingerprint = HiddenField()

    def raw(self) -> dict[str, Any]:
        return {f: self[f].data for f in RATE_FIELDS}


for _f in RATE_FIELDS:
    setattr(RatesForm, _f, _amount(RATE_LABELS[_f]))


class NewRatesForm(RatesForm):
    start = DateField("执行日期", validators=[Optional()], format="%Y-%m-%d")


class BracketForm(PlainForm):
    upper = _amount("上限（元）")
    rate = _amount("税率")
    quick = _amount("速算扣除数（元）")


class TaxTableForm(Form):
    brackets = FieldList(FormField(BracketForm), min_entries=MAX_BRACKETS, max_entries=MAX_BRACKETS)
    fingerprint = HiddenField()

    def raw(self) -> list[dict[str, Any]]:
        return [entry.form.data for entry in self.brackets]

    def fill(self, brackets: list[Any]) -> None:
        for entry, (upper, rate, quick) in zip(self.brackets, brackets, strict=False):
            entry.form.upper.data = "" if upper is None else str(upper)
            entry.form.rate.data = str(rate)
            entry.form.quick.data = str(quick)


class NewTaxTableForm(TaxTableForm):
    start = DateField("执行日期", validators=[Optional()], format="%Y-%m-%d")
