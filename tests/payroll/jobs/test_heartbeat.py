"""Heartbeat settings and attempts, and who may re-queue a job (the SIGKILL tests with real
processes are in tests/reliability/test_job_kill.py)."""
from __future__ import annotations

import time
from datetime import timedelta

from hr.core.db import db
from payroll.jobs import services
from tests.helpers.documents import as_next_user
from tests.helpers.jobs import job_row, only_job
from tests.helpers.web import config


def test_defaults_fail_a_silent_job_within_a_minute(app):
    assert app.config["JOBS_HEARTBEAT_SECONDS"] * 3 <= app.config["JOBS_STALE_SECONDS"] <= 50


def test_auditor_cannot_requeue_a_failed_job(app, make_month, client_as):
    m = make_month(people=1)
    with config(app, DOCUMENTS_SYNC_SLIPS=0):
        client_as().post(f"/payroll/documents/runs/{m.run.id}/slips", data={})
    job = only_job()
    job.status, job.message = "failed", "磁盘已满"
    db.session.commit()
    as_next_user()
    auditor = client_as("auditor", None)
    assert auditor.get(f"/payroll/jobs/{job.id}").status_code == 200  # reads it
    assert auditor.post(f"/payroll/jobs/{job.id}/retry").status_code == 403
    assert "重试</button>" not in auditor.get("/payroll/jobs/").get_data(as_text=True)
    assert job_row(job.id).status == "failed"


def test_heartbeat_is_not_written_for_a_job_taken_over(app, make_month, client_as):
    """A process that was declared dead (and whose job was re-queued) cannot overwrite the
    new attempt: its heartbeat and its result are tied to its attempt."""
    from hr.core.timeutil import utcnow

    m = make_month(people=1)
    with config(app, DOCUMENTS_SYNC_SLIPS=0):
        client_as().post(f"/payroll/documents/runs/{m.run.id}/slips", data={})
    job = only_job()
    assert services.claim(job.id)
    old = utcnow() - timedelta(minutes=5)
    job = job_row(job.id)
    job.heartbeat_at, job.attempts = old, 2  # another attempt has taken it since
    db.session.commit()
    with services.heartbeat(job.id, 1, every=0.05):
        time.sleep(0.3)
    assert job_row(job.id).heartbeat_at == old
    with services.heartbeat(job.id, 2, every=0.05):
        time.sleep(0.3)
    assert job_row(job.id).heartbeat_at > old
