from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from hr.audit.services import record
from hr.core.db import db
from hr.core.errors import DomainError
from payroll.jobs import services

bp = Blueprint("jobs", __name__, url_prefix="/payroll/jobs")


@bp.route("/")
@login_required
def index():
    from payroll.documents.views import city_months

    return render_template("payroll/documents/jobs.html", jobs=services.jobs_in_scope(limit=100),
                           can_retry=services.can_retry, months=city_months() if current_user.is_admin else [])


@bp.route("/<int:job_id>")
@login_required
def job(job_id: int):
    j = services.get_job(job_id)
    return render_template("payroll/documents/job.html", job=j, can_retry=services.can_retry(j),
                           stale=services.stale(j))


@bp.route("/<int:job_id>/download")
@login_required
def download(job_id: int):
    from hr.workers.views import download as send

    j = services.get_job(job_id)
    path = services.file_path(j)
    kind = services.KINDS.get(j.kind)
    record(kind.action if kind else "export", "job", j.id, district_id=j.district_id,
           summary=f"下载 {j.filename}", changes={"job": j.id, "run_id": j.run_id, "file": j.filename})
    db.session.commit()
    if j.filename.endswith(".pdf"):
        return send(path.read_bytes(), j.filename, "application/pdf")
    return send(path.read_bytes(), j.filename)


@bp.route("/<int:job_id>/retry", methods=["POST"])
@login_required
def retry(job_id: int):
    j = services.get_job(job_id)
    try:
        services.retry(j)
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "danger")
    else:
        services.dispatch(j)
        flash("已重新提交。", "success")
    return redirect(url_for("jobs.job", job_id=job_id))

