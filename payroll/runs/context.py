"""Everything one run needs, read in a handful of set-based queries (no query per worker)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select

from hr.core.db import db
from hr.grades.models import Assignment
from hr.grades.queries import in_force_many, ratings, settings_for
from hr.workers.models import Worker
from payroll.calc.engine import Reference
from payroll.calc.reference import contribution_year_start
from payroll.calc.special import SpecialDeduction
from payroll.inputs.models import Adjustment, BaseOverride, Declaration, PayProfile, TaxOption
from payroll.reference.services import reference
from payroll.runs.models import PayrollRun, Payslip


def month_end(month: date) -> date:
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def add_months(month: date, n: int) -> date:
    idx = month.year * 12 + month.month - 1 + n
    return date(idx // 12, idx % 12 + 1, 1)


@dataclass
class WorkerRow:
    id: int
    name: str
    street_id: int
    committee_id: int
    hire_date: date
    leave_date: date | None
    qualification: str
    qualification_date: date | None
    bank_account: str


@dataclass
class PrevSlip:
    month: date
    street_id: int
    post: str
    grade: int
    days_served: int
    days_in_month: int
    gross: Decimal
    net: Decimal
    si_base: Decimal
    hf_base: Decimal
    base: Decimal | None
    tax_months: int
    cum_wages: Decimal
    cum_si_hf: Decimal
    cum_special: Decimal
    cum_tax: Decimal
    annual_bonus: Decimal
    adjustments: Decimal
    special: Decimal
    qualification_allowance: Decimal


@dataclass
class RunContext:
    run: PayrollRun
    month: date
    ref: Reference
    settings: Any
    workers: list[WorkerRow]
    assignments: dict[int, Assignment]
    prev: dict[int, PrevSlip]
    declarations: dict[int, list[SpecialDeduction]]
    options: dict[int, TaxOption]
    overrides: dict[int, Decimal]
    profiles: dict[int, PayProfile]
    adjustments: dict[int, list[Adjustment]]
    ratings: dict[int, str] = field(default_factory=dict)
    prior_grosses: dict[int, list[Decimal]] = field(default_factory=dict)


def load(run: PayrollRun) -> RunContext:
    month = run.month
    last = month_end(month)
    district_id = run.district_id
    settings = settings_for(district_id)
    ref = reference(month, settings.si_rounding)
    workers = [
        WorkerRow(*row)
        for row in db.session.execute(
            select(Worker.id, Worker.name, Worker.street_id, Worker.committee_id, Worker.hire_date,
                   Worker.leave_date, Worker.qualification, Worker.qualification_date, Worker.bank_account)
            .where(Worker.district_id == district_id, Worker.shiye.is_(False), Worker.hire_date <= last,
                   or_(Worker.leave_date.is_(None), Worker.leave_date >= month))
            .order_by(Worker.id)
        )
    ]
    ids = {w.id for w in workers}
    assignments = {k: v for k, v in in_force_many(month, district_id=district_id).items() if k in ids}
    prev = _previous_slips(district_id, month, ids)
    # The first month in the system continues from imported opening balances (期初累计, §6b).
    from payroll.opening.services import previous_slips as opening_slips

    prev.update(opening_slips(district_id, month, workers, prev, assignments))
    year_start = date(month.year, 1, 1)
    declarations: dict[int, list[SpecialDeduction]] = defaultdict(list)
    for d in db.session.execute(
        select(Declaration).where(
            Declaration.district_id == district_id, Declaration.start_month <= month,
            or_(Declaration.end_month.is_(None), Declaration.end_month >= year_start),
        )
    ).scalars():
        declarations[d.worker_id].append(
            SpecialDeduction(kind=d.kind, monthly=d.monthly, start=d.start_month, end=d.end_month, dependent=d.dependent or "")
        )
    options = {o.worker_id: o for o in db.session.execute(
        select(TaxOption).where(TaxOption.district_id == district_id, TaxOption.year == month.year)
    ).scalars()}
    cy = contribution_year_start(month)
    overrides = {wid: base for wid, base in db.session.execute(
        select(BaseOverride.worker_id, BaseOverride.base).where(
            BaseOverride.district_id == district_id, BaseOverride.year_start == cy)
    )}
    profiles = {p.worker_id: p for p in db.session.execute(
        select(PayProfile).where(PayProfile.district_id == district_id)).scalars()}
    adjustments: dict[int, list[Adjustment]] = defaultdict(list)
    for a in db.session.execute(
        select(Adjustment).where(Adjustment.district_id == district_id, Adjustment.pay_month == month)
        .order_by(Adjustment.id)
    ).scalars():
        adjustments[a.worker_id].append(a)
    ctx = RunContext(run=run, month=month, ref=ref, settings=settings, workers=workers, assignments=assignments,
                     prev=prev, declarations=dict(declarations), options=options, overrides=overrides,
                     profiles=profiles, adjustments=dict(adjustments))
    if month.month == 12:
        ctx.ratings = ratings(ids, month.year)
    need_base = [w.id for w in workers if w.id not in overrides
                 and not (w.id in prev and prev[w.id].month >= cy)]
    if need_base:
        ctx.prior_grosses = _prior_year_grosses(need_base, cy.year - 1)
    return ctx


def _previous_slips(district_id: int, month: date, ids: set[int]) -> dict[int, PrevSlip]:
    """The latest slip before `month` within the last 12 months, per worker."""
    ranked = select(
        Payslip.id,
        func.row_number().over(partition_by=Payslip.worker_id, order_by=Payslip.month.desc()).label("rn"),
    ).where(Payslip.district_id == district_id, Payslip.month < month, Payslip.month >= add_months(month, -12))
    sub = ranked.subquery()
    cols = (Payslip.worker_id, Payslip.month, Payslip.street_id, Payslip.post, Payslip.grade, Payslip.days_served,
            Payslip.days_in_month, Payslip.gross, Payslip.net, Payslip.si_base, Payslip.hf_base, Payslip.inputs,
            Payslip.tax_months, Payslip.cum_wages, Payslip.cum_si_hf, Payslip.cum_special, Payslip.cum_tax,
            Payslip.annual_bonus, Payslip.adjustments, Payslip.special, Payslip.qualification_allowance)
    out = {}
    for row in db.session.execute(select(*cols).join(sub, and_(sub.c.id == Payslip.id, sub.c.rn == 1))):
        if row.worker_id not in ids:
            continue
        base = (row.inputs or {}).get("base")
        out[row.worker_id] = PrevSlip(
            month=row.month, street_id=row.street_id, post=row.post, grade=row.grade, days_served=row.days_served,
            days_in_month=row.days_in_month, gross=row.gross, net=row.net, si_base=row.si_base, hf_base=row.hf_base,
            base=Decimal(base) if base else None, tax_months=row.tax_months, cum_wages=row.cum_wages,
            cum_si_hf=row.cum_si_hf, cum_special=row.cum_special, cum_tax=row.cum_tax,
            annual_bonus=row.annual_bonus, adjustments=row.adjustments, special=row.special,
            qualification_allowance=row.qualification_allowance,
        )
    return out


def _prior_year_grosses(worker_ids: list[int], year: int) -> dict[int, list[Decimal]]:
    out: dict[int, list[Decimal]] = defaultdict(list)
    for i in range(0, len(worker_ids), 900):
        chunk = worker_ids[i:i + 900]
        for wid, gross in db.session.execute(
            select(Payslip.worker_id, Payslip.gross).where(
                Payslip.worker_id.in_(chunk), Payslip.month >= date(year, 1, 1), Payslip.month <= date(year, 12, 1))
        ):
            out[wid].append(gross)
    return dict(out)


def assignments_on(worker_ids: list[int], on: date) -> dict[int, Assignment]:
    return in_force_many(on, worker_ids=worker_ids)
