"""Individual income tax on wages: cumulative withholding (累计预扣法) and the separate bonus (§5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from payroll.calc.money import ZERO, D, round_fen
from payroll.calc.reference import TaxBracket
from payroll.calc.special import (
    SpecialDeduction,
    SpecialDeductionRules,
    cumulative_special,
    default_special_rules,
    special_due,
    special_for_month,
    validate_declarations,
)

__all__ = [
    "BASIC_MONTHLY",
    "LOW_INCOME_ANNUAL",
    "SpecialDeduction",
    "SpecialDeductionRules",
    "TaxState",
    "annual_tax",
    "basic_deduction",
    "cumulative_special",
    "cumulative_taxable",
    "default_special_rules",
    "lookup",
    "monthly_tax",
    "separate_bonus_tax",
    "special_due",
    "special_for_month",
    "validate_declarations",
]

# Statutory defaults of §5, overridable per call (keyword arguments of basic_deduction).
BASIC_MONTHLY = D(5000)
LOW_INCOME_ANNUAL = D(60000)


@dataclass(frozen=True)
class TaxState:
    """Year-to-date sums in yuan BEFORE the month, for one worker at one employer (street/town).

    ``wages``: taxable wages; ``si_hf``: employee SI and HF; ``special``: special
    additional deductions; ``tax_withheld``: tax already withheld. A transfer to
    another employer starts again from ``TaxState()``.
    """

    wages: Decimal = ZERO
    si_hf: Decimal = ZERO
    special: Decimal = ZERO
    tax_withheld: Decimal = ZERO


def lookup(table: Sequence[TaxBracket], amount: Decimal) -> TaxBracket:
    """Return the first bracket whose ``upper`` (yuan, inclusive) is None or >= ``amount``.

    ``table`` is ordered by ``upper``; the last bracket's ``upper`` is None.
    """
    for bracket in table:
        if bracket.upper is None or amount <= bracket.upper:
            return bracket
    raise ValueError("tax table has no open-ended last bracket")


def annual_tax(table: Sequence[TaxBracket], taxable: Decimal) -> Decimal:
    """Return the tax in yuan on a cumulative taxable amount: taxable x rate - quick deduction.

    Rounded half-up to the fen; 0 when the result (or ``taxable``) is not positive.
    """
    if taxable <= 0:
        return round_fen(ZERO)
    bracket = lookup(table, taxable)
    return max(round_fen(ZERO), round_fen(taxable * bracket.rate - bracket.quick_deduction))


def basic_deduction(
    month_number: int,
    first_month_employed: int,
    first_income_of_year: bool,
    prior_year_low_income: bool,
    *,
    monthly_basic: Decimal = BASIC_MONTHLY,
    low_income_annual: Decimal = LOW_INCOME_ANNUAL,
) -> Decimal:
    """Return the cumulative basic deduction in yuan up to and including ``month_number`` (1-12).

    Ordinary: ``monthly_basic`` (5,000) x months employed by this employer this
    year, counted from ``first_month_employed`` (a 15 March hire counts March).
    公告2020年第13号 (``first_income_of_year``): ``monthly_basic`` x ``month_number``.
    公告2020年第19号 (``prior_year_low_income``): ``low_income_annual`` (60,000) from
    January, never less than the amount otherwise due. No rounding (whole yuan).
    """
    if not 1 <= first_month_employed <= month_number <= 12:
        raise ValueError("need 1 <= first_month_employed <= month_number <= 12")
    months = month_number if first_income_of_year else month_number - first_month_employed + 1
    amount = monthly_basic * months
    if prior_year_low_income:
        amount = max(amount, low_income_annual)
    return amount


def cumulative_taxable(
    state: TaxState, wages: Decimal, si_hf: Decimal, special: Decimal, cumulative_basic: Decimal
) -> Decimal:
    """Return the cumulative taxable income in yuan through this month (may be negative).

    = (state.wages + wages) - cumulative_basic - (state.si_hf + si_hf)
      - (state.special + special). Exact: all inputs are fen amounts.
    """
    return (
        state.wages + wages - cumulative_basic - (state.si_hf + si_hf) - (state.special + special)
    )


def monthly_tax(
    state: TaxState,
    wages: Decimal,
    si_hf: Decimal,
    special: Decimal,
    cumulative_basic: Decimal,
    table: Sequence[TaxBracket],
) -> tuple[Decimal, TaxState]:
    """Withhold this month's tax in yuan under cumulative withholding; return (tax, state after).

    ``wages``, ``si_hf`` and ``special`` are this month's amounts;
    ``cumulative_basic`` is the basic deduction through this month. tax =
    max(0, cumulative taxable x rate - quick deduction - tax already withheld),
    rounded half-up to the fen, looked up on the cumulative (annual) ``table``. A
    negative cumulative taxable taxes 0; there is never a refund.
    """
    taxable = cumulative_taxable(state, wages, si_hf, special, cumulative_basic)
    due = annual_tax(table, taxable)
    tax = max(round_fen(ZERO), due - state.tax_withheld)
    new_state = replace(
        state,
        wages=state.wages + wages,
        si_hf=state.si_hf + si_hf,
        special=state.special + special,
        tax_withheld=state.tax_withheld + tax,
    )
    return tax, new_state


def separate_bonus_tax(bonus: Decimal, monthly_table: Sequence[TaxBracket]) -> Decimal:
    """Return the tax in yuan on an annual bonus taxed separately (§5).

    Rate and quick deduction are looked up on the monthly table by bonus / 12
    (unrounded); tax = bonus x rate - quick deduction, rounded half-up to the fen,
    never negative.
    """
    if bonus <= 0:
        return round_fen(ZERO)
    bracket = lookup(monthly_table, bonus / 12)
    return max(round_fen(ZERO), round_fen(bonus * bracket.rate - bracket.quick_deduction))
