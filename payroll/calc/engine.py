"""Month-by-month simulation of one worker for one calendar year (the trial calculation).

The application's payroll run calls the lower-level functions itself, with
year-to-date state from its database; this engine derives everything from a
``Case`` and the reference data, starting from January (or the hire month) so
that cumulative withholding is right for the months asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from payroll.calc.contributions import (
    check_hf_rates,
    clamp_bases,
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
from payroll.calc.money import ZERO, D, places, round_fen
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
from payroll.calc.results import MonthResult, totals
from payroll.calc.special import SpecialDeduction, special_for_month, validate_declarations
from payroll.calc.tax import (
    TaxState,
    basic_deduction,
    cumulative_taxable,
    monthly_tax,
    separate_bonus_tax,
)

__all__ = [
    "BONUS_TAX_MODES",
    "Case",
    "MonthResult",
    "Reference",
    "simulate",
    "totals",
]

BONUS_TAX_MODES: tuple[str, ...] = ("merged", "separate")


@dataclass(frozen=True, kw_only=True)
class Case:
    """One worker's trial: the months ``from_month``..``to_month`` (1-12) of ``year``.

    Money in yuan; ``hf_rate`` a fraction (0.05-0.07); ``contribution_base`` an
    officer's override of the base (clamped to the bounds like any base);
    ``adjustments`` maps a month number to a signed taxable amount paid that month.
    """

    year: int
    from_month: int
    to_month: int
    post: str
    grade: int
    qualification: str = QUALIFICATIONS[0]
    qualification_date: date | None = None
    hire_date: date
    leave_date: date | None = None
    rating: str | None = None
    bonus_tax: str = "merged"
    hf_rate: Decimal = D("0.07")
    contribution_base: Decimal | None = None
    special_deductions: Sequence[SpecialDeduction] = field(default_factory=list)
    first_income_of_year: bool = False
    prior_year_low_income: bool = False
    scale_version: str | None = None
    adjustments: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Reference:
    """The reference data a simulation reads (see ``payroll.calc.reference``)."""

    scales: Sequence[ScaleVersion]
    bounds: Sequence[ContributionBounds]
    rates: Rates
    annual_table: Sequence[TaxBracket]
    bonus_table: Sequence[TaxBracket]
    separate_bonus_until: date = date(2027, 12, 31)  # 财政部 税务总局公告2023年第30号


def _validate(case: Case, ref: Reference) -> None:
    if not 1 <= case.from_month <= case.to_month <= 12:
        raise ValueError("need 1 <= from_month <= to_month <= 12")
    check_post_grade(case.post, case.grade)
    if case.qualification not in QUALIFICATIONS:
        raise ValueError(f"unknown qualification {case.qualification!r}")
    if case.rating is not None and case.rating not in RATINGS:
        raise ValueError(f"unknown rating {case.rating!r}")
    if case.bonus_tax not in BONUS_TAX_MODES:
        raise ValueError(f"bonus_tax must be one of {BONUS_TAX_MODES}")
    if case.bonus_tax == "separate" and date(case.year, 12, 31) > ref.separate_bonus_until:
        raise ValueError(f"separate bonus taxation ended on {ref.separate_bonus_until.isoformat()}")
    check_hf_rates(case.hf_rate)
    if case.leave_date is not None and case.leave_date < case.hire_date:
        raise ValueError("leave date lies before the hire date")
    if case.contribution_base is not None and (
        not isinstance(case.contribution_base, Decimal) or case.contribution_base <= 0
    ):
        raise ValueError("contribution base override must be a positive Decimal")
    for month, amount in case.adjustments.items():
        if not 1 <= month <= 12 or not isinstance(amount, Decimal) or places(amount) > 2:
            raise ValueError(f"bad adjustment {month}: {amount!r}")
    messages = validate_declarations(case.special_deductions, case.year)
    if messages:
        raise ValueError("；".join(messages))


def _scale(case: Case, ref: Reference, month: date) -> ScaleVersion:
    """The explicit version of the case for every month priced, else the one in force."""
    if case.scale_version is None:
        return scale_in_force(ref.scales, month)
    for scale in ref.scales:
        if scale.name == case.scale_version:
            return scale
    raise ValueError(f"unknown pay-scale version {case.scale_version!r}")


def _base(case: Case, ref: Reference, month: date) -> tuple[Decimal, date | None]:
    """Unclamped contribution base (yuan) for the contribution year of ``month`` and its month.

    A trial has no prior-year history: the base is the override, else the standard
    gross of the first month in service in the contribution year, priced with the
    scale and the qualification in force in that month (§6a).
    """
    if case.contribution_base is not None:
        return round_fen(case.contribution_base), None
    first = max(contribution_year_start(month), case.hire_date.replace(day=1))
    scale = _scale(case, ref, first)
    qual = qualification_allowance(
        scale, case.qualification, case.qualification_date, first.year, first.month
    )
    return standard_monthly(scale, case.post, case.grade, qual).gross, first


def simulate(case: Case, ref: Reference) -> list[MonthResult]:
    """Simulate ``case`` month by month; return the months from_month..to_month in service.

    The simulation starts in January (or the hire month) so that cumulative
    withholding is right. December pays the annual bonus when a rating is given
    and the worker is in service in December; 'merged' adds it to the month's
    taxable wages, 'separate' taxes it alone and keeps it out of the cumulative
    sums. Roundings are those of the lower-level functions. Raises ValueError on
    an invalid case (including invalid special deduction declarations).
    """
    _validate(case, ref)
    year = case.year
    if case.hire_date.year > year or (case.leave_date is not None and case.leave_date.year < year):
        return []
    start = case.hire_date.month if case.hire_date.year == year else 1
    state = TaxState()
    first_tax_month: int | None = None
    unused = {m for m in case.adjustments if m <= case.to_month}
    results: list[MonthResult] = []
    for m in range(start, case.to_month + 1):
        served, length = days_in_service(year, m, case.hire_date, case.leave_date)
        if served == 0:
            continue
        first_tax_month = first_tax_month or m
        month = date(year, m, 1)
        scale = _scale(case, ref, month)
        qual = qualification_allowance(scale, case.qualification, case.qualification_date, year, m)
        pay = month_earnings(scale, case.post, case.grade, qual, served, length)
        adjustment = round_fen(case.adjustments.get(m, ZERO))
        unused.discard(m)
        bonus = round_fen(ZERO)
        if m == 12 and case.rating is not None:
            bonus = annual_bonus(
                scale.grade_pay[case.grade],
                scale.bonus_multiplier[case.rating],
                months_in_service(year, case.hire_date, case.leave_date),
            )
        gross = pay.gross + adjustment + bonus

        base, base_month = _base(case, ref, month)
        si_base, hf_base = clamp_bases(base, bounds_for(ref.bounds, month))
        own = employee_contributions(si_base, hf_base, ref.rates, case.hf_rate)

        special = special_for_month(case.special_deductions, month)
        basic = basic_deduction(
            m, first_tax_month, case.first_income_of_year, case.prior_year_low_income
        )
        separate = case.bonus_tax == "separate"
        taxable_wages = pay.gross + adjustment + (ZERO if separate else bonus)
        taxable = cumulative_taxable(state, taxable_wages, own.total, special, basic)
        wage_tax, state = monthly_tax(
            state, taxable_wages, own.total, special, basic, ref.annual_table
        )
        bonus_tax = separate_bonus_tax(bonus, ref.bonus_table) if separate else round_fen(ZERO)
        iit = wage_tax + bonus_tax
        net = gross - own.pension - own.medical - own.unemployment - own.housing_fund - iit
        results.append(
            MonthResult(
                month=month,
                days_served=served,
                days_in_month=length,
                scale=scale.name,
                grade_pay=pay.grade_pay,
                post_allowance=pay.post_allowance,
                performance=pay.performance,
                qualification_allowance=pay.qualification_allowance,
                annual_bonus=bonus,
                adjustments=adjustment,
                gross=gross,
                base=base,
                base_month=base_month,
                si_base=si_base,
                hf_base=hf_base,
                pension=own.pension,
                medical=own.medical,
                unemployment=own.unemployment,
                housing_fund=own.housing_fund,
                special=special,
                basic_cumulative=basic,
                taxable_wages=taxable_wages,
                taxable_cumulative=taxable,
                wage_tax=wage_tax,
                bonus_tax=bonus_tax,
                iit=iit,
                net=net,
                employer=employer_contributions(si_base, own.housing_fund, ref.rates),
                tax_state=state,
            )
        )
    if unused:
        raise ValueError(f"adjustments in months without service: {sorted(unused)}")
    return [r for r in results if case.from_month <= r.month.month <= case.to_month]
