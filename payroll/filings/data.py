"""Plain data for the filings of a locked month, read from the run's stored slips in a few
set-based queries and scoped to the user's district. Nothing here prices anything: every
amount is a slip's stored field."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hr.accounts.scope import district_filter
from hr.core.db import db
from hr.core.errors import Conflict, NotFound
from hr.org.models import District, Street
from hr.workers.models import Worker
from payroll.calc.money import ZERO
from payroll.runs.models import PayrollRun, Payslip


class NotLocked(Conflict):
    """Only a locked month can be filed."""


def previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def month_end(month: date) -> date:
    nxt = date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


@dataclass(frozen=True)
class Person:
    """A worker as the tax client's staff sheet needs them."""

    worker_id: int
    name: str
    id_number: str
    gender: str
    birth_date: date
    phone: str
    education: str
    hire_date: date
    leave_date: date | None
    bank_name: str
    bank_account: str


@dataclass(frozen=True)
class SlipRow:
    """One locked slip with its worker's identity (amounts in Decimal yuan, as stored)."""

    person: Person
    committee_name: str
    slip: Payslip  # read only

    @property
    def separate_bonus(self) -> Decimal:
        """The bonus declared on its own (全年一次性奖金), zero when merged into wages."""
        s = self.slip
        separate = (s.inputs or {}).get("bonus_tax") == "separate"
        return s.annual_bonus if separate and s.annual_bonus > 0 else ZERO

    @property
    def wage_income(self) -> Decimal:
        """本期收入: gross with adjustments, without a separately taxed bonus."""
        return self.slip.gross - self.separate_bonus

    @property
    def wage_tax(self) -> Decimal:
        return self.slip.iit - self.slip.bonus_tax


@dataclass
class StreetFiling:
    """One withholding agent's month: its slips, and who joined or left."""

    street_id: int
    code: str
    name: str
    tax_name: str
    credit_code: str
    rows: list[SlipRow] = field(default_factory=list)
    joiners: list[tuple[Person, date]] = field(default_factory=list)  # start of contributions
    leavers: list[tuple[Person, date]] = field(default_factory=list)  # last day of service

    @property
    def agent_name(self) -> str:
        return self.tax_name or self.name


@dataclass(frozen=True)
class MonthFiling:
    run_id: int
    district_id: int
    district_code: str
    district_name: str
    month: date
    streets: list[StreetFiling]

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def month_cn(self) -> str:
        return f"{self.month.year}年{self.month.month:02d}月"


_PERSON = (Worker.id, Worker.name, Worker.id_number, Worker.gender, Worker.birth_date, Worker.phone,
           Worker.education, Worker.hire_date, Worker.leave_date, Worker.bank_name, Worker.bank_account)


def find_locked_run(district_code: str, month: date, user: Any) -> PayrollRun:
    """The district's run of the month when the user may see it (else NotFound) and it is
    locked (else NotLocked)."""
    run = db.session.execute(
        select(PayrollRun).join(District, District.id == PayrollRun.district_id)
        .where(District.code == district_code, PayrollRun.month == month,
               district_filter(PayrollRun.district_id, user))
    ).scalar_one_or_none()
    if run is None:
        raise NotFound(f"没有 {district_code} {month:%Y-%m} 的工资批次，或不在您的管辖范围内。")
    require_locked(run)
    return run


def require_locked(run: PayrollRun) -> None:
    if run.status != "locked":
        raise NotLocked(f"{run.district.name} {run.label} 的工资尚未锁定（当前“{run.status_name}”），"
                        "只有锁定的月份才能生成申报与报送文件。")


def load_month(run: PayrollRun, user: Any) -> MonthFiling:
    """Every slip of the run by street (streets by code, slips by committee and name), with
    the joiners and leavers of each street against the previous month's slips."""
    require_locked(run)
    streets: dict[int, StreetFiling] = {}
    for sid, code, name, tax_name, credit in db.session.execute(
        select(Street.id, Street.code, Street.name, Street.tax_name, Street.credit_code)
        .where(Street.district_id == run.district_id, district_filter(Street.district_id, user))
        .order_by(Street.code)
    ):
        streets[sid] = StreetFiling(sid, code, name, tax_name or "", credit or "")
    from hr.org.models import Committee

    result = db.session.execute(
        select(Payslip, Committee.code, Committee.name, *_PERSON)
        .join(Worker, Worker.id == Payslip.worker_id)
        .join(Committee, Committee.id == Payslip.committee_id)
        .where(Payslip.run_id == run.id, district_filter(Payslip.district_id, user))
    ).all()
    order: dict[int, list[tuple[str, str, int, SlipRow]]] = defaultdict(list)
    for slip, ccode, cname, *person in result:
        row = SlipRow(Person(*person), cname, slip)
        order[slip.street_id].append((ccode, slip.name, slip.id, row))
    for sid, items in order.items():
        items.sort(key=lambda t: t[:3])
        streets[sid].rows = [t[3] for t in items]
    _joiners_and_leavers(run, streets, user)
    return MonthFiling(run.id, run.district_id, run.district.code, run.district.name, run.month,
                       [s for s in streets.values() if s.rows or s.leavers])


def _joiners_and_leavers(run: PayrollRun, streets: dict[int, StreetFiling], user: Any) -> None:
    """增员: paid by this street this month and not last month (from the hire date when it
    falls in the month). 减员: left during the month, or paid last month and not this one."""
    month, last = run.month, month_end(run.month)
    before = {(wid, sid) for wid, sid in db.session.execute(
        select(Payslip.worker_id, Payslip.street_id).join(PayrollRun, PayrollRun.id == Payslip.run_id)
        .where(Payslip.district_id == run.district_id, Payslip.month == previous_month(month),
               PayrollRun.status != "draft", district_filter(Payslip.district_id, user)))}
    now = set()
    for street in streets.values():
        for r in street.rows:
            p = r.person
            now.add((p.worker_id, street.street_id))
            if (p.worker_id, street.street_id) not in before:
                street.joiners.append((p, p.hire_date if p.hire_date >= month else month))
            if p.leave_date is not None and month <= p.leave_date <= last:
                street.leavers.append((p, p.leave_date))
    gone = [(wid, sid) for wid, sid in before if (wid, sid) not in now]
    if gone:
        people = {row[0]: Person(*row) for row in db.session.execute(
            select(*_PERSON).where(Worker.id.in_({w for w, _ in gone}), district_filter(Worker.district_id, user)))}
        for wid, sid in sorted(gone):
            gone_person = people.get(wid)
            if gone_person is not None and sid in streets:
                left = gone_person.leave_date
                end = left if left and left < month else month_end(previous_month(month))
                streets[sid].leavers.append((gone_person, end))
    for street in streets.values():
        street.leavers.sort(key=lambda t: (t[1], t[0].name))
