"""`flask stats workforce --year Y [--district CODE] [--street CODE] [--json]`."""
from __future__ import annotations

import json

import click
from flask.cli import AppGroup
from sqlalchemy import select

from hr.core.db import db
from hr.core.errors import DomainError
from hr.core.timeutil import today
from hr.grades.services import SYSTEM
from hr.org.models import Street
from stats import service
from stats.figures import Report

stats_cli = AppGroup("stats", help="Workforce statistics (社区工作者队伍建设统计).")


def _lines(report: Report) -> list[str]:
    data = report.as_json()
    keys = ("headcount", "mean_age", "share_female", "share_college", "share_party", "share_qualified",
            "joiners", "leavers", "turnover", "mean_annual_gross", "full_year_paid_workers", "total_cost")
    out = [f"{report.scope} {report.year} (as of {report.on.isoformat()})"]
    out += [f"{k}: {data[k] if data[k] is not None else '-'}" for k in keys]
    out.append("by {}: ".format("street" if report.district_id else "district") + ", ".join(
        f"{u.name} {u.headcount}" for u in report.units))
    return out


@stats_cli.command("workforce")
@click.option("--year", type=int, default=None, help="calendar year (default: this year, figures as of today)")
@click.option("--district", "district_code", default=None, help="district code, e.g. 310109 (default: the city)")
@click.option("--street", "street_code", default=None, help="street/town code, within the district")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def workforce_cmd(year: int | None, district_code: str | None, street_code: str | None, as_json: bool) -> None:
    """Headcount, age, education, party, qualification, posts and grades, turnover, pay and
    mentoring of a year, for the city, a district or a street."""
    try:
        district_id = service.district_by_code(district_code).id if district_code else None
        street_id = None
        if street_code:
            street = db.session.execute(select(Street).where(Street.code == street_code)).unique().scalar_one_or_none()
            if street is None:
                raise click.ClickException(f"unknown street {street_code}")
            street_id = street.id
        report = service.workforce(year or today().year, SYSTEM, district_id, street_id)
    except DomainError as e:
        raise click.ClickException(e.message) from None
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False))
        return
    for line in _lines(report):
        click.echo(line)
