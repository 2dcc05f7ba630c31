"""Opening balances: template, upload with a preview of every row or every error, and an
all-or-nothing confirm."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from hr.accounts.scope import district_filter, require_write
from hr.core.db import db
from hr.workers import imports as stash
from hr.workers.confirm import apply_confirmed
from hr.workers.excel import ImportFileError
from hr.workers.forms import ConfirmImportForm, ImportForm
from hr.workers.models import Worker
from hr.workers.views import download
from payroll.opening import excel, services
from payroll.opening.models import OpeningBalance

bp = Blueprint("opening", __name__, url_prefix="/payroll/opening")


def _balances() -> list[tuple[OpeningBalance, str]]:
    return [(b, name) for b, name in db.session.execute(
        select(OpeningBalance, Worker.name).join(Worker, Worker.id == OpeningBalance.worker_id)
        .where(district_filter(OpeningBalance.district_id))
        .order_by(OpeningBalance.year.desc(), Worker.name).limit(500)).all()]


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    if request.method == "POST":
        require_write(current_user.district_id)  # a read-only account is refused before the file is read
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = upload.filename or "upload.xlsx"
        if not filename.lower().endswith(".xlsx"):
            form.file.errors = ["只接受 .xlsx 格式的 Excel 文件。"]
        else:
            content = upload.read()
            try:
                plan = excel.parse(content, current_user)
            except ImportFileError as e:
                form.file.errors = [str(e)]
            else:
                confirm = None
                if plan.ok and plan.lines:
                    confirm = ConfirmImportForm(token=stash.stash(content, current_user.id), filename=filename)
                return render_template("payroll/opening/preview.html", plan=plan, confirm=confirm,
                                       filename=filename, headers=excel.OPENING.headers)
    return render_template("payroll/opening/index.html", form=form, balances=_balances(),
                           headers=excel.OPENING.headers)


@bp.route("/template.xlsx")
@login_required
def template():
    return download(excel.template(), "期初累计_导入模板.xlsx")


@bp.route("/confirm", methods=["POST"])
@login_required
def confirm():
    require_write(current_user.district_id)
    counts = apply_confirmed(
        ConfirmImportForm(), lambda content: excel.parse(content, current_user),
        lambda plan, filename: services.save(plan.lines, current_user.district_id, current_user, filename))
    if counts is not None:
        flash(f"期初累计导入完成：新增 {counts['created']} 条，更新 {counts['updated']} 条。", "success")
    return redirect(url_for("opening.index"))
