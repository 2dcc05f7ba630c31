"""The operator's manual (操作手册) and the site icon."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from hr.help.views import bp

    app.register_blueprint(bp)
