"""Reference-data pages: every signed-in user may read the standards; only the city
administrator creates and edits them."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from hr.accounts.scope import require_admin
from hr.core.db import db
from hr.core.errors import Conflict, NotFound
from hr.core.unit_of_work import unit_of_work
from hr.core.vocabulary import HELD_QUALIFICATIONS, RATINGS
from payroll.reference import services, tables
from payroll.reference.forms import (
    BOUND_LABELS,
    POST_LABELS,
    RATE_LABELS,
    BoundsForm,
    NewBoundsForm,
    NewRatesForm,
    NewScaleForm,
    NewTaxTableForm,
    RatesForm,
    ScaleForm,
    TaxTableForm,
)
from payroll.reference.models import ContributionBoundsRow, PayScale, RateVersion, TaxTable

bp = Blueprint("reference", __name__, url_prefix="/payroll/reference")
LABELS = {"posts": POST_LABELS, "rates": RATE_LABELS, "bounds": BOUND_LABELS, "tax_kinds": tables.TAX_KINDS,
          "qualifications": HELD_QUALIFICATIONS, "ratings": RATINGS}


def _get(model: Any, object_id: int) -> Any:
    obj = db.session.get(model, object_id)
    if obj is None:
        raise NotFound("记录不存在。")
    return obj


def _render(template: str, **context: Any) -> str:
    return render_template(f"payroll/reference/{template}", labels=LABELS, **context)


@bp.route("/")
@login_required
def index():
    scales = db.session.execute(select(PayScale).order_by(PayScale.start.desc())).scalars().all()
    locked = {s.name: bool(services.scale_locked_months(s.name)) for s in scales}
    bounds = db.session.execute(
        select(ContributionBoundsRow).order_by(ContributionBoundsRow.start.desc())).scalars().all()
    rates = db.session.execute(select(RateVersion).order_by(RateVersion.start.desc())).scalars().all()
    taxes = db.session.execute(select(TaxTable).order_by(TaxTable.kind, TaxTable.start.desc())).scalars().all()
    return _render("index.html", scales=scales, locked=locked, bounds=bounds, rates=rates, taxes=taxes)


# Pay-scale versions.

@bp.route("/scales/<int:scale_id>")
@login_required
def scale(scale_id: int):
    s = _get(PayScale, scale_id)
    return _render("scale.html", scale=s, locked_months=services.scale_locked_months(s.name))


@bp.route("/scales/new", methods=["GET", "POST"])
@login_required
def scale_new():
    require_admin()
    form = NewScaleForm()
    latest = services.latest_scale()
    if request.method == "GET" and latest is not None:
        form.process(data={**services.scale_form_values(latest), "year": str(latest.start.year + 1)})
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            s = services.create_scale(form.year.data, form.raw())
        if work.ok:
            flash(f"已新建 {s.name} 版薪酬标准，自 {s.start} 起执行。", "success")
            return redirect(url_for("reference.scale", scale_id=s.id))
    return _render("scale_form.html", form=form, scale=None, latest=latest)


@bp.route("/scales/<int:scale_id>/edit", methods=["GET", "POST"])
@login_required
def scale_edit(scale_id: int):
    require_admin()
    s = _get(PayScale, scale_id)
    locked = services.scale_locked_months(s.name)
    if locked:
        flash(f"{s.name} 版标准已用于已锁定的工资月份（{locked[-1]:%Y-%m} 等），不能修改。"
              "如需调整标准，请新建一个版本（自下一年 1 月 1 日起执行）。", "danger")
        return redirect(url_for("reference.scale", scale_id=s.id))
    form = ScaleForm()
    if request.method == "GET":
        form.process(data={**services.scale_form_values(s), "fingerprint": services.fingerprint(s)})
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            changes = services.update_scale(s, form.raw(), form.fingerprint.data)
        if isinstance(work.error, Conflict):
            return _render("scale_form.html", form=form, scale=s, conflict=True), 409
        if work.ok:
            flash("已保存。" if changes else "没有需要保存的修改。", "success" if changes else "info")
            return redirect(url_for("reference.scale", scale_id=s.id))
    return _render("scale_form.html", form=form, scale=s)


# Contribution-year bounds.

@bp.route("/bounds/new", methods=["GET", "POST"])
@login_required
def bounds_new():
    require_admin()
    form = NewBoundsForm()
    latest = db.session.execute(
        select(ContributionBoundsRow).order_by(ContributionBoundsRow.start.desc()).limit(1)).scalar_one_or_none()
    if request.method == "GET" and latest is not None:
        form.process(data={**{f: str(getattr(latest, f)) for f in tables.BOUND_FIELDS},
                           "year": str(latest.start.year + 1)})
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            row = tables.create_bounds(form.year.data, form.raw())
        if work.ok:
            flash(f"已新增 {row.start.year} 年度缴费基数上下限（{row.start} 起）。", "success")
            return redirect(url_for("reference.index"))
    return _render("bounds_form.html", form=form, row=None)


def _edit(row, form, fields, update, template):
    """The edit page of a dated version: prefilled, saved unless someone saved in between."""
    if request.method == "GET":
        form.process(data={**{f: str(getattr(row, f)) for f in fields}, "fingerprint": services.fingerprint(row)})
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            changes = update(row, form.raw(), form.fingerprint.data)
        if isinstance(work.error, Conflict):
            return _render(template, form=form, row=row, conflict=True), 409
        if work.ok:
            flash("已保存。" if changes else "没有需要保存的修改。", "success" if changes else "info")
            return redirect(url_for("reference.index"))
    return _render(template, form=form, row=row)


@bp.route("/bounds/<int:row_id>/edit", methods=["GET", "POST"])
@login_required
def bounds_edit(row_id: int):
    require_admin()
    return _edit(_get(ContributionBoundsRow, row_id), BoundsForm(), tables.BOUND_FIELDS, tables.update_bounds,
                 "bounds_form.html")


# Contribution rates.

@bp.route("/rates/new", methods=["GET", "POST"])
@login_required
def rates_new():
    require_admin()
    form = NewRatesForm()
    latest = db.session.execute(
        select(RateVersion).order_by(RateVersion.start.desc()).limit(1)).scalar_one_or_none()
    if request.method == "GET" and latest is not None:
        form.process(data={f: str(getattr(latest, f)) for f in services.RATE_FIELDS})
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            row = tables.create_rates(form.start.data, form.raw())
        if work.ok:
            flash(f"已新增缴费费率，自 {row.start} 起执行。", "success")
            return redirect(url_for("reference.index"))
    return _render("rates_form.html", form=form, row=None)


@bp.route("/rates/<int:rate_id>/edit", methods=["GET", "POST"])
@login_required
def rates_edit(rate_id: int):
    require_admin()
    return _edit(_get(RateVersion, rate_id), RatesForm(), services.RATE_FIELDS, tables.update_rates,
                 "rates_form.html")


# Tax tables.

@bp.route("/tax/<int:table_id>")
@login_required
def tax_table(table_id: int):
    return _render("tax_table.html", table=_get(TaxTable, table_id))


@bp.route("/tax/new/<kind>", methods=["GET", "POST"])
@login_required
def tax_new(kind: str):
    require_admin()
    if kind not in tables.TAX_KINDS:
        raise NotFound("税率表类型不存在。")
    form = NewTaxTableForm()
    latest = db.session.execute(
        select(TaxTable).where(TaxTable.kind == kind).order_by(TaxTable.start.desc()).limit(1)
    ).scalar_one_or_none()
    if request.method == "GET" and latest is not None:
        form.fill(latest.brackets)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            table = tables.create_tax_table(kind, form.start.data, form.raw())
        if work.ok:
            flash(f"已新增{tables.TAX_KINDS[kind]}，自 {table.start} 起执行。", "success")
            return redirect(url_for("reference.tax_table", table_id=table.id))
    return _render("tax_form.html", form=form, table=None, kind=kind)


@bp.route("/tax/<int:table_id>/edit", methods=["GET", "POST"])
@login_required
def tax_edit(table_id: int):
    require_admin()
    table = _get(TaxTable, table_id)
    form = TaxTableForm()
    if request.method == "GET":
        form.fill(table.brackets)
        form.fingerprint.data = services.fingerprint(table)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            changes = tables.update_tax_table(table, form.raw(), form.fingerprint.data)
        if isinstance(work.error, Conflict):
            return _render("tax_form.html", form=form, table=table, kind=table.kind, conflict=True), 409
        if work.ok:
            flash("已保存。" if changes else "没有需要保存的修改。", "success" if changes else "info")
            return redirect(url_for("reference.tax_table", table_id=table.id))
    return _render("tax_form.html", form=form, table=table, kind=table.kind)
