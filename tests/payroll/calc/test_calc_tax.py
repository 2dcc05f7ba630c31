"""Tax: brackets, basic deduction (13号, 19号), cumulative withholding, separate bonus."""

from __future__ import annotations

from decimal import Decimal

import pytest

from payroll.calc.money import D
from payroll.calc.tax import (
    TaxState,
    annual_tax,
    basic_deduction,
    lookup,
    monthly_tax,
    separate_bonus_tax,
)
from tests.helpers.pay_reference import default_annual_tax_table, default_bonus_tax_table

TABLE = default_annual_tax_table()
BONUS = default_bonus_tax_table()


@pytest.mark.parametrize(
    ("amount", "rate"),
    [
        (D(-5), D("0.03")),
        (D(36000), D("0.03")),
        (D("36000.01"), D("0.10")),
        (D(144000), D("0.10")),
        (D(960000), D("0.35")),
        (D("960000.01"), D("0.45")),
    ],
)
def test_lookup_upper_is_inclusive(amount: Decimal, rate: Decimal) -> None:
    assert lookup(TABLE, amount).rate == rate


def test_lookup_needs_open_last_bracket() -> None:
    with pytest.raises(ValueError):
        lookup(TABLE[:2], D(200000))


@pytest.mark.parametrize(
    ("month", "first", "first_income", "low_income", "expected"),
    [
        (1, 1, False, False, D(5000)),
        (12, 1, False, False, D(60000)),
        (12, 3, False, False, D(50000)),  # hired 15 March: March counts (§6a)
        (3, 3, False, False, D(5000)),
        (12, 3, True, False, D(60000)),  # 13号: counted from January
        (7, 7, True, False, D(35000)),
        (1, 1, False, True, D(60000)),  # 19号: 60,000 at once from January
        (6, 1, False, True, D(60000)),
        (12, 1, False, True, D(60000)),
    ],
)
def test_basic_deduction(
    month: int, first: int, first_income: bool, low_income: bool, expected: Decimal
) -> None:
    assert basic_deduction(month, first, first_income, low_income) == expected


def test_basic_deduction_amounts_are_data() -> None:
    assert basic_deduction(2, 1, False, False, monthly_basic=D(6000)) == D(12000)
    assert basic_deduction(1, 1, False, True, low_income_annual=D(72000)) == D(72000)


@pytest.mark.parametrize(("month", "first"), [(2, 3), (0, 0), (13, 1)])
def test_basic_deduction_bad_months(month: int, first: int) -> None:
    with pytest.raises(ValueError):
        basic_deduction(month, first, False, False)


def test_13_hao_mid_year_first_income() -> None:
    # First wage income of the year in July, 8,000 a month, SI+HF 1,000, no special.
    # Ordinary: (8,000 - 5,000 - 1,000) x 3% = 60 a month. 13号: cumulative basic
    # 35,000 in July exceeds the wages, so no tax until the cumulative taxable is positive.
    taxes = {}
    for flag in (False, True):
        state, out = TaxState(), []
        for month in range(7, 13):
            basic = basic_deduction(month, 7, flag, False)
            tax, state = monthly_tax(state, D(8000), D(1000), D(0), basic, TABLE)
            out.append(tax)
        taxes[flag] = out
    assert taxes[False] == [D(60)] * 6
    # 13号 in December: 48,000 - 60,000 - 6,000 < 0 -> still 0.
    assert taxes[True] == [D(0)] * 6


def test_19_hao_low_income_last_year() -> None:
    # 7,000 a month, SI+HF 1,000: ordinary taxable 1,000 a month -> 30 a month.
    # With 19号 the basic deduction is 60,000 from January: cumulative taxable
    # 6,000n - 60,000 is not positive until November (6,000 -> 180) and December
    # (12,000 -> 360 due, 180 more).
    ordinary, low = [], []
    s1 = s2 = TaxState()
    for month in range(1, 13):
        t1, s1 = monthly_tax(
            s1, D(7000), D(1000), D(0), basic_deduction(month, 1, False, False), TABLE
        )
        t2, s2 = monthly_tax(
            s2, D(7000), D(1000), D(0), basic_deduction(month, 1, False, True), TABLE
        )
        ordinary.append(t1)
        low.append(t2)
    assert ordinary == [D(30)] * 12
    assert low == [D(0)] * 10 + [D(180), D(180)]


def test_negative_cumulative_taxable_taxes_nothing() -> None:
    tax, state = monthly_tax(TaxState(), D(4000), D(500), D(0), D(5000), TABLE)
    assert tax == D(0)
    assert state == TaxState(wages=D(4000), si_hf=D(500), special=D(0), tax_withheld=D(0))


def test_no_refund_after_a_deduction() -> None:
    # January 20,000 (taxable 11,500 -> 345); February a 补扣 of -15,000 leaves wages 5,000:
    # cumulative taxable 25,000 - 10,000 - 7,000 = 8,000 -> 240 due, less than 345 withheld.
    tax1, state = monthly_tax(TaxState(), D(20000), D(3500), D(0), D(5000), TABLE)
    tax2, state = monthly_tax(state, D(5000), D(3500), D(0), D(10000), TABLE)
    assert (tax1, tax2) == (D(345), D(0))
    assert state.tax_withheld == D(345)


def test_monthly_tax_state_accumulates() -> None:
    _, state = monthly_tax(TaxState(), D(20000), D(3500), D(5000), D(5000), TABLE)
    _, state = monthly_tax(state, D(20000), D(3500), D(5000), D(10000), TABLE)
    assert state == TaxState(wages=D(40000), si_hf=D(7000), special=D(10000), tax_withheld=D(390))


@pytest.mark.parametrize(
    ("taxable", "expected"),
    [
        (D(0), D(0)),
        (D(-1), D(0)),
        (D(36000), D(1080)),
        (D(144000), D(11880)),
        (D("38472.29"), D("1327.23")),
    ],
)
def test_annual_tax(taxable: Decimal, expected: Decimal) -> None:
    assert annual_tax(TABLE, taxable) == expected


@pytest.mark.parametrize(
    ("bonus", "expected"),
    [
        (D(0), D(0)),
        (D(-100), D(0)),
        (D(8145), D("244.35")),  # 678.75 a month: 3%
        (D(36000), D(1080)),
        (D(36001), D("3390.10")),
        (D(144000), D(14190)),  # 12,000 a month: 10% - 210
        (D(144001), D("27390.20")),  # above 12,000: 20% - 1,410
    ],
)
def test_separate_bonus_tax(bonus: Decimal, expected: Decimal) -> None:
    assert separate_bonus_tax(bonus, BONUS) == expected
