"""Backups of the whole database: `flask backup create` and `flask backup restore`."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from hr.backup.cli import backup_cli

    app.cli.add_command(backup_cli)
