"""The statistics page, its PDF report and its workbook. Every figure passes through the
service's scope check: an officer's page, report and workbook hold only their district."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from hr.core.db import db
from hr.core.errors import ValidationError
from hr.core.timeutil import today
from hr.org.models import Street
from hr.workers.views import download
from stats import documents, pictures, service, tables

bp = Blueprint("stats", __name__, url_prefix="/stats")


def _int_arg(name: str, label: str) -> int | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise ValidationError(f"{label}须为整数。", name)
    return int(raw)


def _params() -> tuple[int, int | None, int | None]:
    year = _int_arg("year", "年度") or today().year
    service.check_year(year)
    return year, _int_arg("district_id", "区"), _int_arg("street_id", "街镇")


@bp.route("/workforce")
@login_required
def workforce() -> ResponseReturnValue:
    try:
        year, district_id, street_id = _params()
    except ValidationError as e:
        flash(e.message, "danger")
        year, district_id, street_id = today().year, None, None
    report = service.workforce(year, current_user, district_id, street_id)
    districts, own = service.choices(current_user)
    streets: list[Any] = []
    if report.district_id is not None:
        streets = list(db.session.execute(select(Street).where(Street.district_id == report.district_id)
                                          .order_by(Street.code)).unique().scalars())
    args = {k: v for k, v in (("year", year), ("district_id", report.district_id), ("street_id", report.street_id))
            if v is not None}
    return render_template("stats/workforce.html", report=report, charts=pictures.charts(report),
                           tables=tables.all_tables(report), fmt=tables.fmt, districts=districts, own=own,
                           streets=streets, years=list(range(today().year, service.FIRST_YEAR - 1, -1)), args=args)


@bp.route("/workforce.pdf")
@login_required
def workforce_pdf() -> ResponseReturnValue:
    year, district_id, street_id = _params()
    doc = documents.report_pdf(service.workforce(year, current_user, district_id, street_id), current_user)
    db.session.commit()
    return download(doc.content, doc.filename, doc.mimetype)


@bp.route("/workforce.xlsx")
@login_required
def workforce_xlsx() -> ResponseReturnValue:
    year, district_id, street_id = _params()
    doc = documents.report_xlsx(service.workforce(year, current_user, district_id, street_id), current_user)
    db.session.commit()
    return download(doc.content, doc.filename, doc.mimetype)
