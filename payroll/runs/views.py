from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from hr.accounts.scope import district_filter, require_approve, require_write
from hr.core.db import db
from hr.core.timeutil import today
from hr.core.ui import Page
from hr.core.unit_of_work import unit_of_work
from hr.org.models import Committee, District
from payroll.runs import approval, changes, permissions, problems, queries, services
from payroll.runs.forms import NewRunForm
from payroll.runs.models import PayrollRun, Payslip
from payroll.runs.transitions import ACTIONS, allowed

bp = Blueprint("payroll", __name__, url_prefix="/payroll")


def _districts() -> list[District]:
    return list(db.session.execute(
        select(District).where(district_filter(District.id)).order_by(District.code)).scalars())


@bp.route("/")
@login_required
def runs():
    form = NewRunForm(month=f"{today():%Y-%m}")
    form.district.choices = [(d.code, d.name) for d in _districts()]
    # An officer's district offers its next month; only a district not yet in the system
    # chooses its first month freely.
    next_month = services.next_month(current_user.district_id) if current_user.district_id else None
    return render_template("payroll/runs.html", runs=queries.runs_in_scope(), form=form, next_month=next_month,
                           month_name=services.month_name)


@bp.route("/runs", methods=["POST"])
@login_required
def run_create():
    require_write(current_user.district_id)  # a read-only account is refused before the form is read
    form = NewRunForm()
    form.district.choices = [(d.code, d.name) for d in _districts()]
    if not form.validate_on_submit():
        flash("；".join(sum(form.errors.values(), [])), "danger")
        return redirect(url_for("payroll.runs"))
    code = form.district.data if current_user.district_id is None else current_user.district.code
    district = db.session.execute(select(District).where(District.code == code)).scalar_one_or_none()
    if district is None:
        abort(404)
    require_write(district.id)
    with unit_of_work(show=False) as work:
        run = services.get_or_create_run(district, services.parse_month(form.month.data or ""))
        if run.status == "draft":
            services.calculate_run(run)
    if work.error is not None:
        flash(work.error.message, "danger")
        return redirect(url_for("payroll.runs"))
    return redirect(url_for("payroll.run", run_id=run.id))


@bp.route("/runs/<int:run_id>")
@login_required
def run(run_id: int):
    r = queries.get_run(run_id)
    streets = queries.street_totals(r)
    stmt = select(Payslip).where(Payslip.run_id == r.id, district_filter(Payslip.district_id))
    street = request.args.get("street", "")
    if street.isdigit():
        stmt = stmt.where(Payslip.street_id == int(street))
    q = request.args.get("q", "").strip()
    if q:
        stmt = stmt.where(or_(Payslip.name.like(f"%{q}%"),
                              Payslip.committee_id.in_(select(Committee.id).where(Committee.name.like(f"%{q}%")))))
    view = request.args.get("view", "")
    if view == "changed":
        stmt = stmt.where(Payslip.change != 0)
    elif view == "adjusted":
        stmt = stmt.where(Payslip.adjustments != 0)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    page = Page.from_request(total)
    slips = db.session.execute(
        stmt.order_by(Payslip.street_id, Payslip.committee_id, Payslip.name).limit(page.size).offset(page.offset)
    ).scalars().all()
    committees = {c.id: c.name for c in db.session.execute(
        select(Committee).where(Committee.id.in_({s.committee_id for s in slips}))).unique().scalars()}
    retro = db.session.execute(
        select(Payslip).where(Payslip.run_id == r.id, Payslip.adjustments != 0).order_by(Payslip.name).limit(300)
    ).scalars().all()
    actions = [(a, ACTIONS[a]) for a in allowed(r.status) if permissions.may(current_user, a)]
    return render_template("payroll/run.html", run=r, streets=streets, slips=slips, page=page,
                           committees=committees, retro=retro, actions=actions, args=request.args,
                           problem_groups=problems.grouped(r), stale=changes.changes_since(r))


@bp.route("/runs/<int:run_id>/approve")
@login_required
def run_approve_page(run_id: int):
    """What the approver signs; the confirm button posts to the approve action."""
    r = queries.get_run(run_id)
    require_approve(r.district_id)
    return render_template("payroll/approve.html", run=r, s=approval.summary(r), stale=changes.changes_since(r))


@bp.route("/runs/<int:run_id>/<action>", methods=["POST"])
@login_required
def run_action(run_id: int, action: str):
    r = queries.get_run(run_id)
    handlers: dict[str, Callable[[PayrollRun], object]] = {"calculate": services.calculate_run, "approve": services.approve_run,
                "reopen": services.reopen_run, "lock": services.lock_run}
    if action not in handlers:
        abort(404)
    if action in permissions.APPROVAL_ACTIONS:
        require_approve(r.district_id)
    else:
        require_write(r.district_id)
    with unit_of_work(show=False) as work:
        handlers[action](r)
    if work.error is not None:
        flash(work.error.message, "danger")
    else:
        flash(f"已{ACTIONS[action]}。", "success")
    return redirect(url_for("payroll.run", run_id=run_id))


@bp.route("/slips/<int:slip_id>")
@login_required
def slip(slip_id: int):
    s = queries.get_slip(slip_id)
    committee = db.session.get(Committee, s.committee_id)
    return render_template("payroll/slip.html", slip=s, committee=committee)
