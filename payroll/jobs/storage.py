"""Where job outputs (workbooks, PDFs) live: in the database when it is PostgreSQL (rows of
`job_chunk`, so that every application server and worker, on any machine, reads the same
file), else as files under JOBS_FOLDER in the instance folder (one machine: SQLite). Files
are private (0600 in a 0700 folder); downloads stream either kind in pieces."""
from __future__ import annotations

import io
import os
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from hr.core.db import db
from payroll.jobs.models import Job, JobChunk

IN_DATABASE = "db"
Output = io.BufferedReader
# Stashed uploads waiting for the officer's confirmation: KIND-USERID-TOKEN.EXT (and .part).
STASHED = re.compile(r"^[a-z_]+-\d+-[0-9a-f]{32}\.[a-z]+(\.part)?$")


def in_database() -> bool:
    """JOBS_STORAGE = "database" or "folder"; by default the database when it is PostgreSQL."""
    choice = str(current_app.config.get("JOBS_STORAGE") or "")
    if choice:
        return choice == "database"
    return bool(db.engine.dialect.name == "postgresql")


def folder() -> Path:
    path = Path(current_app.config["JOBS_FOLDER"])
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def private_file(path: Path, content: bytes) -> None:
    """Write `content` to a new file readable by this account only (0600), atomically."""
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def store(job: Job, content: bytes, filename: str) -> str:
    """Keep a job's output; returns what `Job.stored_as` records. In the database the chunks
    join the session's transaction (the caller commits them with the job's new state)."""
    if in_database():
        size = int(current_app.config["JOBS_CHUNK_BYTES"])
        db.session.execute(delete(JobChunk).where(JobChunk.job_id == job.id))
        view = memoryview(content)
        for seq, start in enumerate(range(0, max(len(content), 1), size)):
            db.session.execute(insert(JobChunk).values(job_id=job.id, seq=seq, data=bytes(view[start:start + size])))
        return IN_DATABASE
    name = f"{job.id}-{secrets.token_hex(8)}{Path(filename).suffix}"
    private_file(folder() / name, content)
    return name


def remove(stored: str, job_id: int) -> None:
    """Forget a stored output (database rows in the session's transaction; files at once)."""
    if stored == IN_DATABASE:
        db.session.execute(delete(JobChunk).where(JobChunk.job_id == job_id))
    elif stored and "/" not in stored and not stored.startswith("."):
        Path(current_app.config["JOBS_FOLDER"], stored).unlink(missing_ok=True)


class _Chunks(io.RawIOBase):
    """A job's chunks read one row at a time, each through a short connection of its own, so
    that a download streams after the request's session has ended."""

    def __init__(self, engine: Engine, job_id: int) -> None:
        self.engine, self.job_id, self.seq, self.pending = engine, job_id, 0, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self.pending:
            with self.engine.connect() as conn:
                data = conn.execute(select(JobChunk.data).where(
                    JobChunk.job_id == self.job_id, JobChunk.seq == self.seq)).scalar_one_or_none()
            if not data:
                return 0
            self.pending, self.seq = bytes(data), self.seq + 1
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def open_output(job: Job) -> Output | None:
    """A reader of the stored output, or None when it is gone."""
    if job.stored_as == IN_DATABASE:
        exists = db.session.execute(select(JobChunk.seq).where(JobChunk.job_id == job.id, JobChunk.seq == 0)).first()
        if exists is None:
            return None
        return io.BufferedReader(_Chunks(db.engine, job.id), int(current_app.config["JOBS_CHUNK_BYTES"]))
    path = Path(current_app.config["JOBS_FOLDER"], job.stored_as)
    if "/" in job.stored_as or not path.is_file():
        return None
    return open(path, "rb")


def _older_than(path: Path, cutoff: datetime) -> bool:
    modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).replace(tzinfo=None)
    return modified < cutoff


def remove_stray_files(keep: set[str], cutoff: datetime) -> int:
    """Files in JOBS_FOLDER that no job refers to (a process killed while writing) and older
    than the retention period."""
    path = Path(current_app.config["JOBS_FOLDER"])
    if not path.is_dir():
        return 0
    removed = 0
    for f in path.iterdir():
        if f.is_file() and f.name not in keep and _older_than(f, cutoff):
            f.unlink(missing_ok=True)
            removed += 1
    return removed


def remove_old_uploads(cutoff: datetime) -> int:
    """Uploaded files kept for a confirmation that never came (UPLOAD_FOLDER's stash; the
    sub-folders, such as the mentoring documents, are kept)."""
    path = Path(current_app.config["UPLOAD_FOLDER"])
    if not path.is_dir():
        return 0
    removed = 0
    for f in path.iterdir():
        if f.is_file() and STASHED.match(f.name) and _older_than(f, cutoff):
            f.unlink(missing_ok=True)
            removed += 1
    return removed
