"""The job worker (`flask jobs worker`): one process of its own, started by `make run` beside
the web server (never by a web request), or one per machine that shares the batches. Each
look at the queue first fails the jobs whose heartbeat stopped and, every
JOBS_CLEANUP_SECONDS, applies the retention period; then it runs what is queued: the
database queue, and RQ's queue when REDIS_URL is set (`rq_run` is what RQ executes)."""
from __future__ import annotations

import logging
import signal
import time
from types import FrameType
from typing import Any

from flask import Flask, current_app, has_app_context

from hr.core.db import db
from payroll.jobs import services

log = logging.getLogger(__name__)
_app: Flask | None = None


class Stop(BaseException):
    """SIGTERM or SIGINT: the worker stops; a job it was running is marked failed (retryable)."""


def _stop(signum: int, _frame: FrameType | None) -> None:
    raise Stop(signal.Signals(signum).name)


def install_signal_handlers() -> None:
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)


def _rq_burst() -> int:
    """Run what RQ's queue holds now, in this process and application (no fork, so database
    connections are never shared with a child). Returns the jobs run (RQ tells only whether
    it ran any: one job per call, the rest wait for the next look)."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    class Worker(SimpleWorker):
        def _install_signal_handlers(self) -> None:  # keep the job worker's own handlers
            pass

    connection = Redis.from_url(services.redis_url())
    try:
        worker = Worker([Queue(current_app.config["JOBS_QUEUE"], connection=connection)], connection=connection)
        return int(worker.work(burst=True, logging_level="WARNING", max_jobs=1))
    finally:
        connection.close()


def housekeeping(state: dict[str, float]) -> None:
    services.reap_stale()
    now = time.monotonic()
    if now >= state.get("next_cleanup", 0.0):
        cleaned = services.cleanup()
        if cleaned.outputs or cleaned.uploads:
            log.info("retention: %d job output(s), %d upload(s) removed", cleaned.outputs, cleaned.uploads)
        state["next_cleanup"] = now + float(current_app.config["JOBS_CLEANUP_SECONDS"])


def work(burst: bool = False, poll: float = 2, max_jobs: int | None = None) -> int:
    """Run queued jobs, oldest first, until stopped (or, with `burst`, until a look finds
    nothing to do). Returns the jobs run. A look that fails (the database restarting) is
    logged and tried again after `poll` seconds."""
    processed = 0
    state: dict[str, float] = {}
    while True:
        ran = 0
        try:
            housekeeping(state)
            while (job_id := services.next_queued("local")) is not None:
                ran += services.run(job_id)
                if max_jobs is not None and processed + ran >= max_jobs:
                    return processed + ran
            if services.redis_url():
                ran += _rq_burst()
        except Exception:
            if burst:
                raise
            log.exception("job worker: the queue could not be read; trying again")
        finally:
            db.session.rollback()  # no transaction stays open while waiting (all work is committed)
        processed += ran
        if ran:
            continue
        if burst:
            return processed
        time.sleep(poll)


def rq_run(job_id: int) -> bool:
    """What RQ executes: run the job in an application context (the worker's own when it has
    one, else an application built from the environment, once per process)."""
    if has_app_context():
        return services.run(job_id)
    global _app
    if _app is None:
        from wsgi import create_app

        _app = create_app()
    with _app.app_context():
        return services.run(job_id)


def describe() -> dict[str, Any]:
    return {"queue": f"RQ {current_app.config['JOBS_QUEUE']} + database" if services.redis_url() else "database",
            "storage": "database" if _in_database() else str(current_app.config["JOBS_FOLDER"])}


def _in_database() -> bool:
    from payroll.jobs.storage import in_database

    return in_database()
