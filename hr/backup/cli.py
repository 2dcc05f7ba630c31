"""`flask backup create [-o FILE]` and `flask backup restore FILE [--yes]`."""
from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import AppGroup

from hr.backup import services
from hr.core.db import db

backup_cli = AppGroup("backup", help="Back up and restore the whole database.")


def _uri() -> str:
    return str(current_app.config["SQLALCHEMY_DATABASE_URI"])


@backup_cli.command("create")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="backup file (default: instance/backups/shequ-YYYYMMDD-HHMMSS.sqlite3 or .dump)")
def create_cmd(output: str | None) -> None:
    """Back up the database while the application runs (a consistent snapshot)."""
    uri = _uri()
    try:
        target = output or services.default_path(os.path.join(current_app.instance_path, "backups"), uri)
        info = services.create_backup(uri, target)
    except services.BackupError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"backup written: {info.path} ({services.KINDS[info.kind]}, {info.size:,} bytes)")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
def restore_cmd(file: str, yes: bool) -> None:
    """Replace the whole database with a backup. Stop the application first."""
    uri = _uri()
    try:
        kind = services.check_backup(file, uri)
    except services.BackupError as e:
        raise click.ClickException(str(e)) from None
    target = db.engine.url.render_as_string(hide_password=True)
    if not yes:
        click.confirm(
            f"用 {file}（{services.KINDS[kind]}）覆盖数据库 {target} 的全部数据？此操作不可撤销",
            abort=True,
        )
    db.session.remove()
    db.engine.dispose()
    try:
        services.restore_backup(file, uri)
    except services.BackupError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"restored {file} into {target}")
