"""The rule book's seeded reference data (pay-rules.md §3-§5), read from the seed file the
application loads (seed/data/pay_reference.json) and built into the calculation core's objects."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from payroll.calc.payslip import Reference
from payroll.calc.reference import ContributionBounds, Rates, ScaleVersion, TaxBracket

SEED_FILE = Path(__file__).resolve().parents[2] / "seed" / "data" / "pay_reference.json"


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    return data


def _scale(name: str) -> ScaleVersion:
    [s] = [s for s in _data()["scales"] if s["name"] == name]
    return ScaleVersion(
        name=s["name"], start=date.fromisoformat(s["start"]),
        grade_pay={int(g): Decimal(v) for g, v in s["grade_pay"].items()},
        post_allowance={k: Decimal(v) for k, v in s["post_allowance"].items()},
        performance_share=Decimal(s["performance_share"]),
        qualification_allowance={k: Decimal(v) for k, v in s["qualification_allowance"].items()},
        bonus_multiplier={k: Decimal(v) for k, v in s["bonus_multiplier"].items()},
    )


def _table(kind: str) -> list[TaxBracket]:
    [t] = [t for t in _data()["tax_tables"] if t["kind"] == kind]
    return [TaxBracket(None if u is None else Decimal(u), Decimal(r), Decimal(q)) for u, r, q in t["brackets"]]


def default_scale_2017() -> ScaleVersion:
    """The 2017 version (scale A, from 2017-01-01); yuan per month."""
    return _scale("2017")


def default_scale_2025() -> ScaleVersion:
    """The 2025 version (scale B, from 2025-01-01); yuan per month."""
    return _scale("2025")


def default_scales() -> list[ScaleVersion]:
    """Both seeded scale versions, oldest first."""
    return sorted((_scale(s["name"]) for s in _data()["scales"]), key=lambda s: s.start)


def default_bounds() -> list[ContributionBounds]:
    """The seeded contribution-year bounds rows (2017-07, 2023-07 .. 2026-07); yuan per month."""
    return [ContributionBounds(date.fromisoformat(b["start"]), Decimal(b["si_floor"]), Decimal(b["si_ceiling"]),
                               Decimal(b["hf_floor"]), Decimal(b["hf_ceiling"])) for b in _data()["bounds"]]


def default_rates() -> Rates:
    """The seeded rates in force now, the latest version (employee 8% / 2% / 0.5%, employer
    16% / 9% / 0.5% / 0.2%), half-up."""
    r = max(_data()["rates"], key=lambda row: date.fromisoformat(row["start"]))
    return Rates(**{k: Decimal(v) for k, v in r.items() if k != "start"})


def default_annual_tax_table() -> list[TaxBracket]:
    """The cumulative (annual) withholding table of §5; yuan of cumulative taxable income."""
    return _table("annual")


def default_bonus_tax_table() -> list[TaxBracket]:
    """The monthly table of §5 used for a separately taxed annual bonus (looked up by bonus / 12)."""
    return _table("bonus")


def default_reference() -> Reference:
    """The seeded reference data (both scales, four bounds rows, rates, both tables)."""
    return Reference(scales=default_scales(), bounds=default_bounds(), rates=default_rates(),
                     annual_table=default_annual_tax_table(), bonus_table=default_bonus_tax_table())
