"""Pages for one worker's payroll inputs, and the Excel imports. Every worker and every input
is loaded through the scoping helper: another district's are indistinguishable from missing."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from hr.accounts.scope import get_in_scope, get_worker, require_write
from hr.core.db import db
from hr.core.errors import NotFound
from hr.core.timeutil import today
from hr.core.unit_of_work import unit_of_work
from hr.grades.queries import settings_for
from hr.workers import imports as stash
from hr.workers.confirm import apply_confirmed
from hr.workers.excel import ImportFileError
from hr.workers.forms import ConfirmImportForm, ImportForm
from hr.workers.views import download
from payroll.calc.reference import contribution_year_start
from payroll.inputs import excel, imports, options, services
from payroll.inputs.forms import (
    AdjustmentForm,
    BaseOverrideForm,
    DeclarationForm,
    EndDeclarationForm,
    PayProfileForm,
    TaxOptionForm,
)
from payroll.inputs.models import Adjustment, BaseOverride, Declaration, PayProfile, TaxOption

bp = Blueprint("inputs", __name__, url_prefix="/payroll/inputs")


def _writable_worker(worker_id: int) -> Any:
    worker = get_worker(worker_id)
    require_write(worker.district_id)
    return worker


def _back(worker_id: int) -> Response:
    return redirect(url_for("workers.detail", worker_id=worker_id, _anchor="pay-inputs"))


def _render(template: str, **context: Any) -> str:
    return render_template(f"payroll/inputs/{template}", **context)


def _save(form: Any, action: Any, success: str, worker_id: int) -> Response | None:
    """Run one service call for a valid form: commit and go back to the worker page, or
    show the refusal beside the fields (None: render the form again)."""
    if not form.validate_on_submit():
        return None
    with unit_of_work(form) as work:
        action()
    if not work.ok:
        return None
    flash(success, "success")
    return _back(worker_id)


def _delete(row: Any, action: Any, success: str) -> Response:
    """A delete button's POST: the row was loaded in scope; only writers may remove it."""
    require_write(row.district_id)
    worker_id = row.worker_id
    with unit_of_work() as work:
        action()
    if work.ok:
        flash(success, "success")
    return _back(worker_id)


@bp.route("/")
@login_required
def index():
    return _render("index.html", specs=excel.SPECS)


# Special additional deductions.

@bp.route("/workers/<int:worker_id>/declarations/new", methods=["GET", "POST"])
@login_required
def declaration_new(worker_id: int):
    worker = _writable_worker(worker_id)
    form = DeclarationForm()
    if request.method == "GET":
        form.start_month.data = today().replace(month=1, day=1)
    done = _save(form, lambda: services.add_declaration(worker, form.data_for_service()),
                 f"已为 {worker.name} 登记专项附加扣除。", worker.id)
    return done or _render("declaration_form.html", form=form, worker=worker)


@bp.route("/declarations/<int:declaration_id>/end", methods=["GET", "POST"])
@login_required
def declaration_end(declaration_id: int):
    decl = get_in_scope(Declaration, declaration_id)
    worker = _writable_worker(decl.worker_id)
    form = EndDeclarationForm()
    if request.method == "GET":
        form.end_month.data = decl.end_month or today().replace(day=1)
    done = _save(form, lambda: services.end_declaration(decl, form.end_month.data),
                 f"已设置 {decl.kind} 的结束月份。", worker.id)
    return done or _render("declaration_end.html", form=form, worker=worker, decl=decl)


@bp.route("/declarations/<int:declaration_id>/delete", methods=["POST"])
@login_required
def declaration_delete(declaration_id: int):
    decl = get_in_scope(Declaration, declaration_id)
    return _delete(decl, lambda: services.delete_declaration(decl), "已删除该专项附加扣除申报。")


# Contribution base override.

@bp.route("/workers/<int:worker_id>/base", methods=["GET", "POST"])
@login_required
def base_override(worker_id: int):
    worker = _writable_worker(worker_id)
    form = BaseOverrideForm()
    if request.method == "GET":
        form.year.data = contribution_year_start(today()).year
    done = _save(form, lambda: options.set_base_override(worker, form.year.data, form.base.data, form.reason.data),
                 f"已设置 {worker.name} 的缴费基数。", worker.id)
    return done or _render("base_form.html", form=form, worker=worker)


@bp.route("/base/<int:override_id>/delete", methods=["POST"])
@login_required
def base_delete(override_id: int):
    row = get_in_scope(BaseOverride, override_id)
    return _delete(row, lambda: options.delete_base_override(row), "已取消缴费基数调整。")


# Housing fund.

@bp.route("/workers/<int:worker_id>/housing-fund", methods=["GET", "POST"])
@login_required
def housing_fund(worker_id: int):
    worker = _writable_worker(worker_id)
    district_pct = settings_for(worker.district_id).hf_rate_pct
    profile = db.session.get(PayProfile, worker.id)
    form = PayProfileForm(obj=profile) if request.method == "GET" else PayProfileForm()
    form.set_default(district_pct)
    done = _save(form, lambda: options.set_pay_profile(worker, form.hf_rate_pct.data, form.hf_supp_pct.data),
                 f"已保存 {worker.name} 的住房公积金比例。", worker.id)
    return done or _render("housing_fund_form.html", form=form, worker=worker, district_pct=district_pct)


# Yearly tax options.

@bp.route("/workers/<int:worker_id>/tax-options", methods=["GET", "POST"])
@login_required
def tax_option(worker_id: int):
    worker = _writable_worker(worker_id)
    form = TaxOptionForm()
    if request.method == "GET":
        year = request.args.get("year", "")
        form.year.data = int(year) if year.isdigit() else today().year
        row = db.session.execute(select(TaxOption).where(
            TaxOption.worker_id == worker.id, TaxOption.year == form.year.data)).scalar_one_or_none()
        if row is not None:
            form.bonus_tax.data = row.bonus_tax
            form.first_income_of_year.data = row.first_income_of_year
            form.prior_year_low_income.data = row.prior_year_low_income
    done = _save(form, lambda: options.set_tax_option(
        worker, form.year.data, form.bonus_tax.data, form.first_income_of_year.data, form.prior_year_low_income.data),
        f"已保存 {worker.name} 的个税选项。", worker.id)
    return done or _render("tax_option_form.html", form=form, worker=worker)


@bp.route("/tax-options/<int:option_id>/delete", methods=["POST"])
@login_required
def tax_option_delete(option_id: int):
    row = get_in_scope(TaxOption, option_id)
    return _delete(row, lambda: options.delete_tax_option(row), f"已恢复 {row.year} 年个税选项为默认。")


# Adjustments.

@bp.route("/workers/<int:worker_id>/adjustments/new", methods=["GET", "POST"])
@login_required
def adjustment_new(worker_id: int):
    worker = _writable_worker(worker_id)
    form = AdjustmentForm()
    if request.method == "GET":
        form.pay_month.data = today().replace(day=1)
    done = _save(form, lambda: services.add_adjustment(worker, form.data_for_service()),
                 f"已为 {worker.name} 登记{form.kind.data}。", worker.id)
    return done or _render("adjustment_form.html", form=form, worker=worker)


@bp.route("/adjustments/<int:adjustment_id>/delete", methods=["POST"])
@login_required
def adjustment_delete(adjustment_id: int):
    adj = get_in_scope(Adjustment, adjustment_id)
    return _delete(adj, lambda: services.delete_adjustment(adj), "已删除这笔补发补扣。")


# Excel.

def _spec(kind: str) -> excel.Spec:
    spec = excel.SPECS.get(kind)
    if spec is None:
        raise NotFound("页面或记录不存在。")
    return spec


@bp.route("/template/<kind>.xlsx")
@login_required
def template(kind: str):
    spec = _spec(kind)
    return download(excel.template(spec), f"{spec.title}_导入模板.xlsx")


@bp.route("/import/<kind>", methods=["GET", "POST"])
@login_required
def import_upload(kind: str):
    spec = _spec(kind)
    require_write(current_user.district_id)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = upload.filename or "upload.xlsx"
        if not filename.lower().endswith(".xlsx"):
            form.file.errors = ["只接受 .xlsx 格式的 Excel 文件。"]
            return _render("import.html", form=form, spec=spec)
        content = upload.read()
        try:
            plan = excel.parse(spec.key, content, current_user)
        except ImportFileError as e:
            form.file.errors = [str(e)]
            return _render("import.html", form=form, spec=spec)
        confirm = None
        if plan.ok and (plan.create or plan.update):
            confirm = ConfirmImportForm(token=stash.stash(content, current_user.id), filename=filename)
        return _render("import_preview.html", plan=plan, spec=spec, confirm=confirm, filename=filename)
    return _render("import.html", form=form, spec=spec)


@bp.route("/import/<kind>/confirm", methods=["POST"])
@login_required
def import_confirm(kind: str):
    spec = _spec(kind)
    require_write(current_user.district_id)
    counts = apply_confirmed(
        ConfirmImportForm(), lambda content: excel.parse(spec.key, content, current_user),
        lambda plan, filename: imports.apply(plan, current_user, filename=filename))
    if counts is None:
        return redirect(url_for("inputs.import_upload", kind=spec.key))
    flash(f"{spec.title}导入完成：新增 {counts['created']} 条，更新 {counts['updated']} 条，"
          f"未变 {counts['unchanged']} 条。", "success")
    return redirect(url_for("inputs.index"))
