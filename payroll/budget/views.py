from __future__ import annotations

import json

import click
from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from hr.core.db import db
from hr.core.timeutil import today
from hr.org.models import District
from payroll.budget.service import project
from payroll.reference.models import PayScale

bp = Blueprint("budget", __name__, url_prefix="/payroll/budget")


@bp.route("/")
@login_required
def page():
    scales = list(db.session.execute(select(PayScale.name).order_by(PayScale.start)).scalars())
    try:
        year = int(request.args.get("year", today().year + 1))
    except ValueError:
        year = today().year + 1
    year = min(max(year, 2017), 2100)
    scale = request.args.get("scale") or None
    if scale not in scales:
        scale = None
    budget = project(year, scale, current_user.district_id)
    return render_template("payroll/budget.html", budget=budget, scales=scales, year=year, scale=scale)


@click.command("budget")
@click.option("--year", type=int, required=True)
@click.option("--scale", "scale", default=None, help="pay-scale version, e.g. 2017 (default: in force on 1 January)")
@click.option("--district", "code", default=None)
@click.option("--json", "as_json", is_flag=True)
def budget_cmd(year: int, scale: str | None, code: str | None, as_json: bool) -> None:
    """Standard annual pay and employer cost of the workers in service."""
    district_id = None
    if code:
        district = db.session.execute(select(District).where(District.code == code)).scalar_one_or_none()
        if district is None:
            raise click.ClickException(f"unknown district {code}")
        district_id = district.id
    try:
        b = project(year, scale, district_id)
    except LookupError as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps(b.as_json(), ensure_ascii=False))
        return
    click.echo(f"year {year}, scale {b.scale}")
    click.echo(f"headcount: {b.headcount}" + (f" (without post/grade: {b.ungraded})" if b.ungraded else ""))
    click.echo(f"total gross: {b.total_gross:,.2f}")
    click.echo(f"mean gross per worker: {b.mean_gross:,.2f}")
    click.echo(f"total employer cost: {b.total_employer_cost:,.2f}")
