"""Where outputs live and how long: in the database (chunks, streamed back) or as private files,
removed with abandoned uploads after the retention period; the SQLite database, the instance
folder, job files and stashed uploads are readable by the application's account only."""
from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hr.core.db import db
from hr.core.timeutil import utcnow
from payroll.jobs import services, storage
from tests.helpers.documents import pdf_text
from tests.helpers.jobs import job_row, only_job
from tests.helpers.web import config


def mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _epoch(naive_utc: datetime) -> float:
    return naive_utc.replace(tzinfo=UTC).timestamp()


def slips_job_done(app, make_month, client_as, runner, people: int = 3):
    m = make_month(people=people)
    client = client_as()
    with config(app, DOCUMENTS_SYNC_SLIPS=0):
        client.post(f"/payroll/documents/runs/{m.run.id}/slips", data={})
    runner.invoke(args=["jobs", "worker", "--burst"])
    job = job_row(only_job().id)
    assert job.status == "done", job.message
    return m, client, job


def test_folder_storage_writes_private_files(app, make_month, client_as, runner):
    with config(app, JOBS_STORAGE="folder"):
        _m, client, job = slips_job_done(app, make_month, client_as, runner)
        path = Path(app.config["JOBS_FOLDER"]) / job.stored_as
        assert mode(path) == 0o600 and mode(app.config["JOBS_FOLDER"]) == 0o700
        assert client.get(f"/payroll/jobs/{job.id}/download").data == path.read_bytes()


def test_database_storage_streams_the_output_in_chunks(app, make_month, client_as, runner):
    from payroll.jobs.models import JobChunk

    folder = Path(app.config["JOBS_FOLDER"])
    files_before = set(folder.iterdir()) if folder.exists() else set()
    with config(app, JOBS_STORAGE="database", JOBS_CHUNK_BYTES=4096):
        m, client, job = slips_job_done(app, make_month, client_as, runner, people=4)
        assert job.stored_as == storage.IN_DATABASE
        chunks = db.session.execute(db.select(JobChunk).where(JobChunk.job_id == job.id)
                                    .order_by(JobChunk.seq)).scalars().all()
        assert len(chunks) == -(-job.size // 4096) > 1 and all(len(c.data) == 4096 for c in chunks[:-1])
        assert (set(folder.iterdir()) if folder.exists() else set()) == files_before  # no file written
        resp = client.get(f"/payroll/jobs/{job.id}/download", buffered=True)
        assert resp.status_code == 200 and resp.is_streamed is False
        assert len(resp.data) == job.size == int(resp.headers["Content-Length"])
        assert b"".join(c.data for c in chunks) == resp.data
        pages, text = pdf_text(resp.data)
        assert all(w.name in text for w in m.workers)


def test_database_storage_is_the_default_on_postgresql(app):
    assert storage.in_database() == (db.engine.dialect.name == "postgresql")


def test_retention_removes_old_outputs_and_abandoned_uploads(app, make_month, client_as, runner, tmp_path):
    from hr.workers import imports

    (tmp_path / "uploads").mkdir()
    with config(app, JOBS_STORAGE="folder", JOBS_FOLDER=str(tmp_path / "jobs"), UPLOAD_FOLDER=str(tmp_path / "uploads")):
        _m, client, job = slips_job_done(app, make_month, client_as, runner)
        path = Path(app.config["JOBS_FOLDER"]) / job.stored_as
        stray = Path(app.config["JOBS_FOLDER"]) / "999-0123456789abcdef.pdf.part"
        stray.write_bytes(b"half")
        uploads = Path(app.config["UPLOAD_FOLDER"])
        token = imports.stash(b"PK fake workbook", 7)
        stashed = uploads / f"workers-7-{token}.xlsx"
        assert mode(stashed) == 0o600
        kept = uploads / "mentoring"
        kept.mkdir(exist_ok=True)
        (kept / "plan.pdf").write_bytes(b"a mentoring plan")

        # young files stay
        result = runner.invoke(args=["jobs", "cleanup"])
        assert result.exit_code == 0 and "0 job output(s) and 0 upload(s) removed" in result.output
        assert path.exists() and stray.exists() and stashed.exists()

        # a day and a bit later: the upload goes; a week later the job output too
        day = utcnow() + timedelta(days=1, hours=1)
        old = _epoch(day - timedelta(days=2))
        for f in (stashed, stray, path, kept / "plan.pdf"):
            os.utime(f, (old, old))
        cleaned = services.cleanup(day)
        assert (cleaned.outputs, cleaned.uploads) == (0, 1)
        assert not stashed.exists() and path.exists() and (kept / "plan.pdf").exists()

        job = job_row(job.id)
        job.finished_at = utcnow() - timedelta(days=app.config["JOBS_RETENTION_DAYS"], minutes=1)
        db.session.commit()
        old = _epoch(utcnow() - timedelta(days=app.config["JOBS_RETENTION_DAYS"], hours=1))
        os.utime(stray, (old, old))
        assert services.cleanup(utcnow()).outputs == 1
        assert not path.exists() and not stray.exists()
        job = job_row(job.id)
        assert job.status == "done" and job.stored_as == ""
        resp = client.get(f"/payroll/jobs/{job.id}/download")
        assert resp.status_code == 409 and "保存期限" in resp.get_data(as_text=True)
        assert "文件已按保存期限清理" in client.get(f"/payroll/jobs/{job.id}").get_data(as_text=True)


def test_retention_removes_outputs_kept_in_the_database(app, make_month, client_as, runner):
    from payroll.jobs.models import JobChunk

    with config(app, JOBS_STORAGE="database"):
        _m, _client, job = slips_job_done(app, make_month, client_as, runner)
        job.finished_at = utcnow() - timedelta(days=app.config["JOBS_RETENTION_DAYS"] + 1)
        db.session.commit()
        assert services.cleanup().outputs == 1
        assert db.session.execute(db.select(db.func.count()).select_from(JobChunk)).scalar_one() == 0


def test_instance_folder_and_sqlite_database_are_private(tmp_path):
    """A fresh application on SQLite: the instance folder 0700, the database and its WAL 0600,
    even where an older release left them readable by others."""
    from hr.core import private
    from wsgi import create_app

    db_path = tmp_path / "old.db"
    db_path.write_bytes(b"")
    os.chmod(db_path, 0o644)
    old_umask = os.umask(0o022)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": "x",
                          "UPLOAD_FOLDER": str(tmp_path / "uploads")})
        assert mode(db_path) == 0o600 and mode(app.instance_path) == 0o700
        assert mode(tmp_path / "uploads") == 0o700
        with app.app_context():
            from hr.core.db import db as database

            with database.engine.begin() as conn:
                conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            database.engine.dispose()
        for f in tmp_path.glob("old.db*"):
            assert mode(f) == 0o600, f
        new = tmp_path / "new.txt"
        new.write_text("x")
        assert mode(new) == 0o600  # the process's umask
    finally:
        os.umask(old_umask)
    assert private.sqlite_path("postgresql+psycopg://u@h/db") is None
    assert private.sqlite_path("sqlite:////a/b.db") == Path("/a/b.db")


@pytest.mark.parametrize("missing", ["file", "chunks"])
def test_a_vanished_output_is_a_clear_404(app, make_month, client_as, runner, missing):
    from payroll.jobs.models import JobChunk

    with config(app, JOBS_STORAGE="folder" if missing == "file" else "database"):
        _m, client, job = slips_job_done(app, make_month, client_as, runner)
        if missing == "file":
            (Path(app.config["JOBS_FOLDER"]) / job.stored_as).unlink()
        else:
            db.session.execute(db.delete(JobChunk))
            db.session.commit()
        resp = client.get(f"/payroll/jobs/{job.id}/download")
        assert resp.status_code == 404 and "重新生成" in resp.get_data(as_text=True)
