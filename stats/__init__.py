"""Workforce statistics (社区工作者队伍建设统计): the register's and the slips' figures for a year,
for the city, a district or a street, as a page with charts, a PDF report, an Excel workbook,
`flask stats workforce` and `GET /api/v1/stats/workforce`.

A package of its own because it reads both sides: the register, grades and mentoring (`hr`) and
the slips (`payroll`). Nothing imports it but the application factory."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Wire the page, the downloads, the CLI group and the API route (after hr and payroll)."""
    from hr.core.ui import add_nav
    from stats import api
    from stats.cli import stats_cli
    from stats.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(stats_cli)
    api.init_app(app)
    add_nav("stats.workforce", "队伍统计")
