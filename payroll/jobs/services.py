"""Queueing, running and retrying background jobs.

A web request only records the job (`enqueue`, the caller commits) and hands it on
(`dispatch`): to RQ on Redis when REDIS_URL is set, so that several machines share a batch,
otherwise to a local worker process (`flask jobs work --burst`) started on demand. Whoever
runs it calls `run(job_id)`: claim, build, store the file under JOBS_FOLDER, mark done, or
failed with the reason. Every query is scoped to the user's district."""
from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from hr.accounts.models import User
from hr.accounts.scope import district_filter, get_in_scope, in_scope
from hr.core.db import db
from hr.core.errors import Conflict, DomainError, NotFound
from hr.core.timeutil import utcnow
from payroll.jobs.models import Job

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent.parent

Progress = Callable[[int], None]


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
    """Set (FLASK_REDIS_URL or REDIS_URL) to send jobs to RQ; empty for the local worker."""
    return str(current_app.config.get("REDIS_URL") or "")


def backend() -> str:
    return "rq" if redis_url() else "local"


def dispatch(job: Job) -> None:
    """Hand a committed job to RQ or to a local worker process. A queue that cannot be
    reached fails the job with the reason (it can be retried)."""
    if job.backend == "rq":
        try:
            _enqueue_rq(job, redis_url())
        except Exception as e:  # the job must not stay queued for a queue that never got it
            log.exception("could not enqueue job %s on RQ", job.id)
            _mark_failed(job.id, f"无法提交到任务队列（Redis）：{type(e).__name__}。请稍后重试。")
        return
    if current_app.config.get("JOBS_SPAWN", True):
        spawn_local_worker()


def _enqueue_rq(job: Job, url: str) -> None:
    from redis import Redis
    from rq import Queue

    queue = Queue(current_app.config["JOBS_QUEUE"], connection=Redis.from_url(url))
    queue.enqueue("payroll.jobs.worker.rq_run", job.id, job_id=f"shequ-job-{job.id}-{job.attempts}",
                  job_timeout=int(current_app.config["JOBS_TIMEOUT"]), result_ttl=3600, failure_ttl=7 * 86400,
                  description=f"{job.kind} #{job.id}")


_children: list[subprocess.Popen[bytes]] = []


def spawn_local_worker() -> None:
    """Start `flask jobs work --burst` in the background: it drains the local queue and exits.
    Several may start; a lock lets one work at a time and claims are atomic anyway."""
    for child in list(_children):
        if child.poll() is not None:
            _children.remove(child)
    folder = Path(current_app.config["JOBS_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DATABASE_URL=str(current_app.config["SQLALCHEMY_DATABASE_URI"]),
               FLASK_JOBS_FOLDER=str(folder))
    with open(folder / "worker.log", "ab") as logfile:
        _children.append(subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "work", "--burst"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=logfile, stderr=logfile, start_new_session=True,
        ))


# Reading ----------------------------------------------------------------------------------
def get_job(job_id: int, user: Any = None) -> Job:
    """A job of the user's district, or NotFound."""
    return get_in_scope(Job, job_id, user)


def jobs_in_scope(run_id: int | None = None, limit: int = 50, user: Any = None) -> list[Job]:
    stmt = select(Job).where(district_filter(Job.district_id, user))
    if run_id is not None:
        stmt = stmt.where(Job.run_id == run_id)
    return list(db.session.execute(stmt.order_by(Job.id.desc()).limit(limit)).scalars())


def stale(job: Job) -> bool:
    """Running for longer than any job should: its worker probably died."""
    minutes = int(current_app.config.get("JOBS_STALE_MINUTES", 60))
    return job.status == "running" and job.started_at is not None and job.started_at < utcnow() - timedelta(minutes=minutes)


def can_retry(job: Job) -> bool:
    return job.status == "failed" or stale(job)


def file_path(job: Job) -> Path:
    if job.status != "done" or not job.stored_as:
        raise Conflict("文件尚未生成。")
    path = Path(current_app.config["JOBS_FOLDER"]) / job.stored_as
    if not path.is_file():
        raise NotFound("文件已被清理，请重新生成。")
    return path


# Changing ---------------------------------------------------------------------------------
def retry(job: Job) -> None:
    """Queue a failed (or stale) job again. Flushes; the caller commits, then dispatches."""
    if not can_retry(job):
        raise Conflict("只有失败的任务可以重试。")
    job.status, job.message, job.done = "queued", "", 0
    job.started_at = job.finished_at = None
    job.backend = backend()
    db.session.flush()


def _mark_failed(job_id: int, message: str) -> None:
    db.session.rollback()
    db.session.execute(update(Job).where(Job.id == job_id).values(
        status="failed", message=message[:500], finished_at=utcnow()))
    db.session.commit()


def claim(job_id: int) -> bool:
    """Take a queued job for this process (atomic: two workers never run the same job)."""
    result = db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == "queued")
        .values(status="running", started_at=utcnow(), attempts=Job.attempts + 1, done=0)
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


def _store(job: Job, content: bytes, filename: str) -> str:
    folder = Path(current_app.config["JOBS_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{job.id}-{secrets.token_hex(8)}{Path(filename).suffix}"
    tmp = folder / (name + ".part")
    tmp.write_bytes(content)
    os.replace(tmp, folder / name)
    return name


def run(job_id: int) -> bool:
    """Run one queued job to its end. Returns False if another worker had claimed it."""
    if not claim(job_id):
        return False
    job = db.session.get(Job, job_id)
    assert job is not None
    user = db.session.get(User, job.created_by_id) if job.created_by_id else None
    progress = _Progress(job_id)
    try:
        if user is None or not user.active:
            raise DomainError("提交任务的账号已不存在或已停用。")
        kind = KINDS.get(job.kind)
        if kind is None:
            raise DomainError(f"未知的任务类型：{job.kind}")
        doc = kind.build(job, user, progress)
        stored = _store(job, doc.content, doc.filename)
        job = db.session.get(Job, job_id)
        assert job is not None
        job.status, job.filename, job.stored_as, job.size = "done", doc.filename, stored, len(doc.content)
        job.done = job.total = doc.count
        job.finished_at = utcnow()
        job.message = ""
        db.session.commit()
    except DomainError as e:
        _mark_failed(job_id, e.message)
    except Exception as e:
        log.exception("job %s failed", job_id)
        _mark_failed(job_id, f"生成失败（内部错误 {type(e).__name__}）。可重试；若仍失败请联系管理员查看日志。")
    return True
