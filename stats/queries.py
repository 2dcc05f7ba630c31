"""The figures computed in the database: a handful of grouped queries, each one scan of its
table for every unit at once (districts or streets), with conditional sums for the columns.

`Scope` says which workers count (the district and street filters, already limited to what the
user may see by the service) and which unit the rows are grouped by. Dates are compared as
dates, so that both databases answer the same; ages and years of service are completed years
(周岁) on the reference date."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, extract, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from hr.core.db import db
from hr.core.vocabulary import EDUCATIONS, GENDERS, POLITICAL_STATUSES, QUALIFICATIONS
from hr.grades.models import Assignment
from hr.mentoring import rules as mentoring_rules
from hr.mentoring.models import Activity, Pairing, Studio
from hr.workers.models import Worker
from payroll.runs.models import PayrollRun, Payslip
from stats.figures import AGE_BANDS, PROMOTIONS, SERVICE_BANDS, Figures, PostPay, YearFlow

HISTORY_YEARS = 10
LEAD = "LEAD"
ACTIVE = mentoring_rules.ACTIVE


def years_before(on: date, n: int) -> date:
    """The latest birth (or hire) date that is at least `n` completed years before `on`: a date
    d has `age_on(d, on) >= n` exactly when d <= years_before(on, n)."""
    try:
        return on.replace(year=on.year - n)
    except ValueError:  # 29 February
        return date(on.year - n, 2, 28)


def within_years(on: date, n: int) -> date:
    """The latest date c such that `on < add_years(d, n)` (the mentoring rules' "within n years
    of d") holds exactly for d > c."""
    c = years_before(on, n)
    while not on < mentoring_rules.add_years(c, n):
        c = date.fromordinal(c.toordinal() + 1)
    while on < mentoring_rules.add_years(c, n):
        c = date.fromordinal(c.toordinal() - 1)
    return c


@dataclass(frozen=True)
class Scope:
    district_id: int | None  # None: the city
    street_id: int | None
    by_street: bool  # group by street (a district's or a street's figures) or by district

    def workers(self) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.district_id is not None:
            out.append(Worker.district_id == self.district_id)
        if self.street_id is not None:
            out.append(Worker.street_id == self.street_id)
        return out

    def unit(self) -> Any:
        return Worker.street_id if self.by_street else Worker.district_id


def _in_service(on: date) -> ColumnElement[bool]:
    in_service: ColumnElement[bool] = and_(Worker.hire_date <= on,
                                           or_(Worker.leave_date.is_(None), Worker.leave_date >= on))
    return in_service


def _count(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _completed_years(column: Any, on: date) -> Any:
    """Completed years from `column` to `on`: the year difference, less one before the day."""
    before_day = extract("month", column) * 100 + extract("day", column) > on.month * 100 + on.day
    return literal(on.year) - extract("year", column) - case((before_day, 1), else_=0)


def _band(column: Any, on: date, lo: int, hi: int | None) -> ColumnElement[bool]:
    cond: ColumnElement[bool] = column <= years_before(on, lo)
    if hi is not None:
        cond = and_(cond, column > years_before(on, hi + 1))
    return cond


def _int(v: Any) -> int:
    return int(v or 0)


def people(scope: Scope, on: date, out: dict[Any, Figures]) -> None:
    """Headcount, age, gender, education, party, qualification and service on `on`: one scan."""
    cols: list[Any] = [scope.unit(), func.count(), func.sum(_completed_years(Worker.birth_date, on)),
                       func.sum(_completed_years(Worker.hire_date, on))]
    keys: list[tuple[str, Any]] = []
    for band, lo, hi in AGE_BANDS:
        for g in GENDERS:
            keys.append(("age_gender", (band, g)))
            cols.append(_count(and_(_band(Worker.birth_date, on, lo, hi), Worker.gender == g)))
    for e in EDUCATIONS:
        keys.append(("education", e))
        cols.append(_count(Worker.education == e))
    for p in POLITICAL_STATUSES:
        keys.append(("political", p))
        cols.append(_count(Worker.political_status == p))
    held = and_(Worker.qualification != "无",
                or_(Worker.qualification_date.is_(None), Worker.qualification_date <= on))
    keys.append(("qualification", "无"))
    cols.append(_count(~held))
    for q in QUALIFICATIONS[1:]:
        keys.append(("qualification", q))
        cols.append(_count(and_(held, Worker.qualification == q)))
    for band, lo, hi in SERVICE_BANDS:
        keys.append(("service", band))
        cols.append(_count(_band(Worker.hire_date, on, lo, hi)))
    stmt = select(*cols).where(_in_service(on), *scope.workers()).group_by(scope.unit())
    for row in db.session.execute(stmt):
        f = out.setdefault(row[0], Figures(key=row[0]))
        f.headcount += _int(row[1])
        f.age_sum += _int(row[2])
        f.service_sum += _int(row[3])
        for (attr, key), value in zip(keys, row[4:], strict=True):
            getattr(f, attr)[key] += _int(value)


def flows(scope: Scope, year: int, on: date, out: dict[Any, Figures]) -> None:
    """For the year and the nine before it: headcount on 1 January and on 31 December (the
    reference date for the current year), joiners and leavers (a leave date is the last day in
    service)."""
    years = list(range(year - HISTORY_YEARS + 1, year + 1))
    cols: list[Any] = [scope.unit()]
    for y in years:
        start, end = date(y, 1, 1), (on if y == year else date(y, 12, 31))
        cols += [_count(_in_service(start)), _count(_in_service(end)),
                 _count(and_(Worker.hire_date >= start, Worker.hire_date <= end)),
                 _count(and_(Worker.leave_date >= start, Worker.leave_date <= end))]
    first = date(years[0], 1, 1)
    stmt = (select(*cols).where(*scope.workers(), Worker.hire_date <= on,
                                or_(Worker.leave_date.is_(None), Worker.leave_date >= first))
            .group_by(scope.unit()))
    for row in db.session.execute(stmt):
        f = out.setdefault(row[0], Figures(key=row[0]))
        for i, y in enumerate(years):
            s, e, j, lv = (_int(v) for v in row[1 + 4 * i: 5 + 4 * i])
            f.flows.setdefault(y, YearFlow(y)).add(YearFlow(y, s, e, j, lv))


def _in_force(on: date, column: Any) -> Any:
    """`column` of the worker's timeline entry in force on `on` (the latest (effective, id)), as
    a scalar subquery correlated to the outer Worker row: one index seek per worker
    (ix_assignment_worker_effective)."""
    a = aliased(Assignment)
    return (select(getattr(a, column)).where(a.worker_id == Worker.id, a.effective <= on)
            .order_by(a.effective.desc(), a.id.desc()).limit(1).correlate(Worker).scalar_subquery())


def _with_entry(on: date, *columns: Any, where: Iterable[ColumnElement[bool]]) -> Any:
    """A derived table of the selected workers with the id of their entry in force on `on`."""
    return select(*columns, _in_force(on, "id").label("entry_id")).where(*where).subquery("w")


def posts(scope: Scope, on: date, out: dict[Any, Figures]) -> None:
    """Workers in service on `on` by the post and grade in force that day."""
    w = _with_entry(on, scope.unit().label("unit"), where=(_in_service(on), *scope.workers()))
    stmt = (select(w.c.unit, Assignment.post, Assignment.grade, func.count())
            .select_from(w).join(Assignment, Assignment.id == w.c.entry_id)
            .group_by(w.c.unit, Assignment.post, Assignment.grade))
    for unit, post, grade, n in db.session.execute(stmt):
        out.setdefault(unit, Figures(key=unit)).post_grade[(post, int(grade))] += _int(n)


def _slip_scope(scope: Scope) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if scope.district_id is not None:
        out.append(Payslip.district_id == scope.district_id)
    if scope.street_id is not None:
        out.append(Payslip.street_id == scope.street_id)
    return out


def pay(scope: Scope, year: int, on: date, out: dict[Any, Figures]) -> tuple[list[int], list[int]]:
    """Slips of the year: gross and employer totals by the slip's unit (for districts, the runs'
    stored totals, which are the sums of their slips); the gross of workers in service all year
    (1 January to `on`) who were paid, by their post on `on`. Returns the months with slips and
    those whose run is not locked yet."""
    first, last_month = date(year, 1, 1), date(year, on.month, 1)
    runs = select(PayrollRun.district_id, PayrollRun.month, PayrollRun.status, PayrollRun.headcount,
                  PayrollRun.gross, PayrollRun.employer_total).where(
        PayrollRun.month >= first, PayrollRun.month <= last_month, PayrollRun.headcount > 0)
    if scope.district_id is not None:
        runs = runs.where(PayrollRun.district_id == scope.district_id)
    months: set[int] = set()
    open_months: set[int] = set()
    for did, month, status, headcount, gross, employer in db.session.execute(runs):
        months.add(month.month)
        if status != "locked":
            open_months.add(month.month)
        if not scope.by_street:
            f = out.setdefault(did, Figures(key=did))
            f.slips += _int(headcount)
            f.total_gross += gross
            f.employer_total += employer
    in_year = and_(Payslip.month >= first, Payslip.month <= last_month, *_slip_scope(scope))
    if scope.by_street:
        for u, n, gross, employer in db.session.execute(
                select(Payslip.street_id, func.count(), func.sum(Payslip.gross), func.sum(Payslip.employer_total))
                .where(in_year).group_by(Payslip.street_id)):
            f = out.setdefault(u, Figures(key=u))
            f.slips += _int(n)
            f.total_gross += gross or Decimal("0.00")
            f.employer_total += employer or Decimal("0.00")
    per_worker = (select(Payslip.worker_id, func.sum(Payslip.gross).label("gross"))
                  .where(in_year).group_by(Payslip.worker_id)).subquery("per_worker")
    w = _with_entry(on, Worker.id.label("id"), scope.unit().label("unit"), where=(
        Worker.hire_date <= first, or_(Worker.leave_date.is_(None), Worker.leave_date >= on), *scope.workers()))
    post = func.coalesce(Assignment.post, "")
    stmt = (select(w.c.unit, post, func.count(), func.sum(per_worker.c.gross))
            .select_from(w).join(per_worker, per_worker.c.worker_id == w.c.id)
            .outerjoin(Assignment, Assignment.id == w.c.entry_id)
            .group_by(w.c.unit, post))
    for u, p, n, gross in db.session.execute(stmt):
        out.setdefault(u, Figures(key=u)).pay_by_post[p] = PostPay(_int(n), gross or Decimal("0.00"))
    return sorted(months), sorted(open_months)


def promotions(scope: Scope, year: int, on: date, out: dict[Any, Figures]) -> None:
    """Rises of the year (annual, early, qualification), dated 1 January to `on`."""
    stmt = (select(scope.unit(), Assignment.reason, func.count()).select_from(Assignment)
            .join(Worker, Worker.id == Assignment.worker_id)
            .where(Assignment.reason.in_(PROMOTIONS), Assignment.effective >= date(year, 1, 1),
                   Assignment.effective <= on, *scope.workers())
            .group_by(scope.unit(), Assignment.reason))
    for u, reason, n in db.session.execute(stmt):
        out.setdefault(u, Figures(key=u)).promotions[reason] += _int(n)


def _active_on(on: date) -> ColumnElement[bool]:
    """A pairing active on `on`: started, and still 进行中 or closed after that day."""
    return and_(Pairing.start_on <= on, or_(Pairing.status == ACTIVE, Pairing.closed_on > on))


def mentoring(scope: Scope, year: int, on: date, out: dict[Any, Figures]) -> None:
    """Studios, pairings active on `on`, eligible mentees (pay rules §7) and how many of them
    are paired, and the activities of the year. Pairings and activities count in the unit of
    their mentee; studios in their district, or their street (a district-wide studio has none)."""
    studio_unit = Studio.street_id if scope.by_street else Studio.district_id
    studios = select(studio_unit, func.count()).where(Studio.active.is_(True), Studio.founded <= on)
    if scope.district_id is not None:
        studios = studios.where(Studio.district_id == scope.district_id)
    if scope.street_id is not None:
        studios = studios.where(Studio.street_id == scope.street_id)
    for u, n in db.session.execute(studios.group_by(studio_unit)):
        out.setdefault(u, Figures(key=u)).studios += _int(n)

    # Pairings and activities are few: grouped first, then joined to their mentee by key.
    active = (select(Pairing.mentee_id, func.count().label("n")).where(_active_on(on))
              .group_by(Pairing.mentee_id).subquery("active"))
    for u, n in db.session.execute(
            select(scope.unit(), func.sum(active.c.n)).select_from(active)
            .join(Worker, Worker.id == active.c.mentee_id).where(*scope.workers()).group_by(scope.unit())):
        out.setdefault(u, Figures(key=u)).active_pairings += _int(n)

    # A LEAD worker took the post within the year exactly when the entry in force a year
    # before (the last day outside the window) is not LEAD: the run on the post is unbroken.
    new_lead_cut = within_years(on, mentoring_rules.NEW_LEAD_YEARS)
    w = _with_entry(on, Worker.id.label("id"), scope.unit().label("unit"), Worker.birth_date, Worker.hire_date,
                    Worker.reserve_cadre, func.coalesce(_in_force(new_lead_cut, "post"), "").label("post_before"),
                    where=(_in_service(on), *scope.workers()))
    is_lead = Assignment.post == LEAD
    eligible = or_(
        and_(is_lead, w.c.post_before != LEAD),
        and_(is_lead, w.c.birth_date > within_years(on, mentoring_rules.YOUNG_AGE)),
        w.c.reserve_cadre.is_(True),
        w.c.hire_date > within_years(on, mentoring_rules.NEW_WORKER_YEARS),
    )
    paired = w.c.id.in_(select(Pairing.mentee_id).where(_active_on(on)))
    stmt = (select(w.c.unit, _count(eligible), _count(and_(eligible, paired)))
            .select_from(w).outerjoin(Assignment, Assignment.id == w.c.entry_id).group_by(w.c.unit))
    for u, n, m in db.session.execute(stmt):
        f = out.setdefault(u, Figures(key=u))
        f.eligible_mentees += _int(n)
        f.paired_mentees += _int(m)

    held = (select(Activity.pairing_id, func.count().label("n"), func.sum(Activity.tenths).label("tenths"))
            .where(Activity.held_on >= date(year, 1, 1), Activity.held_on <= on)
            .group_by(Activity.pairing_id).subquery("held"))
    for u, n, tenths in db.session.execute(
            select(scope.unit(), func.sum(held.c.n), func.sum(held.c.tenths)).select_from(held)
            .join(Pairing, Pairing.id == held.c.pairing_id).join(Worker, Worker.id == Pairing.mentee_id)
            .where(*scope.workers()).group_by(scope.unit())):
        f = out.setdefault(u, Figures(key=u))
        f.activities += _int(n)
        f.activity_tenths += _int(tenths)


def compute(scope: Scope, year: int, on: date) -> tuple[dict[Any, Figures], list[int], list[int]]:
    """Every unit's figures (keyed by district or street id; None for what has no street: a
    district-wide studio), the months with slips and the months still open."""
    out: dict[Any, Figures] = {}
    people(scope, on, out)
    flows(scope, year, on, out)
    posts(scope, on, out)
    months, open_months = pay(scope, year, on, out)
    promotions(scope, year, on, out)
    mentoring(scope, year, on, out)
    return out, months, open_months
