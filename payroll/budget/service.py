"""Budget projection: the standard annual pay of the workers in service and its employer
cost, on a chosen pay-scale version."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hr.core.db import db
from hr.core.timeutil import today
from hr.grades.queries import in_force_many, settings_for
from hr.org.models import District, Street
from hr.workers.models import Worker
from payroll.calc.contributions import clamp_bases, employee_contributions, employer_contributions
from payroll.calc.earnings import annual_bonus, qualification_allowance, standard_monthly
from payroll.calc.money import ZERO, D, round_fen
from payroll.calc.reference import bounds_for, scale_in_force
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
    bounds = bounds_for(ref.bounds, max(on, min(b.start for b in ref.bounds)))
    stmt = (select(Worker.id, Worker.district_id, Worker.qualification, Worker.qualification_date, Street.name)
            .join(Street, Street.id == Worker.street_id)
            .where(Worker.status == "在职", Worker.shiye.is_(False), Worker.hire_date <= now))
    if district_id is not None:
        stmt = stmt.where(Worker.district_id == district_id)
    rows = db.session.execute(stmt).all()
    districts = {district_id} if district_id is not None else set(db.session.execute(select(District.id)).scalars())
    assignments: dict[int, Any] = {}
    modes: dict[int, str] = {}
    rates: dict[int, Decimal] = {}
    for did in districts:
        assignments.update(in_force_many(now, district_id=did))
        s = settings_for(did)
        modes[did] = s.qualification_mode
        rates[did] = D(s.hf_rate_pct) / 100
    budget = Budget(year=year, scale=scale.name)
    bonus_multiplier = scale.bonus_multiplier["合格"]
    for wid, did, qual, qdate, street in rows:
        a = assignments.get(wid)
        if a is None:
            budget.ungraded += 1
            continue
        qa = ZERO if modes[did] == "grade" else qualification_allowance(scale, qual, qdate, now.year, now.month)
        std = standard_monthly(scale, a.post, a.grade, qa)
        annual = std.gross * 12 + annual_bonus(std.grade_pay, bonus_multiplier, 12)
        si_base, hf_base = clamp_bases(std.gross, bounds)
        emp = employee_contributions(si_base, hf_base, ref.rates, rates[did])
        employer = employer_contributions(si_base, emp.housing_fund, ref.rates).total * 12
        budget.headcount += 1
        budget.total_gross += annual
        budget.total_employer_cost += employer
        entry = budget.by_street.setdefault(street, {"headcount": 0, "gross": ZERO, "employer": ZERO})
        entry["headcount"] += 1
        entry["gross"] += annual
        entry["employer"] += employer
    return budget
