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
# The role is checked by the service, so that a wrong one is refused in Chinese like the rest.
@click.option("--role", required=True, help="admin 市级管理员, officer 区人事专员, reviewer 区审核, auditor 只读审计")
@click.option("--district", "district_code", help="GB/T 2260 code of the district, e.g. 310109")
@click.option("--display-name", default="")
def create(name: str, role: str, district_code: str | None, display_name: str) -> None:
    """Create an account; the password is read from a prompt, or from stdin when piped."""
    if sys.stdin.isatty():
        password = click.prompt("密码", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = services.create_user(name, password, role, district_code, display_name)
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(e.message) from None
    click.echo(f"created {user.username} ({ROLES[user.role]}, {user.scope_label})")


@users_cli.command("token")
@click.argument("name")
@click.option("--days", type=int, default=None, help="days of validity (default 90, at most 365)")
@click.option("--label", default="命令行创建", help="what the token is for")
def token(name: str, days: int | None, label: str) -> None:
    """Create a personal API token for the account NAME; it is printed once, never again."""
    from sqlalchemy import select

    from hr.accounts.models import User
    from hr.accounts.tokens import create_token

    user = db.session.execute(select(User).where(User.username == name.strip().lower())).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"用户 {name} 不存在")
    try:
        created = create_token(user, label, days)
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(e.message) from None
    t = created.token
    click.echo(f"token for {user.username} ({ROLES[user.role]}, {user.scope_label}), "
               f"expires {t.expires_at:%Y-%m-%d %H:%M} UTC:", err=True)
    click.echo(created.secret)
