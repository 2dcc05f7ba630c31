"""Special additional deductions (专项附加扣除, §5): declarations, monthly sums and validation.

Re-exported by ``payroll.calc.tax``. A declaration's ``kind`` is its Chinese
label (the constants below). Caps are data (``default_special_rules()``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from payroll.calc.money import ZERO, D

__all__ = [
    "CHILD_EDUCATION",
    "CONTINUING_EDUCATION",
    "ELDERLY_SUPPORT",
    "HOUSING_RENT",
    "INFANT_CARE",
    "MORTGAGE_INTEREST",
    "SERIOUS_ILLNESS",
    "SPECIAL_KINDS",
    "SpecialDeduction",
    "SpecialDeductionRules",
    "cumulative_special",
    "default_special_rules",
    "special_due",
    "special_for_month",
    "validate_declarations",
]

CHILD_EDUCATION = "子女教育"
INFANT_CARE = "3岁以下婴幼儿照护"
ELDERLY_SUPPORT = "赡养老人"
MORTGAGE_INTEREST = "住房贷款利息"
HOUSING_RENT = "住房租金"
CONTINUING_EDUCATION = "继续教育"
SERIOUS_ILLNESS = "大病医疗"  # not a payroll item: refused by validate_declarations
SPECIAL_KINDS: tuple[str, ...] = (
    CHILD_EDUCATION,
    INFANT_CARE,
    ELDERLY_SUPPORT,
    MORTGAGE_INTEREST,
    HOUSING_RENT,
    CONTINUING_EDUCATION,
)


@dataclass(frozen=True)
class SpecialDeduction:
    """One declaration: ``monthly`` yuan of ``kind`` from ``start`` (the 1st of a month)
    through the month of ``end`` inclusive (None = open-ended).

    ``dependent`` names the child for the per-child kinds (one declaration per child).
    A 继续教育 certificate (3,600 once) is a declaration whose start and end are the
    same month. ``only_child`` (赡养老人, §6b): True for an only child (up to the full
    cap), False for a share (at most ``SpecialDeductionRules.elderly_share_cap``), None
    when the declaration does not say (an entry made before the flag existed).
    """

    kind: str
    monthly: Decimal
    start: date
    end: date | None = None
    dependent: str = ""
    only_child: bool | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.monthly, Decimal):
            raise TypeError("monthly must be Decimal")
        if self.start.day != 1:
            raise ValueError("a declaration starts on the 1st of a month")
        if self.end is not None and self.end < self.start:
            raise ValueError("a declaration ends before it starts")

    def active_in(self, month: date) -> bool:
        """True when the declaration covers the calendar month of ``month``."""
        key = (month.year, month.month)
        if key < (self.start.year, self.start.month):
            return False
        return self.end is None or key <= (self.end.year, self.end.month)


@dataclass(frozen=True)
class SpecialDeductionRules:
    """Caps in yuan per month: ``monthly_caps`` by kind (per child for ``per_dependent``
    kinds, per taxpayer otherwise) and ``certificate_once`` for a 继续教育 certificate."""

    monthly_caps: Mapping[str, Decimal]
    per_dependent: frozenset[str]
    certificate_once: Decimal
    elderly_share_cap: Decimal = D(1500)

    def __post_init__(self) -> None:
        object.__setattr__(self, "monthly_caps", MappingProxyType(dict(self.monthly_caps)))


def default_special_rules() -> SpecialDeductionRules:
    """The caps of §5 (since 2023, Shanghai rent): yuan per month."""
    return SpecialDeductionRules(
        monthly_caps={
            CHILD_EDUCATION: D(2000),
            INFANT_CARE: D(2000),
            ELDERLY_SUPPORT: D(3000),
            MORTGAGE_INTEREST: D(1000),
            HOUSING_RENT: D(1500),
            CONTINUING_EDUCATION: D(400),
        },
        per_dependent=frozenset({CHILD_EDUCATION, INFANT_CARE}),
        certificate_once=D(3600),
    )


def _months(first: date, last: date) -> Iterator[date]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield date(year, month, 1)
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)


def special_for_month(declarations: Sequence[SpecialDeduction], month: date) -> Decimal:
    """Return the sum in yuan of the declarations active in ``month`` (no rounding)."""
    return sum((d.monthly for d in declarations if d.active_in(month)), ZERO)


def cumulative_special(
    declarations: Sequence[SpecialDeduction], first_month: date, month: date
) -> Decimal:
    """Return the cumulative special deductions in yuan from ``first_month`` through ``month``.

    ``first_month`` is the first month employed by this employer this year. A
    declaration entered late still counts from its start month (within the span).
    """
    if first_month.year != month.year or first_month > month:
        raise ValueError("first_month and month must lie in one year, in order")
    lo, hi = first_month.year * 12 + first_month.month, month.year * 12 + month.month
    total = ZERO
    for d in declarations:
        start = max(lo, d.start.year * 12 + d.start.month)
        end = hi if d.end is None else min(hi, d.end.year * 12 + d.end.month)
        if end >= start:  # the declaration's months within the span, each at its monthly amount
            total += d.monthly * (end - start + 1)
    return total


def special_due(
    declarations: Sequence[SpecialDeduction],
    first_month: date,
    month: date,
    deducted_so_far: Decimal,
) -> Decimal:
    """Return this month's special deduction in yuan for ``monthly_tax``.

    = cumulative_special(first_month .. month) - the amount already deducted this
    year (``TaxState.special``), so a late declaration catches up in one month
    (and a withdrawn one is taken back).
    """
    return cumulative_special(declarations, first_month, month) - deducted_so_far


def validate_declarations(
    declarations: Sequence[SpecialDeduction],
    year: int,
    rules: SpecialDeductionRules | None = None,
) -> list[str]:
    """Return Chinese messages for rule breaks among the declarations touching ``year``.

    Checks kinds, positive amounts, caps (per child or per taxpayer and month),
    one declaration per child, 继续教育 (monthly degree amount or one certificate
    amount once a year) and that rent and mortgage interest are not both claimed
    in the year. An empty list means valid.
    """
    rules = rules or default_special_rules()
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    in_year = [
        d for d in declarations if d.start <= year_end and (d.end is None or d.end >= year_start)
    ]
    messages: list[str] = []
    known: list[SpecialDeduction] = []
    for d in in_year:
        if d.kind == SERIOUS_ILLNESS:
            messages.append("大病医疗不通过工资扣除，请在年度汇算时办理")
        elif d.kind not in rules.monthly_caps:
            messages.append(f"未知的专项附加扣除类别：{d.kind}")
        elif d.monthly <= 0:
            messages.append(f"{d.kind}：每月扣除额必须大于零")
        else:
            known.append(d)

    months = list(_months(year_start, year_end))
    for kind, cap in rules.monthly_caps.items():
        of_kind = [d for d in known if d.kind == kind]
        if kind == CONTINUING_EDUCATION:
            messages += _check_continuing(of_kind, months, cap, rules.certificate_once)
        elif kind in rules.per_dependent:
            messages += _check_per_dependent(kind, of_kind, months, cap)
        else:
            if kind == ELDERLY_SUPPORT:
                messages += [
                    f"{kind}：非独生子女每月分摊最多{rules.elderly_share_cap}元（申报{d.monthly}元）"
                    for d in of_kind
                    if d.only_child is False and d.monthly > rules.elderly_share_cap
                ]
            for m in months:
                total = special_for_month(of_kind, m)
                if total > cap:
                    messages.append(
                        f"{kind}：每月合计最多{cap}元（{m.year}年{m.month}月为{total}元）"
                    )
                    break

    kinds = {d.kind for d in known}
    if HOUSING_RENT in kinds and MORTGAGE_INTEREST in kinds:
        messages.append("住房租金与住房贷款利息不能在同一年度同时扣除")
    return messages


def _check_per_dependent(
    kind: str, declarations: list[SpecialDeduction], months: list[date], cap: Decimal
) -> list[str]:
    messages = [
        f"{kind}：每个子女每月最多{cap}元（{d.dependent or '未填子女'}申报{d.monthly}元）"
        for d in declarations
        if d.monthly > cap
    ]
    for dependent in sorted({d.dependent for d in declarations}):
        same = [d for d in declarations if d.dependent == dependent]
        if any(sum(1 for d in same if d.active_in(m)) > 1 for m in months):
            messages.append(f"{kind}：同一子女（{dependent or '未填子女'}）只能有一项申报")
    return messages


def _check_continuing(
    declarations: list[SpecialDeduction], months: list[date], cap: Decimal, once: Decimal
) -> list[str]:
    messages: list[str] = []
    certificates = [
        d
        for d in declarations
        if d.monthly == once
        and d.end is not None
        and (d.end.year, d.end.month) == (d.start.year, d.start.month)
    ]
    degrees = [d for d in declarations if d not in certificates]
    if len(certificates) > 1:
        messages.append(f"继续教育（职业资格）每年只能一次扣除{once}元")
    if any(d.monthly > cap for d in degrees):
        messages.append(
            f"继续教育：学历教育每月最多{cap}元，职业资格证书当年一次{once}元（起止为同一月份）"
        )
    elif any(special_for_month(degrees, m) > cap for m in months):
        messages.append(f"继续教育（学历）：每月合计最多{cap}元")
    return messages
