from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy import select

from hr.accounts.models import User
from hr.core.db import db
from hr.core.errors import DomainError
from hr.org.models import District
from payroll.runs import services
from payroll.runs.models import PayrollRun

payroll_cli = AppGroup("payroll", help="Monthly payroll runs, documents and projections.")


def cli_user() -> User:
    """Batch commands act as the city administrator account `admin` (recorded in the audit log)."""
    user = db.session.execute(select(User).where(User.role == "admin").order_by(User.id)).scalars().first()
    if user is None:
        raise click.ClickException("no city administrator account: create one with `flask users create`")
    return user


def districts_for(code: str | None, all_: bool) -> list[District]:
    if all_ == bool(code):
        raise click.UsageError("give either --district CODE or --all")
    stmt = select(District).order_by(District.code)
    if code:
        stmt = stmt.where(District.code == code)
    found = list(db.session.execute(stmt).scalars())
    if not found:
        raise click.ClickException(f"unknown district {code}")
    return found


def _each(month_text: str, code: str | None, all_: bool, action: Callable[[PayrollRun, User], Any], verb: str) -> None:
    try:
        month = services.parse_month(month_text)
    except DomainError as e:
        raise click.BadParameter(e.message) from None
    user = cli_user()
    failures = 0
    for district in districts_for(code, all_):
        run = db.session.execute(
            select(PayrollRun).where(PayrollRun.district_id == district.id, PayrollRun.month == month)
        ).scalar_one_or_none()
        try:
            if run is None:
                raise DomainError("该月工资尚未计算")
            action(run, user)
            db.session.commit()
            click.echo(f"{district.name} {month:%Y-%m}: {verb}")
        except DomainError as e:
            db.session.rollback()
            failures += 1
            click.echo(f"{district.name} {month:%Y-%m}: refused: {e.message}", err=True)
    if failures:
        raise SystemExit(1)


@payroll_cli.command("run")
@click.argument("month")
@click.option("--district", "code")
@click.option("--all", "all_", is_flag=True, help="every district")
def run_cmd(month: str, code: str | None, all_: bool) -> None:
    """Calculate YYYY-MM for one district or all; each district is one transaction."""
    try:
        m = services.parse_month(month)
    except DomainError as e:
        raise click.BadParameter(e.message) from None
    user = cli_user()
    totals: dict[str, Any] = {"headcount": 0, "net": 0, "blocking": 0}
    failures = 0
    for district in districts_for(code, all_):
        try:
            run = services.get_or_create_run(district, m, user)
            with click.progressbar(length=max(1, _expected(district.id)), label=f"{district.name} {m:%Y-%m}") as bar:
                result = services.calculate_run(run, user, progress=bar.update)
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            failures += 1
            click.echo(f"{district.name} {m:%Y-%m}: refused: {e.message}", err=True)
            continue
        blocking = sum(1 for p in result["problems"] if p["blocking"])
        totals["headcount"] += run.headcount
        totals["net"] += run.net
        totals["blocking"] += blocking
        click.echo(f"{district.name} {m:%Y-%m}: {run.headcount} slips, gross {run.gross:,.2f}, "
                   f"net {run.net:,.2f}, blocking problems {blocking}")
    click.echo(f"total: {totals['headcount']} slips, net {totals['net']:,.2f}, blocking problems {totals['blocking']}"
               + (f", refused districts {failures}" if failures else ""))
    if failures:
        raise SystemExit(1)


def _expected(district_id: int) -> int:
    from sqlalchemy import func

    from hr.workers.models import Worker

    return int(db.session.execute(
        select(func.count(Worker.id)).where(Worker.district_id == district_id, Worker.status == "在职")
    ).scalar_one())


@payroll_cli.command("approve")
@click.argument("month")
@click.option("--district", "code")
@click.option("--all", "all_", is_flag=True)
def approve_cmd(month: str, code: str | None, all_: bool) -> None:
    """Approve calculated runs (refused while a blocking problem remains)."""
    _each(month, code, all_, services.approve_run, "approved")


@payroll_cli.command("lock")
@click.argument("month")
@click.option("--district", "code")
@click.option("--all", "all_", is_flag=True)
def lock_cmd(month: str, code: str | None, all_: bool) -> None:
    """Lock approved runs: a locked month never changes."""
    _each(month, code, all_, services.lock_run, "locked")
