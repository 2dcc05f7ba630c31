"""Social insurance and housing fund: the contribution base and the monthly parts (§4, §6a)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from payroll.calc.money import ZERO, D, round_fen, round_jiao_up, round_yuan
from payroll.calc.reference import ContributionBounds, Rates, contribution_year_start

__all__ = [
    "HF_RATE_RANGE",
    "HF_SUPPLEMENTARY_RANGE",
    "EmployeeContributions",
    "EmployerContributions",
    "check_hf_rates",
    "clamp",
    "clamp_bases",
    "contribution_base",
    "contribution_year_start",
    "employee_contributions",
    "employer_contributions",
]

# Allowed ranges of the district's housing-fund rates (§4). The rates themselves
# are district settings passed in by the caller.
HF_RATE_RANGE: tuple[Decimal, Decimal] = (D("0.05"), D("0.07"))
HF_SUPPLEMENTARY_RANGE: tuple[Decimal, Decimal] = (ZERO, D("0.05"))


@dataclass(frozen=True)
class EmployeeContributions:
    """The employee's monthly contributions in yuan (2 places); ``total`` is their sum."""

    pension: Decimal
    medical: Decimal
    unemployment: Decimal
    housing_fund: Decimal
    housing_fund_supplementary: Decimal
    total: Decimal


@dataclass(frozen=True)
class EmployerContributions:
    """The employer's monthly cost in yuan (2 places, for cost reports); ``total`` is their sum."""

    pension: Decimal
    medical: Decimal
    unemployment: Decimal
    work_injury: Decimal
    housing_fund: Decimal
    total: Decimal


def contribution_base(
    prior_year_grosses: Sequence[Decimal], first_month_standard_gross: Decimal
) -> Decimal:
    """Return the unclamped contribution base in yuan per month, half-up to the fen.

    When the system paid the worker in the previous calendar year, the base is the
    average of those monthly grosses (bonus and adjustments included), taken over
    the months actually paid (one entry per month), rounded half-up to the fen.
    Otherwise it is the standard monthly gross of the worker's first month in
    service in the contribution year. An officer's override and the bounds are
    applied by the caller (``clamp_bases``).
    """
    if prior_year_grosses:
        return round_fen(sum(prior_year_grosses, ZERO) / len(prior_year_grosses))
    return round_fen(first_month_standard_gross)


def clamp(base: Decimal, floor: Decimal, ceiling: Decimal) -> Decimal:
    """Return ``base`` limited to [floor, ceiling] (yuan; no rounding)."""
    if floor > ceiling:
        raise ValueError("floor lies above ceiling")
    return min(max(base, floor), ceiling)


def clamp_bases(base: Decimal, bounds: ContributionBounds) -> tuple[Decimal, Decimal]:
    """Return (SI base, HF base) in yuan: ``base`` clamped to the SI and to the HF bounds."""
    return (
        clamp(base, bounds.si_floor, bounds.si_ceiling),
        clamp(base, bounds.hf_floor, bounds.hf_ceiling),
    )


def check_hf_rates(hf_rate: Decimal, hf_supplementary_rate: Decimal = ZERO) -> None:
    """Raise ValueError unless the HF rate lies in 5%-7% and the supplementary rate in 0%-5% (§4)."""
    low, high = HF_RATE_RANGE
    if not isinstance(hf_rate, Decimal) or not low <= hf_rate <= high:
        raise ValueError(f"housing fund rate {hf_rate} is outside {low}-{high}")
    low, high = HF_SUPPLEMENTARY_RANGE
    if not isinstance(hf_supplementary_rate, Decimal) or not low <= hf_supplementary_rate <= high:
        raise ValueError(
            f"supplementary housing fund rate {hf_supplementary_rate} is outside {low}-{high}"
        )


def employee_contributions(
    si_base: Decimal,
    hf_base: Decimal,
    rates: Rates,
    hf_rate: Decimal,
    hf_supplementary_rate: Decimal = ZERO,
) -> EmployeeContributions:
    """Return the employee's contributions for one month, in yuan.

    Bases are already clamped. Pension, medical and unemployment = rate x SI base,
    each rounded half-up to the fen (or 见分进角 when ``rates.si_rounding`` is
    'jiao_up'). Housing fund = ``hf_rate`` x HF base, rounded half-up to the whole
    YUAN; the supplementary fund likewise. Due in full for any month with at
    least one day in service (no proration).
    """
    check_hf_rates(hf_rate, hf_supplementary_rate)
    si_round = round_jiao_up if rates.si_rounding == "jiao_up" else round_fen
    pension = si_round(si_base * rates.pension)
    medical = si_round(si_base * rates.medical)
    unemployment = si_round(si_base * rates.unemployment)
    housing_fund = round_yuan(hf_base * hf_rate)
    supplementary = round_yuan(hf_base * hf_supplementary_rate)
    return EmployeeContributions(
        pension=pension,
        medical=medical,
        unemployment=unemployment,
        housing_fund=housing_fund,
        housing_fund_supplementary=supplementary,
        total=pension + medical + unemployment + housing_fund + supplementary,
    )


def employer_contributions(
    si_base: Decimal, employee_housing_fund: Decimal, rates: Rates
) -> EmployerContributions:
    """Return the employer's cost for one month in yuan (§6a).

    Pension, medical, unemployment and work injury = rate x SI base, each rounded
    half-up to the fen (whatever the employee-side rounding); housing fund =
    the employee's amount (already whole yuan).
    """
    pension = round_fen(si_base * rates.employer_pension)
    medical = round_fen(si_base * rates.employer_medical)
    unemployment = round_fen(si_base * rates.employer_unemployment)
    work_injury = round_fen(si_base * rates.work_injury)
    housing_fund = round_fen(employee_housing_fund)
    return EmployerContributions(
        pension=pension,
        medical=medical,
        unemployment=unemployment,
        work_injury=work_injury,
        housing_fund=housing_fund,
        total=pension + medical + unemployment + work_injury + housing_fund,
    )
