from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from hr.core.ui import add_nav
    from payroll.budget.views import bp, budget_cmd
    from payroll.runs.cli import payroll_cli

    app.register_blueprint(bp)
    payroll_cli.add_command(budget_cmd)
    add_nav("budget.page", "预算测算")
