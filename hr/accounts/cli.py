from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from hr.accounts import services
from hr.accounts.models import ROLES
from hr.core.db import db
from hr.core.errors import DomainError

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(list(ROLES)), required=True,
              help="admin 市级管理员, officer 区人事专员, auditor 只读审计")
@click.option("--district", "district_code", help="GB/T 2260 code of the district, e.g. 310109")
@click.option("--display-name", default="")
def create(name: str, role: str, district_code: str | None, display_name: str) -> None:
    """Create an account; the password is read from a prompt, or from stdin when piped."""
    if sys.stdin.isatty():
        password = click.prompt("密码", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = services.create_user(name, password, role, district_code, display_name)
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(e.message) from None
    click.echo(f"created {user.username} ({ROLES[user.role]}, {user.scope_label})")
