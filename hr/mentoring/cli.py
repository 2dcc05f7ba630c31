from __future__ import annotations

from datetime import datetime
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy import select

from hr.accounts.models import User
from hr.core.db import db
from hr.core.errors import DomainError
from hr.grades.services import SYSTEM
from hr.mentoring import queries, services
from hr.org.models import District

mentoring_cli = AppGroup("mentoring", help="Excellent-secretary studios and mentoring pairings.")


def cli_user() -> Any:
    """Batch commands act as the first city administrator account (recorded in the audit log),
    or as the system when there is none yet."""
    return db.session.execute(select(User).where(User.role == "admin").order_by(User.id)).scalars().first() or SYSTEM


@mentoring_cli.command("suggest")
@click.argument("year", type=int)
@click.option("--district", "code", required=True, help="district code, e.g. 310109")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), help="start date (default: today in YEAR, else 1 January)")
@click.option("--accept", is_flag=True, help="create every proposed pairing (all or nothing)")
def suggest_cmd(year: int, code: str, start: datetime | None, accept: bool) -> None:
    """Print the suggested pairings of YEAR for a district: one line per pair (mentor, mentee,
    reason, tab-separated), then `pairs: N`."""
    district = db.session.execute(select(District).where(District.code == code)).scalar_one_or_none()
    if district is None:
        raise click.ClickException(f"unknown district {code}")
    on = start.date() if start else services.default_start(year)
    if on.year != year:
        raise click.BadParameter(f"the start date must lie in {year}", param_hint="--start")
    proposal = queries.proposal_for(district.id, year, on, services.limit())
    for p in proposal.pairs:
        click.echo(f"{p.mentor.name}（{p.studio_name}）\t{p.mentee.name}\t{p.reason}")
    if accept and proposal.pairs:
        choices = [services.Choice(p.mentee.id, p.mentor.id, p.studio_id) for p in proposal.pairs]
        try:
            made = services.accept(district.id, year, on, choices, cli_user())
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            raise click.ClickException(e.message) from None
        click.echo(f"accepted: {len(made)}")
    click.echo(f"pairs: {len(proposal.pairs)}")
