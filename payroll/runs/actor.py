"""Who acts: the signed-in user on the web and the API; on the command line the account named
with `--as NAME`, else the operating-system user, marked（命令行）."""
from __future__ import annotations

import getpass
from contextvars import ContextVar
from typing import Any

from flask import has_request_context
from flask_login import current_user

# Set by a command run without --as: it acts with the administrator's rights, but in the
# name of the operating-system user.
_unnamed_cli: ContextVar[bool] = ContextVar("unnamed_cli", default=False)


def set_unnamed_cli(value: bool) -> None:
    """For the running command only: reset when its click context closes."""
    import click

    token = _unnamed_cli.set(value)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(lambda: _unnamed_cli.reset(token))


def os_actor() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return f"{name}（命令行）"


def acting(user: Any = None) -> tuple[int | None, str]:
    """The account id (none without an account) and the name recorded for an action."""
    if _unnamed_cli.get() and not has_request_context():
        return None, os_actor()
    if user is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        user = current_user
    if user is None or not getattr(user, "username", ""):
        return None, os_actor()
    return getattr(user, "id", None), str(user.username)


def actor_name(user: Any = None) -> str:
    return acting(user)[1]
