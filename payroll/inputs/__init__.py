"""Per-worker payroll inputs: special additional deductions, contribution-base overrides,
housing-fund choices, yearly tax options and 补发/补扣 adjustments, by page and by Excel."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from hr.core.ui import add_nav
    from hr.workers.panels import register
    from payroll.inputs.panel import inputs_panel
    from payroll.inputs.views import bp

    app.register_blueprint(bp)
    add_nav("inputs.index", "薪酬录入")
    register(inputs_panel)
