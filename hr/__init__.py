"""The people side: organisation, accounts and scope, staff register, grades, mentoring, audit."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def init_app(app: Flask) -> None:
    from hr import accounts, api, audit, backup, grades, help, home, mentoring, org, workers
    from hr.core import security, ui
    from hr.core.db import db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), compare_type=True)
    security.init_app(app)
    ui.init_app(app)
    audit.init_app(app)
    accounts.init_app(app)
    org.init_app(app)
    workers.init_app(app)
    grades.init_app(app)
    mentoring.init_app(app)
    home.init_app(app)
    help.init_app(app)
    api.init_app(app)
    backup.init_app(app)
