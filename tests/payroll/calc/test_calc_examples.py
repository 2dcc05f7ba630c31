"""The worked examples of pay-rules.md §6, one test each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from payroll.calc.contributions import clamp_bases, employee_contributions
from payroll.calc.engine import Case, simulate
from payroll.calc.money import D
from payroll.calc.reference import bounds_for
from payroll.calc.tax import TaxState, basic_deduction, monthly_tax, separate_bonus_tax
from tests.helpers.pay_reference import (
    default_annual_tax_table,
    default_bonus_tax_table,
    default_bounds,
    default_rates,
    default_reference,
)

TABLE = default_annual_tax_table()
RATES = default_rates()
BOUNDS_2025 = bounds_for(default_bounds(), date(2026, 1, 1))  # the 2025-07 row


def _run_year(wages: Decimal, si_hf: Decimal, special: Decimal) -> list[Decimal]:
    """Twelve months of cumulative withholding at constant amounts (a continuing worker)."""
    state, taxes = TaxState(), []
    for month in range(1, 13):
        basic = basic_deduction(month, 1, False, False)
        tax, state = monthly_tax(state, wages, si_hf, special, basic, TABLE)
        taxes.append(tax)
    return taxes


def test_example_1_staf_grade_5_2017_scale_january() -> None:
    case = Case(
        year=2026,
        from_month=1,
        to_month=1,
        post="STAF",
        grade=5,
        qualification="助理社会工作师",
        qualification_date=date(2019, 5, 20),
        hire_date=date(2020, 3, 1),
        scale_version="2017",
    )
    [jan] = simulate(case, default_reference())
    assert jan.grade_pay == D("5430")
    assert jan.performance == D("815")  # 5,430 x 15% = 814.50 -> 815 (half-up to the yuan)
    assert jan.qualification_allowance == D("200")
    assert jan.gross == D("6445")
    assert jan.si_base == D("7460")  # 6,445 below the 2025-07 SI floor
    assert (jan.pension, jan.medical, jan.unemployment) == (D("596.80"), D("149.20"), D("37.30"))
    assert jan.hf_base == D("6445")
    assert jan.housing_fund == D("451")  # 451.15 -> 451
    assert jan.iit == D("6.32")  # (6,445 - 5,000 - 1,234.30) x 3% = 6.321
    assert jan.net == D("5204.38")


def test_example_2_gross_20000_first_month() -> None:
    si_base, hf_base = clamp_bases(D(20000), BOUNDS_2025)
    own = employee_contributions(si_base, hf_base, RATES, D("0.07"))
    assert (own.pension, own.medical, own.unemployment, own.housing_fund) == (
        D(1600),
        D(400),
        D(100),
        D(1400),
    )
    basic = basic_deduction(1, 1, False, False)
    tax, _ = monthly_tax(TaxState(), D(20000), own.total, D(0), basic, TABLE)
    assert tax == D(345)  # (20,000 - 3,500 - 5,000) x 3%
    assert D(20000) - own.total - tax == D(16155)
    # With 子女教育 2,000 and 赡养老人 3,000:
    tax, _ = monthly_tax(TaxState(), D(20000), own.total, D(5000), basic, TABLE)
    assert tax == D(195)
    assert D(20000) - own.total - tax == D(16305)


def test_example_3_gross_50000_base_capped() -> None:
    si_base, hf_base = clamp_bases(D(50000), BOUNDS_2025)
    assert si_base == hf_base == D(37302)
    own = employee_contributions(si_base, hf_base, RATES, D("0.07"))
    assert (own.pension, own.medical, own.unemployment, own.housing_fund) == (
        D("2984.16"),
        D("746.04"),
        D("186.51"),
        D(2611),
    )
    tax, state = monthly_tax(TaxState(), D(50000), own.total, D(0), D(5000), TABLE)
    assert D(50000) - D(5000) - own.total == D("38472.29")
    assert tax == D("1327.23")  # 38,472.29 x 10% - 2,520 = 1,327.229
    assert state.tax_withheld == tax
    assert D(50000) - own.total - tax == D("42145.06")


def test_example_4_constant_10000() -> None:
    assert _run_year(D(10000), D(1500), D(1000)) == [D(75)] * 12


def test_example_5_constant_30000_crosses_brackets() -> None:
    taxes = _run_year(D(30000), D(4500), D(2000))
    assert taxes == [D(555), D(625)] + [D(1850)] * 5 + [D(2250)] + [D(3700)] * 4
    assert sum(taxes) == D(27480)


def test_example_6_separate_bonus_at_the_bracket_edge() -> None:
    table = default_bonus_tax_table()
    assert separate_bonus_tax(D(36000), table) == D(1080)  # 3,000 a month: 3%
    assert separate_bonus_tax(D(36001), table) == D("3390.10")  # 10%: 3,600.10 - 210


def test_example_7_housing_fund_rounds_to_the_yuan() -> None:
    for hf_base, expected in [(D("21750"), D(1523)), (D("21749.99"), D(1522))]:
        own = employee_contributions(D(21750), hf_base, RATES, D("0.07"))
        assert own.housing_fund == expected


def test_example_8_one_fen_alternation_at_function_level() -> None:
    # wages 12,000, SI+HF 1,791.16, no special: monthly taxable 12,000 - 5,000 - 1,791.16
    # = 5,208.84; 3% of it is 156.2652. Tax due on the cumulative taxable after n months
    # is n x 156.2652 rounded to the fen: 156.27, 312.53, 468.80, 625.06, 781.33, 937.59,
    # so the monthly differences are 156.27, 156.26, 156.27, 156.26, 156.27, 156.26.
    state, taxes = TaxState(), []
    for month in range(1, 7):
        basic = basic_deduction(month, 1, False, False)
        tax, state = monthly_tax(state, D(12000), D("1791.16"), D(0), basic, TABLE)
        taxes.append(tax)
    assert taxes == [D("156.27"), D("156.26")] * 3
    assert state.tax_withheld == D("937.59")


def test_example_8_one_fen_alternation_in_a_simulation() -> None:
    # STAF grade 5 on the 2025 scale in 2026: 10,370 + 1,556 (1,555.50 -> 1,556) = 11,926.
    # Base override 9,811: pension 784.88, medical 196.22, unemployment 49.06 (49.055),
    # HF 687 (686.77) -> 1,717.16. Monthly taxable 11,926 - 5,000 - 1,717.16 = 5,208.84,
    # the same 156.2652 a month as above (found by searching bases in fen during development).
    case = Case(
        year=2026,
        from_month=1,
        to_month=6,
        post="STAF",
        grade=5,
        hire_date=date(2020, 3, 1),
        contribution_base=D(9811),
    )
    months = simulate(case, default_reference())
    assert [m.gross for m in months] == [D(11926)] * 6
    assert [m.iit for m in months] == [D("156.27"), D("156.26")] * 3
    assert [m.net for m in months] == [D("10052.57"), D("10052.58")] * 3
