"""Everything one run needs, read in a handful of set-based queries (no query per worker)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import and_, func, or_, select

from hr.core.db import db
from hr.grades.models import Assessment, Assignment
from hr.grades.queries import in_force_many, ratings, settings_for
from hr.workers.models import Worker
from payroll.calc.months import add_months, month_end
from payroll.calc.payslip import Reference
from payroll.calc.reference import contribution_year_start
from payroll.calc.special import SpecialDeduction
from payroll.inputs.models import Adjustment, BaseOverride, Declaration, PayProfile, TaxOption
from payroll.reference.services import reference
from payroll.runs.models import PayrollRun, Payslip


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
    first_job: bool = False


class AssignmentRow(NamedTuple):
    """The post and grade in force (the id names the assignment on the slip)."""

    id: int
    post: str
    grade: int


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
    assignments: dict[int, AssignmentRow]
    prev: dict[int, PrevSlip]
    declarations: dict[int, list[SpecialDeduction]]
    options: dict[int, TaxOption]
    overrides: dict[int, Decimal]
    profiles: dict[int, PayProfile]
    adjustments: dict[int, list[Adjustment]]
    ratings: dict[int, str] = field(default_factory=dict)
    prior_grosses: dict[int, list[Decimal]] = field(default_factory=dict)
    # (post, grade) in force in the first month of the contribution year, when the base is
    # that month's standard gross and the month lies before the run's month.
    base_assignments: dict[int, tuple[str, int]] = field(default_factory=dict)


def load(run: PayrollRun) -> RunContext:
    month = run.month
    last = month_end(month)
    district_id = run.district_id
    settings = settings_for(district_id)
    ref = reference(month, settings.si_rounding)
    workers = [
        WorkerRow(**row._asdict())
        for row in db.session.execute(
            select(Worker.id, Worker.name, Worker.street_id, Worker.committee_id, Worker.hire_date,
                   Worker.leave_date, Worker.qualification, Worker.qualification_date, Worker.bank_account,
                   Worker.first_job)
            .where(Worker.district_id == district_id, Worker.shiye.is_(False), Worker.hire_date <= last,
                   or_(Worker.leave_date.is_(None), Worker.leave_date >= month))
            .order_by(Worker.id)
        )
    ]
    ids = {w.id for w in workers}
    assignments = {k: v for k, v in _assignments_in_force(month, district_id).items() if k in ids}
    prev = _previous_slips(district_id, month, ids)
    # The first month in the system continues from imported opening balances (期初累计, §6b).
    from payroll.opening.services import previous_slips as opening_slips

    prev.update(opening_slips(district_id, month, workers, prev, assignments))
    year_start = date(month.year, 1, 1)
    declarations: dict[int, list[SpecialDeduction]] = defaultdict(list)
    for wid, kind, monthly, start, end, dependent, only_child in db.session.execute(
        select(Declaration.worker_id, Declaration.kind, Declaration.monthly, Declaration.start_month,
               Declaration.end_month, Declaration.dependent, Declaration.only_child).where(
            Declaration.district_id == district_id, Declaration.start_month <= month,
            or_(Declaration.end_month.is_(None), Declaration.end_month >= year_start),
        ).order_by(Declaration.id)
    ):
        declarations[wid].append(SpecialDeduction(kind=kind, monthly=monthly, start=start, end=end,
                                                  dependent=dependent or "", only_child=only_child))
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
        ctx.ratings = {wid: rating for wid, rating in db.session.execute(
            select(Assessment.worker_id, Assessment.rating).where(
                Assessment.district_id == district_id, Assessment.year == month.year)) if wid in ids}
        missing = ids - ctx.ratings.keys()  # rated in another district before a move
        if missing:
            ctx.ratings.update(ratings(missing, month.year))
    need_base = [w.id for w in workers if w.id not in overrides
                 and not (w.id in prev and prev[w.id].month >= cy)]
    if need_base:
        ctx.prior_grosses = _prior_year_grosses(need_base, cy.year - 1)
    ctx.base_assignments = _base_assignments(ctx, [w for w in workers if w.id in set(need_base)
                                                   and w.id not in ctx.prior_grosses])
    return ctx


def _base_assignments(ctx: RunContext, workers: list[WorkerRow]) -> dict[int, tuple[str, int]]:
    """(post, grade) of each worker in the first month in service of the contribution year,
    for the workers whose base is that month's standard gross: one query per distinct first
    month before the run's month (at most twelve)."""
    cy = contribution_year_start(ctx.month)
    wanted: dict[date, list[int]] = defaultdict(list)
    for w in workers:
        first = max(cy, w.hire_date.replace(day=1))
        if first < ctx.month:
            wanted[first].append(w.id)
    out: dict[int, tuple[str, int]] = {}
    for first, ids in wanted.items():
        for i in range(0, len(ids), 900):
            for wid, a in in_force_many(first, worker_ids=ids[i:i + 900]).items():
                out[wid] = (a.post, a.grade)
    return out


def _previous_slips(district_id: int, month: date, ids: set[int]) -> dict[int, PrevSlip]:
    """The latest slip before `month` within the last 12 months, per worker."""
    ranked = select(
        Payslip.id,
        func.row_number().over(partition_by=Payslip.worker_id, order_by=Payslip.month.desc()).label("rn"),
    ).where(Payslip.district_id == district_id, Payslip.month < month, Payslip.month >= add_months(month, -12))
    sub = ranked.subquery()
    cols = (Payslip.worker_id, Payslip.month, Payslip.street_id, Payslip.post, Payslip.grade, Payslip.days_served,
            Payslip.days_in_month, Payslip.gross, Payslip.net, Payslip.si_base, Payslip.hf_base,
            Payslip.inputs["base"].as_string().label("base"),
            Payslip.tax_months, Payslip.cum_wages, Payslip.cum_si_hf, Payslip.cum_special, Payslip.cum_tax,
            Payslip.annual_bonus, Payslip.adjustments, Payslip.special, Payslip.qualification_allowance)
    out = {}
    for row in db.session.execute(select(*cols).join(sub, and_(sub.c.id == Payslip.id, sub.c.rn == 1))):
        if row.worker_id not in ids:
            continue
        base = row.base
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


def _assignments_in_force(on: date, district_id: int) -> dict[int, AssignmentRow]:
    """worker_id → the assignment in force on `on`, for a district, in one query of plain rows."""
    ranked = select(
        Assignment.id, Assignment.worker_id, Assignment.post, Assignment.grade,
        func.row_number().over(
            partition_by=Assignment.worker_id,
            order_by=(Assignment.effective.desc(), Assignment.id.desc()),
        ).label("rn"),
    ).where(Assignment.effective <= on, Assignment.district_id == district_id).subquery()
    rows = db.session.execute(select(ranked.c.worker_id, ranked.c.id, ranked.c.post, ranked.c.grade)
                              .where(ranked.c.rn == 1))
    return {wid: AssignmentRow(aid, post, grade) for wid, aid, post, grade in rows}
