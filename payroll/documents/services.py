"""Producing the payroll documents for a user: load the plain data (scoped to the user's
district), build the bytes, and record who exported or printed which pay data. The audit entry
is added to the session; the caller commits once."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from hr.audit.services import record
from hr.core.db import db
from hr.core.errors import NotFound
from hr.core.timeutil import to_local, utcnow
from hr.org.models import Committee, Street
from hr.workers.models import Worker
from payroll.documents import approval, data, excel, pdf
from payroll.runs.models import PayrollRun, Payslip

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Document:
    content: bytes
    filename: str
    mimetype: str
    count: int  # rows or slips it holds


def _static() -> str:
    return str(current_app.static_folder)


def _audit(action: str, run: PayrollRun, user: Any, summary: str, detail: dict[str, Any]) -> None:
    record(action, "payroll_run", run.id, district_id=run.district_id, user=user, summary=summary, changes=detail)


def export_payroll(run: PayrollRun, user: Any, progress: Progress | None = None) -> Document:
    """The run's payroll workbook (工资表)."""
    data.require_slips(run)
    info = data.run_info(run)
    rows = [0]

    def counted(n: int) -> None:
        rows[0] += n
        if progress:
            progress(n)

    from payroll.filings.services import workbook_bank_columns

    bank_columns = workbook_bank_columns(run.district_id, f"{info.month_cn}工资")
    content = excel.payroll_workbook(info, data.payroll_streets(run, user), counted, bank_columns)
    name = excel.filename(info)
    _audit("export", run, user, f"导出工资表 {info.district_name} {info.label}（{rows[0]} 人）",
           {"file": name, "rows": rows[0]})
    return Document(content, name, XLSX, rows[0])


def print_approval(run: PayrollRun, user: Any) -> Document:
    """The approval sheet (工资发放审批表) as PDF."""
    data.require_slips(run)
    info = data.run_info(run)
    sheet = approval.ApprovalSheet(info, data.street_totals(run, user),
                                   printed_by=getattr(user, "display_name", "") or getattr(user, "username", ""),
                                   printed_at=to_local(utcnow()))
    content = approval.approval_pdf(sheet, _static())
    name = approval.filename(info)
    _audit("print", run, user, f"打印工资发放审批表 {info.district_name} {info.label}", {"file": name})
    return Document(content, name, PDF, len(sheet.streets))


def _street(run: PayrollRun, street_id: int | None) -> Street | None:
    if street_id is None:
        return None
    street = db.session.get(Street, street_id)
    if street is None or street.district_id != run.district_id:
        raise NotFound("该街镇不属于本区。")
    return street


def _committee(run: PayrollRun, committee_id: int | None) -> Committee | None:
    if committee_id is None:
        return None
    committee = db.session.get(Committee, committee_id)
    if committee is None or committee.street.district_id != run.district_id:
        raise NotFound("该居委会不属于本区。")
    return committee


def slips_scope(run: PayrollRun, street_id: int | None, committee_id: int | None) -> str:
    """The part of the district a batch covers, for names and messages (街镇/居委会)."""
    committee = _committee(run, committee_id)
    street = _street(run, street_id) or (committee.street if committee else None)
    return "_".join(x for x in ((street.name if street else ""), (committee.name if committee else "")) if x)


def processes(count: int) -> int:
    """Worker processes for a batch: a pool only where it pays for its start-up."""
    if count < current_app.config.get("DOCUMENTS_POOL_MIN_SLIPS", 150):
        return 1
    return int(current_app.config.get("DOCUMENTS_PROCESSES", 2))


def print_slips(run: PayrollRun, user: Any, *, street_id: int | None = None, committee_id: int | None = None,
                slip_ids: list[int] | None = None, progress: Progress | None = None,
                label: str | None = None) -> Document:
    """Salary slips as one PDF (three to a page), ordered by street, committee and name."""
    data.require_slips(run)
    scope = label if label is not None else slips_scope(run, street_id, committee_id)
    count = data.count_slips(run, user, street_id, committee_id) if slip_ids is None else len(slip_ids)
    info = data.run_info(run)
    title = f"工资条 {info.district_name}{(' ' + scope) if scope else ''} {info.label}"
    streets = data.slip_streets(run, user, street_id=street_id, committee_id=committee_id, slip_ids=slip_ids)
    one_street = street_id is not None or committee_id is not None or slip_ids is not None
    content, n = pdf.slips_pdf(streets, title, _static(), 1 if one_street else processes(count), progress)
    if not n:
        raise NotFound(f"{info.district_name}{scope} {info.month_cn}没有工资条。")
    name = pdf.filename(info.district_name, info.label, scope)
    _audit("print", run, user, f"打印工资条 {info.district_name}{scope} {info.label}（{n} 张）",
           {"file": name, "slips": n, "street_id": street_id, "committee_id": committee_id})
    return Document(content, name, PDF, n)


def print_slip(slip: Payslip, user: Any) -> Document:
    run = data.get_run(slip.run_id, user)
    return print_slips(run, user, slip_ids=[slip.id], label=slip.name)


def worker_slip(worker: Worker, month_text: str, user: Any) -> Document:
    """A worker's slip of a month, or a NotFound that says the worker has none."""
    from payroll.runs.services import parse_month

    month = parse_month(month_text)
    slip = db.session.execute(
        select(Payslip).where(Payslip.worker_id == worker.id, Payslip.month == month).order_by(Payslip.id.desc())
    ).scalars().first()
    if slip is None:
        raise NotFound(f"{worker.name} {month.year}年{month.month:02d}月没有工资条（该月工资尚未计算，或该职工当月不在发放范围内）。")
    return print_slip(slip, user)



# Background jobs (payroll.jobs): the kinds of batch these documents run as.
def _excel_job(job: Any, user: Any, progress: Progress) -> Document:
    return export_payroll(data.get_run(job.run_id, user), user, progress)


def _slips_job(job: Any, user: Any, progress: Progress) -> Document:
    params = job.params or {}
    return print_slips(data.get_run(job.run_id, user), user, street_id=params.get("street_id"),
                       committee_id=params.get("committee_id"), progress=progress)


def register_jobs() -> None:
    from payroll.jobs.services import Kind, register_kind

    register_kind("payroll_excel", Kind("工资表", _excel_job, "export"))
    register_kind("payslips", Kind("工资条", _slips_job, "print"))
