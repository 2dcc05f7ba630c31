"""Forms of the per-worker input pages. Amounts are text (parsed as exact decimals by the
services); months are YYYY-MM."""
from __future__ import annotations

from typing import Any

from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.fields import MonthField
from wtforms.validators import InputRequired, Length, Optional

from hr.core.forms import Form, choices
from payroll.inputs.models import DECLARATION_KINDS
from payroll.inputs.options import BONUS_TAX_MODES
from payroll.inputs.services import ADJUSTMENT_KINDS
from payroll.reference.amounts import parse_month


class Month(MonthField):
    """A month as the 1st, typed as 2025-03 (browsers without a month picker send text)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not (valuelist[0] or "").strip():
            self.data = None
            return
        self.data = None
        self.data = parse_month(valuelist[0], "月份")  # AmountError is a ValueError: shown beside the field


def _none_or_int(value: Any) -> int | None:
    return None if value in (None, "", "None") else int(value)


class DeclarationForm(Form):
    kind = SelectField("类型", choices=choices(DECLARATION_KINDS))
    dependent = StringField("子女姓名", validators=[Optional(), Length(max=32, message="子女姓名过长")])
    monthly = StringField("每月金额（元）", validators=[Length(max=24, message="金额过长")])
    start_month = Month("起始月份", validators=[Optional()])
    end_month = Month("结束月份", validators=[Optional()])
    only_child = SelectField("是否独生子女（赡养老人）", choices=choices([
        ("", "—"), ("是", "是：每月最多 3000 元"), ("否", "否：分摊额每月最多 1500 元")]), validate_choice=False)

    def data_for_service(self) -> dict[str, Any]:
        return {f: getattr(self, f).data
                for f in ("kind", "dependent", "monthly", "start_month", "end_month", "only_child")}


class EndDeclarationForm(Form):
    end_month = Month("结束月份（含该月）", validators=[Optional()])


class BaseOverrideForm(Form):
    year = IntegerField("缴费年度（起始年份）", validators=[InputRequired("请填写缴费年度")])
    base = StringField("缴费基数（元/月）", validators=[Length(max=24, message="金额过长")])
    reason = StringField("原因", validators=[Length(max=200, message="原因不能超过 200 字")])


class PayProfileForm(Form):
    hf_rate_pct = SelectField("住房公积金比例", coerce=_none_or_int, choices=[],
                              invalid_choice_message="请选择 5%–7% 或区默认比例")
    hf_supp_pct = SelectField("补充住房公积金比例", coerce=int,
                              choices=choices([(str(i), f"{i}%" if i else "不缴") for i in range(0, 6)]),
                              invalid_choice_message="补充公积金比例须为 0%–5%")

    def set_default(self, district_pct: int) -> None:
        self.hf_rate_pct.choices = choices([("", f"区默认（{district_pct}%）")] + [(str(i), f"{i}%") for i in (5, 6, 7)])


class TaxOptionForm(Form):
    year = IntegerField("纳税年度", validators=[InputRequired("请填写纳税年度")])
    bonus_tax = SelectField("全年一次性奖金计税方式", choices=choices(BONUS_TAX_MODES.items()))
    first_income_of_year = BooleanField("本年度中间首次取得工资薪金（公告2020年第13号：基本减除费用从 1 月起算）")
    prior_year_low_income = BooleanField("上年全年在本单位任职且工资不超过 6 万元（公告2020年第19号：自 1 月起按 6 万元扣除）")


class AdjustmentForm(Form):
    kind = SelectField("类型", choices=choices(ADJUSTMENT_KINDS))
    amount = StringField("金额（元）", validators=[Length(max=24, message="金额过长")])
    pay_month = Month("发放月份", validators=[Optional()])
    corrects_month = Month("所属月份", validators=[Optional()])
    reason = StringField("原因", validators=[Length(max=200, message="原因不能超过 200 字")])

    def data_for_service(self) -> dict[str, Any]:
        return {f: getattr(self, f).data for f in ("kind", "amount", "pay_month", "corrects_month", "reason")}
