from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from hr.accounts.scope import require_write
from hr.audit.services import record
from hr.core.db import db
from hr.core.unit_of_work import unit_of_work
from payroll.jobs import services

bp = Blueprint("jobs", __name__, url_prefix="/payroll/jobs")


@bp.route("/")
@login_required
def index():
    from payroll.documents.views import city_months

    return render_template("payroll/documents/jobs.html", jobs=services.jobs_in_scope(limit=100),
                           can_retry=services.may_retry, months=city_months() if current_user.is_admin else [])


@bp.route("/<int:job_id>")
@login_required
def job(job_id: int):
    j = services.get_job(job_id)
    return render_template("payroll/documents/job.html", job=j, can_retry=services.may_retry(j),
                           stale=services.stale(j))


@bp.route("/<int:job_id>/download")
@login_required
def download(job_id: int):
    """Streams the stored output (from the database or the jobs folder) in pieces."""
    j = services.get_job(job_id)
    output = services.open_output(j)
    kind = services.KINDS.get(j.kind)
    record(kind.action if kind else "export", "job", j.id, district_id=j.district_id,
           summary=f"下载 {j.filename}", changes={"job": j.id, "run_id": j.run_id, "file": j.filename})
    db.session.commit()
    mimetype = "application/pdf" if j.filename.endswith(".pdf") else (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    body: Any = output
    if j.size <= int(current_app.config["JOBS_CHUNK_BYTES"]):  # one piece: no file left open
        with output:
            body = io.BytesIO(output.read())
    resp = send_file(body, mimetype=mimetype, as_attachment=True, download_name=j.filename,
                     conditional=False, etag=False, max_age=0)
    resp.content_length = j.size
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.route("/<int:job_id>/retry", methods=["POST"])
@login_required
def retry(job_id: int):
    j = services.get_job(job_id)
    require_write(j.district_id)  # an auditor reads only: 403
    with unit_of_work(show=False) as work:
        services.retry(j)
    if work.error is not None:
        flash(work.error.message, "danger")
    else:
        services.dispatch(j)
        flash("已重新提交。", "success")
    return redirect(url_for("jobs.job", job_id=job_id))
