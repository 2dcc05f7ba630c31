"""The same jobs through RQ on Redis (REDIS_URL set): enqueued on the queue, run by an RQ
worker (SimpleWorker in burst mode, in this process), done or failed like the local ones."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.helpers.documents import MONTH, pdf_text
from tests.helpers.jobs import job_row, only_job
from tests.helpers.web import config

rq = pytest.importorskip("rq")
redis = pytest.importorskip("redis")
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def rq_app(app) -> Iterator[tuple[object, str]]:
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    name = f"shequ-test-{uuid.uuid4().hex[:8]}"
    with config(app, REDIS_URL=REDIS_URL, JOBS_QUEUE=name):
        yield connection, name
    queue = rq.Queue(name, connection=connection)
    queue.empty()
    queue.delete(delete_jobs=True)
    connection.close()


def work(connection, name: str) -> None:
    queue = rq.Queue(name, connection=connection)
    rq.SimpleWorker([queue], connection=connection).work(burst=True)


def test_rq_enqueue_run_done_download(app, rq_app, make_month, client_as):
    connection, name = rq_app
    m = make_month(people=3)
    client = client_as()
    with config(app, DOCUMENTS_SYNC_SLIPS=0):
        assert client.post(f"/payroll/documents/runs/{m.run.id}/slips", data={}).status_code == 302
    job = only_job()
    assert (job.status, job.backend) == ("queued", "rq")
    assert rq.Queue(name, connection=connection).count == 1
    work(connection, name)
    job = job_row(job.id)
    assert (job.status, job.done) == ("done", 3)
    assert "执行方式" in client.get(f"/payroll/jobs/{job.id}").get_data(as_text=True)
    resp = client.get(f"/payroll/jobs/{job.id}/download")
    assert resp.status_code == 200 and all(w.name in pdf_text(resp.data)[1] for w in m.workers)


def test_rq_failure_and_retry(app, rq_app, make_month, client_as, monkeypatch):
    from payroll.jobs import services

    connection, name = rq_app
    m = make_month(people=1)
    client = client_as()
    with config(app, DOCUMENTS_SYNC_ROWS=0):
        client.post(f"/payroll/documents/runs/{m.run.id}/payroll.xlsx")
    job = only_job()
    kind = services.KINDS["payroll_excel"]

    def broken(job, user, progress):
        raise OSError("no space left on device")

    monkeypatch.setitem(services.KINDS, "payroll_excel", services.Kind(kind.label, broken, kind.action))
    work(connection, name)
    job = job_row(job.id)
    assert job.status == "failed" and "OSError" in job.message
    monkeypatch.setitem(services.KINDS, "payroll_excel", kind)
    assert client.post(f"/payroll/jobs/{job.id}/retry").status_code == 302
    assert job_row(job.id).status == "queued"
    work(connection, name)
    job = job_row(job.id)
    assert (job.status, job.attempts) == ("done", 2)
    assert job.filename == f"工资表_虹口区_{MONTH}.xlsx"


def test_unreachable_redis_fails_the_job_with_the_reason(app, make_month, client_as):
    m = make_month(people=1)
    with config(app, REDIS_URL="redis://127.0.0.1:1/0", DOCUMENTS_SYNC_ROWS=0):
        client_as().post(f"/payroll/documents/runs/{m.run.id}/payroll.xlsx")
    job = only_job()
    assert job.status == "failed" and "Redis" in job.message


def test_the_job_worker_command_runs_the_rq_queue_with_heartbeat(app, rq_app, make_month, client_as, runner):
    """`flask jobs worker` is the one worker: with REDIS_URL set it takes RQ's queue too, and a
    job run through RQ claims, beats and finishes like one from the database queue."""
    connection, name = rq_app
    m = make_month(people=2)
    client = client_as()
    with config(app, DOCUMENTS_SYNC_SLIPS=0):
        client.post(f"/payroll/documents/runs/{m.run.id}/slips", data={})
    job = only_job()
    assert job.backend == "rq" and rq.Queue(name, connection=connection).count == 1
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0 and "1 job(s) run" in result.output, result.output
    job = job_row(job.id)
    assert (job.status, job.attempts) == ("done", 1)
    assert job.heartbeat_at is not None and job.worker.endswith(f":{os.getpid()}")
    assert rq.Queue(name, connection=connection).count == 0
