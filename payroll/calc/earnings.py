"""Earnings: days in service, the standard monthly pay, proration and the annual bonus (§3, §6a)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from payroll.calc.money import ZERO, round_fen, round_yuan
from payroll.calc.reference import POST_RANGES, QUALIFICATIONS, ScaleVersion

__all__ = [
    "StandardPay",
    "annual_bonus",
    "check_post_grade",
    "days_in_service",
    "month_earnings",
    "months_in_service",
    "prorate",
    "qualification_allowance",
    "standard_monthly",
]


@dataclass(frozen=True)
class StandardPay:
    """The fixed monthly components in yuan (2 places); ``gross`` is their sum."""

    grade_pay: Decimal
    post_allowance: Decimal
    performance: Decimal
    qualification_allowance: Decimal
    gross: Decimal


def days_in_service(
    year: int, month: int, hire_date: date, leave_date: date | None
) -> tuple[int, int]:
    """Return (calendar days in service in the month, calendar days of the month).

    ``hire_date`` is the first day and ``leave_date`` (None = still employed) the
    last day in service, both inclusive. Days are whole calendar days, no rounding.
    """
    if leave_date is not None and leave_date < hire_date:
        raise ValueError("leave date lies before the hire date")
    length = calendar.monthrange(year, month)[1]
    first = max(date(year, month, 1), hire_date)
    last = date(year, month, length)
    if leave_date is not None:
        last = min(last, leave_date)
    served = (last - first).days + 1
    return max(0, served), length


def months_in_service(year: int, hire_date: date, leave_date: date | None) -> int:
    """Return the number of months of ``year`` with at least one day in service (0-12, §6a)."""
    if leave_date is not None and leave_date < hire_date:
        raise ValueError("leave date lies before the hire date")
    if hire_date.year > year or (leave_date is not None and leave_date.year < year):
        return 0
    first = hire_date.month if hire_date.year == year else 1
    last = leave_date.month if leave_date is not None and leave_date.year == year else 12
    return last - first + 1


def qualification_allowance(
    scale: ScaleVersion,
    qualification: str | None,
    qualification_date: date | None,
    year: int,
    month: int,
) -> Decimal:
    """Return the monthly qualification allowance in yuan (no rounding: a table value).

    ``qualification`` is the highest one held ('无' or None pays 0). It pays from
    the month AFTER ``qualification_date``; a qualification without a date is
    taken as held before any month priced.
    """
    if qualification is None or qualification == QUALIFICATIONS[0]:
        return ZERO
    if qualification not in QUALIFICATIONS:
        raise ValueError(f"unknown qualification {qualification!r}")
    if qualification_date is not None and (year, month) <= (
        qualification_date.year,
        qualification_date.month,
    ):
        return ZERO
    return scale.qualification_allowance[qualification]


def check_post_grade(post: str, grade: int) -> None:
    """Raise ValueError unless ``post`` is known and ``grade`` lies in its range (§2)."""
    if post not in POST_RANGES:
        raise ValueError(f"unknown post {post!r}")
    low, high = POST_RANGES[post]
    if isinstance(grade, bool) or not isinstance(grade, int) or not low <= grade <= high:
        raise ValueError(f"grade {grade!r} is outside the {post} range {low}-{high}")


def standard_monthly(
    scale: ScaleVersion, post: str, grade: int, qualification_allowance: Decimal
) -> StandardPay:
    """Return the standard monthly pay of a full month, in yuan.

    performance = performance share x grade pay, rounded half-up to the YUAN;
    the other components are table values; gross = the sum of the four.
    ``qualification_allowance`` is the amount already decided for the month.
    """
    check_post_grade(post, grade)
    grade_pay = scale.grade_pay[grade]
    post_allowance = scale.post_allowance[post]
    performance = round_yuan(scale.performance_share * grade_pay)
    return StandardPay(
        grade_pay=round_fen(grade_pay),
        post_allowance=round_fen(post_allowance),
        performance=performance,
        qualification_allowance=round_fen(qualification_allowance),
        gross=round_fen(grade_pay + post_allowance + performance + qualification_allowance),
    )


def prorate(amount: Decimal, days_served: int, days_in_month: int) -> Decimal:
    """Return yuan ``amount`` x days_served / days_in_month, rounded half-up to the fen."""
    if days_in_month <= 0 or not 0 <= days_served <= days_in_month:
        raise ValueError(f"bad day counts {days_served}/{days_in_month}")
    if days_served == days_in_month:
        return round_fen(amount)
    return round_fen(amount * days_served / days_in_month)


def month_earnings(
    scale: ScaleVersion,
    post: str,
    grade: int,
    qual_allowance: Decimal,
    days_served: int,
    days_in_month: int,
) -> StandardPay:
    """Return the month's fixed pay in yuan, each component prorated to the fen.

    The performance is first rounded to the yuan on the full month, then
    prorated like every other component (§6a). ``gross`` is the sum of the
    prorated parts, so the printed lines always add up.
    """
    full = standard_monthly(scale, post, grade, qual_allowance)
    parts = [
        prorate(x, days_served, days_in_month)
        for x in (
            full.grade_pay,
            full.post_allowance,
            full.performance,
            full.qualification_allowance,
        )
    ]
    return StandardPay(parts[0], parts[1], parts[2], parts[3], sum(parts, ZERO))


def annual_bonus(
    december_grade_pay: Decimal, multiplier: Decimal, months_in_service: int
) -> Decimal:
    """Return the annual assessment bonus in yuan, rounded half-up to the YUAN (§3).

    = December grade pay (full-month table value, yuan) x rating multiplier x
    months in service this year / 12, where a month counts when it has at least
    one day in service (§6a).
    """
    if not 0 <= months_in_service <= 12:
        raise ValueError("months_in_service must lie in 0..12")
    return round_yuan(december_grade_pay * multiplier * months_in_service / 12)
