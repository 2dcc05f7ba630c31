"""Who acts: the signed-in user on the web and the API; on the command line the account named
with `--as NAME`, else the operating-system user, marked（命令行）, acting with the rights of
the city administrator account."""
from __future__ import annotations

import getpass
from typing import Any

from flask import has_request_context
from flask_login import current_user


def os_actor() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return f"{name}（命令行）"


class CommandLineActor:
    """The operating-system user at the command line: the rights of `account`, no account of
    its own (id None), named after the operating-system user."""

    def __init__(self, account: Any) -> None:
        self._account = account
        self.id = None
        self.username = os_actor()
        self.display_name = self.username

    def __getattr__(self, name: str) -> Any:
        return getattr(self._account, name)


def acting(user: Any = None) -> tuple[int | None, str]:
    """The account id (none without an account) and the name recorded for an action."""
    if user is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        user = current_user
    if user is None or not getattr(user, "username", ""):
        return None, os_actor()
    return getattr(user, "id", None), str(user.username)


def actor_name(user: Any = None) -> str:
    return acting(user)[1]
