"""Read-side queries of runs and slips, always scoped to the user's district."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from hr.accounts.scope import district_filter, get_in_scope
from hr.core.db import db
from hr.org.models import Street
from payroll.calc.money import from_fen
from payroll.runs.models import TOTAL_FIELDS, PayrollRun, Payslip


def get_run(run_id: int) -> PayrollRun:
    return get_in_scope(PayrollRun, run_id)


def get_slip(slip_id: int) -> Payslip:
    return get_in_scope(Payslip, slip_id)


def runs_in_scope(limit: int = 60) -> list[PayrollRun]:
    return list(db.session.execute(
        select(PayrollRun).where(district_filter(PayrollRun.district_id))
        .order_by(PayrollRun.month.desc(), PayrollRun.district_id).limit(limit)
    ).scalars())


def street_totals(run: PayrollRun) -> list[dict[str, Any]]:
    """Headcount and totals per street, summed in the database in fen (exact)."""
    cols = [func.sum(getattr(Payslip, f)) for f in TOTAL_FIELDS]  # Money: summed in fen, read back as yuan
    rows = db.session.execute(
        select(Street.id, Street.code, Street.name, func.count(Payslip.id), *cols)
        .join(Street, Street.id == Payslip.street_id)
        .where(Payslip.run_id == run.id, district_filter(Payslip.district_id))
        .group_by(Street.id, Street.code, Street.name).order_by(Street.code)
    ).all()
    out = []
    for sid, code, name, n, *sums in rows:
        entry: dict[str, Any] = {"street_id": sid, "code": code, "name": name, "headcount": n}
        for f, v in zip(TOTAL_FIELDS, sums, strict=True):
            entry[f] = v if v is not None else from_fen(0)
        out.append(entry)
    return out


def slips_of_worker(worker_id: int, limit: int = 24) -> list[Payslip]:
    return list(db.session.execute(
        select(Payslip).options(joinedload(Payslip.run))
        .where(Payslip.worker_id == worker_id, district_filter(Payslip.district_id))
        .order_by(Payslip.month.desc()).limit(limit)
    ).scalars())
