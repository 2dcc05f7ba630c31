"""`flask payroll export|slips|approval`: the payroll documents from the command line, acting
as the city administrator account (recorded in the audit log like any export or print)."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click
from sqlalchemy import select

from hr.core.db import db
from hr.core.errors import DomainError
from hr.org.models import Committee, District, Street
from hr.workers.idcard import mask, normalise
from hr.workers.models import Worker
from payroll.documents import data, services
from payroll.runs.cli import cli_user, districts_for, payroll_cli
from payroll.runs.models import Payslip
from payroll.runs.services import parse_month


def _month(text: str) -> date:
    try:
        return parse_month(text)
    except DomainError as e:
        raise click.BadParameter(e.message, param_hint="MONTH") from None


def _write(path: str | Path, content: bytes) -> None:
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(content)
    os.replace(tmp, path)


@payroll_cli.command("export")
@click.argument("month")
@click.option("--district", "code", help="district code, e.g. 310109")
@click.option("--all", "all_", is_flag=True, help="every district: -o is then a folder, one workbook per district")
@click.option("-o", "--output", required=True, help="FILE.xlsx (or a folder with --all)")
def export_cmd(month: str, code: str | None, all_: bool, output: str) -> None:
    """Write the payroll workbook (工资表) of YYYY-MM."""
    m = _month(month)
    user = cli_user()
    failures = 0
    for district in districts_for(code, all_):
        try:
            run = data.find_run(district.code, m, user)
            with click.progressbar(length=max(run.headcount, 1), label=f"{district.name} {m:%Y-%m}") as bar:
                doc = services.export_payroll(run, user, bar.update)
            path = Path(output) / doc.filename if all_ else Path(output)
            _write(path, doc.content)
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            failures += 1
            click.echo(f"{district.name} {m:%Y-%m}: refused: {e.message}", err=True)
            continue
        click.echo(f"{district.name} {m:%Y-%m}: {doc.count} rows -> {path}")
    if failures:
        raise SystemExit(1)


def _district(code: str) -> District:
    found = db.session.execute(select(District).where(District.code == code)).scalar_one_or_none()
    if found is None:
        raise click.ClickException(f"unknown district {code}")
    return found


@payroll_cli.command("slips")
@click.argument("month")
@click.option("--district", "code", required=True, help="district code, e.g. 310109")
@click.option("--street", "street_code", help="only this street/town (code)")
@click.option("--committee", "committee_code", help="only this committee (code)")
@click.option("--worker", "id_number", help="only this worker (ID number)")
@click.option("-o", "--output", required=True, help="FILE.pdf")
def slips_cmd(month: str, code: str, street_code: str | None, committee_code: str | None,
              id_number: str | None, output: str) -> None:
    """Print the salary slips (工资条) of YYYY-MM as PDF, three to an A4 page."""
    m = _month(month)
    user = cli_user()
    district = _district(code)
    street_id = committee_id = None
    slip_ids = None
    label = None
    if street_code:
        street = db.session.execute(
            select(Street).where(Street.code == street_code, Street.district_id == district.id)).scalar_one_or_none()
        if street is None:
            raise click.ClickException(f"no street {street_code} in {district.name}")
        street_id = street.id
    if committee_code:
        committee = db.session.execute(
            select(Committee).join(Street).where(Committee.code == committee_code, Street.district_id == district.id)
        ).unique().scalar_one_or_none()
        if committee is None:
            raise click.ClickException(f"no committee {committee_code} in {district.name}")
        committee_id = committee.id
    try:
        run = data.find_run(district.code, m, user)
        data.require_slips(run)
        if id_number:
            worker = db.session.execute(
                select(Worker).where(Worker.id_number == normalise(id_number), Worker.district_id == district.id)
            ).unique().scalar_one_or_none()
            if worker is None:
                raise click.ClickException(f"no worker {mask(normalise(id_number))} in {district.name}")
            slip_ids = list(db.session.execute(
                select(Payslip.id).where(Payslip.run_id == run.id, Payslip.worker_id == worker.id)).scalars())
            if not slip_ids:
                raise click.ClickException(
                    f"{worker.name} ({mask(worker.id_number)}) has no payslip in {m:%Y-%m} "
                    f"（{worker.name} {m.year}年{m.month:02d}月没有工资条）")
            label = worker.name
        total = len(slip_ids) if slip_ids is not None else data.count_slips(run, user, street_id, committee_id)
        if not total:
            raise click.ClickException(f"no payslips for this selection in {m:%Y-%m}（所选范围该月没有工资条）")
        with click.progressbar(length=total, label=f"{district.name} {m:%Y-%m} slips") as bar:
            doc = services.print_slips(run, user, street_id=street_id, committee_id=committee_id,
                                       slip_ids=slip_ids, progress=bar.update, label=label)
        _write(output, doc.content)
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(e.message) from None
    click.echo(f"{district.name} {m:%Y-%m}: {doc.count} slips -> {output}")


@payroll_cli.command("approval")
@click.argument("month")
@click.option("--district", "code", required=True, help="district code, e.g. 310109")
@click.option("-o", "--output", required=True, help="FILE.pdf")
def approval_cmd(month: str, code: str, output: str) -> None:
    """Print the approval sheet (工资发放审批表) of YYYY-MM as PDF."""
    m = _month(month)
    user = cli_user()
    try:
        run = data.find_run(_district(code).code, m, user)
        doc = services.print_approval(run, user)
        _write(output, doc.content)
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(e.message) from None
    click.echo(f"{run.district.name} {m:%Y-%m}: approval sheet -> {output}")
