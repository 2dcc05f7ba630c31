"""Engine: a worker's year simulated month by month."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from payroll.calc.engine import Case, MonthResult, simulate, totals
from payroll.calc.money import D
from payroll.calc.tax import SpecialDeduction
from tests.helpers.pay_reference import default_reference

REF = default_reference()

# STAF grade 5 on the 2025 scale, continuing worker: gross 10,370 + 1,556 = 11,926;
# base 11,926: pension 954.08, medical 238.52, unemployment 59.63, HF 834.82 -> 835
# (2,087.23 in all); monthly taxable 11,926 - 5,000 - 2,087.23 = 4,838.77.
STAF5 = Case(year=2026, from_month=1, to_month=12, post="STAF", grade=5, hire_date=date(2020, 3, 1))


def _by_month(results: list[MonthResult]) -> dict[int, MonthResult]:
    return {r.month.month: r for r in results}


def test_continuing_worker_full_year() -> None:
    months = simulate(STAF5, REF)
    assert [m.month for m in months] == [date(2026, m, 1) for m in range(1, 13)]
    jan = months[0]
    assert (jan.gross, jan.si_base, jan.hf_base) == (D(11926), D(11926), D(11926))
    assert (jan.pension, jan.medical, jan.unemployment, jan.housing_fund) == (
        D("954.08"),
        D("238.52"),
        D("59.63"),
        D(835),
    )
    assert jan.base_month == date(2025, 7, 1)  # priced in July 2025 (§6a)
    assert months[6].base_month == date(2026, 7, 1)
    assert jan.iit == D("145.16")  # 4,838.77 x 3% = 145.1631
    assert sum((m.iit for m in months), D(0)) == D("3286.52")  # 58,065.24 x 10% - 2,520


def test_base_month_uses_scale_and_qualification_in_force_then() -> None:
    # 2025: January-June belong to the 2024-07 contribution year, based on July 2024,
    # when the 2017 scale was in force: 5,430 + 815 = 6,245 -> SI floor 7,384, HF 6,245 -> 437.
    case = replace(STAF5, year=2025)
    by = _by_month(simulate(case, REF))
    assert by[1].gross == D(11926)  # paid on the 2025 scale
    assert (by[1].base, by[1].si_base, by[1].hf_base) == (D(6245), D(7384), D(6245))
    assert by[1].housing_fund == D(437)  # 437.15
    assert (by[7].base, by[7].si_base) == (D(11926), D(11926))
    # With the explicit version every priced month uses it, base months included.
    by = _by_month(simulate(replace(case, scale_version="2025"), REF))
    assert by[1].base == D(11926)
    by = _by_month(simulate(replace(case, scale_version="2017"), REF))
    assert (by[1].gross, by[1].base, by[7].base) == (D(6245), D(6245), D(6245))


def test_qualification_in_the_base_from_the_month_after() -> None:
    # Registered 10 September 2025: paid from October 2025. July 2025 had none.
    case = replace(STAF5, qualification="助理社会工作师", qualification_date=date(2025, 9, 10))
    by = _by_month(simulate(case, REF))
    assert by[1].gross == D(12126)
    assert by[1].base == D(11926)
    assert by[7].base == D(12126)


def test_floor_changes_with_the_contribution_year() -> None:
    low = replace(STAF5, scale_version="2017")  # gross 6,245 below both SI floors
    by = _by_month(simulate(low, REF))
    assert (by[6].si_base, by[6].pension) == (D(7460), D("596.80"))
    assert (by[7].si_base, by[7].pension) == (D(7546), D("603.68"))


def test_mid_month_hire() -> None:
    # Hired 15 March 2026: 17 of 31 days. 10,370 x 17/31 = 5,686.77; 1,556 x 17/31 = 853.29.
    case = replace(STAF5, hire_date=date(2026, 3, 15), rating="合格")
    months = simulate(case, REF)
    assert months[0].month == date(2026, 3, 1)
    mar = months[0]
    assert (mar.days_served, mar.grade_pay, mar.performance, mar.gross) == (
        17,
        D("5686.77"),
        D("853.29"),
        D("6540.06"),
    )
    # Contributions are due in full on the standard gross of March.
    assert (mar.base_month, mar.si_base, mar.pension, mar.housing_fund) == (
        date(2026, 3, 1),
        D(11926),
        D("954.08"),
        D(835),
    )
    assert mar.iit == D(0)  # 6,540.06 - 5,000 - 2,087.23 < 0
    assert mar.net == D("4452.83")
    dec = months[-1]
    assert dec.basic_cumulative == D(50000)  # March counts (§6a)
    assert dec.annual_bonus == D(12963)  # 10,370 x 1.5 x 10 / 12 = 12,962.50


def test_leaver_gets_no_december_months() -> None:
    case = replace(STAF5, leave_date=date(2026, 4, 10), rating="优秀")
    months = simulate(case, REF)
    assert [m.month.month for m in months] == [1, 2, 3, 4]
    apr = months[-1]
    assert (apr.days_served, apr.grade_pay) == (10, D("3456.67"))  # 10,370 x 10/30
    assert apr.pension == D("954.08")  # full contributions in a partial month
    assert all(m.annual_bonus == 0 for m in months)


def test_december_leaver_with_one_day_gets_the_bonus() -> None:
    case = replace(STAF5, leave_date=date(2026, 12, 1), rating="合格")
    dec = simulate(case, REF)[-1]
    assert dec.days_served == 1
    assert dec.annual_bonus == D(15555)  # 10,370 x 1.5 x 12 / 12


def test_merged_and_separate_bonus() -> None:
    # Rating 优秀: bonus 10,370 x 2 = 20,740. Withheld through November:
    # 11 x 4,838.77 = 53,226.47 -> 5,322.647 - 2,520 = 2,802.65.
    merged = simulate(replace(STAF5, rating="优秀"), REF)[-1]
    separate = simulate(replace(STAF5, rating="优秀", bonus_tax="separate"), REF)[-1]
    for dec in (merged, separate):
        assert dec.annual_bonus == D(20740)
        assert dec.gross == D(11926 + 20740)
    # Merged: 58,065.24 + 20,740 = 78,805.24 -> 7,880.524 - 2,520 = 5,360.52 - 2,802.65.
    assert (merged.wage_tax, merged.bonus_tax, merged.iit) == (D("2557.87"), D(0), D("2557.87"))
    assert merged.tax_state.wages == D(11926 * 12 + 20740)
    # Separate: wages alone 3,286.52 - 2,802.65 = 483.87; bonus 1,728.33 a month -> 3%: 622.20.
    assert (separate.wage_tax, separate.bonus_tax, separate.iit) == (
        D("483.87"),
        D("622.20"),
        D("1106.07"),
    )
    assert separate.tax_state.wages == D(11926 * 12)  # the bonus stays out
    assert separate.net == separate.gross - D("2087.23") - D("1106.07")


def test_separate_bonus_ends_after_2027() -> None:
    with pytest.raises(ValueError):
        simulate(replace(STAF5, year=2028, bonus_tax="separate"), REF)


def test_later_span_has_the_same_cumulative_tax() -> None:
    whole = simulate(STAF5, REF)
    part = simulate(replace(STAF5, from_month=6, to_month=9), REF)
    assert part == whole[5:9]


def test_adjustments_are_taxable_wages_of_their_month() -> None:
    case = replace(STAF5, to_month=3, adjustments={2: D("1000.50"), 3: D(-200)})
    by = _by_month(simulate(case, REF))
    assert (by[2].adjustments, by[2].gross) == (D("1000.50"), D("12926.50"))
    assert by[3].gross == D(11726)
    assert by[2].iit == D("175.18")  # (4,838.77 + 1,000.50) x 3% = 175.1781
    assert by[1].base == by[2].base  # adjustments never move the base


@pytest.mark.parametrize(
    "change",
    [
        {"adjustments": {5: D(100)}, "hire_date": date(2026, 6, 1)},  # month without service
        {"adjustments": {1: D("0.001")}},
        {"hf_rate": D("0.08")},
        {"grade": 13},
        {"rating": "良好"},
        {"bonus_tax": "both"},
        {"from_month": 5, "to_month": 4},
        {"scale_version": "2030"},
        {"qualification": "会计师"},
        {"contribution_base": D(0)},
        {"leave_date": date(2019, 1, 1)},
        {
            "special_deductions": [
                SpecialDeduction("住房租金", D(1500), date(2026, 1, 1)),
                SpecialDeduction("住房贷款利息", D(1000), date(2026, 1, 1)),
            ]
        },
    ],
)
def test_invalid_cases(change: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        simulate(replace(STAF5, **change), REF)  # type: ignore[arg-type]


def test_not_in_service_this_year() -> None:
    assert simulate(replace(STAF5, hire_date=date(2027, 1, 1)), REF) == []
    assert simulate(replace(STAF5, hire_date=date(2026, 11, 1), to_month=10), REF) == []


def test_special_deductions_and_override_base() -> None:
    case = replace(
        STAF5,
        to_month=2,
        contribution_base=D(50000),
        special_deductions=[
            SpecialDeduction("子女教育", D(2000), date(2026, 2, 1), dependent="大宝")
        ],
    )
    jan, feb = simulate(case, REF)
    assert (jan.si_base, jan.hf_base, jan.base_month) == (D(37302), D(37302), None)
    assert (jan.special, feb.special) == (D(0), D(2000))
    assert feb.tax_state.special == D(2000)


def test_13_and_19_hao_flags() -> None:
    mid = replace(STAF5, hire_date=date(2026, 7, 1), first_income_of_year=True)
    assert simulate(mid, REF)[0].basic_cumulative == D(35000)
    low = replace(STAF5, prior_year_low_income=True)
    assert simulate(low, REF)[0].basic_cumulative == D(60000)
    assert simulate(low, REF)[0].iit == D(0)


def test_totals() -> None:
    months = simulate(replace(STAF5, rating="合格"), REF)
    sums = totals(months)
    assert sums["gross"] == D(11926 * 12 + 15555)
    assert sums["iit"] == sum((m.iit for m in months), D(0))
    assert (
        sums["net"]
        == sums["gross"]
        - sums["pension"]
        - sums["medical"]
        - sums["unemployment"]
        - sums["housing_fund"]
        - sums["iit"]
    )
    assert sums["employer_total"] == sum((m.employer.total for m in months), D(0))
    assert sums["employer_housing_fund"] == sums["housing_fund"]
    assert totals([]) == {k: Decimal(0) for k in sums}
