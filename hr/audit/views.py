from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required
from sqlalchemy import func, select

from hr.accounts.scope import district_filter
from hr.audit.models import AuditEntry
from hr.audit.services import ACTIONS
from hr.core.db import db
from hr.core.ui import Page

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/")
@login_required
def index():
    stmt = select(AuditEntry).where(district_filter(AuditEntry.district_id))
    action = request.args.get("action", "")
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    user = request.args.get("user", "").strip()
    if user:
        stmt = stmt.where(AuditEntry.username == user)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    page = Page.from_request(total)
    rows = db.session.execute(
        stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(page.size).offset(page.offset)
    ).scalars().all()
    return render_template("audit/index.html", rows=rows, page=page, action=action, user=user, actions=ACTIONS)
