from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from hr.core.db import db
from payroll.jobs import worker
from payroll.jobs.models import Job

jobs_cli = AppGroup("jobs", help="Background jobs: the local worker, the RQ worker, the queue.")


@jobs_cli.command("work")
@click.option("--burst", is_flag=True, help="stop when the queue is empty")
@click.option("--poll", default=2, type=click.IntRange(1, 3600), show_default=True, help="seconds between looks at an empty queue")
def work_cmd(burst: bool, poll: int) -> None:
    """Run queued local jobs (the web application starts `work --burst` on demand)."""
    n = worker.work(burst=burst, poll=poll)
    click.echo(f"{n} job(s) run")


@jobs_cli.command("rq-worker")
@click.option("--burst", is_flag=True, help="stop when the queue is empty")
def rq_worker_cmd(burst: bool) -> None:
    """Run jobs from the RQ queue on REDIS_URL (one per machine that shares the batches)."""
    from payroll.jobs.services import redis_url

    if not redis_url():
        raise click.ClickException("REDIS_URL is not set")
    worker.rq_worker(burst=burst)


@jobs_cli.command("list")
@click.option("--limit", default=20, show_default=True)
def list_cmd(limit: int) -> None:
    """The latest jobs and their state."""
    for job in db.session.execute(select(Job).order_by(Job.id.desc()).limit(limit)).scalars():
        click.echo(f"#{job.id} {job.status:8} {job.backend:5} {job.done}/{job.total} {job.title}"
                   + (f"  {job.message}" if job.message else ""))
