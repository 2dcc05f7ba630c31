"""Budget projection: the standard annual pay of the workers in service and its employer
cost, on a chosen pay-scale version."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hr.core.db import db
from hr.core.timeutil import today
from hr.grades.queries import in_force_many, settings_for
from hr.org.models import District, Street
from hr.workers.models import Worker
from payroll.calc.money import ZERO, D, round_fen
from payroll.calc.payslip import CarryOver, Reference, WorkerMonth, price
from payroll.calc.reference import scale_in_force
from payroll.reference.services import reference


@dataclass
class Budget:
    year: int
    scale: str
    headcount: int = 0
    total_gross: Decimal = ZERO
    total_employer_cost: Decimal = ZERO
    ungraded: int = 0
    by_street: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def mean_gross(self) -> Decimal:
        return round_fen(self.total_gross / self.headcount) if self.headcount else ZERO

    def as_json(self) -> dict[str, Any]:
        return {"year": self.year, "scale": self.scale, "headcount": self.headcount,
                "total_gross": f"{self.total_gross:.2f}", "mean_gross": f"{self.mean_gross:.2f}",
                "total_employer_cost": f"{self.total_employer_cost:.2f}", "ungraded": self.ungraded}


def project(year: int, scale_name: str | None = None, district_id: int | None = None) -> Budget:
    """Today's workforce paid for a whole `year`: for each worker in service today (事业待遇
    excluded) with a post and grade, 12 × the standard monthly gross at today's post, grade and
    qualification + the 合格 annual bonus, and 12 × the employer's monthly contributions on the
    standard gross as base (bounds of that year). The scale is `scale_name`, else the version in
    force on 1 January of `year`."""
    on = date(year, 1, 1)
    now = today()
    ref = reference(on)
    scale = scale_in_force(ref.scales, on) if scale_name is None else next(
        (s for s in ref.scales if s.name == scale_name), None)
    if scale is None:
        raise LookupError(f"unknown pay-scale version {scale_name}")
    # Years before the first bounds row (2017 projections) use the earliest row.
    first_bounds = min(b.start for b in ref.bounds)
    if on < first_bounds:
        ref = replace(ref, bounds=[replace(b, start=on) if b.start == first_bounds else b for b in ref.bounds])
    stmt = (select(Worker.id, Worker.district_id, Worker.qualification, Worker.qualification_date, Street.name)
            .join(Street, Street.id == Worker.street_id)
            .where(Worker.status == "在职", Worker.shiye.is_(False), Worker.hire_date <= now))
    if district_id is not None:
        stmt = stmt.where(Worker.district_id == district_id)
    rows = db.session.execute(stmt).all()
    districts = {district_id} if district_id is not None else set(db.session.execute(select(District.id)).scalars())
    assignments: dict[int, Any] = {}
    modes: dict[int, str] = {}
    rates: dict[int, Decimal] = {}  # housing fund rate of each district
    for did in districts:
        assignments.update(in_force_many(now, district_id=did))
        s = settings_for(did)
        modes[did] = s.qualification_mode
        rates[did] = D(s.hf_rate_pct) / 100
    budget = Budget(year=year, scale=scale.name)
    # Workers with the same post, grade, allowance and rate cost the same: price each
    # combination once.
    cache: dict[tuple[str, int, str, str, Decimal], tuple[Decimal, Decimal]] = {}
    for wid, did, qual, qdate, street in rows:
        a = assignments.get(wid)
        if a is None:
            budget.ungraded += 1
            continue
        # Today's qualification: held now (from before the year) or not at all.
        held = qual if qdate is None or (qdate.year, qdate.month) < (now.year, now.month) else "无"
        key = (a.post, a.grade, held, modes[did], rates[did])
        if key not in cache:
            cache[key] = _annual(ref, scale.name, year, a.post, a.grade, held, modes[did], rates[did])
        annual, employer = cache[key]
        budget.headcount += 1
        budget.total_gross += annual
        budget.total_employer_cost += employer
        entry = budget.by_street.setdefault(street, {"headcount": 0, "gross": ZERO, "employer": ZERO})
        entry["headcount"] += 1
        entry["gross"] += annual
        entry["employer"] += employer
    return budget


def _annual(ref: Reference, scale: str, year: int, post: str, grade: int, qualification: str, mode: str,
            hf_rate: Decimal) -> tuple[Decimal, Decimal]:
    """(annual gross, annual employer cost) of a worker in service all year on the standard
    pay: 12 × January's standard gross + December's 合格 bonus, and 12 × January's employer
    contributions (base: the standard gross), priced by the one pricing function."""
    def month(m: int, rating: str | None) -> Any:
        facts = WorkerMonth(month=date(year, m, 1), post=post, grade=grade, hire_date=date(year - 1, 1, 1),
                            qualification=qualification, qualification_mode=mode, rating=rating,
                            hf_rate=hf_rate, scale_version=scale)
        return price(facts, CarryOver(), ref)

    january, december = month(1, None), month(12, "合格")
    return january.gross * 12 + december.annual_bonus, january.employer.total * 12
