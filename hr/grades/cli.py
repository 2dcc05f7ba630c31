from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from hr.core.db import db
from hr.core.errors import DomainError
from hr.grades import promotion, rules
from hr.grades.services import add_promotions
from hr.org.models import District

grades_cli = AppGroup("grades", help="Posts, grades and the annual promotion run.")


@grades_cli.command("promote")
@click.argument("year", type=click.IntRange(1981, 2200))
@click.option("--district", "district_code", required=True, help="GB/T 2260 code of the district, e.g. 310109")
@click.option("--approve", is_flag=True, help="write every approvable rise (effective YEAR-01-01)")
def promote(year: int, district_code: str, approve: bool) -> None:
    """Propose (and with --approve, approve) the promotions of 1 January YEAR in one district."""
    district = db.session.execute(select(District).where(District.code == district_code)).scalar_one_or_none()
    if district is None:
        raise click.ClickException(f"unknown district {district_code}")
    total = db.session.execute(
        select(func.count()).select_from(promotion.run_workers(district.id, year).subquery())).scalar_one()
    with click.progressbar(length=total, label=f"{district.name} {year}") as bar:
        lines = promotion.compute(district.id, year, progress=bar.update)
    counts = promotion.summary(lines)
    for kind, name in rules.KIND_NAMES.items():
        if counts[kind]:
            click.echo(f"  {name}: {counts[kind]}")
    rises = [line for line in lines if line.approvable]
    blocked = sum(1 for line in lines if line.proposal.rises and not line.approvable)
    if blocked:
        click.echo(f"  not approvable (entries after {year}-01-01): {blocked}")
    approved = 0
    if approve and rises:
        try:
            approved = add_promotions([(x.worker_id, x.district_id, x.proposal) for x in rises], year)
            db.session.commit()
        except (DomainError, IntegrityError) as e:
            db.session.rollback()
            raise click.ClickException(f"nothing approved: {getattr(e, 'message', e)}") from None
    click.echo(f"proposals: {len(rises)}, approved: {approved}")
