from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from hr.core.ui import add_nav
    from hr.org.views import bp

    app.register_blueprint(bp)
    add_nav("org.index", "组织机构")
