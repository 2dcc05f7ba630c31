"""Posts and grades (三岗十八级): the dated timeline, entry grades, annual assessments, the
promotion run and the district settings."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from hr.core.ui import add_nav
    from hr.grades import assessment_views, promotion_views  # noqa: F401  (routes on bp)
    from hr.grades.cli import grades_cli
    from hr.grades.panel import worker_panel
    from hr.grades.views import bp
    from hr.workers.panels import register

    app.register_blueprint(bp)
    app.cli.add_command(grades_cli)
    register(worker_panel)
    add_nav("grades.index", "岗位等级")
