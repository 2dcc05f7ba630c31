"""Reference data: pay-scale versions, contribution bounds, rates and tax tables.

These are plain frozen dataclasses. The application loads the real (dated,
editable) values from its database and builds the same objects; the rule book's
seeded values (pay-rules.md §3-§5) live in seed/data/pay_reference.json. No
calculation function in ``payroll.calc`` bakes any of these numbers in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from payroll.calc.money import ZERO

__all__ = [
    "POSTS",
    "POST_NAMES",
    "POST_RANGES",
    "QUALIFICATIONS",
    "RATINGS",
    "SI_ROUNDING_MODES",
    "ContributionBounds",
    "Rates",
    "ScaleVersion",
    "TaxBracket",
    "bounds_for",
    "contribution_year_start",
    "scale_in_force",
]

POSTS: tuple[str, ...] = ("LEAD", "SUPV", "STAF")
POST_RANGES: Mapping[str, tuple[int, int]] = MappingProxyType(
    {"LEAD": (7, 18), "SUPV": (4, 15), "STAF": (1, 12)}
)
POST_NAMES: Mapping[str, str] = MappingProxyType(
    {"LEAD": "负责人", "SUPV": "主管", "STAF": "工作人员"}
)
QUALIFICATIONS: tuple[str, ...] = ("无", "助理社会工作师", "社会工作师", "高级社会工作师")
RATINGS: tuple[str, ...] = ("优秀", "合格", "基本合格", "不合格")
GRADES: tuple[int, ...] = tuple(range(1, 19))
SI_ROUNDING_MODES: tuple[str, ...] = ("half_up", "jiao_up")


def _frozen(mapping: Mapping[Any, Decimal]) -> Mapping[Any, Decimal]:
    return MappingProxyType(dict(mapping))


def _require_keys(what: str, mapping: Mapping[Any, Decimal], keys: Iterable[object]) -> None:
    missing = [k for k in keys if k not in mapping]
    if missing:
        raise ValueError(f"{what}: missing {missing}")
    for key, value in mapping.items():
        if not isinstance(value, Decimal):
            raise TypeError(f"{what}[{key!r}] must be Decimal, not {type(value).__name__}")
        if value < 0:
            raise ValueError(f"{what}[{key!r}] must not be negative")


@dataclass(frozen=True)
class ScaleVersion:
    """One dated pay-scale version (§3). Money in yuan per month; shares are fractions.

    ``grade_pay``: grades 1..18; ``post_allowance``: keys LEAD/SUPV/STAF;
    ``qualification_allowance``: keys 助理社会工作师/社会工作师/高级社会工作师;
    ``bonus_multiplier``: keys 优秀/合格/基本合格/不合格 (multiples of December grade pay).
    The mappings are copied into read-only views.
    """

    name: str
    start: date
    grade_pay: Mapping[int, Decimal]
    post_allowance: Mapping[str, Decimal]
    performance_share: Decimal
    qualification_allowance: Mapping[str, Decimal]
    bonus_multiplier: Mapping[str, Decimal]

    def __post_init__(self) -> None:
        _require_keys("grade_pay", self.grade_pay, GRADES)
        _require_keys("post_allowance", self.post_allowance, POSTS)
        _require_keys("qualification_allowance", self.qualification_allowance, QUALIFICATIONS[1:])
        _require_keys("bonus_multiplier", self.bonus_multiplier, RATINGS)
        if not isinstance(self.performance_share, Decimal) or self.performance_share < 0:
            raise ValueError("performance_share must be a non-negative Decimal")
        for name in ("grade_pay", "post_allowance", "qualification_allowance", "bonus_multiplier"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))


@dataclass(frozen=True)
class ContributionBounds:
    """SI and HF base bounds (yuan per month) of the contribution year starting ``start`` (1 July)."""

    start: date
    si_floor: Decimal
    si_ceiling: Decimal
    hf_floor: Decimal
    hf_ceiling: Decimal

    def __post_init__(self) -> None:
        if self.si_floor > self.si_ceiling or self.hf_floor > self.hf_ceiling:
            raise ValueError("a floor lies above its ceiling")


@dataclass(frozen=True)
class Rates:
    """Social insurance rates as fractions of the SI base (§4, §6a).

    ``si_rounding`` is 'half_up' (each employee part half-up to the fen) or
    'jiao_up' (见分进角). Employer parts are always half-up to the fen.
    """

    pension: Decimal = Decimal("0.08")
    medical: Decimal = Decimal("0.02")
    unemployment: Decimal = Decimal("0.005")
    employer_pension: Decimal = Decimal("0.16")
    employer_medical: Decimal = Decimal("0.09")
    employer_unemployment: Decimal = Decimal("0.005")
    work_injury: Decimal = Decimal("0.002")
    si_rounding: str = "half_up"

    def __post_init__(self) -> None:
        if self.si_rounding not in SI_ROUNDING_MODES:
            raise ValueError(f"si_rounding must be one of {SI_ROUNDING_MODES}")
        for name in (
            "pension",
            "medical",
            "unemployment",
            "employer_pension",
            "employer_medical",
            "employer_unemployment",
            "work_injury",
        ):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not ZERO <= value < 1:
                raise ValueError(f"rate {name} must be a Decimal in [0, 1)")


@dataclass(frozen=True)
class TaxBracket:
    """One bracket: amounts up to ``upper`` yuan (None = no limit) pay ``rate`` minus ``quick_deduction`` yuan."""

    upper: Decimal | None
    rate: Decimal
    quick_deduction: Decimal = field(default=ZERO)


def contribution_year_start(month: date) -> date:
    """Return 1 July of the contribution year (1 July - 30 June) that contains ``month``."""
    year = month.year if month.month >= 7 else month.year - 1
    return date(year, 7, 1)


def scale_in_force(scales: Sequence[ScaleVersion], on: date) -> ScaleVersion:
    """Return the scale version with the latest ``start`` on or before ``on``; ValueError if none."""
    candidates = [s for s in scales if s.start <= on]
    if not candidates:
        raise ValueError(f"no pay-scale version in force on {on.isoformat()}")
    return max(candidates, key=lambda s: s.start)


def bounds_for(bounds_list: Sequence[ContributionBounds], month: date) -> ContributionBounds:
    """Return the contribution bounds for ``month``.

    The row of the month's contribution year (1 July - 30 June) when there is one;
    otherwise the latest row whose ``start`` is on or before the month (§6a);
    ValueError when there is no such row either.
    """
    year_start = contribution_year_start(month)
    same_year = [b for b in bounds_list if contribution_year_start(b.start) == year_start]
    if same_year:
        return max(same_year, key=lambda b: b.start)
    earlier = [b for b in bounds_list if b.start <= month]
    if not earlier:
        raise ValueError(f"no contribution bounds in force for {month.isoformat()}")
    return max(earlier, key=lambda b: b.start)
