"""Reference data: pay-scale versions, contribution bounds, rates and tax tables.

These are plain frozen dataclasses. The application loads the real (dated,
editable) values from its database and builds the same objects; the
``default_*`` factories below hold the rule book's seeded values (pay-rules.md
§3-§5) for tests and as the seed's fallback. No calculation function in
``payroll.calc`` bakes any of these numbers in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from payroll.calc.money import ZERO, D

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
    "default_annual_tax_table",
    "default_bonus_tax_table",
    "default_bounds",
    "default_rates",
    "default_scale_2017",
    "default_scale_2025",
    "default_scales",
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


# --- the rule book's seeded values -------------------------------------------------------

_SCALE_A = (4600, 4810, 5010, 5220, 5430, 5640, 5840, 6050, 6260,
            6460, 6670, 6880, 7080, 7290, 7500, 7710, 7910, 8120)  # fmt: skip
_SCALE_B = (8790, 9190, 9580, 9980, 10370, 10770, 11160, 11560, 11950,
            12350, 12750, 13140, 13540, 13930, 14330, 14720, 15120, 15510)  # fmt: skip


def _default_qualifications() -> dict[str, Decimal]:
    return {"助理社会工作师": D(200), "社会工作师": D(300), "高级社会工作师": D(500)}


def _default_multipliers() -> dict[str, Decimal]:
    return {"优秀": D("2.0"), "合格": D("1.5"), "基本合格": D("0.75"), "不合格": D(0)}


def default_scale_2017() -> ScaleVersion:
    """The rule book's 2017 version (scale A, from 2017-01-01); yuan per month."""
    return ScaleVersion(
        name="2017",
        start=date(2017, 1, 1),
        grade_pay={g: D(v) for g, v in zip(GRADES, _SCALE_A, strict=True)},
        post_allowance={"LEAD": D(600), "SUPV": D(300), "STAF": D(0)},
        performance_share=D("0.15"),
        qualification_allowance=_default_qualifications(),
        bonus_multiplier=_default_multipliers(),
    )


def default_scale_2025() -> ScaleVersion:
    """The rule book's 2025 version (scale B, from 2025-01-01); yuan per month."""
    return ScaleVersion(
        name="2025",
        start=date(2025, 1, 1),
        grade_pay={g: D(v) for g, v in zip(GRADES, _SCALE_B, strict=True)},
        post_allowance={"LEAD": D(1150), "SUPV": D(570), "STAF": D(0)},
        performance_share=D("0.15"),
        qualification_allowance=_default_qualifications(),
        bonus_multiplier=_default_multipliers(),
    )


def default_scales() -> list[ScaleVersion]:
    """Both seeded scale versions, oldest first."""
    return [default_scale_2017(), default_scale_2025()]


def default_bounds() -> list[ContributionBounds]:
    """The four seeded contribution-year bounds rows (2023-07 .. 2026-07); yuan per month."""
    rows = [
        (2023, "7310", "36549", "2590", "36549"),
        (2024, "7384", "36921", "2690", "36921"),
        (2025, "7460", "37302", "2690", "37302"),
        (2026, "7546", "37731", "2740", "37731"),
    ]
    return [
        ContributionBounds(date(y, 7, 1), D(sf), D(sc), D(hf), D(hc)) for y, sf, sc, hf, hc in rows
    ]


def default_rates() -> Rates:
    """The seeded rates: employee 8% / 2% / 0.5%, employer 16% / 9% / 0.5% / 0.2%, half-up."""
    return Rates()


def _table(rows: Sequence[tuple[int | None, str, int]]) -> list[TaxBracket]:
    return [TaxBracket(None if u is None else D(u), D(r), D(q)) for u, r, q in rows]


def default_annual_tax_table() -> list[TaxBracket]:
    """The cumulative (annual) withholding table of §5; yuan of cumulative taxable income."""
    return _table(
        [
            (36000, "0.03", 0),
            (144000, "0.10", 2520),
            (300000, "0.20", 16920),
            (420000, "0.25", 31920),
            (660000, "0.30", 52920),
            (960000, "0.35", 85920),
            (None, "0.45", 181920),
        ]
    )


def default_bonus_tax_table() -> list[TaxBracket]:
    """The monthly table of §5 used for a separately taxed annual bonus (looked up by bonus / 12)."""
    return _table(
        [
            (3000, "0.03", 0),
            (12000, "0.10", 210),
            (25000, "0.20", 1410),
            (35000, "0.25", 2660),
            (55000, "0.30", 4410),
            (80000, "0.35", 7160),
            (None, "0.45", 15160),
        ]
    )
