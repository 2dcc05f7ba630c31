"""The one way in for typed amounts, rates and months."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from payroll.reference.amounts import (
    AmountError,
    parse_decimal,
    parse_money,
    parse_month,
    parse_rate,
    rate_text,
)


@pytest.mark.parametrize("value, expected", [
    ("4600", Decimal("4600.00")), ("4,600.5", Decimal("4600.50")), (" 0.01 ", Decimal("0.01")),
    (4600, Decimal("4600.00")), (1500.5, Decimal("1500.50")), (Decimal("7.1"), Decimal("7.10")),
])
def test_money_is_exact_with_two_places(value, expected):
    got = parse_money(value)
    assert got == expected and str(got) == str(expected)


@pytest.mark.parametrize("value, message", [
    ("", "请填写"), (None, "请填写"), ("1.005", "最多 2 位小数"), (0.001, "最多 2 位小数"), ("-3", "不能为负数"),
    ("abc", "应为数字"), ("1e5", "应为数字"), ("NaN", "应为数字"), (True, "应为数字"), ("2000000", "不能超过"),
])
def test_money_refusals(value, message):
    with pytest.raises(AmountError, match=message):
        parse_money(value)


def test_positive_and_rates():
    with pytest.raises(AmountError, match="须大于 0"):
        parse_money("0", positive=True)
    assert parse_rate("0.0825") == Decimal("0.0825")
    with pytest.raises(AmountError, match="最多 4 位小数"):
        parse_rate("0.00825")
    with pytest.raises(AmountError, match="小于 1"):
        parse_rate("1")
    assert parse_decimal("2.5", 4) == Decimal("2.5")
    assert rate_text(Decimal("0.150")) == "0.15" and rate_text(Decimal("0.0050")) == "0.005"


@pytest.mark.parametrize("value, expected", [
    ("2025-03", date(2025, 3, 1)), ("2025/3", date(2025, 3, 1)), ("2025年3月", date(2025, 3, 1)),
    ("2025-03-01", date(2025, 3, 1)), (datetime(2025, 3, 1), date(2025, 3, 1)), (date(2025, 12, 1), date(2025, 12, 1)),
])
def test_months(value, expected):
    assert parse_month(value) == expected


@pytest.mark.parametrize("value", ["2025-13", "2025-03-15", date(2025, 3, 2), "三月", 202503, "2025-02-30"])
def test_month_refusals(value):
    with pytest.raises(AmountError):
        parse_month(value)
