"""Reference data: loading the seed file, and building the calculation core's dataclasses
from the stored versions."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from hr.core.db import db
from payroll.calc.engine import Reference
from payroll.calc.money import D
from payroll.calc.reference import ContributionBounds, Rates, ScaleVersion, TaxBracket
from payroll.reference.models import ContributionBoundsRow, PayScale, RateVersion, TaxTable

RATE_FIELDS = ("pension", "medical", "unemployment", "employer_pension", "employer_medical",
               "employer_unemployment", "work_injury")


def load_defaults(path: Path) -> dict[str, int]:
    """Add the versions of the seed file that are not stored yet (by name or start date)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {"pay_scales": 0, "bounds": 0, "rates": 0, "tax_tables": 0}
    names = set(db.session.execute(select(PayScale.name)).scalars())
    for s in data["scales"]:
        if s["name"] not in names:
            db.session.add(PayScale(
                name=s["name"], start=date.fromisoformat(s["start"]), grade_pay=s["grade_pay"],
                post_allowance=s["post_allowance"], performance_share=D(s["performance_share"]),
                qualification_allowance=s["qualification_allowance"], bonus_multiplier=s["bonus_multiplier"],
                updated_by="seed",
            ))
            counts["pay_scales"] += 1
    starts = set(db.session.execute(select(ContributionBoundsRow.start)).scalars())
    for b in data["bounds"]:
        start = date.fromisoformat(b["start"])
        if start not in starts:
            db.session.add(ContributionBoundsRow(
                start=start, **{k: D(b[k]) for k in ("si_floor", "si_ceiling", "hf_floor", "hf_ceiling")}, updated_by="seed"
            ))
            counts["bounds"] += 1
    starts = set(db.session.execute(select(RateVersion.start)).scalars())
    for r in data["rates"]:
        start = date.fromisoformat(r["start"])
        if start not in starts:
            db.session.add(RateVersion(start=start, **{k: D(r[k]) for k in RATE_FIELDS}, updated_by="seed"))
            counts["rates"] += 1
    have = {
        (k, s) for k, s in db.session.execute(select(TaxTable.kind, TaxTable.start))
    }
    for t in data["tax_tables"]:
        start = date.fromisoformat(t["start"])
        if (t["kind"], start) not in have:
            db.session.add(TaxTable(kind=t["kind"], start=start, brackets=t["brackets"], updated_by="seed"))
            counts["tax_tables"] += 1
    db.session.flush()
    return counts


def to_scale(row: PayScale) -> ScaleVersion:
    return ScaleVersion(
        name=row.name,
        start=row.start,
        grade_pay={int(k): D(v) for k, v in row.grade_pay.items()},
        post_allowance={k: D(v) for k, v in row.post_allowance.items()},
        performance_share=row.performance_share,
        qualification_allowance={k: D(v) for k, v in row.qualification_allowance.items()},
        bonus_multiplier={k: D(v) for k, v in row.bonus_multiplier.items()},
    )


def to_brackets(raw: list[Any]) -> list[TaxBracket]:
    return [TaxBracket(upper=None if u is None else D(u), rate=D(r), quick_deduction=D(q)) for u, r, q in raw]


def _in_force(rows: list[Any], on: date) -> Any:
    """The version in force on `on`; before the first version, the first one (a projection
    of 2017 pay uses today's rates and tables rather than none)."""
    if not rows:
        raise LookupError("reference data missing: run `flask seed reference`")
    eligible = [r for r in rows if r.start <= on]
    return max(eligible, key=lambda r: r.start) if eligible else min(rows, key=lambda r: r.start)


def reference(on: date, si_rounding: str = "half_up") -> Reference:
    """Everything the core needs, with the rates and tax tables in force on `on` and all
    scale versions and bounds rows (the core picks them by month)."""
    scales = [to_scale(r) for r in db.session.execute(select(PayScale).order_by(PayScale.start)).scalars()]
    bounds = [
        ContributionBounds(start=r.start, si_floor=r.si_floor, si_ceiling=r.si_ceiling, hf_floor=r.hf_floor, hf_ceiling=r.hf_ceiling)
        for r in db.session.execute(select(ContributionBoundsRow).order_by(ContributionBoundsRow.start)).scalars()
    ]
    rate_row = _in_force(list(db.session.execute(select(RateVersion)).scalars()), on)
    rates = Rates(**{k: getattr(rate_row, k) for k in RATE_FIELDS}, si_rounding=si_rounding)
    tables = list(db.session.execute(select(TaxTable)).scalars())
    annual = _in_force([t for t in tables if t.kind == "annual"], on)
    bonus = _in_force([t for t in tables if t.kind == "bonus"], on)
    return Reference(scales=scales, bounds=bounds, rates=rates,
                     annual_table=to_brackets(annual.brackets), bonus_table=to_brackets(bonus.brackets))


def money_str(value: Decimal) -> str:
    return f"{value:.2f}"
