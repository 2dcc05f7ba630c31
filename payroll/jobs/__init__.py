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
    app.config.setdefault("JOBS_QUEUE", "shequ")  # the RQ queue, when REDIS_URL is set
    app.config.setdefault("JOBS_TIMEOUT", 3600)  # seconds an RQ job may run
    app.config.setdefault("JOBS_HEARTBEAT_SECONDS", 10)  # a running job writes its heartbeat this often
    app.config.setdefault("JOBS_STALE_SECONDS", 45)  # silent this long: its process died, the job fails
    app.config.setdefault("JOBS_STORAGE", "")  # "database" / "folder"; default: the database on PostgreSQL
    app.config.setdefault("JOBS_CHUNK_BYTES", 1024 * 1024)  # outputs in the database: rows of this size
    app.config.setdefault("JOBS_RETENTION_DAYS", 7)  # job outputs are removed after this many days
    app.config.setdefault("UPLOAD_RETENTION_DAYS", 1)  # uploads never confirmed are removed after this
    app.config.setdefault("JOBS_CLEANUP_SECONDS", 3600)  # how often the job worker applies the retention
    if not app.config.get("REDIS_URL") and os.environ.get("REDIS_URL"):
        app.config["REDIS_URL"] = os.environ["REDIS_URL"]
    app.register_blueprint(bp)
    app.cli.add_command(jobs_cli)
    add_nav("jobs.index", "导出任务")
