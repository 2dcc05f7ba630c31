"""The 申报与报送 page of a locked month, its downloads, and the city administrator's pages
for withholding agents and bank formats. Views parse, call one service, commit once."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from hr.accounts.scope import get_worker, require_admin
from hr.core.db import db
from hr.core.errors import DomainError
from hr.core.unit_of_work import unit_of_work
from hr.org.models import District
from hr.workers.views import download
from payroll.documents.data import get_run
from payroll.filings import agents, services
from payroll.filings.data import NotLocked, require_locked

bp = Blueprint("filings", __name__, url_prefix="/payroll/filings")
verify_bp = Blueprint("verify", __name__)


def _all_staff() -> bool:
    return request.args.get("all_staff") == "1"


@bp.route("/runs/<int:run_id>")
@login_required
def month(run_id: int):
    run = get_run(run_id, current_user)
    try:
        require_locked(run)
        filing, files = services.month_files(run, current_user, all_staff=_all_staff())
    except NotLocked as e:
        flash(e.message, "danger")
        return redirect(url_for("payroll.run", run_id=run.id))
    agents_missing = [s.name for s in filing.streets if not (s.tax_name and s.credit_code)]
    return render_template("payroll/filings/month.html", run=run, filing=filing, files=files,
                           all_staff=_all_staff(), agents_missing=agents_missing,
                           may_download=current_user.role in ("admin", "officer"),
                           bank_format=services.district_format(run.district_id))


def _send(run_id: int, build):
    run = get_run(run_id, current_user)
    with unit_of_work(show=False) as work:
        require_locked(run)
        doc = build(run)
    if work.error is not None:
        if work.error.status in (403, 404):
            raise work.error
        flash(work.error.message, "danger")
        return redirect(url_for("payroll.run", run_id=run.id))
    return download(doc.content, doc.filename, doc.mimetype)


@bp.route("/runs/<int:run_id>/files/<key>")
@login_required
def file(run_id: int, key: str):
    return _send(run_id, lambda run: services.build_file(run, current_user, key, all_staff=_all_staff()))


@bp.route("/runs/<int:run_id>/all.zip")
@login_required
def bundle(run_id: int):
    return _send(run_id, lambda run: services.build_zip(run, current_user, all_staff=_all_staff()))


@bp.route("/runs/<int:run_id>/compare", methods=["POST"])
@login_required
def compare(run_id: int):
    """Upload the tax client's 税款计算 export: the workers whose tax differs from ours."""
    run = get_run(run_id, current_user)
    services.require_full_ids(current_user)
    upload = request.files.get("file")
    with unit_of_work(show=False) as work:
        require_locked(run)
        if upload is None or not (upload.filename or "").lower().endswith(".xlsx"):
            raise DomainError("请选择扣缴端导出的“税款计算” .xlsx 文件。")
        filename = upload.filename
        found = services.compare_client_export(run, current_user, upload.read(), filename or "")
    if work.error is not None:
        if work.error.status in (403, 404):
            raise work.error
        flash(work.error.message, "danger")
        return redirect(url_for("filings.month", run_id=run.id) if run.status == "locked"
                        else url_for("payroll.run", run_id=run.id))
    return render_template("payroll/filings/compare.html", run=run, found=found, filename=filename)


# City administrator: withholding agents and bank formats ------------------------------------
@bp.route("/agents")
@login_required
def agents_page():
    require_admin()
    districts = list(db.session.execute(select(District).order_by(District.code)).scalars())
    code = request.args.get("district") or (districts[0].code if districts else "")
    district = next((d for d in districts if d.code == code), None)
    return render_template("payroll/filings/agents.html", districts=districts, district=district,
                           agents=agents.list_agents(code) if district else [],
                           formats=services.bank_formats(),
                           chosen=services.district_format(district.id) if district else None)


@bp.route("/agents/<int:street_id>", methods=["POST"])
@login_required
def agent_save(street_id: int):
    require_admin()
    street = agents.get_street(street_id)
    with unit_of_work(show=False) as work:
        agents.set_agent(street, request.form.get("tax_name", ""), request.form.get("credit_code", ""), current_user)
    if work.error is None:
        flash(f"已保存 {street.name} 的扣缴义务人信息。", "success")
    else:
        flash(f"{street.name}：{work.error.message}", "danger")
    return redirect(url_for("filings.agents_page", district=street.district.code))


@bp.route("/districts/<code>/bank-format", methods=["POST"])
@login_required
def bank_format_save(code: str):
    require_admin()
    district = db.session.execute(select(District).where(District.code == code)).scalar_one_or_none()
    if district is None:
        flash("区不存在。", "danger")
        return redirect(url_for("filings.agents_page"))
    with unit_of_work(show=False) as work:
        fmt = services.choose_format(district, request.form.get("bank_format", ""), current_user)
    if work.error is None:
        flash(f"{district.name} 的银行代发格式已设为：{fmt.name}", "success")
    else:
        flash(work.error.message, "danger")
    return redirect(url_for("filings.agents_page", district=code))


# Annual statements --------------------------------------------------------------------------
def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise DomainError("年份应为四位数字，如 2026。")
    return int(text)


@bp.route("/workers/<int:worker_id>/statement/<year>.pdf")
@login_required
def worker_statement(worker_id: int, year: str):
    worker = get_worker(worker_id)
    with unit_of_work(show=False) as work:
        services.require_full_ids(current_user)
        doc = services.worker_statement(worker, _year(year), current_user)
    if work.error is not None:
        if work.error.status in (403,):
            raise work.error
        flash(work.error.message, "danger")
        return redirect(url_for("workers.detail", worker_id=worker.id))
    return download(doc.content, doc.filename, doc.mimetype)


@bp.route("/districts/<code>/statements", methods=["POST"])
@login_required
def district_statements(code: str):
    """A district's statements of a year: a background job (the same queue as the slips)."""
    from hr.accounts.scope import district_filter
    from payroll.jobs import services as jobs

    district = db.session.execute(
        select(District).where(District.code == code, district_filter(District.id))).scalar_one_or_none()
    if district is None:
        from hr.core.errors import NotFound

        raise NotFound("区不存在或不在您的管辖范围内。")
    with unit_of_work(show=False) as work:
        services.require_full_ids(current_user)
        year = _year(request.form.get("year", ""))
        count = len(services.statement_workers(district.id, year, current_user))
        if not count:
            raise DomainError(f"{district.name} {year} 年没有已锁定的工资。")
        job = jobs.enqueue("annual_statements", district_id=district.id, run_id=None,
                           title=f"年度收入纳税明细 {district.name} {year}年", total=count, user=current_user,
                           params={"year": year})
    if work.error is not None:
        if work.error.status in (403, 404):
            raise work.error
        flash(work.error.message, "danger")
        return redirect(request.referrer or url_for("payroll.runs"))
    jobs.dispatch(job)
    flash("已转入后台生成，完成后可在任务页下载。", "info")
    return redirect(url_for("jobs.job", job_id=job.id))


@verify_bp.route("/verify")
def verify():
    """Public: anyone holding a statement checks its code; only what the paper shows is
    confirmed, with the name partly hidden."""
    from payroll.filings import statement

    code = request.args.get("code", "")
    found = statement.verify(code) if code else None
    worker = None
    if found is not None:
        from hr.workers.models import Worker

        worker = db.session.get(Worker, found.worker_id)
    name = (worker.name[0] + "*" * (len(worker.name) - 1)) if worker else ""
    return render_template("payroll/filings/verify.html", code=code, found=found, name=name)
