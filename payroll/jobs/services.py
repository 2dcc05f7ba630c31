"""Queueing, running and retrying background jobs.

A web request only records the job (`enqueue`, the caller commits) and hands it on
(`dispatch`): to RQ on Redis when REDIS_URL is set, so that several machines share a batch;
otherwise it stays queued in the `job` table, where the job worker (`flask jobs worker`, a
process of its own started by `make run`) picks it up. Whoever runs it calls `run(job_id)`:
claim, beat the heartbeat while building, store the output (`payroll.jobs.storage`), mark
done, or failed with the reason. A running job whose heartbeat stops (its process was
killed) is failed by `reap_stale` and may be retried. Every query is scoped to the user's
district; re-queueing needs the right to write in it."""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from hr.accounts.models import User
from hr.accounts.scope import district_filter, get_in_scope, in_scope, require_write
from hr.core.db import db
from hr.core.errors import Conflict, DomainError, NotFound
from hr.core.timeutil import utcnow
from payroll.jobs import storage
from payroll.jobs.models import Job

log = logging.getLogger(__name__)

Progress = Callable[[int], None]

INTERRUPTED = "后台进程已中断（进程被终止或服务器重启），未生成文件。可重试。"


@dataclass(frozen=True)
class Kind:
    """What a job kind does: `build(job, user, progress)` returns an object with `content`,
    `filename` and `count` (e.g. a documents.services.Document)."""

    label: str
    build: Callable[[Job, Any, Progress], Any]
    action: str  # audit action of a download: export / print


KINDS: dict[str, Kind] = {}


def register_kind(name: str, kind: Kind) -> None:
    KINDS[name] = kind


# Queueing -------------------------------------------------------------------------------
def enqueue(kind: str, *, district_id: int, run_id: int | None, title: str, total: int,
            user: Any, params: dict[str, Any] | None = None) -> Job:
    """Record a queued job (flushes; the caller commits, then calls `dispatch`)."""
    if kind not in KINDS:
        raise DomainError(f"未知的任务类型：{kind}")
    if not in_scope(district_id, user):
        raise NotFound("记录不存在或不在您的管辖范围内。")
    job = Job(kind=kind, district_id=district_id, run_id=run_id, title=title[:120], total=max(total, 0),
              params=params or {}, status="queued", backend=backend(), created_by_id=getattr(user, "id", None),
              created_by=getattr(user, "username", "") or "system")
    db.session.add(job)
    db.session.flush()
    return job


def redis_url() -> str:
    """Set (FLASK_REDIS_URL or REDIS_URL) to send jobs to RQ; empty for the database queue."""
    return str(current_app.config.get("REDIS_URL") or "")


def backend() -> str:
    return "rq" if redis_url() else "local"


def dispatch(job: Job) -> None:
    """Hand a committed job to RQ; on the database queue there is nothing to do (the job
    worker polls it). A Redis that cannot be reached fails the job with the reason (it can be
    retried)."""
    if job.backend != "rq":
        return
    try:
        _enqueue_rq(job, redis_url())
    except Exception as e:  # the job must not stay queued for a queue that never got it
        log.exception("could not enqueue job %s on RQ", job.id)
        _mark_failed(job.id, f"无法提交到任务队列（Redis）：{type(e).__name__}。请稍后重试。")


def _enqueue_rq(job: Job, url: str) -> None:
    from redis import Redis
    from rq import Queue

    queue = Queue(current_app.config["JOBS_QUEUE"], connection=Redis.from_url(url))
    queue.enqueue("payroll.jobs.worker.rq_run", job.id, job_id=f"shequ-job-{job.id}-{job.attempts}",
                  job_timeout=int(current_app.config["JOBS_TIMEOUT"]), result_ttl=3600, failure_ttl=7 * 86400,
                  description=f"{job.kind} #{job.id}")


# Reading ----------------------------------------------------------------------------------
def get_job(job_id: int, user: Any = None) -> Job:
    """A job of the user's district, or NotFound."""
    return get_in_scope(Job, job_id, user)


def jobs_in_scope(run_id: int | None = None, limit: int = 50, user: Any = None) -> list[Job]:
    stmt = select(Job).where(district_filter(Job.district_id, user))
    if run_id is not None:
        stmt = stmt.where(Job.run_id == run_id)
    return list(db.session.execute(stmt.order_by(Job.id.desc()).limit(limit)).scalars())


def _stale_before() -> datetime:
    return utcnow() - timedelta(seconds=int(current_app.config["JOBS_STALE_SECONDS"]))


def stale(job: Job) -> bool:
    """Running, but its process has not beaten the heartbeat for JOBS_STALE_SECONDS: it died
    (the next look of a job worker marks it failed)."""
    last = job.heartbeat_at or job.started_at
    return job.status == "running" and last is not None and last < _stale_before()


def can_retry(job: Job) -> bool:
    return job.status == "failed" or stale(job)


def may_retry(job: Job, user: Any = None) -> bool:
    """For the pages: a retry button only for those who may write in the job's district."""
    try:
        require_write(job.district_id, user)
    except DomainError:
        return False
    return can_retry(job)


def open_output(job: Job) -> storage.Output:
    """The finished job's output, to stream (Conflict before it is done, NotFound once the
    retention period has removed it)."""
    if job.status != "done" or not job.stored_as:
        raise Conflict("文件尚未生成。" if job.status != "done" else "文件已按保存期限清理，请重新生成。")
    found = storage.open_output(job)
    if found is None:
        raise NotFound("文件已被清理，请重新生成。")
    return found


def read_output(job: Job) -> bytes:
    with open_output(job) as out:
        return out.read()


# Changing ---------------------------------------------------------------------------------
def retry(job: Job, user: Any = None) -> None:
    """Queue a failed (or stale) job again. Flushes; the caller commits, then dispatches.
    Needs the right to write in the job's district (an auditor reads only)."""
    require_write(job.district_id, user)
    if not can_retry(job):
        raise Conflict("只有失败的任务可以重试。")
    job.status, job.message, job.done = "queued", "", 0
    job.started_at = job.finished_at = job.heartbeat_at = None
    job.worker = ""
    job.backend = backend()
    db.session.flush()


def _mark_failed(job_id: int, message: str, attempt: int | None = None) -> None:
    db.session.rollback()
    stmt = update(Job).where(Job.id == job_id)
    if attempt is not None:  # only the attempt this process ran, if nobody has re-queued it since
        stmt = stmt.where(Job.status == "running", Job.attempts == attempt)
    db.session.execute(stmt.values(status="failed", message=message[:500], finished_at=utcnow()))
    db.session.commit()


def reap_stale() -> int:
    """Fail every running job whose heartbeat stopped (its process was killed): it becomes
    retryable. Returns how many. Called by every job worker on each look at the queue."""
    cutoff = _stale_before()
    result = db.session.execute(
        update(Job).where(Job.status == "running", func.coalesce(Job.heartbeat_at, Job.started_at) < cutoff)
        .values(status="failed", message=INTERRUPTED, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    n = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if n:
        log.warning("%d job(s) without heartbeat marked failed", n)
    return n


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def claim(job_id: int) -> bool:
    """Take a queued job for this process (atomic: two workers never run the same job)."""
    now = utcnow()
    result = db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == "queued")
        .values(status="running", started_at=now, heartbeat_at=now, worker=this_process(),
                attempts=Job.attempts + 1, done=0)
    )
    db.session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def next_queued(backend: str = "local") -> int | None:
    return db.session.execute(
        select(Job.id).where(Job.status == "queued", Job.backend == backend).order_by(Job.id).limit(1)
    ).scalar_one_or_none()


class _Progress:
    """Counts done items and writes them on the job's row through a connection of its own (the
    job's session is in the middle of a streamed read), at most twice a second."""

    def __init__(self, job_id: int) -> None:
        self.job_id, self.done, self.written_at = job_id, 0, 0.0

    def __call__(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.written_at >= 0.5:
            self.flush()
            self.written_at = now

    def flush(self) -> None:
        with db.engine.begin() as conn:
            conn.execute(update(Job).where(Job.id == self.job_id).values(done=self.done))


@contextmanager
def heartbeat(job_id: int, attempt: int, every: float) -> Iterator[None]:
    """While the block runs, a thread writes the job's `heartbeat_at` every `every` seconds
    through a connection of its own. It stops with the process: a killed job falls silent."""
    engine: Engine = db.engine
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every):
            try:
                with engine.begin() as conn:
                    conn.execute(update(Job).where(Job.id == job_id, Job.status == "running",
                                                   Job.attempts == attempt).values(heartbeat_at=utcnow()))
            except Exception:  # a busy database: the next beat tries again
                log.warning("heartbeat of job %s not written", job_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def run(job_id: int) -> bool:
    """Run one queued job to its end. Returns False if another worker had claimed it."""
    if not claim(job_id):
        return False
    job = db.session.get(Job, job_id)
    assert job is not None
    attempt = job.attempts
    user = db.session.get(User, job.created_by_id) if job.created_by_id else None
    progress = _Progress(job_id)
    try:
        with heartbeat(job_id, attempt, float(current_app.config["JOBS_HEARTBEAT_SECONDS"])):
            if user is None or not user.active:
                raise DomainError("提交任务的账号已不存在或已停用。")
            kind = KINDS.get(job.kind)
            if kind is None:
                raise DomainError(f"未知的任务类型：{job.kind}")
            doc = kind.build(job, user, progress)
            stored = storage.store(job, doc.content, doc.filename)
            finished = db.session.execute(
                update(Job).where(Job.id == job_id, Job.status == "running", Job.attempts == attempt)
                .values(status="done", filename=doc.filename, stored_as=stored, size=len(doc.content),
                        done=doc.count, total=doc.count, finished_at=utcnow(), message="")
                .execution_options(synchronize_session=False)
            )
            if finished.rowcount != 1:  # type: ignore[attr-defined]  # declared dead and re-queued meanwhile
                db.session.rollback()
                storage.remove(stored, job_id)
                db.session.commit()
                return True
            db.session.commit()
    except DomainError as e:
        _mark_failed(job_id, e.message, attempt)
    except Exception as e:
        log.exception("job %s failed", job_id)
        _mark_failed(job_id, f"生成失败（内部错误 {type(e).__name__}）。可重试；若仍失败请联系管理员查看日志。", attempt)
    except BaseException:  # the worker is stopping (SIGTERM, Ctrl-C): say so at once, then stop
        _mark_failed(job_id, INTERRUPTED, attempt)
        raise
    return True


# Retention --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cleaned:
    outputs: int  # job outputs removed
    uploads: int  # abandoned upload files removed


def cleanup(now: datetime | None = None) -> Cleaned:
    """Remove the outputs of jobs finished more than JOBS_RETENTION_DAYS ago (the job stays
    listed, its download says the file was removed), stray files in JOBS_FOLDER, and uploads
    never confirmed within UPLOAD_RETENTION_DAYS. Commits."""
    now = now or utcnow()
    cutoff = now - timedelta(days=float(current_app.config["JOBS_RETENTION_DAYS"]))
    old = list(db.session.execute(
        select(Job).where(Job.stored_as != "", Job.finished_at < cutoff)).scalars())
    for job in old:
        storage.remove(job.stored_as, job.id)
        job.stored_as = ""
        job.message = "文件已按保存期限清理。"
    db.session.commit()
    keep = set(db.session.execute(select(Job.stored_as).where(Job.stored_as != "")).scalars())
    storage.remove_stray_files(keep, cutoff)
    upload_cutoff = now - timedelta(days=float(current_app.config["UPLOAD_RETENTION_DAYS"]))
    return Cleaned(len(old), storage.remove_old_uploads(upload_cutoff))
