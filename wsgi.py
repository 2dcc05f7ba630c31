"""Application factory: `flask --app wsgi ...` and `gunicorn 'wsgi:create_app()'`."""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then the environment, then explicit overrides."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from hr.core import config as defaults

    app.config.from_object(defaults)
    app.config.from_prefixed_env()
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if config:
        app.config.update(config)
    defaults.finalise(app)

    import hr
    import payroll
    import seed
    import stats

    hr.init_app(app)
    payroll.init_app(app)
    seed.init_app(app)
    stats.init_app(app)
    return app
