"""Background jobs: batches of documents run outside the web request."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    import payroll.jobs.models  # noqa: F401
    from hr.core.ui import add_nav
    from payroll.jobs.cli import jobs_cli
    from payroll.jobs.views import bp

    app.config.setdefault("JOBS_FOLDER", None)
    if not app.config["JOBS_FOLDER"]:
        app.config["JOBS_FOLDER"] = os.path.join(app.instance_path, "jobs")
    app.config.setdefault("JOBS_SPAWN", True)  # start a local worker process on demand
    app.config.setdefault("JOBS_QUEUE", "shequ")  # the RQ queue, when REDIS_URL is set
    app.config.setdefault("JOBS_TIMEOUT", 3600)  # seconds an RQ job may run
    app.config.setdefault("JOBS_STALE_MINUTES", 60)  # a running job older than this may be retried
    if not app.config.get("REDIS_URL") and os.environ.get("REDIS_URL"):
        app.config["REDIS_URL"] = os.environ["REDIS_URL"]
    app.register_blueprint(bp)
    app.cli.add_command(jobs_cli)
    add_nav("jobs.index", "导出任务")
