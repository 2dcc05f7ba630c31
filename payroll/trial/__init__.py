from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from hr.core.ui import add_nav
    from payroll.runs.cli import payroll_cli
    from payroll.trial.views import bp, preview_cmd

    app.register_blueprint(bp)
    payroll_cli.add_command(preview_cmd)
    add_nav("trial.page", "工资试算")
