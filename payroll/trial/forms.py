"""The trial calculation's form: every input of a case from lists with Chinese labels. It only
builds the JSON case of `POST /api/v1/payroll/preview` (`case()`); the schema behind the API
validates it and the same service calculates it."""
from __future__ import annotations

from datetime import date
from typing import Any

from wtforms import BooleanField, SelectField, StringField
from wtforms.fields import DateField
from wtforms.validators import InputRequired, Length, Optional

from hr.core.forms import Form, choices
from hr.core.vocabulary import POST_NAMES, QUALIFICATIONS, RATINGS
from payroll.inputs.models import DECLARATION_KINDS
from payroll.inputs.options import BONUS_TAX_MODES

HF_RATES = (("0.07", "7%"), ("0.06", "6%"), ("0.05", "5%"))
SPECIAL_FIELDS = {f"special_{i}": kind for i, kind in enumerate(DECLARATION_KINDS)}
MONTHS = [(str(m), f"{m}月") for m in range(1, 13)]


class TrialForm(Form):
    year = SelectField("年度")
    from_month = SelectField("从", choices=choices(MONTHS), default="1")
    to_month = SelectField("到", choices=choices(MONTHS), default="12")
    post = SelectField("岗位", choices=choices([(name, name) for name in POST_NAMES.values()]), default="工作人员")
    grade = SelectField("等级", choices=choices([(str(g), f"{g}级") for g in range(1, 19)]), default="5")
    qualification = SelectField("职业资格", choices=choices(
        [(q, "未持证" if q == "无" else q) for q in QUALIFICATIONS]), default="无")
    qualification_date = DateField("资格取得日期", validators=[Optional()])
    hire_date = DateField("入职日期", validators=[InputRequired("请填写入职日期")])
    leave_date = DateField("离职日期", validators=[Optional()])
    rating = SelectField("当年考核结果（12月考核奖）", choices=choices(
        [("", "未录入（不计考核奖）"), *[(r, r) for r in RATINGS]]), default="合格")
    bonus_tax = SelectField("年度考核奖计税", choices=choices(list(BONUS_TAX_MODES.items())), default="merged")
    hf_rate = SelectField("住房公积金比例", choices=choices(HF_RATES), default="0.07")
    contribution_base = StringField("社保缴费基数（元/月，留空按规则推算）",
                                    validators=[Optional(), Length(max=24, message="金额过长")])
    first_income_of_year = BooleanField("年内首次取得工资（公告2020年第13号）")
    prior_year_low_income = BooleanField("上年收入不超过6万元（公告2020年第19号）")
    first_job = BooleanField("首次参加工作（住房公积金自次月起缴）")
    only_child = BooleanField("独生子女（赡养老人每月最多3,000元，否则分摊最多1,500元）")

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year.choices = choices([(str(y), f"{y}年") for y in years])

    def special_fields(self) -> list[tuple[Any, str]]:
        return [(getattr(self, name), kind) for name, kind in SPECIAL_FIELDS.items()]

    def case(self) -> dict[str, Any]:
        """The case as the API takes it (JSON values: dates as text, amounts as text)."""
        def day(d: date | None) -> str | None:
            return d.isoformat() if d else None

        year = int(self.year.data or 0)
        case: dict[str, Any] = {
            "year": year, "from_month": int(self.from_month.data or 1), "to_month": int(self.to_month.data or 12),
            "post": self.post.data, "grade": int(self.grade.data or 0),
            "qualification": self.qualification.data, "qualification_date": day(self.qualification_date.data),
            "hire_date": day(self.hire_date.data), "leave_date": day(self.leave_date.data),
            "rating": self.rating.data or None, "bonus_tax": self.bonus_tax.data, "hf_rate": self.hf_rate.data,
            "first_income_of_year": bool(self.first_income_of_year.data),
            "prior_year_low_income": bool(self.prior_year_low_income.data),
            "first_job": bool(self.first_job.data),
            "special_deductions": [],
        }
        if (self.contribution_base.data or "").strip():
            case["contribution_base"] = self.contribution_base.data.strip()
        for field, kind in self.special_fields():
            # Amounts go to the API's money reader as typed: thousands separators where they
            # belong are read, a misplaced comma is refused there.
            amount = (field.data or "").strip()
            if amount:
                line = {"kind": kind, "monthly": amount, "from": f"{year}-01"}
                if kind == "赡养老人":
                    line["only_child"] = bool(self.only_child.data)
                case["special_deductions"].append(line)
        return case


for _name, _kind in SPECIAL_FIELDS.items():
    setattr(TrialForm, _name, StringField(f"{_kind}（元/月）", validators=[Optional(), Length(max=24, message="金额过长")]))
