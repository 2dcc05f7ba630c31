from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from hr.core.ui import add_nav
    from hr.home.views import bp

    app.register_blueprint(bp)
    add_nav("audit.index", "审计日志")
    add_nav("accounts.users", "用户管理", admin_only=True)
