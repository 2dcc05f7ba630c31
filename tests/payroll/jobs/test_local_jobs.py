"""Jobs on the database queue: enqueue -> the job worker runs it -> done -> download; failure
-> message -> retry; progress on the page; the CLI; and a real `flask jobs worker` process."""
from __future__ import annotations

import time

from hr.core.db import db
from payroll.jobs import services
from tests.helpers.documents import (
    MONTH,
    as_next_user,
    audit_actions,
    content_disposition_name,
    pdf_text,
    workbook,
)
from tests.helpers.jobs import job_row, only_job
from tests.helpers.web import config


def start_slips_job(app, client, run_id: int):
    with config(app, DOCUMENTS_SYNC_SLIPS=0):
        resp = client.post(f"/payroll/documents/runs/{run_id}/slips", data={})
    assert resp.status_code == 302
    return only_job()


def test_enqueue_run_done_download(app, make_month, client_as, runner):
    m = make_month(people=4)
    client = client_as()
    job = start_slips_job(app, client, m.run.id)
    assert (job.status, job.backend, job.total, job.done, job.kind) == ("queued", "local", 4, 0, "payslips")
    page = client.get(f"/payroll/jobs/{job.id}").get_data(as_text=True)
    assert 'data-poll="2000"' in page and "排队中" in page and "<progress" in page

    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0 and "1 job(s) run" in result.output
    job = job_row(job.id)
    assert (job.status, job.done, job.total, job.attempts) == ("done", 4, 4, 1)
    assert job.filename == f"工资条_虹口区_{MONTH}.pdf" and job.size > 0
    page = client.get(f"/payroll/jobs/{job.id}").get_data(as_text=True)
    assert "data-poll" not in page and "已完成" in page and f"/payroll/jobs/{job.id}/download" in page

    resp = client.get(f"/payroll/jobs/{job.id}/download")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert content_disposition_name(resp) == f"工资条_虹口区_{MONTH}.pdf"
    pages, text = pdf_text(resp.data)
    assert pages == 2 and all(w.name in text for w in m.workers)
    # the batch itself (by the requester) and the download are both in the audit log
    prints = audit_actions("print")
    assert [e.object_type for e in prints] == ["payroll_run", "job"]
    assert prints[1].summary == f"下载 {job.filename}"
    listing = client.get("/payroll/jobs/").get_data(as_text=True)
    assert job.title in listing and "下载" in listing


def test_excel_job(app, make_month, client_as, runner):
    m = make_month(people=3)
    client = client_as()
    with config(app, DOCUMENTS_SYNC_ROWS=0):
        client.post(f"/payroll/documents/runs/{m.run.id}/payroll.xlsx")
    job = only_job()
    runner.invoke(args=["jobs", "worker", "--burst"])
    resp = client.get(f"/payroll/jobs/{job_row(job.id).id}/download")
    assert resp.status_code == 200
    wb = workbook(resp.data)
    assert wb.sheetnames[0] == "汇总" and wb.sheetnames[-1] == "银行代发"


def test_failure_says_why_and_can_be_retried(app, make_month, client_as, runner, monkeypatch):
    m = make_month(people=2)
    client = client_as()
    job = start_slips_job(app, client, m.run.id)
    kind = services.KINDS["payslips"]

    def broken(job, user, progress):
        raise RuntimeError("disk full")

    monkeypatch.setitem(services.KINDS, "payslips", services.Kind(kind.label, broken, kind.action))
    runner.invoke(args=["jobs", "worker", "--burst"])
    job = job_row(job.id)
    assert job.status == "failed" and "RuntimeError" in job.message and job.finished_at is not None
    page = client.get(f"/payroll/jobs/{job.id}").get_data(as_text=True)
    assert "生成失败" in page and "RuntimeError" in page and "重试" in page and "data-poll" not in page
    assert client.get(f"/payroll/jobs/{job.id}/download").status_code == 409

    monkeypatch.setitem(services.KINDS, "payslips", kind)
    resp = client.post(f"/payroll/jobs/{job.id}/retry")
    assert resp.status_code == 302
    job = job_row(job.id)
    assert (job.status, job.message) == ("queued", "")
    runner.invoke(args=["jobs", "worker", "--burst"])
    job = job_row(job.id)
    assert (job.status, job.attempts) == ("done", 2)
    assert client.post(f"/payroll/jobs/{job.id}/retry").status_code == 302  # refused: flashed, not queued
    assert job_row(job.id).status == "done"


def test_domain_error_message_is_shown_as_is(app, make_month, client_as, runner):
    m = make_month(people=2)
    client = client_as()
    job = start_slips_job(app, client, m.run.id)
    # the slips disappear before the worker gets to the job
    db.session.execute(db.text("DELETE FROM payslip"))
    db.session.execute(db.text("UPDATE payroll_run SET headcount = 0"))
    db.session.commit()
    runner.invoke(args=["jobs", "worker", "--burst"])
    job = job_row(job.id)
    assert job.status == "failed" and "尚未计算" in job.message


def test_stale_running_job_can_be_retried(app, make_month, client_as):
    from datetime import timedelta

    from hr.core.timeutil import utcnow

    m = make_month(people=1)
    client = client_as()
    job = start_slips_job(app, client, m.run.id)
    job.status, job.started_at = "running", utcnow() - timedelta(hours=3)
    job.heartbeat_at = utcnow() - timedelta(seconds=app.config["JOBS_STALE_SECONDS"] - 5)
    db.session.commit()
    page = client.get(f"/payroll/jobs/{job.id}").get_data(as_text=True)
    assert "data-poll" in page and "重试" not in page  # a long job that still beats is not stale
    assert client.post(f"/payroll/jobs/{job.id}/retry").status_code == 302
    assert job_row(job.id).status == "running"
    job = job_row(job.id)
    job.heartbeat_at = utcnow() - timedelta(seconds=app.config["JOBS_STALE_SECONDS"] + 1)
    db.session.commit()
    page = client.get(f"/payroll/jobs/{job.id}").get_data(as_text=True)
    assert "停止响应" in page and "data-poll" not in page
    assert client.post(f"/payroll/jobs/{job.id}/retry").status_code == 302
    assert job_row(job.id).status == "queued"


def test_progress_is_written_while_running(app, make_month, client_as):
    m = make_month(people=2)
    job = start_slips_job(app, client_as(), m.run.id)
    assert services.claim(job.id)
    progress = services._Progress(job.id)
    progress(1)
    progress.flush()
    assert job_row(job.id).done == 1 and job_row(job.id).percent == 50
    assert not services.claim(job.id)  # already taken


def test_jobs_list_cli(app, make_month, client_as, runner):
    m = make_month(people=1)
    job = start_slips_job(app, client_as(), m.run.id)
    result = runner.invoke(args=["jobs", "list"])
    assert result.exit_code == 0 and f"#{job.id} queued" in result.output


def test_city_export_for_the_city_admin(make_month, client_as, runner):
    make_month(people=2)
    make_month("310115", people=1)
    assert client_as("officer").post("/payroll/documents/city/payroll", data={"month": MONTH}).status_code == 403
    as_next_user()
    admin = client_as("admin", None)
    assert "全市工资表" in admin.get("/payroll/jobs/").get_data(as_text=True)
    resp = admin.post("/payroll/documents/city/payroll", data={"month": MONTH})
    assert resp.status_code == 302
    from payroll.jobs.models import Job

    jobs = db.session.execute(db.select(Job).order_by(Job.district_id)).scalars().all()
    assert [j.kind for j in jobs] == ["payroll_excel", "payroll_excel"]
    runner.invoke(args=["jobs", "worker", "--burst"])
    assert {job_row(j.id).status for j in jobs} == {"done"}


def test_a_request_starts_no_process_and_a_worker_process_runs_the_job(app, make_month, client_as, tmp_path):
    """The request only queues; `flask jobs worker`, a real process of its own against this test
    database, runs the job, and stops cleanly on SIGTERM."""
    import signal
    import subprocess

    from tests.helpers.reliability import ROOT, flask_cmd, flask_env

    m = make_month(people=2)
    client = client_as()
    with config(app, DOCUMENTS_SYNC_ROWS=0):
        children_before = _children()
        resp = client.post(f"/payroll/documents/runs/{m.run.id}/payroll.xlsx")
        assert _children() == children_before  # nothing spawned by the web request
    assert resp.status_code == 302
    job = only_job()
    env = flask_env(app, tmp_path)
    env["FLASK_JOBS_FOLDER"] = app.config["JOBS_FOLDER"]
    worker = subprocess.Popen(flask_cmd("jobs", "worker", "--poll", "1"), cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while job_row(job.id).status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.5)
        assert job_row(job.id).status == "done", job_row(job.id).message
        assert worker.poll() is None  # still waiting for more
    finally:
        worker.send_signal(signal.SIGTERM)
        out, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0 and "job worker stopped" in out, out
    assert client.get(f"/payroll/jobs/{job.id}/download").status_code == 200


def _children() -> set[int]:
    import os

    pid = os.getpid()
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        return {int(x) for x in fh.read().split()}
