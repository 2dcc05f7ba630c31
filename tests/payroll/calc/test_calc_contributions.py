"""Contributions: the base, clamping, employee parts (half-up and 见分进角), employer cost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from payroll.calc.contributions import (
    clamp,
    clamp_bases,
    contribution_base,
    employee_contributions,
    employer_contributions,
)
from payroll.calc.money import D
from payroll.calc.reference import Rates, bounds_for
from tests.helpers.pay_reference import default_bounds

HALF_UP = Rates()
JIAO_UP = Rates(si_rounding="jiao_up")
BOUNDS_2025 = bounds_for(default_bounds(), date(2026, 1, 1))


@pytest.mark.parametrize(
    ("history", "standard", "expected"),
    [
        ([], D(6445), D(6445)),  # no history: the standard gross
        ([D(6445)] * 11 + [D(6445) + D(8145)], D(0), D("7123.75")),  # bonus included
        ([D(10000), D(10000), D(10001)], D(0), D("10000.33")),  # 10,000.333...
        ([D("0.01"), D("0.02")], D(0), D("0.02")),  # 0.015 -> half-up
        ([D(9000)] * 5, D(6445), D(9000)),  # a part year: average over months paid
    ],
)
def test_contribution_base(history: list[Decimal], standard: Decimal, expected: Decimal) -> None:
    assert contribution_base(history, standard) == expected


@pytest.mark.parametrize(
    ("base", "si", "hf"),
    [
        (D(6445), D(7460), D(6445)),  # SI floor, HF inside
        (D(2000), D(7460), D(2690)),  # both floors
        (D(20000), D(20000), D(20000)),
        (D(50000), D(37302), D(37302)),  # both ceilings
    ],
)
def test_clamp_bases(base: Decimal, si: Decimal, hf: Decimal) -> None:
    assert clamp_bases(base, BOUNDS_2025) == (si, hf)


def test_clamp_refuses_inverted_bounds() -> None:
    with pytest.raises(ValueError):
        clamp(D(1), D(3), D(2))


@pytest.mark.parametrize(
    ("rates", "base", "pension", "medical", "unemployment"),
    [
        (HALF_UP, D(7460), D("596.80"), D("149.20"), D("37.30")),
        (JIAO_UP, D(7460), D("596.80"), D("149.20"), D("37.30")),  # no fen: unchanged
        (HALF_UP, D(9811), D("784.88"), D("196.22"), D("49.06")),  # 49.055 -> 49.06
        (JIAO_UP, D(9811), D("784.90"), D("196.30"), D("49.10")),  # 见分进角
        (
            HALF_UP,
            D("7384.49"),
            D("590.76"),
            D("147.69"),
            D("36.92"),
        ),  # 590.7592, 147.6898, 36.92245
        (JIAO_UP, D("7384.49"), D("590.80"), D("147.70"), D("37.00")),
    ],
)
def test_employee_si_rounding(
    rates: Rates, base: Decimal, pension: Decimal, medical: Decimal, unemployment: Decimal
) -> None:
    own = employee_contributions(base, base, rates, D("0.07"))
    assert (own.pension, own.medical, own.unemployment) == (pension, medical, unemployment)


@pytest.mark.parametrize(
    ("hf_base", "rate", "supplementary", "hf", "supp"),
    [
        (D(21750), D("0.07"), D(0), D(1523), D(0)),  # 1,522.50 -> 1,523
        (D("21749.99"), D("0.07"), D(0), D(1522), D(0)),  # 1,522.4993 -> 1,522
        (D(6445), D("0.05"), D(0), D(322), D(0)),  # 322.25 -> 322
        (D(6445), D("0.07"), D("0.05"), D(451), D(322)),
        (D(10010), D("0.06"), D("0.01"), D(601), D(100)),  # 600.60 -> 601; 100.10 -> 100
    ],
)
def test_housing_fund_rounds_to_the_yuan(
    hf_base: Decimal, rate: Decimal, supplementary: Decimal, hf: Decimal, supp: Decimal
) -> None:
    own = employee_contributions(D(7460), hf_base, HALF_UP, rate, supplementary)
    assert (own.housing_fund, own.housing_fund_supplementary) == (hf, supp)
    assert own.total == own.pension + own.medical + own.unemployment + hf + supp


@pytest.mark.parametrize(
    ("rate", "supplementary"), [(D("0.04"), D(0)), (D("0.08"), D(0)), (D("0.07"), D("0.06"))]
)
def test_housing_fund_rate_ranges(rate: Decimal, supplementary: Decimal) -> None:
    with pytest.raises(ValueError):
        employee_contributions(D(7460), D(7460), HALF_UP, rate, supplementary)


def test_employer_cost() -> None:
    # 7,460 x 16% = 1,193.60; x 9% = 671.40; x 0.5% = 37.30; x 0.2% = 14.92; HF 451.
    cost = employer_contributions(D(7460), D(451), HALF_UP)
    assert (cost.pension, cost.medical, cost.unemployment, cost.work_injury, cost.housing_fund) == (
        D("1193.60"),
        D("671.40"),
        D("37.30"),
        D("14.92"),
        D(451),
    )
    assert cost.total == D("2368.22")


def test_employer_cost_is_half_up_even_with_jiao_up() -> None:
    # 9,811 x 0.5% = 49.055 -> 49.06; x 0.2% = 19.622 -> 19.62 (never 见分进角).
    cost = employer_contributions(D(9811), D(687), JIAO_UP)
    assert (cost.pension, cost.medical, cost.unemployment, cost.work_injury) == (
        D("1569.76"),
        D("882.99"),
        D("49.06"),
        D("19.62"),
    )
    assert cost.total == D("3208.43")
