"""`flask payroll filings YYYY-MM --district CODE -o DIR`: every file of a locked month, one per
street/town and kind, acting as the city administrator account (audited like a download)."""
from __future__ import annotations

import click

from hr.core.db import db
from hr.core.errors import DomainError
from payroll.filings import services
from payroll.filings.data import find_locked_run
from payroll.runs.cli import cli_user, payroll_cli
from payroll.runs.services import parse_month


@payroll_cli.command("filings")
@click.argument("month")
@click.option("--district", "code", required=True, help="district code, e.g. 310109")
@click.option("-o", "--output", required=True, help="folder the files are written into")
@click.option("--all-staff", is_flag=True, help="人员信息采集 with every worker (go-live), not only the month's changes")
def filings_cmd(month: str, code: str, output: str, all_staff: bool) -> None:
    """Write the filings (申报与报送) of a locked month: tax client, social insurance, housing fund, bank."""
    try:
        m = parse_month(month)
    except DomainError as e:
        raise click.BadParameter(e.message, param_hint="MONTH") from None
    user = cli_user()
    try:
        run = find_locked_run(code, m, user)
        _month, files = services.month_files(run, user, all_staff=all_staff)
        with click.progressbar(length=max(len(files), 1), label=f"{run.district.name} {m:%Y-%m}") as bar:
            written = services.write_files(run, user, output, all_staff=all_staff, progress=bar.update)
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(e.message) from None
    for f, path in written:
        total = f"  {f.total_label} {f.total:.2f}" if f.total is not None else ""
        click.echo(f"{path.name}: {f.rows} 行{total}")
