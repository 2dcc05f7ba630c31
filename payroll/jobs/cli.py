from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from hr.core.db import db
from payroll.jobs import worker
from payroll.jobs.models import Job

jobs_cli = AppGroup("jobs", help="Background jobs: the job worker, retention, the queue.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="stop when the queue is empty")
@click.option("--poll", default=2, type=click.IntRange(1, 3600), show_default=True,
              help="seconds between looks at an empty queue")
def worker_cmd(burst: bool, poll: int) -> None:
    """Run the queued jobs (database queue, and RQ's when REDIS_URL is set) until stopped;
    fail the jobs whose process died; apply the retention period now and then."""
    worker.install_signal_handlers()
    info = worker.describe()
    click.echo(f"job worker: queue {info['queue']}, outputs in {info['storage']}")
    try:
        n = worker.work(burst=burst, poll=poll)
    except worker.Stop as e:
        click.echo(f"job worker stopped ({e})")
        return
    click.echo(f"{n} job(s) run")


@jobs_cli.command("cleanup")
def cleanup_cmd() -> None:
    """Remove job outputs older than JOBS_RETENTION_DAYS and uploads never confirmed within
    UPLOAD_RETENTION_DAYS (the job worker also does this every JOBS_CLEANUP_SECONDS)."""
    from payroll.jobs.services import cleanup, reap_stale

    reap_stale()
    cleaned = cleanup()
    click.echo(f"{cleaned.outputs} job output(s) and {cleaned.uploads} upload(s) removed")


@jobs_cli.command("list")
@click.option("--limit", default=20, show_default=True)
def list_cmd(limit: int) -> None:
    """The latest jobs and their state."""
    for job in db.session.execute(select(Job).order_by(Job.id.desc()).limit(limit)).scalars():
        click.echo(f"#{job.id} {job.status:8} {job.backend:5} {job.done}/{job.total} {job.title}"
                   + (f"  {job.message}" if job.message else ""))
