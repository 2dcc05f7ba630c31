from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from hr.accounts.scope import district_filter
from hr.audit import excel, queries
from hr.audit.names import OBJECT_NAMES, object_name
from hr.audit.services import ACTIONS, record
from hr.core.db import db
from hr.core.timeutil import today
from hr.core.ui import Page, fmt_date
from hr.org.models import District

bp = Blueprint("audit", __name__, url_prefix="/audit")
MAX_EXPORT = 50_000
FILTERS = ("from", "to", "district", "worker", "object", "action", "user")


def _args() -> dict[str, str]:
    return {k: request.args.get(k, "") for k in FILTERS}


def _districts() -> list[District]:
    return list(db.session.execute(
        select(District).where(district_filter(District.id)).order_by(District.code)
    ).scalars())


@bp.route("/")
@login_required
def index() -> str:
    args = _args()
    stmt = queries.filtered(args)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    page = Page.from_request(total)
    rows = db.session.execute(queries.ordered(stmt).limit(page.size).offset(page.offset)).scalars().all()
    return render_template("audit/index.html", rows=rows, page=page, args=args, actions=ACTIONS,
                           objects=OBJECT_NAMES, object_name=object_name, names=queries.worker_names(rows),
                           districts=_districts() if current_user.district_id is None else [])


@bp.route("/export.xlsx")
@login_required
def export() -> Any:
    """The filtered log as Excel, within the reader's scope; the export itself is logged."""
    from hr.workers.views import download

    args = _args()
    stmt = queries.filtered(args)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    if total > MAX_EXPORT:
        flash(f"符合条件的记录有 {total:,} 条，超过单次导出上限 {MAX_EXPORT:,} 条，请缩小日期范围。", "warning")
        filters: dict[str, Any] = {k: v for k, v in args.items() if v}
        return redirect(url_for("audit.index", **filters))
    entries = db.session.execute(queries.ordered(stmt)).scalars().all()
    names = queries.worker_names(entries)
    districts = dict(db.session.execute(select(District.id, District.name)).all())
    rows = [
        (fmt_date(e.at), e.username, ACTIONS.get(e.action, e.action), object_name(e.object_type),
         names.get(e.object_id or 0, "") if e.object_type == "worker" else "",
         districts.get(e.district_id or 0, "全市"), e.summary)
        for e in entries
    ]
    content = excel.workbook(rows)
    record("export", "audit_entry", None, district_id=current_user.district_id,
           summary=f"导出审计日志 {len(rows)} 条（{current_user.scope_label}）",
           changes={"filters": {k: v for k, v in args.items() if v}})
    db.session.commit()
    return download(content, f"审计日志_{current_user.scope_label}_{today().isoformat()}.xlsx")
