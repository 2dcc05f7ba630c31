"""Plain data for the payroll documents, read in a few set-based queries (never one per slip)
and always scoped to a user's district. The builders (excel, pdf, approval) take only what is
defined here: dataclasses and named tuples of str, int, date and Decimal."""
from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Select, func, select

from hr.accounts.personal import BANK_ACCOUNT, ID_NUMBER, mask_value, sees_full
from hr.accounts.scope import district_filter
from hr.core.db import db
from hr.core.errors import DomainError, NotFound
from hr.core.timeutil import to_local
from hr.core.vocabulary import POST_NAMES
from hr.grades.queries import settings_for
from hr.org.models import Committee, District, Street
from hr.workers.idcard import mask
from hr.workers.models import Worker
from payroll.calc.money import ZERO, D
from payroll.runs.models import STATUSES, TOTAL_FIELDS, PayrollRun, Payslip

# Rows fetched per round trip while streaming a month of slips.
BATCH = 2000


@dataclass(frozen=True)
class RunInfo:
    """One district's month: identity, state, stored totals and who calculated/approved it."""

    id: int
    district_id: int
    district_code: str
    district_name: str
    month: date
    status: str
    headcount: int
    totals: dict[str, Decimal]
    calculated_by: str = ""
    calculated_at: datetime | None = None  # Shanghai time
    approved_by: str = ""
    approved_at: datetime | None = None
    locked_by: str = ""
    locked_at: datetime | None = None
    pay_date: date | None = None

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def month_cn(self) -> str:
        return f"{self.month.year}年{self.month.month:02d}月"

    @property
    def status_name(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def approved(self) -> bool:
        return self.status in ("approved", "locked")


@dataclass(frozen=True)
class StreetTotal:
    street_id: int
    code: str
    name: str
    headcount: int
    totals: dict[str, Decimal]


class PayRow(NamedTuple):
    """One slip as the payroll workbook shows it (amounts in Decimal yuan)."""

    slip_id: int
    street_id: int
    street_code: str
    street_name: str
    committee_code: str
    committee_name: str
    name: str
    id_number: str
    post: str
    grade: int
    grade_pay: Decimal
    post_allowance: Decimal
    performance: Decimal
    qualification_allowance: Decimal
    annual_bonus: Decimal
    adjustments: Decimal
    gross: Decimal
    pension: Decimal
    medical: Decimal
    unemployment: Decimal
    housing_fund: Decimal
    iit: Decimal
    net: Decimal
    employer_total: Decimal
    bank_name: str
    bank_account: str


@dataclass
class StreetRows:
    street_id: int
    code: str
    name: str
    rows: list[PayRow] = field(default_factory=list)


@dataclass(frozen=True)
class SlipLine:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class SlipDoc:
    """A printed salary slip (工资条). Its lines add up to its totals (checked when built)."""

    slip_id: int
    heading: str  # 上海市<区><街镇> 社区工作者工资条
    month_cn: str  # 2026年11月
    name: str
    masked_id: str
    committee: str
    post_grade: str
    earnings: tuple[SlipLine, ...]
    deductions: tuple[SlipLine, ...]
    gross: Decimal
    deductions_total: Decimal
    net: Decimal
    pay_date: date
    draft: bool = False


@dataclass
class StreetSlips:
    street_id: int
    code: str
    name: str
    slips: list[SlipDoc] = field(default_factory=list)


def pay_date(district_id: int, month: date) -> date:
    """The district's pay day (default the 15th) in that month, moved to the month's last day
    when the month is shorter."""
    day = settings_for(district_id).pay_day or 15
    last = calendar.monthrange(month.year, month.month)[1]
    return date(month.year, month.month, max(1, min(day, last)))


def run_info(run: PayrollRun) -> RunInfo:
    return RunInfo(
        id=run.id, district_id=run.district_id, district_code=run.district.code,
        district_name=run.district.name, month=run.month, status=run.status, headcount=run.headcount,
        totals={f: getattr(run, f) for f in TOTAL_FIELDS},
        calculated_by=run.calculated_by or "", calculated_at=to_local(run.calculated_at),
        approved_by=run.approved_by or "", approved_at=to_local(run.approved_at),
        locked_by=run.locked_by or "", locked_at=to_local(run.locked_at),
        pay_date=pay_date(run.district_id, run.month),
    )


def get_run(run_id: int, user: Any) -> PayrollRun:
    """A run the user may see, or NotFound (another district's run looks missing)."""
    run = db.session.execute(
        select(PayrollRun).where(PayrollRun.id == run_id, district_filter(PayrollRun.district_id, user))
    ).scalar_one_or_none()
    if run is None:
        raise NotFound("工资批次不存在或不在您的管辖范围内。")
    return run


def find_run(district_code: str, month: date, user: Any) -> PayrollRun:
    run = db.session.execute(
        select(PayrollRun).join(District, District.id == PayrollRun.district_id)
        .where(District.code == district_code, PayrollRun.month == month,
               district_filter(PayrollRun.district_id, user))
    ).scalar_one_or_none()
    if run is None:
        raise NotFound(f"{district_code} 没有 {month:%Y-%m} 的工资批次。")
    return run


def require_slips(run: PayrollRun) -> None:
    if run.status == "draft" or not run.headcount:
        raise DomainError(f"{run.district.name} {run.label} 的工资尚未计算，没有工资条。")


def street_totals(run: PayrollRun, user: Any) -> list[StreetTotal]:
    """Headcount and totals per street, summed in the database in fen (exact)."""
    sums = [func.sum(getattr(Payslip, f)) for f in TOTAL_FIELDS]
    rows = db.session.execute(
        select(Street.id, Street.code, Street.name, func.count(Payslip.id), *sums)
        .join(Street, Street.id == Payslip.street_id)
        .where(Payslip.run_id == run.id, district_filter(Payslip.district_id, user))
        .group_by(Street.id, Street.code, Street.name).order_by(Street.code)
    ).all()
    return [
        StreetTotal(sid, code, name, n, {f: (v if v is not None else ZERO) for f, v in zip(TOTAL_FIELDS, vals, strict=True)})
        for sid, code, name, n, *vals in rows
    ]


_AMOUNTS = ("grade_pay", "post_allowance", "performance", "qualification_allowance", "annual_bonus",
            "adjustments", "gross", "pension", "medical", "unemployment", "housing_fund", "iit", "net",
            "employer_total")


def _pay_rows_stmt(run: PayrollRun, user: Any) -> Select[*tuple[Any, ...]]:
    stmt = (
        select(Payslip.id, Payslip.street_id, Street.code, Street.name, Committee.code, Committee.name,
               Payslip.name, Worker.id_number, Payslip.post, Payslip.grade,
               *(getattr(Payslip, f) for f in _AMOUNTS), Worker.bank_name, Worker.bank_account)
        .join(Worker, Worker.id == Payslip.worker_id)
        .join(Street, Street.id == Payslip.street_id)
        .join(Committee, Committee.id == Payslip.committee_id)
        .where(Payslip.run_id == run.id, district_filter(Payslip.district_id, user))
        .order_by(Street.code, Payslip.street_id)
    )
    return stmt


def _grouped(rows: Any, key: Callable[[Any], int]) -> Iterator[list[Any]]:
    group: list[Any] = []
    current = None
    for row in rows:
        k = key(row)
        if group and k != current:
            yield group
            group = []
        current = k
        group.append(row)
    if group:
        yield group


def _order(committee_code: str, name: str, slip_id: int) -> tuple[str, str, int]:
    """Within a street: by committee, then name (code point order, the same on every database)."""
    return committee_code, name, slip_id


def payroll_streets(run: PayrollRun, user: Any) -> Iterator[StreetRows]:
    """The run's slips, one street at a time (streets by code; within a street by committee
    and name), streamed from one query: memory holds one street, not the month."""
    full = sees_full(user)  # hr.accounts.personal: auditors get masked ID numbers and accounts
    result = db.session.execute(_pay_rows_stmt(run, user).execution_options(yield_per=BATCH))
    try:
        for group in _grouped(result, key=lambda r: r[1]):
            rows = sorted((PayRow._make(r) for r in group), key=lambda p: _order(p.committee_code, p.name, p.slip_id))
            if not full:
                rows = [r._replace(id_number=mask_value(ID_NUMBER, r.id_number),
                                   bank_account=mask_value(BANK_ACCOUNT, r.bank_account)) for r in rows]
            first = rows[0]
            yield StreetRows(first.street_id, first.street_code, first.street_name, rows)
    finally:
        result.close()


def _slips_stmt(run: PayrollRun, user: Any, street_id: int | None, committee_id: int | None,
                slip_ids: list[int] | None) -> Select[*tuple[Any, ...]]:
    stmt = (
        select(Payslip, Worker.id_number, Street.code, Street.name, Committee.code, Committee.name)
        .join(Worker, Worker.id == Payslip.worker_id)
        .join(Street, Street.id == Payslip.street_id)
        .join(Committee, Committee.id == Payslip.committee_id)
        .where(Payslip.run_id == run.id, district_filter(Payslip.district_id, user))
        .order_by(Street.code, Payslip.street_id)
    )
    if street_id is not None:
        stmt = stmt.where(Payslip.street_id == street_id)
    if committee_id is not None:
        stmt = stmt.where(Payslip.committee_id == committee_id)
    if slip_ids is not None:
        stmt = stmt.where(Payslip.id.in_(slip_ids))
    return stmt


def count_slips(run: PayrollRun, user: Any, street_id: int | None = None, committee_id: int | None = None) -> int:
    stmt = _slips_stmt(run, user, street_id, committee_id, None)
    return int(db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one())


def slip_doc(s: Payslip, id_number: str, street_name: str, committee_name: str, info: RunInfo) -> SlipDoc:
    """The printed slip of one payslip. Raises DomainError if its lines do not add up."""
    grade_label = "岗位等级工资"
    if s.days_served != s.days_in_month:
        grade_label += f"（在岗 {s.days_served}/{s.days_in_month} 天）"
    earnings = [SlipLine(grade_label, s.grade_pay), SlipLine("岗位津贴", s.post_allowance),
                SlipLine("月度绩效", s.performance), SlipLine("职业资格津贴", s.qualification_allowance)]
    if s.annual_bonus:
        earnings.append(SlipLine("年度考核奖", s.annual_bonus))
    for line in s.adjustment_lines or []:
        reason = str(line.get("reason") or "").strip()
        label = f"{line.get('kind') or '补发补扣'}：{reason}" if reason else str(line.get("kind") or "补发补扣")
        earnings.append(SlipLine(label, D(str(line["amount"]))))
    iit_label = "个人所得税"
    if s.bonus_tax:
        iit_label += f"（含年终奖单独计税 {s.bonus_tax:,.2f}）"
    deductions = [SlipLine("养老保险", s.pension), SlipLine("医疗保险", s.medical),
                  SlipLine("失业保险", s.unemployment), SlipLine("住房公积金", s.housing_fund),
                  SlipLine(iit_label, s.iit)]
    total_deductions = s.pension + s.medical + s.unemployment + s.housing_fund + s.iit
    if (sum((e.amount for e in earnings), ZERO) != s.gross
            or sum((d.amount for d in deductions), ZERO) != total_deductions
            or s.gross - total_deductions != s.net):
        raise DomainError(f"{s.name} 的工资条明细与合计不符，请重新计算 {info.label} 的工资后再打印。")
    return SlipDoc(
        slip_id=s.id, heading=f"上海市{info.district_name}{street_name} 社区工作者工资条", month_cn=info.month_cn,
        name=s.name, masked_id=mask(id_number), committee=committee_name,
        post_grade=f"{POST_NAMES.get(s.post, s.post)} {s.grade}级", earnings=tuple(earnings),
        deductions=tuple(deductions), gross=s.gross, deductions_total=total_deductions, net=s.net,
        pay_date=info.pay_date or pay_date(info.district_id, info.month), draft=not info.approved,
    )


def slip_streets(run: PayrollRun, user: Any, *, street_id: int | None = None, committee_id: int | None = None,
                 slip_ids: list[int] | None = None) -> Iterator[StreetSlips]:
    """Printed slips one street at a time, from one streamed query; within a street by
    committee and name."""
    info = run_info(run)
    stmt = _slips_stmt(run, user, street_id, committee_id, slip_ids)
    result = db.session.execute(stmt.execution_options(yield_per=BATCH))
    try:
        for group in _grouped(result, key=lambda r: r[0].street_id):
            group.sort(key=lambda r: _order(r[4], r[0].name, r[0].id))
            _slip, _idn, scode, sname, _ccode, _cname = group[0]
            docs = [slip_doc(s, idn, sn, cn, info) for s, idn, _sc, sn, _cc, cn in group]
            yield StreetSlips(group[0][0].street_id, scode, sname, docs)
    finally:
        result.close()
