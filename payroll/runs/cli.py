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
from payroll.runs.actor import CommandLineActor
from payroll.runs.models import PayrollRun

payroll_cli = AppGroup("payroll", help="Monthly payroll runs, documents and projections.")


def cli_user() -> User:
    """Batch commands act as the city administrator account `admin` (recorded in the audit log)."""
    user = db.session.execute(select(User).where(User.role == "admin").order_by(User.id)).scalars().first()
    if user is None:
        raise click.ClickException("no city administrator account: create one with `flask users create`")
    return user


def run_actor(name: str | None) -> Any:
    """Who calculates, approves or locks from the command line: the account `--as NAME`, else
    the operating-system user with the administrator's rights (named“<user>（命令行）”)."""
    if name:
        user = db.session.execute(select(User).where(User.username == name.strip().lower())).scalar_one_or_none()
        if user is None or not user.active:
            raise click.ClickException(f"no active account {name}")
        return user
    return CommandLineActor(cli_user())


AS_OPTION = click.option("--as", "as_name", metavar="NAME", help="the account acting (default: the OS user)")


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


def _each(month_text: str, code: str | None, all_: bool, action: Callable[[PayrollRun, User], Any], verb: str,
          as_name: str | None = None) -> None:
    try:
        month = services.parse_month(month_text)
    except DomainError as e:
        raise click.BadParameter(e.message) from None
    user = run_actor(as_name)
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
@click.option("--processes", type=click.IntRange(1, 16), default=None,
              help="price districts in this many worker processes (default: the PAYROLL_PROCESSES setting, "
                   "2 on a machine with two or more cores)")
@AS_OPTION
def run_cmd(month: str, code: str | None, all_: bool, processes: int | None, as_name: str | None) -> None:
    """Calculate YYYY-MM for one district or all; each district is one transaction."""
    try:
        m = services.parse_month(month)
    except DomainError as e:
        raise click.BadParameter(e.message) from None
    user = run_actor(as_name)
    districts = districts_for(code, all_)
    if processes is None:
        from flask import current_app

        processes = int(current_app.config["PAYROLL_PROCESSES"])
    if processes > 1 and len(districts) > 1:
        _run_parallel(m, districts, processes, as_name)
        return
    totals: dict[str, Any] = {"headcount": 0, "net": 0, "blocking": 0}
    failures = 0
    for district in districts:
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
@AS_OPTION
def approve_cmd(month: str, code: str | None, all_: bool, as_name: str | None) -> None:
    """Approve calculated runs (refused while a blocking problem remains, while the run is stale,
    before the month before is locked, or by whoever calculated it)."""
    _each(month, code, all_, services.approve_run, "approved", as_name)


@payroll_cli.command("lock")
@click.argument("month")
@click.option("--district", "code")
@click.option("--all", "all_", is_flag=True)
@AS_OPTION
def lock_cmd(month: str, code: str | None, all_: bool, as_name: str | None) -> None:
    """Lock approved runs: a locked month never changes."""
    _each(month, code, all_, services.lock_run, "locked", as_name)


# --- districts priced in worker processes ----------------------------------------------------
# Districts are independent (each its own employer streets, its own run and transaction), so
# they can be calculated side by side. Each worker process builds its own application and
# database connection; the largest districts go first so that the processes finish together.

_worker_app: Any = None


def _init_worker(config: dict[str, Any]) -> None:
    global _worker_app
    from wsgi import create_app

    _worker_app = create_app(config)


def _calculate_district(job: tuple[int, str, str | None]) -> dict[str, Any]:
    district_id, month_text, as_name = job
    with _worker_app.app_context():
        try:
            district = db.session.get(District, district_id)
            assert district is not None  # the ids come from districts_for
            name = district.name
            user = run_actor(as_name)
            try:
                run = services.get_or_create_run(district, services.parse_month(month_text), user)
                db.session.commit()  # the empty draft run: a short write, so that pricing holds no lock
                result = services.calculate_run(run, user)
                db.session.commit()
            except DomainError as e:
                db.session.rollback()
                return {"name": name, "error": e.message}
            return {"name": name, "headcount": run.headcount, "gross": run.gross, "net": run.net,
                    "blocking": sum(1 for p in result["problems"] if p["blocking"])}
        finally:
            db.session.remove()


def _run_parallel(month: Any, districts: list[District], processes: int, as_name: str | None) -> None:
    import multiprocessing

    from flask import current_app
    from sqlalchemy import func

    from hr.workers.models import Worker

    sizes = dict(db.session.execute(select(Worker.district_id, func.count(Worker.id)).group_by(Worker.district_id)).all())
    jobs = [(d.id, f"{month:%Y-%m}", as_name) for d in sorted(districts, key=lambda d: -sizes.get(d.id, 0))]
    config = {"SQLALCHEMY_DATABASE_URI": current_app.config["SQLALCHEMY_DATABASE_URI"]}
    db.session.remove()
    # Forked workers start with the application's modules already imported (a spawned one
    # spends over a second importing them again); no database connection is inherited: the
    # pool is emptied first and each worker builds its own application and engine.
    db.engine.dispose()
    totals: dict[str, Any] = {"headcount": 0, "net": 0, "blocking": 0}
    failures = 0
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(min(processes, len(jobs)), initializer=_init_worker, initargs=(config,)) as pool, \
            click.progressbar(length=len(jobs), label=f"{month:%Y-%m} ({processes} processes)") as bar:
        for done in pool.imap_unordered(_calculate_district, jobs):
            bar.update(1)
            if "error" in done:
                failures += 1
                click.echo(f"\n{done['name']} {month:%Y-%m}: refused: {done['error']}", err=True)
                continue
            totals["headcount"] += done["headcount"]
            totals["net"] += done["net"]
            totals["blocking"] += done["blocking"]
            click.echo(f"\n{done['name']} {month:%Y-%m}: {done['headcount']} slips, gross {done['gross']:,.2f}, "
                       f"net {done['net']:,.2f}, blocking problems {done['blocking']}")
    click.echo(f"total: {totals['headcount']} slips, net {totals['net']:,.2f}, blocking problems {totals['blocking']}"
               + (f", refused districts {failures}" if failures else ""))
    if failures:
        raise SystemExit(1)
