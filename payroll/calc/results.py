"""The result of one simulated month and the totals over a span (used by ``engine``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from payroll.calc.contributions import EmployerContributions
from payroll.calc.money import ZERO, round_fen
from payroll.calc.tax import TaxState

__all__ = ["MonthResult", "totals"]


@dataclass(frozen=True)
class MonthResult:
    """One simulated month; all money in yuan with 2 places.

    ``gross`` = grade_pay + post_allowance + performance + qualification_allowance
    + annual_bonus + adjustments; ``iit`` = wage_tax + bonus_tax; ``net`` = gross -
    pension - medical - unemployment - housing_fund - iit. ``taxable_wages`` is
    this month's amount entering the cumulative sums (the bonus only when merged);
    ``taxable_cumulative`` may be negative. ``base`` is the unclamped contribution
    base and ``base_month`` the month whose standard gross set it (None: override or
    an earlier figure), ``base_source`` says where it came from; ``tax_months`` counts the
    months employed by this employer this year through this one; ``problems`` holds
    ``payslip.Problem`` findings (a missing rating, a negative net pay).
    """

    month: date
    days_served: int
    days_in_month: int
    scale: str
    grade_pay: Decimal
    post_allowance: Decimal
    performance: Decimal
    qualification_allowance: Decimal
    annual_bonus: Decimal
    adjustments: Decimal
    gross: Decimal
    base: Decimal
    base_month: date | None
    si_base: Decimal
    hf_base: Decimal
    pension: Decimal
    medical: Decimal
    unemployment: Decimal
    housing_fund: Decimal
    special: Decimal
    basic_cumulative: Decimal
    taxable_wages: Decimal
    taxable_cumulative: Decimal
    wage_tax: Decimal
    bonus_tax: Decimal
    iit: Decimal
    net: Decimal
    employer: EmployerContributions
    tax_state: TaxState
    base_source: str = ""
    bounds_start: date | None = None
    tax_months: int = 1
    problems: tuple[Any, ...] = ()


# The money lines of MonthResult that add up over a span.
_SUMMED = (
    "grade_pay", "post_allowance", "performance", "qualification_allowance", "annual_bonus",
    "adjustments", "gross", "pension", "medical", "unemployment", "housing_fund", "special",
    "wage_tax", "bonus_tax", "iit", "net",
)  # fmt: skip
_EMPLOYER = [f.name for f in fields(EmployerContributions)]


def totals(results: Sequence[MonthResult]) -> dict[str, Decimal]:
    """Return the sums in yuan over ``results`` of every money line of a month.

    Keys: the summed MonthResult fields (gross, net, iit, ...) and the employer's
    parts as ``employer_<part>`` (``employer_total`` included). No rounding needed:
    all lines are fen amounts.
    """
    sums = {name: sum((getattr(r, name) for r in results), round_fen(ZERO)) for name in _SUMMED}
    for name in _EMPLOYER:
        sums[f"employer_{name}"] = sum(
            (getattr(r.employer, name) for r in results), round_fen(ZERO)
        )
    return sums
