"""The payroll part of the JSON API (/api/v1/payroll/...): runs, payslips, inputs and the trial
calculation, on a blueprint of its own made by hr.api (the dependency points hr ← payroll)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from hr.api import blueprint

if TYPE_CHECKING:
    from flask import Flask

bp = blueprint("payroll_api", __name__)


def init_app(app: Flask) -> None:
    from payroll.api import inputs, payslips, runs, trial  # noqa: F401  (routes on bp)

    app.register_blueprint(bp)
