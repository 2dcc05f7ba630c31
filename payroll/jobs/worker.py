"""The processes that run jobs: the embedded local worker (`flask jobs work`) and the entry
point RQ workers call (`rq_run`)."""
from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context

from payroll.jobs import services

_app: Flask | None = None


@contextmanager
def _worker_lock() -> Iterator[bool]:
    """One local worker at a time per JOBS_FOLDER; yields False if another holds it."""
    folder = Path(current_app.config["JOBS_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "worker.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def work(burst: bool = True, poll: int = 2, max_jobs: int | None = None) -> int:
    """Run queued local jobs, oldest first. With `burst`, return once the queue is empty (or
    when another worker holds the lock: it will take what is queued). Returns the jobs run."""
    processed = 0
    while True:
        with _worker_lock() as mine:
            if not mine:
                return processed
            while (job_id := services.next_queued()) is not None:
                processed += services.run(job_id)
                if max_jobs is not None and processed >= max_jobs:
                    return processed
        # A job queued while the lock was being released was refused by its own spawned
        # worker (it found the lock taken): look once more before leaving.
        if services.next_queued() is not None:
            continue
        if burst:
            return processed
        time.sleep(poll)


def rq_run(job_id: int) -> bool:
    """What an RQ worker executes: run the job in an application context (the worker's own
    when it has one, else an application built from the environment, once per process)."""
    if has_app_context():
        return services.run(job_id)
    global _app
    if _app is None:
        from wsgi import create_app

        _app = create_app()
    with _app.app_context():
        return services.run(job_id)


def rq_worker(burst: bool = False) -> Any:
    """An RQ worker on JOBS_QUEUE that runs jobs in this process and application (no fork,
    so database connections are never shared with a child)."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    connection = Redis.from_url(services.redis_url())
    queue = Queue(current_app.config["JOBS_QUEUE"], connection=connection)
    worker = SimpleWorker([queue], connection=connection)
    return worker.work(burst=burst)
