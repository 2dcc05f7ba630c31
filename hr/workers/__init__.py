from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from hr.core.ui import add_nav
    from hr.workers.views import bp

    app.register_blueprint(bp)
    add_nav("workers.index", "社工名册")
