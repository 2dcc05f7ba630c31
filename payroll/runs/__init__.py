from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    import os

    from hr.core.ui import add_nav
    from hr.core.vocabulary import POST_NAMES
    from hr.home.pictures import CHARTS
    from hr.home.todo import PROVIDERS
    from hr.home.views import CARDS
    from hr.workers.panels import register
    from payroll.runs.card import payroll_card
    from payroll.runs.changes import install
    from payroll.runs.cli import payroll_cli
    from payroll.runs.panel import slips_panel
    from payroll.runs.pictures import payroll_charts
    from payroll.runs.todo import payroll_todos
    from payroll.runs.views import bp

    # `flask payroll run --all` prices districts side by side in this many processes.
    app.config.setdefault("PAYROLL_PROCESSES", min(2, os.cpu_count() or 1))
    install()  # the pay change log behind stale runs and corrections
    app.register_blueprint(bp)
    app.cli.add_command(payroll_cli)
    add_nav("payroll.runs", "工资发放")
    app.jinja_env.globals["post_name"] = lambda code: POST_NAMES.get(code, code)
    register(slips_panel)
    if payroll_card not in CARDS:
        CARDS.append(payroll_card)
    if payroll_todos not in PROVIDERS:
        PROVIDERS.append(payroll_todos)
    if payroll_charts not in CHARTS:
        CHARTS.append(payroll_charts)
