"""Reference data: the seeded values and the dated look-ups."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from payroll.calc.contributions import contribution_year_start
from payroll.calc.money import D
from payroll.calc.reference import (
    POST_RANGES,
    ContributionBounds,
    Rates,
    ScaleVersion,
    bounds_for,
    scale_in_force,
)
from tests.helpers.pay_reference import (
    default_annual_tax_table,
    default_bonus_tax_table,
    default_bounds,
    default_scale_2017,
    default_scale_2025,
    default_scales,
)


def test_scales_as_printed() -> None:
    a, b = default_scale_2017(), default_scale_2025()
    assert [a.grade_pay[g] for g in (1, 5, 12, 18)] == [D(4600), D(5430), D(6880), D(8120)]
    assert [b.grade_pay[g] for g in (1, 5, 12, 18)] == [D(8790), D(10370), D(13140), D(15510)]
    assert sum(a.grade_pay.values()) == D(114480)
    assert sum(b.grade_pay.values()) == D(218740)
    assert dict(a.post_allowance) == {"LEAD": D(600), "SUPV": D(300), "STAF": D(0)}
    assert dict(b.post_allowance) == {"LEAD": D(1150), "SUPV": D(570), "STAF": D(0)}
    for s in (a, b):
        assert s.performance_share == D("0.15")
        assert dict(s.qualification_allowance) == {
            "助理社会工作师": D(200),
            "社会工作师": D(300),
            "高级社会工作师": D(500),
        }
        assert dict(s.bonus_multiplier) == {
            "优秀": D(2),
            "合格": D("1.5"),
            "基本合格": D("0.75"),
            "不合格": D(0),
        }


def test_scale_mappings_are_read_only() -> None:
    scale = default_scale_2017()
    with pytest.raises(TypeError):
        scale.grade_pay[1] = D(1)  # type: ignore[index]


def test_scale_needs_all_grades() -> None:
    scale = default_scale_2017()
    grades = dict(scale.grade_pay)
    del grades[18]
    with pytest.raises(ValueError):
        replace(scale, grade_pay=grades)


def test_post_ranges() -> None:
    assert POST_RANGES == {"LEAD": (7, 18), "SUPV": (4, 15), "STAF": (1, 12)}


@pytest.mark.parametrize(
    ("on", "name"),
    [
        (date(2017, 1, 1), "2017"),
        (date(2024, 12, 31), "2017"),
        (date(2025, 1, 1), "2025"),
        (date(2030, 6, 1), "2025"),
    ],
)
def test_scale_in_force(on: date, name: str) -> None:
    assert scale_in_force(default_scales(), on).name == name


def test_scale_in_force_none() -> None:
    with pytest.raises(ValueError):
        scale_in_force(default_scales(), date(2016, 12, 31))


@pytest.mark.parametrize(
    ("month", "start"),
    [
        (date(2026, 1, 1), date(2025, 7, 1)),
        (date(2026, 6, 30), date(2025, 7, 1)),
        (date(2026, 7, 1), date(2026, 7, 1)),
    ],
)
def test_contribution_year_start(month: date, start: date) -> None:
    assert contribution_year_start(month) == start


@pytest.mark.parametrize(
    ("month", "row", "si_floor"),
    [
        (date(2024, 6, 1), date(2023, 7, 1), D(7310)),
        (date(2024, 7, 1), date(2024, 7, 1), D(7384)),
        (date(2026, 1, 1), date(2025, 7, 1), D(7460)),
        (date(2026, 6, 1), date(2025, 7, 1), D(7460)),
        (date(2026, 7, 1), date(2026, 7, 1), D(7546)),
        # No 2027-07 row: the latest row in force (§6a).
        (date(2027, 9, 1), date(2026, 7, 1), D(7546)),
    ],
)
def test_bounds_by_contribution_year(month: date, row: date, si_floor: Decimal) -> None:
    bounds = bounds_for(default_bounds(), month)
    assert (bounds.start, bounds.si_floor) == (row, si_floor)


def test_bounds_row_published_late_in_its_year_still_applies() -> None:
    # A row dated inside its contribution year (announced late) covers the whole year.
    rows = [
        *default_bounds(),
        ContributionBounds(date(2027, 9, 1), D(7600), D(38000), D(2800), D(38000)),
    ]
    assert bounds_for(rows, date(2027, 7, 1)).si_floor == D(7600)


def test_bounds_none_in_force() -> None:
    """Before the earliest seeded row (2017-07) no row is in force."""
    earliest = min(b.start for b in default_bounds())
    assert earliest == date(2017, 7, 1)
    with pytest.raises(ValueError):
        bounds_for(default_bounds(), date(2017, 6, 1))


def test_rates_defaults_and_validation() -> None:
    rates = Rates()
    assert (rates.pension, rates.medical, rates.unemployment) == (D("0.08"), D("0.02"), D("0.005"))
    assert (rates.employer_pension, rates.employer_medical) == (D("0.16"), D("0.09"))
    assert (rates.employer_unemployment, rates.work_injury) == (D("0.005"), D("0.002"))
    with pytest.raises(ValueError):
        Rates(si_rounding="down")


def test_tax_tables() -> None:
    annual, bonus = default_annual_tax_table(), default_bonus_tax_table()
    assert [(b.upper, b.rate, b.quick_deduction) for b in annual][1] == (
        D(144000),
        D("0.10"),
        D(2520),
    )
    assert annual[-1].upper is None and annual[-1].quick_deduction == D(181920)
    assert [b.quick_deduction for b in bonus] == [
        D(q) for q in (0, 210, 1410, 2660, 4410, 7160, 15160)
    ]


def test_scale_version_type_checks() -> None:
    with pytest.raises(ValueError):
        ScaleVersion(
            name="x",
            start=date(2020, 1, 1),
            grade_pay={g: D(1) for g in range(1, 19)},
            post_allowance={"LEAD": D(0), "SUPV": D(0), "STAF": D(0)},
            performance_share=D("-0.1"),
            qualification_allowance={
                "助理社会工作师": D(0),
                "社会工作师": D(0),
                "高级社会工作师": D(0),
            },
            bonus_multiplier={"优秀": D(0), "合格": D(0), "基本合格": D(0), "不合格": D(0)},
        )
