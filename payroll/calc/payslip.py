"""One worker-month priced: the single home of the pay rules (§3-§6b).

``price(facts, carry, ref)`` takes the worker's facts in force that month, the carry-over
from the earlier months of the year and the reference data, and returns every line of the
slip with the figures behind the tax. The trial (``engine.simulate``), the monthly run,
the budget projection and retroactive differences all call it, so they cannot disagree.

Refusals (inputs the rules do not allow) raise ``PricingError`` naming the input field;
findings about a computed slip (a missing rating, a negative net pay) come back as
``Problem`` entries of the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, cast

from payroll.calc.contributions import (
    check_hf_rates,
    clamp_bases,
    contribution_base,
    employee_contributions,
    employer_contributions,
)
from payroll.calc.earnings import (
    annual_bonus,
    check_post_grade,
    days_in_service,
    month_earnings,
    months_in_service,
    qualification_allowance,
    standard_monthly,
)
from payroll.calc.money import ZERO, round_fen
from payroll.calc.reference import (
    QUALIFICATIONS,
    RATINGS,
    ContributionBounds,
    Rates,
    ScaleVersion,
    TaxBracket,
    bounds_for,
    contribution_year_start,
    scale_in_force,
)
from payroll.calc.results import MonthResult
from payroll.calc.special import SpecialDeduction, special_due
from payroll.calc.tax import (
    TaxState,
    annual_tax,
    basic_deduction,
    cumulative_taxable,
    lookup,
    monthly_tax,
    separate_bonus_tax,
)

__all__ = [
    "withholding_check",
    "BONUS_TAX_MODES",
    "COMPONENTS",
    "CarryOver",
    "PricingError",
    "Problem",
    "Reference",
    "WorkerMonth",
    "carry_after",
    "check_tax_options",
    "price",
    "reprice_lines",
]

BONUS_TAX_MODES: tuple[str, ...] = ("merged", "separate")
NOT_ASSESSED_AFTER = (9, 30)  # hired after 30 September: not assessed that year (§2.2)


class PricingError(ValueError):
    """An input the rules refuse; ``field`` names it, the message is Chinese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding about one priced month. ``blocking`` problems stop the approval of a run."""

    code: str
    message: str
    blocking: bool


@dataclass(frozen=True)
class Reference:
    """The reference data a pricing reads (see ``payroll.calc.reference``).

    ``rates`` are the rates in force on the reference date; ``rate_history`` (start,
    rates) rows, when given, are picked by month (employer pension 20% until
    2019-04-30, §6b).
    """

    scales: Sequence[ScaleVersion]
    bounds: Sequence[ContributionBounds]
    rates: Rates
    annual_table: Sequence[TaxBracket]
    bonus_table: Sequence[TaxBracket]
    separate_bonus_until: date = date(2027, 12, 31)  # 财政部 税务总局公告2023年第30号
    rate_history: Sequence[tuple[date, Rates]] = ()
    # Lookups memoised for the life of this object (one run, one trial): the reference
    # data cannot change under it.
    memo: dict[tuple[Any, ...], Any] = field(default_factory=dict, compare=False, repr=False)

    def rates_for(self, month: date) -> Rates:
        """The rates of the latest ``rate_history`` row starting on or before ``month``;
        ``rates`` when there is no history (or the month lies before it)."""
        key = ("rates", month)
        if key in self.memo:
            return cast(Rates, self.memo[key])
        best: tuple[date, Rates] | None = None
        for start, rates in self.rate_history:
            if start <= month and (best is None or start > best[0]):
                best = (start, rates)
        found = best[1] if best is not None else self.rates
        self.memo[key] = found
        return found

    def scale_on(self, month: date) -> ScaleVersion:
        """The pay-scale version in force in ``month`` (memoised ``scale_in_force``)."""
        key = ("scale", month)
        if key not in self.memo:
            self.memo[key] = scale_in_force(self.scales, month)
        return cast(ScaleVersion, self.memo[key])

    def bounds_on(self, month: date) -> ContributionBounds:
        """The contribution bounds of ``month`` (memoised ``bounds_for``)."""
        key = ("bounds", month)
        if key not in self.memo:
            self.memo[key] = bounds_for(self.bounds, month)
        return cast(ContributionBounds, self.memo[key])


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerMonth:
    """The facts in force for one worker in ``month`` (the 1st of a month). Money in yuan.

    ``base_post``/``base_grade``: the post and grade in force in the first month of the
    contribution year when that month lies before ``month`` (None: this month's).
    ``adjustments``: the signed sum of this month's 补发/补扣 lines. ``rating``: the
    year's assessment (used in December). ``hf_rate``/``hf_supplementary_rate``: fractions.
    """

    month: date
    post: str
    grade: int
    hire_date: date
    leave_date: date | None = None
    qualification: str = QUALIFICATIONS[0]
    qualification_date: date | None = None
    qualification_mode: str = "allowance"
    first_job: bool = False
    rating: str | None = None
    declarations: Sequence[SpecialDeduction] = ()
    adjustments: Decimal = ZERO
    base_override: Decimal | None = None
    base_post: str | None = None
    base_grade: int | None = None
    hf_rate: Decimal = Decimal("0.07")
    hf_supplementary_rate: Decimal = ZERO
    first_income_of_year: bool = False
    prior_year_low_income: bool = False
    bonus_tax: str = "merged"
    scale_version: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CarryOver:
    """What earlier months leave for this one, per worker and employer.

    ``tax``: the year's cumulative sums before this month at this employer (a new year
    or a new employer starts from ``TaxState()``); ``tax_months``: months employed by
    this employer this year before this month. ``base``/``base_source``: the base fixed
    by an earlier month of the contribution year starting ``base_year`` (unclamped); ``prior_year_grosses``:
    the monthly grosses paid in the previous calendar year.
    """

    tax: TaxState = field(default_factory=TaxState)
    tax_months: int = 0
    base: Decimal | None = None
    base_year: date | None = None
    base_source: str = ""
    prior_year_grosses: Sequence[Decimal] = ()


def _scale(facts: WorkerMonth, ref: Reference, month: date) -> ScaleVersion:
    """The explicit version of the facts for every month priced, else the one in force."""
    if facts.scale_version is None:
        return ref.scale_on(month)
    for scale in ref.scales:
        if scale.name == facts.scale_version:
            return scale
    raise PricingError("scale_version", f"未知的工资标准版本：{facts.scale_version}")


def _qualification(facts: WorkerMonth, scale: ScaleVersion, month: date) -> Decimal:
    if facts.qualification_mode == "grade":
        return ZERO
    return qualification_allowance(
        scale, facts.qualification, facts.qualification_date, month.year, month.month
    )


def check_tax_options(
    year: int, hire_date: date, first_income_of_year: bool, prior_year_low_income: bool
) -> None:
    """Raise PricingError unless the tax options may apply (§6b).

    13号 and 19号 are exclusive; 19号 needs the worker employed by this employer for
    all of the previous year (hired on or before 1 January of ``year`` - 1).
    """
    if first_income_of_year and prior_year_low_income:
        raise PricingError(
            "prior_year_low_income",
            "第13号公告（年度中间首次取得工资）与第19号公告（上年全年在本单位任职）情形不能同时适用",
        )
    if prior_year_low_income and hire_date > date(year - 1, 1, 1):
        raise PricingError(
            "prior_year_low_income",
            f"第19号公告仅适用于{year - 1}年全年在本单位任职的职工（入职日期 {hire_date.isoformat()}）",
        )


def _check(facts: WorkerMonth, ref: Reference) -> None:
    try:
        check_post_grade(facts.post, facts.grade)
    except ValueError:
        raise PricingError("grade", f"岗位 {facts.post} 不能定为 {facts.grade} 级") from None
    if facts.qualification not in QUALIFICATIONS:
        raise PricingError("qualification", f"未知的职业资格：{facts.qualification}")
    if facts.rating is not None and facts.rating not in RATINGS:
        raise PricingError("rating", f"未知的考核结果：{facts.rating}")
    if facts.bonus_tax not in BONUS_TAX_MODES:
        raise PricingError("bonus_tax", "年终奖计税方式须为 merged 或 separate")
    if facts.bonus_tax == "separate" and date(facts.month.year, 12, 31) > ref.separate_bonus_until:
        raise PricingError(
            "bonus_tax", f"年终奖单独计税政策执行至 {ref.separate_bonus_until:%Y年%m月%d日}"
        )
    try:
        check_hf_rates(facts.hf_rate, facts.hf_supplementary_rate)
    except ValueError:
        raise PricingError("hf_rate", "公积金比例须在 5%–7% 之间，补充公积金 0%–5%") from None
    check_tax_options(
        facts.month.year, facts.hire_date, facts.first_income_of_year, facts.prior_year_low_income
    )


def _base(
    facts: WorkerMonth, carry: CarryOver, ref: Reference, month: date
) -> tuple[Decimal, str, date | None]:
    """Unclamped contribution base (yuan), its source in words, and the month whose
    standard gross set it. Order (§4, §6a): the officer's override; the base fixed by an
    earlier month of the contribution year; last year's average monthly gross; the
    standard gross of the first month in service in the contribution year."""
    cy = contribution_year_start(month)
    if facts.base_override is not None:
        return round_fen(facts.base_override), "人工核定", None
    if carry.base is not None and carry.base_year == cy:
        return carry.base, carry.base_source or "本缴费年度已核定", None
    if carry.prior_year_grosses:
        return contribution_base(carry.prior_year_grosses, ZERO), f"{cy.year - 1}年月平均工资", None
    first = max(cy, facts.hire_date.replace(day=1))
    scale = _scale(facts, ref, first)
    post, grade = facts.post, facts.grade
    if first < month and facts.base_post is not None and facts.base_grade is not None:
        post, grade = facts.base_post, facts.base_grade
    gross = standard_monthly(scale, post, grade, _qualification(facts, scale, first)).gross
    source = "本月标准月薪" if first == month else f"{first:%Y-%m} 标准月薪"
    return gross, source, first


def _bonus(
    facts: WorkerMonth, scale: ScaleVersion, problems: list[Problem], worker: str
) -> Decimal:
    """The annual bonus paid in December (§3, §2.2): 0 for a hire after 30 September."""
    month = facts.month
    if month.month != 12:
        return round_fen(ZERO)
    cutoff = date(month.year, *NOT_ASSESSED_AFTER)
    if facts.hire_date > cutoff:
        problems.append(Problem(
            "not_assessed",
            f"{worker}{facts.hire_date:%Y年%m月%d日}入职，晚于9月30日，本年度不参加考核，无年度考核奖",
            False,
        ))
        return round_fen(ZERO)
    if facts.rating is None:
        problems.append(Problem(
            "rating_missing", f"{worker}缺少{month.year}年度考核结果，无法计算年度考核奖", True
        ))
        return round_fen(ZERO)
    return annual_bonus(
        scale.grade_pay[facts.grade],
        scale.bonus_multiplier[facts.rating],
        months_in_service(month.year, facts.hire_date, facts.leave_date),
    )


def price(
    facts: WorkerMonth, carry: CarryOver, ref: Reference, worker: str = ""
) -> MonthResult | None:
    """Price one worker-month; None when the worker has no day in service in the month.

    ``worker`` (a name) prefixes the Chinese messages of the problems, e.g. "张三：".
    All amounts in yuan, 2 places; roundings are those of the lower-level functions.
    Raises PricingError for inputs the rules refuse.
    """
    _check(facts, ref)
    month = facts.month
    served, length = days_in_service(month.year, month.month, facts.hire_date, facts.leave_date)
    if served == 0:
        return None
    who = f"{worker}：" if worker else ""
    problems: list[Problem] = []
    scale = _scale(facts, ref, month)
    qual = _qualification(facts, scale, month)
    key: tuple[Any, ...] = ("earnings", id(scale), facts.post, facts.grade, qual, served, length)
    pay = ref.memo.get(key)
    if pay is None:
        pay = ref.memo[key] = month_earnings(scale, facts.post, facts.grade, qual, served, length)
    bonus = _bonus(facts, scale, problems, who)
    adjustments = round_fen(facts.adjustments)
    gross = pay.gross + bonus + adjustments

    base, source, base_month = _base(facts, carry, ref, month)
    bounds = ref.bounds_on(month)
    si_base, hf_base = clamp_bases(base, bounds)
    rates = ref.rates_for(month)
    key = ("own", si_base, hf_base, id(rates), facts.hf_rate, facts.hf_supplementary_rate)
    own = ref.memo.get(key)
    if own is None:
        own = ref.memo[key] = employee_contributions(
            si_base, hf_base, rates, facts.hf_rate, facts.hf_supplementary_rate
        )
    housing_fund = own.housing_fund + own.housing_fund_supplementary
    if facts.first_job and month == facts.hire_date.replace(day=1):
        housing_fund = round_fen(ZERO)  # first job: housing fund from the second month (§6b)
    key = ("employer", si_base, housing_fund, id(rates))
    employer = ref.memo.get(key)
    if employer is None:
        employer = ref.memo[key] = employer_contributions(si_base, housing_fund, rates)
    si_hf = own.pension + own.medical + own.unemployment + housing_fund

    first_tax_month = month.month - carry.tax_months
    basic = basic_deduction(
        month.month, first_tax_month, facts.first_income_of_year, facts.prior_year_low_income
    )
    special = (
        special_due(facts.declarations, date(month.year, first_tax_month, 1), month, carry.tax.special)
        if facts.declarations
        else ZERO
    )
    separate = facts.bonus_tax == "separate"
    taxable_wages = gross - bonus if separate else gross
    taxable = cumulative_taxable(carry.tax, taxable_wages, si_hf, special, basic)
    wage_tax, state = monthly_tax(carry.tax, taxable_wages, si_hf, special, basic, ref.annual_table)
    bonus_tax = separate_bonus_tax(bonus, ref.bonus_table) if separate else round_fen(ZERO)
    iit = wage_tax + bonus_tax
    net = gross - si_hf - iit
    if net < 0:
        problems.append(Problem(
            "negative_net",
            f"{who}{month:%Y年%m月}实发工资为负数（{net:.2f} 元），请将补扣分摊到以后月份",
            True,
        ))
    return MonthResult(
        month=month,
        days_served=served,
        days_in_month=length,
        scale=scale.name,
        grade_pay=pay.grade_pay,
        post_allowance=pay.post_allowance,
        performance=pay.performance,
        qualification_allowance=pay.qualification_allowance,
        annual_bonus=bonus,
        adjustments=adjustments,
        gross=gross,
        base=base,
        base_month=base_month,
        si_base=si_base,
        hf_base=hf_base,
        pension=own.pension,
        medical=own.medical,
        unemployment=own.unemployment,
        housing_fund=housing_fund,
        special=special,
        basic_cumulative=basic,
        taxable_wages=taxable_wages,
        taxable_cumulative=taxable,
        wage_tax=wage_tax,
        bonus_tax=bonus_tax,
        iit=iit,
        net=net,
        employer=employer,
        tax_state=state,
        base_source=source,
        bounds_start=bounds.start,
        tax_months=carry.tax_months + 1,
        problems=tuple(problems),
    )


def carry_after(result: MonthResult, carry: CarryOver) -> CarryOver:
    """The carry-over for the next month of the same year and employer after ``result``."""
    return CarryOver(
        tax=result.tax_state,
        tax_months=result.tax_months,
        base=result.base,
        base_year=contribution_year_start(result.month),
        base_source="本缴费年度已核定",
        prior_year_grosses=carry.prior_year_grosses,
    )


def reprice_lines(paid: Mapping[str, Decimal], corrected: MonthResult) -> dict[str, Decimal]:
    """Per pay component, corrected minus paid (yuan); only the components that differ."""
    out: dict[str, Decimal] = {}
    for name in COMPONENTS:
        diff = getattr(corrected, name) - paid.get(name, ZERO)
        if diff != 0:
            out[name] = diff
    return out


COMPONENTS: tuple[str, ...] = (
    "grade_pay", "post_allowance", "performance", "qualification_allowance", "annual_bonus",
)  # fmt: skip


def withholding_check(table: Sequence[TaxBracket], cumulative_taxable_income: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """The figures a withholding check sheet prints for a cumulative taxable income (yuan):
    (rate, quick deduction, cumulative tax due), by the same table and rounding as the pricing
    (half up to the fen; 0 when the income is not positive)."""
    bracket = lookup(table, cumulative_taxable_income)
    return bracket.rate, bracket.quick_deduction, annual_tax(table, cumulative_taxable_income)
