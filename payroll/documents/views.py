"""Downloads of the payroll documents. Small ones are built in the request; district batches
and large workbooks become background jobs and the user is sent to the job's page."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from hr.accounts.scope import get_worker, require_admin
from hr.core.db import db
from hr.core.errors import DomainError
from hr.core.unit_of_work import Work, unit_of_work
from hr.workers.views import download
from payroll.documents import data, services
from payroll.documents.services import Document
from payroll.jobs import services as jobs
from payroll.jobs.models import Job
from payroll.runs.models import PayrollRun
from payroll.runs.queries import get_slip

bp = Blueprint("documents", __name__, url_prefix="/payroll/documents")


def _int_arg(name: str) -> int | None:
    value = (request.form.get(name) or request.args.get(name) or "").strip()
    return int(value) if value.isdigit() else None


def _to_job(kind: str, run: PayrollRun, title: str, total: int, params: dict[str, int | None] | None = None) -> Job:
    return jobs.enqueue(kind, district_id=run.district_id, run_id=run.id, title=title, total=total,
                        user=current_user, params=params)


def _answer(run: PayrollRun, work: Work, result: Document | Job | None) -> ResponseReturnValue:
    """After the unit of work: the file, the job's page, or the run's page with the refusal
    (a record out of scope stays a 404)."""
    if work.error is not None:
        if work.error.status == 404:
            raise work.error
        flash(work.error.message, "danger")
        return redirect(url_for("payroll.run", run_id=run.id))
    assert result is not None
    if isinstance(result, Job):
        jobs.dispatch(result)
        flash("文件较大，已转入后台生成，完成后可在本页下载。", "info")
        return redirect(url_for("jobs.job", job_id=result.id))
    return download(result.content, result.filename, result.mimetype)


@bp.route("/runs/<int:run_id>/payroll.xlsx", methods=["POST"])
@login_required
def run_excel(run_id: int):
    run = data.get_run(run_id, current_user)
    result: Document | Job | None = None
    with unit_of_work(show=False) as work:
        data.require_slips(run)
        if request.form.get("background") or run.headcount > current_app.config["DOCUMENTS_SYNC_ROWS"]:
            result = _to_job("payroll_excel", run, f"工资表 {run.district.name} {run.label}", run.headcount)
        else:
            result = services.export_payroll(run, current_user)
    return _answer(run, work, result)


@bp.route("/runs/<int:run_id>/approval.pdf")
@login_required
def run_approval(run_id: int):
    run = data.get_run(run_id, current_user)
    result: Document | None = None
    with unit_of_work(show=False) as work:
        result = services.print_approval(run, current_user)
    return _answer(run, work, result)


@bp.route("/runs/<int:run_id>/slips", methods=["POST"])
@login_required
def run_slips(run_id: int):
    run = data.get_run(run_id, current_user)
    street_id, committee_id = _int_arg("street_id"), _int_arg("committee_id")
    result: Document | Job | None = None
    with unit_of_work(show=False) as work:
        data.require_slips(run)
        scope = services.slips_scope(run, street_id, committee_id)
        count = data.count_slips(run, current_user, street_id, committee_id)
        if not count:
            raise DomainError(f"{scope or run.district.name} {run.label} 没有工资条。")
        limit = current_app.config["DOCUMENTS_SYNC_SLIPS_SCOPED" if scope else "DOCUMENTS_SYNC_SLIPS"]
        if count > limit:
            title = f"工资条 {run.district.name}{(' ' + scope) if scope else ''} {run.label}"
            result = _to_job("payslips", run, title, count, {"street_id": street_id, "committee_id": committee_id})
        else:
            result = services.print_slips(run, current_user, street_id=street_id, committee_id=committee_id)
    return _answer(run, work, result)


@bp.route("/slips/<int:slip_id>.pdf")
@login_required
def slip_pdf(slip_id: int):
    doc = services.print_slip(get_slip(slip_id), current_user)
    db.session.commit()
    return download(doc.content, doc.filename, doc.mimetype)


@bp.route("/workers/<int:worker_id>/slips/<month>.pdf")
@login_required
def worker_slip_pdf(worker_id: int, month: str):
    doc = services.worker_slip(get_worker(worker_id), month, current_user)
    db.session.commit()
    return download(doc.content, doc.filename, doc.mimetype)


def city_months(limit: int = 24) -> list[date]:
    """Months that have at least one calculated run (for the city-wide export)."""
    return list(db.session.execute(
        select(PayrollRun.month).where(PayrollRun.headcount > 0).group_by(PayrollRun.month)
        .order_by(PayrollRun.month.desc()).limit(limit)
    ).scalars())


@bp.route("/city/payroll", methods=["POST"])
@login_required
def city_excel():
    """City administrators: one workbook per district of a month, each a background job, so
    that the workers (several machines with RQ) share the city's batch."""
    require_admin()
    from payroll.runs.services import parse_month

    with unit_of_work() as work:
        month = parse_month(request.form.get("month", ""))
        runs = list(db.session.execute(
            select(PayrollRun).where(PayrollRun.month == month, PayrollRun.headcount > 0)
            .order_by(PayrollRun.district_id)
        ).scalars())
        queued = [jobs.enqueue("payroll_excel", district_id=r.district_id, run_id=r.id, total=r.headcount,
                               title=f"工资表 {r.district.name} {r.label}", user=current_user) for r in runs]
    if not work.ok:
        return redirect(url_for("jobs.index"))
    for job in queued:
        jobs.dispatch(job)
    flash(f"已提交 {len(queued)} 个区的工资表导出任务。" if queued else f"{month:%Y-%m} 没有已计算的工资批次。",
          "success" if queued else "warning")
    return redirect(url_for("jobs.index"))


def run_documents(run: PayrollRun) -> dict[str, object]:
    """For the run page's document buttons: the latest jobs of the run (in the user's scope)."""
    recent = jobs.jobs_in_scope(run_id=run.id, limit=5)
    return {"jobs": recent, "active": [j for j in recent if j.active],
            "has_slips": run.status != "draft" and run.headcount > 0}

