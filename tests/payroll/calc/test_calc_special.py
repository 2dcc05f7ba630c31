"""Special additional deductions: monthly sums, late declarations, validation."""

from __future__ import annotations

from datetime import date

import pytest

from payroll.calc.money import D
from payroll.calc.tax import (
    SpecialDeduction,
    TaxState,
    basic_deduction,
    cumulative_special,
    monthly_tax,
    special_due,
    special_for_month,
    validate_declarations,
)
from tests.helpers.pay_reference import default_annual_tax_table

TABLE = default_annual_tax_table()


def _decl(
    kind: str, monthly: int, start: date, end: date | None = None, dependent: str = ""
) -> SpecialDeduction:
    return SpecialDeduction(kind, D(monthly), start, end, dependent)


CHILD = _decl("子女教育", 2000, date(2026, 1, 1), dependent="大宝")
ELDER = _decl("赡养老人", 3000, date(2026, 4, 1), date(2026, 9, 30))


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (date(2026, 1, 1), 2000),
        (date(2026, 3, 15), 2000),
        (date(2026, 4, 1), 5000),
        (date(2026, 9, 1), 5000),
        (date(2026, 10, 1), 2000),
        (date(2025, 12, 1), 0),
    ],
)
def test_special_for_month(month: date, expected: int) -> None:
    assert special_for_month([CHILD, ELDER], month) == D(expected)


def test_cumulative_special() -> None:
    assert cumulative_special([CHILD, ELDER], date(2026, 1, 1), date(2026, 12, 1)) == D(
        24000 + 18000
    )
    # Hired in May: only May..December count.
    assert cumulative_special([CHILD, ELDER], date(2026, 5, 1), date(2026, 12, 1)) == D(
        16000 + 15000
    )
    with pytest.raises(ValueError):
        cumulative_special([CHILD], date(2025, 12, 1), date(2026, 1, 1))


def test_declaration_must_start_on_the_first() -> None:
    with pytest.raises(ValueError):
        SpecialDeduction("住房租金", D(1500), date(2026, 1, 15))
    with pytest.raises(ValueError):
        SpecialDeduction("住房租金", D(1500), date(2026, 3, 1), date(2026, 2, 1))


def test_late_declaration_counts_back_to_its_start_month() -> None:
    # 20,000 a month, SI+HF 3,500. January-March without deductions: 345 a month.
    # In April the worker declares 子女教育 2,000 starting January: April deducts the
    # cumulative 8,000 at once. Cumulative taxable in April: 80,000 - 20,000 - 14,000
    # - 8,000 = 38,000 -> 10% - 2,520 = 1,280 due, 1,035 withheld -> 245.
    # Without the catch-up April would deduct only 2,000: taxable 44,000 -> 1,880 - 1,035 = 845.
    late = [_decl("子女教育", 2000, date(2026, 1, 1), dependent="大宝")]
    state, taxes = TaxState(), []
    for month in range(1, 5):
        declared = late if month >= 4 else []
        this = special_due(declared, date(2026, 1, 1), date(2026, month, 1), state.special)
        tax, state = monthly_tax(
            state, D(20000), D(3500), this, basic_deduction(month, 1, False, False), TABLE
        )
        taxes.append(tax)
    assert taxes == [D(345), D(345), D(345), D(245)]
    assert state.special == D(8000)


def test_valid_declarations() -> None:
    decls = [
        CHILD,
        _decl("子女教育", 2000, date(2026, 1, 1), dependent="二宝"),
        _decl("3岁以下婴幼儿照护", 2000, date(2026, 1, 1), dependent="三宝"),
        ELDER,
        _decl("住房租金", 1500, date(2026, 1, 1)),
        _decl("继续教育", 400, date(2026, 1, 1)),
        _decl("继续教育", 3600, date(2026, 10, 1), date(2026, 10, 31)),
    ]
    assert validate_declarations(decls, 2026) == []


def test_rent_and_mortgage_not_in_one_year() -> None:
    decls = [
        _decl("住房租金", 1500, date(2026, 1, 1), date(2026, 5, 31)),
        _decl("住房贷款利息", 1000, date(2026, 6, 1)),
    ]
    assert validate_declarations(decls, 2026) == ["住房租金与住房贷款利息不能在同一年度同时扣除"]
    # The next year holds only the mortgage.
    assert validate_declarations(decls, 2027) == []


@pytest.mark.parametrize(
    ("decls", "fragment"),
    [
        ([_decl("子女教育", 2500, date(2026, 1, 1))], "每个子女每月最多2000元"),
        ([_decl("3岁以下婴幼儿照护", 2001, date(2026, 1, 1))], "每个子女每月最多2000元"),
        (
            [
                _decl("子女教育", 1000, date(2026, 1, 1), dependent="大宝"),
                _decl("子女教育", 1000, date(2026, 3, 1), dependent="大宝"),
            ],
            "只能有一项申报",
        ),
        ([_decl("赡养老人", 3500, date(2026, 1, 1))], "每月合计最多3000元"),
        (
            [_decl("赡养老人", 1500, date(2026, 1, 1)), _decl("赡养老人", 2000, date(2026, 6, 1))],
            "每月合计最多3000元",
        ),
        ([_decl("住房贷款利息", 1200, date(2026, 1, 1))], "每月合计最多1000元"),
        ([_decl("住房租金", 1600, date(2026, 1, 1))], "每月合计最多1500元"),
        ([_decl("继续教育", 800, date(2026, 1, 1))], "职业资格证书当年一次3600元"),
        (
            [_decl("继续教育", 3600, date(2026, 1, 1))],
            "职业资格证书当年一次3600元",
        ),  # not a single month
        (
            [
                _decl("继续教育", 3600, date(2026, 3, 1), date(2026, 3, 1)),
                _decl("继续教育", 3600, date(2026, 9, 1), date(2026, 9, 1)),
            ],
            "每年只能一次",
        ),
        ([_decl("大病医疗", 1000, date(2026, 1, 1))], "大病医疗不通过工资扣除"),
        ([_decl("租房", 1000, date(2026, 1, 1))], "未知的专项附加扣除类别"),
        ([_decl("住房租金", 0, date(2026, 1, 1))], "必须大于零"),
    ],
)
def test_invalid_declarations(decls: list[SpecialDeduction], fragment: str) -> None:
    messages = validate_declarations(decls, 2026)
    assert len(messages) == 1
    assert fragment in messages[0]


def test_declarations_outside_the_year_are_ignored() -> None:
    old = _decl("住房贷款利息", 5000, date(2024, 1, 1), date(2025, 12, 31))
    assert validate_declarations([old], 2026) == []
