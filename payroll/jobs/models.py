"""Background jobs: batches of documents produced outside the web request."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr.core.db import db
from hr.core.timeutil import utcnow

STATUSES = {"queued": "排队中", "running": "生成中", "done": "已完成", "failed": "失败"}


class Job(db.Model):
    """One batch (a workbook, a district's slips...): queued by a user, run by the job worker
    (`flask jobs worker`, on the database queue or on RQ), its output kept in `job_chunk` rows
    (PostgreSQL) or under JOBS_FOLDER (SQLite) until the retention period ends. A running job
    writes `heartbeat_at` every few seconds; one whose heartbeat stops is failed and retryable."""

    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
        CheckConstraint("done >= 0 AND total >= 0", name="progress"),
        Index("ix_job_district_created", "district_id", "created_at"),
        Index("ix_job_status_id", "status", "id"),
        Index("ix_job_run", "run_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("payroll_run.id", ondelete="CASCADE"))
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    title: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(8), default="queued")
    backend: Mapped[str] = mapped_column(String(8), default="local")  # local / rq
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(500), default="")
    filename: Mapped[str] = mapped_column(String(200), default="")  # the download's name
    stored_as: Mapped[str] = mapped_column(String(80), default="")  # "db", or a file name under JOBS_FOLDER
    size: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    heartbeat_at: Mapped[datetime | None] = mapped_column()  # last sign of life of the running process
    worker: Mapped[str] = mapped_column(String(80), default="")  # host:pid of the process running it

    district = relationship("District", lazy="joined")

    @property
    def status_name(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class JobChunk(db.Model):
    """A job's output stored in the database (PostgreSQL), in pieces of JOBS_CHUNK_BYTES, so
    that every application server and worker reads the same file and a download streams it."""

    __tablename__ = "job_chunk"

    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
