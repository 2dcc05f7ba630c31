from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import func, select

from hr.accounts.scope import district_filter, in_scope, require_admin
from hr.core.db import db
from hr.core.unit_of_work import unit_of_work
from hr.org import services
from hr.org.forms import CommitteeForm, RenameForm, StreetForm
from hr.org.models import Committee, District, Street

bp = Blueprint("org", __name__, url_prefix="/org")


@bp.route("/")
@login_required
def index():
    # The tree's scope is the API's: a district's users see their district, city users all.
    districts = db.session.execute(
        select(District).where(district_filter(District.id)).order_by(District.code)).scalars().all()
    streets = services.street_counts()
    committees = dict(db.session.execute(
        select(Street.district_id, func.count(Committee.id)).join(Committee).group_by(Street.district_id)
    ).all())
    return render_template("org/index.html", districts=districts, streets=streets, committees=committees)


@bp.route("/district/<code>", methods=["GET", "POST"])
@login_required
def district(code: str):
    d = db.session.execute(
        select(District).where(District.code == code, district_filter(District.id))).scalar_one_or_none() or abort(404)
    form = StreetForm()
    if request.method == "POST":
        require_admin()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            street = services.add_street(d, form.name.data or "", form.kind.data or "")
        if work.ok:
            flash(f"已新增街镇 {street.name}。", "success")
            return redirect(url_for("org.district", code=code))
    counts = dict(db.session.execute(
        select(Committee.street_id, func.count()).join(Street).where(Street.district_id == d.id).group_by(Committee.street_id)
    ).all())
    return render_template("org/district.html", district=d, form=form, counts=counts)


@bp.route("/street/<int:street_id>", methods=["GET", "POST"])
@login_required
def street(street_id: int):
    s = db.session.get(Street, street_id)
    if s is None or not in_scope(s.district_id):
        abort(404)
    form = CommitteeForm(prefix="c")
    rename = RenameForm(prefix="r", name=s.name)
    if request.method == "POST":
        require_admin()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            c = services.add_committee(s, form.name.data or "", form.kind.data or "")
        if work.ok:
            flash(f"已新增 {c.name}。", "success")
            return redirect(url_for("org.street", street_id=s.id))
    return render_template("org/street.html", street=s, form=form, rename=rename)


@bp.route("/street/<int:street_id>/rename", methods=["POST"])
@login_required
def street_rename(street_id: int):
    require_admin()
    s = db.session.get(Street, street_id) or abort(404)
    form = RenameForm(prefix="r")
    if form.validate_on_submit():
        with unit_of_work() as work:
            services.rename_street(s, form.name.data or "")
        if work.ok:
            flash("街镇名称已修改。", "success")
    else:
        flash("；".join(sum(form.errors.values(), [])) or "输入有误", "danger")
    return redirect(url_for("org.street", street_id=street_id))


@bp.route("/committee/<int:committee_id>/rename", methods=["POST"])
@login_required
def committee_rename(committee_id: int):
    require_admin()
    c = db.session.get(Committee, committee_id) or abort(404)
    form = RenameForm(prefix=f"k{c.id}")
    if form.validate_on_submit():
        with unit_of_work() as work:
            services.rename_committee(c, form.name.data or "")
        if work.ok:
            flash("居村委名称已修改。", "success")
    else:
        flash("；".join(sum(form.errors.values(), [])) or "输入有误", "danger")
    return redirect(url_for("org.street", street_id=c.street_id))
