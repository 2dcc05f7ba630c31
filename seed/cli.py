from __future__ import annotations

import random

import click
from flask.cli import AppGroup
from sqlalchemy import select

from hr.core.db import db
from hr.org.models import District
from seed.demo import generate
from seed.reference import load_all

seed_cli = AppGroup("seed", help="Reference data and the demo.")


def demo_steps() -> list:
    """What the demo adds after each district's workforce, in order: grades and rating
    histories, mentoring studios, payroll inputs and this year's payroll history."""
    from seed.demo.filings import seed_agents
    from seed.demo.grades import seed_grades
    from seed.demo.mentoring import seed_mentoring
    from seed.demo.payroll import seed_payroll

    return [seed_agents, seed_grades, seed_mentoring, seed_payroll]


@seed_cli.command("reference")
def reference() -> None:
    """Load the organisation tree and the pay reference data (adds only what is missing)."""
    counts = load_all()
    db.session.commit()
    click.echo("loaded: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@seed_cli.command("demo")
@click.option("--scale", type=click.Choice(["district", "city"]), default="district", show_default=True)
@click.option("--seed", "seed_value", type=int, default=2026, show_default=True)
@click.option("--district", "district_code", default=generate.DEMO_DISTRICT, show_default=True,
              help="the district generated at --scale district")
def demo(scale: str, seed_value: int, district_code: str) -> None:
    """Reference data, demo accounts and a generated workforce. Running it again adds nothing."""
    load_all()
    generate.ensure_accounts()
    db.session.commit()
    districts = db.session.execute(select(District).order_by(District.code)).scalars().all()
    if scale == "district":
        districts = [d for d in districts if d.code == district_code]
        if not districts:
            raise click.ClickException(f"unknown district {district_code}")
    for district in districts:
        if generate.district_has_workers(district):
            click.echo(f"{district.name}: already seeded")
            continue
        rng = random.Random(f"{seed_value}-{district.code}")
        with click.progressbar(length=len(district.streets) and sum(len(s.committees) for s in district.streets),
                               label=f"{district.name}") as bar:
            ids = generate.generate_district(district, rng, progress=lambda n: bar.update(1))
            for step in demo_steps():
                step(rng, ids, district)
        db.session.commit()
        click.echo(f"{district.name}: {len(ids)} workers")


@seed_cli.command("logins")
def logins() -> None:
    """Print the demo logins."""
    rows = generate.ensure_accounts()
    db.session.commit()
    click.echo("")
    click.echo(f"Demo logins (password: {generate.demo_password()})")
    for username, role, scope in rows:
        click.echo(f"  {username:<18} {role:<8} {scope}")
    click.echo("")
