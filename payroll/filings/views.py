"""The 申报与报送 page of a locked month, its downloads, and the city administrator's pages
for withholding agents and bank formats. Views parse, call one service, commit once."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from hr.accounts.scope import require_admin
from hr.core.db import db
from hr.core.errors import DomainError
from hr.org.models import District
from hr.workers.views import download
from payroll.documents.data import get_run
from payroll.filings import agents, services
from payroll.filings.data import NotLocked, require_locked

bp = Blueprint("filings", __name__, url_prefix="/payroll/filings")


def _all_staff() -> bool:
    return request.args.get("all_staff") == "1"


@bp.route("/runs/<int:run_id>")
@login_required
def month(run_id: int):  # type: ignore[no-untyped-def]
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


def _send(run_id: int, build):  # type: ignore[no-untyped-def]
    run = get_run(run_id, current_user)
    try:
        require_locked(run)
        doc = build(run)
    except DomainError as e:
        db.session.rollback()
        if e.status in (403, 404):
            raise
        flash(e.message, "danger")
        return redirect(url_for("payroll.run", run_id=run.id))
    db.session.commit()
    return download(doc.content, doc.filename, doc.mimetype)


@bp.route("/runs/<int:run_id>/files/<key>")
@login_required
def file(run_id: int, key: str):  # type: ignore[no-untyped-def]
    return _send(run_id, lambda run: services.build_file(run, current_user, key, all_staff=_all_staff()))


@bp.route("/runs/<int:run_id>/all.zip")
@login_required
def bundle(run_id: int):  # type: ignore[no-untyped-def]
    return _send(run_id, lambda run: services.build_zip(run, current_user, all_staff=_all_staff()))


# City administrator: withholding agents and bank formats ------------------------------------
@bp.route("/agents")
@login_required
def agents_page():  # type: ignore[no-untyped-def]
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
def agent_save(street_id: int):  # type: ignore[no-untyped-def]
    require_admin()
    street = agents.get_street(street_id)
    try:
        agents.set_agent(street, request.form.get("tax_name", ""), request.form.get("credit_code", ""), current_user)
        db.session.commit()
        flash(f"已保存 {street.name} 的扣缴义务人信息。", "success")
    except DomainError as e:
        db.session.rollback()
        flash(f"{street.name}：{e.message}", "danger")
    return redirect(url_for("filings.agents_page", district=street.district.code))


@bp.route("/districts/<code>/bank-format", methods=["POST"])
@login_required
def bank_format_save(code: str):  # type: ignore[no-untyped-def]
    require_admin()
    district = db.session.execute(select(District).where(District.code == code)).scalar_one_or_none()
    if district is None:
        flash("区不存在。", "danger")
        return redirect(url_for("filings.agents_page"))
    try:
        fmt = services.choose_format(district, request.form.get("bank_format", ""), current_user)
        db.session.commit()
        flash(f"{district.name} 的银行代发格式已设为：{fmt.name}", "success")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "danger")
    return redirect(url_for("filings.agents_page", district=code))
