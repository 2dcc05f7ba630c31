from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from hr.accounts import services, token_views
    from hr.accounts.cli import users_cli
    from hr.accounts.views import bp
    from hr.core import ratelimit  # noqa: F401  (its table)
    from hr.core.security import login_manager

    login_manager.user_loader(services.load_user)
    app.register_blueprint(bp)
    app.jinja_env.globals["my_api_tokens"] = token_views.my_tokens
    app.jinja_env.globals["new_token_form"] = token_views.new_form
    app.cli.add_command(users_cli)
