"""The annual income and tax statement of a worker (年度收入纳税明细 / 收入证明, filings.md §7):
one A4 page, month by month from the year's locked slips, with totals, the street's name and
a verification code recorded so that /verify can confirm the paper. Built from plain data."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask import render_template
from sqlalchemy import select

from hr.core.db import db
from hr.core.errors import NotFound
from hr.core.timeutil import to_local, utcnow
from hr.org.models import Street
from hr.workers.idcard import mask
from payroll.calc.money import ZERO
from payroll.documents.render import html_to_pdf
from payroll.filings.models import AnnualStatement
from payroll.runs.models import PayrollRun, Payslip

# Unambiguous characters (no 0/O, 1/I/L): read aloud or typed from paper.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class StatementMonth:
    month: int
    street: str
    gross: Decimal
    contributions: Decimal
    special: Decimal
    iit: Decimal
    net: Decimal
    bonus: Decimal
    bonus_mode: str  # 单独计税 / 并入综合所得 / ""


@dataclass(frozen=True)
class StatementDoc:
    name: str
    masked_id: str
    district_name: str
    agent: str  # the withholding agent(s) of the year
    year: int
    months: tuple[StatementMonth, ...]
    code: str
    issued_at: datetime

    def total(self, field: str) -> Decimal:
        return sum((getattr(m, field) for m in self.months), ZERO)


def new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def statement_months(worker: Any, year: int) -> list[StatementMonth]:
    """The worker's slips of locked months of the year, in month order."""
    rows = db.session.execute(
        select(Payslip, Street.name, Street.tax_name)
        .join(PayrollRun, PayrollRun.id == Payslip.run_id).join(Street, Street.id == Payslip.street_id)
        .where(Payslip.worker_id == worker.id, PayrollRun.status == "locked",
               Payslip.month >= datetime(year, 1, 1).date(), Payslip.month <= datetime(year, 12, 1).date())
        .order_by(Payslip.month)
    ).all()
    out = []
    for s, street, tax_name in rows:
        mode = ""
        if s.annual_bonus:
            mode = "单独计税" if (s.inputs or {}).get("bonus_tax") == "separate" else "并入综合所得"
        out.append(StatementMonth(s.month.month, tax_name or street, s.gross,
                                  s.pension + s.medical + s.unemployment + s.housing_fund, s.special, s.iit, s.net,
                                  s.annual_bonus, mode))
    return out


def prepare(worker: Any, year: int, user: Any) -> tuple[StatementDoc, AnnualStatement]:
    """A statement with a fresh verification code and the record of it, not yet added to the
    session (a batch adds its records at the end, so that progress reports need no lock)."""
    months = statement_months(worker, year)
    if not months:
        raise NotFound(f"{worker.name} {year} 年没有已锁定的工资，无法出具年度收入纳税明细。")
    agents = list(dict.fromkeys(m.street for m in months))
    row = AnnualStatement(code=new_code(), worker_id=worker.id, district_id=worker.district_id, year=year,
                          months=len(months), gross=sum((m.gross for m in months), ZERO),
                          iit=sum((m.iit for m in months), ZERO), net=sum((m.net for m in months), ZERO),
                          issued_at=utcnow(), issued_by=getattr(user, "username", "") or "system")
    doc = StatementDoc(worker.name, mask(worker.id_number), worker.district.name, "、".join(agents), year,
                       tuple(months), row.code, to_local(row.issued_at) or row.issued_at)
    return doc, row


def issue(worker: Any, year: int, user: Any) -> StatementDoc:
    """Record one statement (flushes; the caller commits)."""
    doc, row = prepare(worker, year, user)
    db.session.add(row)
    db.session.flush()
    return doc


def statement_html(doc: StatementDoc) -> str:
    return render_template("payroll/filings/statement.html", doc=doc)


def statement_pdf(doc: StatementDoc, static_dir: str) -> bytes:
    return html_to_pdf(statement_html(doc), static_dir)


def filename(doc: StatementDoc) -> str:
    return f"年度收入纳税明细_{doc.name}_{doc.year}年.pdf"


def verify(code: str) -> AnnualStatement | None:
    text = (code or "").strip().upper().replace(" ", "")
    if len(text) == 16:
        text = "-".join(text[i:i + 4] for i in range(0, 16, 4))
    if len(text) != 19:
        return None
    found: AnnualStatement | None = db.session.execute(
        select(AnnualStatement).where(AnnualStatement.code == text)).scalar_one_or_none()
    return found
