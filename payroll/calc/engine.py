"""Month-by-month simulation of one worker for one calendar year (the trial calculation).

A short loop over ``payslip.price``, the same function the payroll run, the budget
projection and retroactive differences call: the trial starts from January (or the
hire month) with an empty carry-over and passes each month's figures to the next, so
that cumulative withholding is right for the months asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from payroll.calc.contributions import check_hf_rates
from payroll.calc.earnings import check_post_grade
from payroll.calc.money import ZERO, D, places
from payroll.calc.payslip import (
    BONUS_TAX_MODES,
    CarryOver,
    Reference,
    WorkerMonth,
    carry_after,
    check_tax_options,
    price,
)
from payroll.calc.reference import QUALIFICATIONS, RATINGS
from payroll.calc.results import MonthResult, totals
from payroll.calc.special import SpecialDeduction, validate_declarations

__all__ = [
    "BONUS_TAX_MODES",
    "Case",
    "MonthResult",
    "Reference",
    "simulate",
    "totals",
]

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
    first_job: bool = False


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
    check_tax_options(case.year, case.hire_date, case.first_income_of_year, case.prior_year_low_income)
    messages = validate_declarations(case.special_deductions, case.year)
    if messages:
        raise ValueError("；".join(messages))


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
    unused = {m for m in case.adjustments if m <= case.to_month}
    carry = CarryOver()
    results: list[MonthResult] = []
    for m in range(start, case.to_month + 1):
        facts = WorkerMonth(
            month=date(year, m, 1),
            post=case.post,
            grade=case.grade,
            hire_date=case.hire_date,
            leave_date=case.leave_date,
            qualification=case.qualification,
            qualification_date=case.qualification_date,
            first_job=case.first_job,
            rating=case.rating,
            declarations=case.special_deductions,
            adjustments=case.adjustments.get(m, ZERO),
            base_override=case.contribution_base,
            hf_rate=case.hf_rate,
            first_income_of_year=case.first_income_of_year,
            prior_year_low_income=case.prior_year_low_income,
            bonus_tax=case.bonus_tax,
            scale_version=case.scale_version,
        )
        result = price(facts, carry, ref)
        if result is None:
            continue
        unused.discard(m)
        results.append(result)
        carry = carry_after(result, carry)
    if unused:
        raise ValueError(f"adjustments in months without service: {sorted(unused)}")
    return [r for r in results if case.from_month <= r.month.month <= case.to_month]
