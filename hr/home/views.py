from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from hr.accounts.scope import district_filter
from hr.audit.models import AuditEntry
from hr.core.db import db
from hr.core.timeutil import today
from hr.core.vocabulary import WORKER_STATUSES
from hr.home import pictures, todo
from hr.org.models import District, Street
from hr.workers.models import Worker

bp = Blueprint("home", __name__)

# Other modules add summary cards: callables returning (template, context) or None.
CARDS: list = []


@bp.route("/")
@login_required
def index():
    rows = db.session.execute(
        select(Street.id, Street.name, Worker.status, func.count(Worker.id))
        .join(Worker, Worker.street_id == Street.id)
        .where(district_filter(Worker.district_id))
        .group_by(Street.id, Street.name, Worker.status)
        .order_by(Street.id)
    ).all()
    streets: dict[int, dict] = {}
    totals = {s: 0 for s in WORKER_STATUSES}
    for sid, sname, status, n in rows:
        entry = streets.setdefault(sid, {"name": sname, **{s: 0 for s in WORKER_STATUSES}})
        entry[status] = n
        totals[status] += n
    recent = db.session.execute(
        select(AuditEntry).where(district_filter(AuditEntry.district_id), AuditEntry.action != "login")
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(12)
    ).scalars().all()
    cards = [c for c in (card() for card in CARDS) if c]
    districts = list(db.session.execute(
        select(District).where(district_filter(District.id)).order_by(District.code)).scalars())
    on = today()
    todos = todo.collect(districts, on, current_user.role) if districts else []
    charts = pictures.collect(districts, on) if districts else []
    return render_template("home/index.html", streets=streets, totals=totals, statuses=WORKER_STATUSES,
                           recent=recent, cards=cards, districts=districts, todos=todos, charts=charts,
                           city=len(districts) > 1 or current_user.district_id is None)
