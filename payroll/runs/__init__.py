from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from hr.core.ui import add_nav
    from hr.core.vocabulary import POST_NAMES
    from hr.home.views import CARDS
    from hr.workers.panels import register
    from payroll.runs.card import payroll_card
    from payroll.runs.cli import payroll_cli
    from payroll.runs.panel import slips_panel
    from payroll.runs.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(payroll_cli)
    add_nav("payroll.runs", "工资发放")
    app.jinja_env.globals["post_name"] = lambda code: POST_NAMES.get(code, code)
    register(slips_panel)
    if payroll_card not in CARDS:
        CARDS.append(payroll_card)
