from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from hr.accounts import personal
from hr.accounts.scope import get_worker, require_write
from hr.audit.models import AuditEntry
from hr.audit.services import record
from hr.core.db import db
from hr.core.errors import Conflict, DomainError, NotFound
from hr.core.schema import MAX_ID
from hr.core.timeutil import today
from hr.core.ui import Page
from hr.core.unit_of_work import unit_of_work
from hr.core.vocabulary import EDUCATIONS, POLITICAL_STATUSES, POST_NAMES
from hr.org.models import Committee
from hr.workers import excel, imports, queries, services
from hr.workers.confirm import apply_confirmed
from hr.workers.fields import label
from hr.workers.forms import ConfirmImportForm, DepartureForm, ImportForm, WorkerForm

bp = Blueprint("workers", __name__, url_prefix="/workers")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;=%\']+')


def safe_filename(filename: str, default: str = "download") -> str:
    """A file name that can only be a file name: no quotes, separators, control characters or
    parameter syntax (an uploaded `a"; filename*=UTF-8''evil.html` becomes `a_ filename_UTF-8_evil.html`),
    at most 120 characters, the extension kept."""
    name = UNSAFE_IN_NAME.sub("_", unicodedata.normalize("NFC", filename or "")).strip(" ._")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 120 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:120]
    return name or default


def download(content: bytes, filename: str, mimetype: str = XLSX) -> Response:
    """A file download under a sanitised name; the header is the framework's (send_file:
    an ASCII fallback and the RFC 5987 UTF-8 name, so Chinese names show correctly)."""
    resp = send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True,
                     download_name=safe_filename(filename), etag=False, conditional=False, max_age=0)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.route("/")
@login_required
def index():
    args = request.args.to_dict()
    stmt = queries.filtered(args)
    page = Page.from_request(queries.count(stmt))
    workers = db.session.execute(
        queries.ordered(stmt, args).limit(page.size).offset(page.offset)
    ).unique().scalars().all()
    streets = queries.streets_in_scope()
    street_id = args.get("street", "")
    committees = queries.committees_of(int(street_id)) if (
        street_id.isascii() and street_id.isdigit() and int(street_id) <= MAX_ID) else []
    from hr.grades.queries import in_force_many

    assignments = in_force_many(today(), worker_ids=[w.id for w in workers]) if workers else {}
    columns = queries.chosen_columns(args, request.args.getlist("cols"))
    return render_template("workers/index.html", workers=workers, page=page, args=args,
                           streets=streets, committees=committees, assignments=assignments,
                           columns=columns, all_columns=queries.COLUMNS, posts=POST_NAMES,
                           educations=EDUCATIONS, political=POLITICAL_STATUSES,
                           filter_query=request.query_string.decode())


def _apply_form_errors(form: WorkerForm, e: DomainError) -> None:
    errors = getattr(e, "errors", None) or {e.field or "": e.message}
    for field, message in errors.items():
        target = getattr(form, field, None)
        if target is not None and field != "version":
            target.errors = list(target.errors) + [message]
        else:
            flash(message, "danger")


def _shower(changes: Iterable[dict[str, Any] | None]) -> Callable[[str, Any], str]:
    """How a recorded value reads in a change list: 是/否 for flags, the committee's name
    rather than its id, （空） for nothing."""
    ids = {
        v for c in changes if c for f, pair in c.items()
        if f == "committee_id" and isinstance(pair, list) for v in pair if isinstance(v, int)
    }
    names = dict(db.session.execute(select(Committee.id, Committee.name).where(Committee.id.in_(ids))).all()) if ids else {}

    def show(field: str, value: Any) -> str:
        if value is None or value == "":
            return "（空）"
        value = personal.shown(field, value)
        if isinstance(value, bool):
            return "是" if value else "否"
        if field == "committee_id":
            return names.get(value, f"#{value}")
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    return show


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require_write(current_user.district_id)
    form = WorkerForm()
    form.committee_id.choices = queries.committee_choices()
    if form.validate_on_submit():
        with unit_of_work(show=False) as work:
            worker = services.create_worker(form.data_for_service())
        if work.error is not None:
            _apply_form_errors(form, work.error)
        else:
            flash(f"已登记职工 {worker.name}。", "success")
            return redirect(url_for("grades.entry", worker_id=worker.id))
    return render_template("workers/form.html", form=form, worker=None)


@bp.route("/<int:worker_id>")
@login_required
def detail(worker_id: int):
    worker = get_worker(worker_id)
    history = db.session.execute(
        select(AuditEntry).where(AuditEntry.object_type == "worker", AuditEntry.object_id == worker.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(200)
    ).scalars().all()
    from hr.workers.panels import panels

    return render_template("workers/detail.html", worker=worker, history=history, label=label,
                           panels=panels(worker), show=_shower(e.changes for e in history))


@bp.route("/<int:worker_id>/edit", methods=["GET", "POST"])
@login_required
def edit(worker_id: int):
    worker = get_worker(worker_id)
    require_write(worker.district_id)
    form = WorkerForm(obj=worker)
    form.committee_id.choices = queries.committee_choices()
    if request.method == "GET":
        form.version.data = str(worker.version)
    if form.validate_on_submit():
        with unit_of_work(show=False) as work:
            expected = int(form.version.data) if (form.version.data or "").isdigit() else None
            changes = services.update_worker(worker, form.data_for_service(), expected)
        if isinstance(work.error, Conflict):
            flash(work.error.message, "danger")
            return render_template("workers/form.html", form=form, worker=worker, conflict=True), 409
        if work.error is not None:
            _apply_form_errors(form, work.error)
        else:
            flash("已保存。" if changes else "没有需要保存的修改。", "success" if changes else "info")
            return redirect(url_for("workers.detail", worker_id=worker.id))
    return render_template("workers/form.html", form=form, worker=worker)


@bp.route("/<int:worker_id>/leave", methods=["GET", "POST"])
@login_required
def leave(worker_id: int):
    worker = get_worker(worker_id)
    require_write(worker.district_id)
    form = DepartureForm()
    if request.method == "GET":
        form.version.data = str(worker.version)
    if form.validate_on_submit():
        with unit_of_work(show=False) as work:
            expected = int(form.version.data) if (form.version.data or "").isdigit() else None
            services.record_departure(worker, form.status.data or "", form.leave_date.data or today(),
                                      form.leave_reason.data or "", expected)
        if work.error is not None:
            _apply_form_errors(form, work.error)
        else:
            flash(f"已登记 {worker.name} {worker.status}。", "success")
            return redirect(url_for("workers.detail", worker_id=worker.id))
    return render_template("workers/leave.html", form=form, worker=worker)


@bp.route("/<int:worker_id>/reinstate", methods=["POST"])
@login_required
def reinstate(worker_id: int):
    worker = get_worker(worker_id)
    with unit_of_work(show=False) as work:
        services.reinstate(worker)
    if isinstance(work.error, Conflict):
        flash(work.error.message, "warning")
        return redirect(url_for("workers.detail", worker_id=worker.id))
    if work.error is not None:
        raise work.error
    flash(f"{worker.name} 已恢复在职。", "success")
    return redirect(url_for("workers.detail", worker_id=worker.id))


@bp.route("/export.xlsx")
@login_required
def export():
    args = request.args.to_dict()
    stmt = queries.ordered(queries.filtered(args), args)
    # Only many-to-one eager loads, so no unique() (which SQLAlchemy refuses with yield_per).
    workers = db.session.execute(stmt.execution_options(yield_per=1000)).scalars()
    content = excel.export_workers(workers, full=personal.sees_full())
    scope = current_user.scope_label
    record("export", "worker", None, district_id=current_user.district_id,
           summary=f"导出名册（{scope}）", changes={"filters": args})
    db.session.commit()
    return download(content, f"社区工作者名册_{scope}_{today().isoformat()}.xlsx")  # Shanghai date


@bp.route("/template.xlsx")
@login_required
def template():
    return download(excel.template(), "社区工作者名册_导入模板.xlsx")


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_upload():
    require_write(current_user.district_id)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = upload.filename or "upload.xlsx"
        if not filename.lower().endswith(".xlsx"):
            form.file.errors = ["只接受 .xlsx 格式的 Excel 文件。"]
            return render_template("workers/import.html", form=form)
        content = upload.read()
        try:
            plan = excel.parse(content, current_user.district_id)
        except excel.ImportFileError as e:
            form.file.errors = [str(e)]
            return render_template("workers/import.html", form=form)
        confirm = None
        if plan.ok:
            confirm = ConfirmImportForm(token=imports.stash(content, current_user.id), filename=filename)
        return render_template("workers/import_preview.html", plan=plan, confirm=confirm, filename=filename,
                               label=label, show=_shower(c for _, _, c in plan.update))
    return render_template("workers/import.html", form=form)


@bp.route("/import/confirm", methods=["POST"])
@login_required
def import_confirm():
    require_write(current_user.district_id)
    counts = apply_confirmed(
        ConfirmImportForm(), lambda content: excel.parse(content, current_user.district_id),
        lambda plan, filename: imports.apply_plan(plan, current_user.district_id, filename=filename))
    if counts is None:
        return redirect(url_for("workers.import_upload"))
    flash(f"导入完成：新增 {counts['created']} 人，更新 {counts['updated']} 人，未变 {counts['unchanged']} 人。", "success")
    return redirect(url_for("workers.index"))


BULK_ACTIONS = {"export": "导出所选", "leave": "批量登记离职", "move": "批量调整居委会"}


@bp.route("/bulk", methods=["POST"])
@login_required
def bulk():
    """Selected rows of the register: export them, or preview a departure or a move of all of
    them and apply it on one confirmation (one commit)."""
    from hr.workers import bulk as bulk_ops

    action = request.form.get("action", "")
    if action != "export":  # exporting is reading; every other bulk action writes
        require_write(current_user.district_id)
    if action not in BULK_ACTIONS:
        flash("请选择要执行的操作。", "warning")
        return redirect(url_for("workers.index"))
    back = url_for("workers.index") + ("?" + request.form["back"] if request.form.get("back") else "")
    try:
        workers = bulk_ops.selected(request.form.getlist("ids"))
    except NotFound:
        raise
    except DomainError as e:
        flash(e.message, "warning")
        return redirect(back)
    ids = [w.id for w in workers]
    if action == "export":
        content = excel.export_workers(workers)
        scope = current_user.scope_label
        record("export", "worker", None, district_id=current_user.district_id,
               summary=f"导出所选职工 {len(workers)} 人（{scope}）", changes={"ids": ids})
        db.session.commit()
        return download(content, f"社区工作者名册_所选{len(workers)}人_{today().isoformat()}.xlsx")
    require_write(current_user.district_id)
    form = DepartureForm() if action == "leave" else None
    committee_id = request.form.get("committee_id", "")
    step = request.form.get("step", "choose")
    error = None
    committee = None
    if step in ("preview", "confirm"):
        try:
            if action == "leave":
                assert form is not None
                if not form.validate():
                    raise DomainError("；".join(e for errs in form.errors.values() for e in errs))
            else:
                committee = bulk_ops.target_committee(int(committee_id) if committee_id.isdigit() else None)
                require_write(committee.street.district_id)
        except DomainError as e:
            error, step = e.message, "choose"
    if step == "confirm":
        with unit_of_work(show=False) as work:
            if action == "leave":
                assert form is not None
                bulk_ops.depart(workers, form.status.data or "", form.leave_date.data or today(),
                                form.leave_reason.data or "")
                message = f"已为 {len(workers)} 人登记{form.status.data}。"
            else:
                assert committee is not None
                moved = bulk_ops.move(workers, committee)
                message = f"已将 {moved} 人调整到 {committee.name}。"
        if work.error is not None:
            error, step = work.error.message, "choose"
        else:
            flash(message, "success")
            return redirect(back)
    return render_template("workers/bulk.html", action=action, title=BULK_ACTIONS[action], workers=workers,
                           form=form, step=step, error=error, committee=committee, committee_id=committee_id,
                           committee_choices=queries.committee_choices(), back=request.form.get("back", ""))
