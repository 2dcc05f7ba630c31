"""Earnings: days in service, qualification month-after, performance rounding, proration, bonus."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from payroll.calc.earnings import (
    annual_bonus,
    days_in_service,
    month_earnings,
    months_in_service,
    prorate,
    qualification_allowance,
    standard_monthly,
)
from payroll.calc.money import D
from tests.helpers.pay_reference import default_scale_2017, default_scale_2025

A = default_scale_2017()
B = default_scale_2025()


@pytest.mark.parametrize(
    ("year", "month", "hire", "leave", "expected"),
    [
        (2026, 3, date(2020, 1, 1), None, (31, 31)),
        (2026, 3, date(2026, 3, 15), None, (17, 31)),  # 15..31 inclusive
        (2026, 2, date(2026, 2, 1), None, (28, 28)),
        (2024, 2, date(2024, 2, 10), None, (20, 29)),  # leap year
        (2026, 4, date(2020, 1, 1), date(2026, 4, 10), (10, 30)),  # last day inclusive
        (2026, 4, date(2026, 4, 10), date(2026, 4, 10), (1, 30)),
        (2026, 5, date(2020, 1, 1), date(2026, 4, 30), (0, 31)),
        (2026, 1, date(2026, 2, 1), None, (0, 31)),
    ],
)
def test_days_in_service(
    year: int, month: int, hire: date, leave: date | None, expected: tuple[int, int]
) -> None:
    assert days_in_service(year, month, hire, leave) == expected


def test_days_in_service_refuses_leave_before_hire() -> None:
    with pytest.raises(ValueError):
        days_in_service(2026, 1, date(2026, 1, 10), date(2026, 1, 9))


@pytest.mark.parametrize(
    ("qualification", "qdate", "month", "expected"),
    [
        ("助理社会工作师", date(2026, 3, 1), 3, D(0)),  # registered 1 March: not yet in March
        ("助理社会工作师", date(2026, 3, 31), 3, D(0)),
        ("助理社会工作师", date(2026, 3, 31), 4, D(200)),  # the month after
        ("社会工作师", date(2025, 12, 15), 1, D(300)),  # across the year end
        ("高级社会工作师", date(2020, 1, 1), 6, D(500)),
        ("高级社会工作师", None, 6, D(500)),  # no date: held before any month priced
        ("无", date(2020, 1, 1), 6, D(0)),
        (None, None, 6, D(0)),
    ],
)
def test_qualification_allowance_from_the_month_after(
    qualification: str | None, qdate: date | None, month: int, expected: Decimal
) -> None:
    assert qualification_allowance(A, qualification, qdate, 2026, month) == expected


def test_qualification_unknown() -> None:
    with pytest.raises(ValueError):
        qualification_allowance(A, "会计师", None, 2026, 1)


@pytest.mark.parametrize(
    ("scale", "post", "grade", "qual", "performance", "gross"),
    [
        (A, "STAF", 5, D(200), D(815), D(6445)),  # 814.50 -> 815
        (A, "STAF", 1, D(0), D(690), D(5290)),
        (A, "LEAD", 18, D(500), D(1218), D(10438)),  # 8,120 x 15% = 1,218
        (A, "SUPV", 4, D(0), D(783), D(6303)),  # 5,220 x 15% = 783
        (B, "STAF", 5, D(0), D(1556), D(11926)),  # 1,555.50 -> 1,556
        (B, "LEAD", 7, D(300), D(1674), D(14284)),  # 11,160 x 15% = 1,674
        (B, "SUPV", 15, D(0), D(2150), D(17050)),  # 2,149.50 -> 2,150
    ],
)
def test_standard_monthly(
    scale: object, post: str, grade: int, qual: Decimal, performance: Decimal, gross: Decimal
) -> None:
    pay = standard_monthly(scale, post, grade, qual)  # type: ignore[arg-type]
    assert pay.performance == performance
    assert pay.gross == gross
    assert (
        pay.gross
        == pay.grade_pay + pay.post_allowance + pay.performance + pay.qualification_allowance
    )


@pytest.mark.parametrize(
    ("post", "grade"), [("STAF", 13), ("SUPV", 3), ("LEAD", 6), ("LEAD", 19), ("BOSS", 5)]
)
def test_grade_outside_post_range(post: str, grade: int) -> None:
    with pytest.raises(ValueError):
        standard_monthly(A, post, grade, D(0))


@pytest.mark.parametrize(
    ("amount", "served", "days", "expected"),
    [
        (D(5430), 17, 31, D("2977.74")),  # 2,977.7419...
        (D(815), 17, 31, D("446.94")),  # 446.9354...
        (D(200), 17, 31, D("109.68")),  # 109.6774...
        (D(1000), 15, 30, D("500.00")),
        (D(1), 1, 8, D("0.13")),  # 0.125 -> half-up
        (D(5430), 31, 31, D("5430.00")),
        (D(5430), 0, 31, D("0.00")),
    ],
)
def test_prorate_half_up_to_the_fen(
    amount: Decimal, served: int, days: int, expected: Decimal
) -> None:
    assert prorate(amount, served, days) == expected


def test_prorate_refuses_bad_days() -> None:
    with pytest.raises(ValueError):
        prorate(D(1), 32, 31)


def test_month_earnings_rounds_performance_to_the_yuan_before_proration() -> None:
    # 2017 STAF 5, joined 15 March (17 of 31 days): performance 814.50 -> 815 on the
    # full month, then 815 x 17/31 = 446.94; prorating the unrounded 814.50 would give
    # 446.66. Grade pay 5,430 x 17/31 = 2,977.74; allowance 200 x 17/31 = 109.68.
    pay = month_earnings(A, "STAF", 5, D(200), 17, 31)
    assert pay.performance == D("446.94")
    assert (pay.grade_pay, pay.post_allowance, pay.qualification_allowance) == (
        D("2977.74"),
        D(0),
        D("109.68"),
    )
    assert pay.gross == D("3534.36")  # the sum of the prorated parts


def test_month_earnings_gross_is_sum_of_prorated_parts_not_prorated_gross() -> None:
    # LEAD 7 on the 2025 scale with 300, 1 of 30 days: parts 372.00, 38.33, 55.80, 10.00
    # = 476.13, while the standard gross 14,284 / 30 = 476.1333 -> 476.13 happens to
    # agree here; 2 of 31 days: 720.00 + 74.19 + 108.00 + 19.35 = 921.54 vs 921.55.
    pay = month_earnings(B, "LEAD", 7, D(300), 2, 31)
    assert (
        pay.gross
        == pay.grade_pay + pay.post_allowance + pay.performance + pay.qualification_allowance
    )
    assert pay.gross == D("921.54")


@pytest.mark.parametrize(
    ("hire", "leave", "months"),
    [
        (date(2020, 1, 1), None, 12),
        (date(2026, 3, 31), None, 10),  # one day in March counts
        (date(2026, 10, 1), None, 3),
        (date(2020, 1, 1), date(2026, 6, 1), 6),  # one day in June counts
        (date(2026, 2, 15), date(2026, 2, 20), 1),
        (date(2027, 1, 1), None, 0),
    ],
)
def test_months_in_service(hire: date, leave: date | None, months: int) -> None:
    assert months_in_service(2026, hire, leave) == months


@pytest.mark.parametrize(
    ("grade_pay", "multiplier", "months", "expected"),
    [
        (D(5430), D("2.0"), 12, D(10860)),
        (D(5430), D("1.5"), 12, D(8145)),
        (D(5430), D("0.75"), 12, D(4073)),  # 4,072.50 -> 4,073
        (D(5430), D("1.5"), 10, D(6788)),  # 6,787.50 -> 6,788
        (D(5430), D("1.5"), 7, D(4751)),  # 4,751.25 -> 4,751
        (D(10370), D("0.75"), 5, D(3241)),  # 38,887.50 / 12 = 3,240.625 -> 3,241
        (D(5430), D(0), 12, D(0)),
    ],
)
def test_annual_bonus_half_up_to_the_yuan(
    grade_pay: Decimal, multiplier: Decimal, months: int, expected: Decimal
) -> None:
    assert annual_bonus(grade_pay, multiplier, months) == expected
