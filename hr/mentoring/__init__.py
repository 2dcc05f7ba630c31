"""Excellent-secretary studios (优秀书记工作室) and mentoring pairings (传帮带, pay rules §7)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from hr.core.ui import add_nav
    from hr.mentoring import pairing_views, rules  # noqa: F401  (pairing_views: routes on bp)
    from hr.mentoring.cli import mentoring_cli
    from hr.mentoring.panel import mentoring_panel
    from hr.mentoring.views import bp
    from hr.workers.panels import register

    # Settings (FLASK_MENTORING_MAX_MENTEES=… in the environment overrides them).
    app.config.setdefault("MENTORING_MAX_MENTEES", rules.MAX_MENTEES)
    app.config.setdefault("MENTORING_MAX_UPLOAD", 8 * 1024 * 1024)
    app.register_blueprint(bp)
    app.cli.add_command(mentoring_cli)
    add_nav("mentoring.index", "结对带教")
    register(mentoring_panel)
