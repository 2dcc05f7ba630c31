"""A slip batch whose process is killed with SIGKILL: its render processes die with it, its
heartbeat stops, the next look of a job worker marks it failed and retryable, and a retry
completes. The `flask payroll slips` command leaves no render process behind, finished or
killed.

Each process under test starts a session of its own, so "left behind" means: a live process
of that session after its leader has gone."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from hr.core.db import db
from tests.conftest import HONGKOU, district
from tests.helpers.reliability import ROOT, flask_cmd, flask_env

SLIPS = 240  # one street: one document of 80 pages, several seconds to render


def session_alive(sid: int) -> list[int]:
    """Live (not zombie) processes of session `sid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(b")", 1)[1].split()
        if int(fields[3]) == sid and fields[0] not in (b"Z", b"X"):
            found.append(int(entry.name))
    return found


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def pool_env(app, tmp_path) -> dict[str, str]:
    """A child process on this test database that renders slips with a pool of 2 processes."""
    env = flask_env(app, tmp_path)
    env.update({"FLASK_JOBS_FOLDER": app.config["JOBS_FOLDER"], "FLASK_DOCUMENTS_POOL_MIN_SLIPS": "1",
                "FLASK_DOCUMENTS_PROCESSES": "2", "FLASK_JOBS_HEARTBEAT_SECONDS": "1"})
    return env


def start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


@pytest.fixture
def month(app, make_user, bulk_workers):
    """A calculated January of SLIPS workers in one street, and the city admin the commands act as."""
    from payroll.runs import services

    make_user("admin", None, username="admin")
    officer = make_user("officer", HONGKOU, username="hkkill")
    bulk_workers(SLIPS)
    run = services.get_or_create_run(district(HONGKOU), date(2026, 1, 1), officer)
    services.calculate_run(run, officer)
    db.session.commit()
    return run, officer


def _job(job_id: int):
    from payroll.jobs.models import Job

    db.session.expire_all()
    return db.session.execute(sa.select(Job).where(Job.id == job_id)).scalar_one()


def test_killed_worker_takes_its_render_processes_and_the_job_becomes_retryable(app, month, runner, tmp_path,
                                                                                  monkeypatch):
    from payroll.jobs import services as jobs

    run, officer = month
    job_id = jobs.enqueue("payslips", district_id=run.district_id, run_id=run.id, title="工资条", total=SLIPS,
                          user=officer).id
    db.session.commit()
    worker = start(flask_cmd("jobs", "worker", "--poll", "1"), pool_env(app, tmp_path))
    try:
        wait_until(lambda: _job(job_id).status == "running", 120, "the job to start")
        first_beat = _job(job_id).heartbeat_at
        # the worker, the forkserver, its resource tracker and a render process
        wait_until(lambda: len(session_alive(worker.pid)) >= 4 or _job(job_id).status != "running", 60,
                   "the render processes")
        assert _job(job_id).status == "running", "the batch ended before the kill: print more slips"
        wait_until(lambda: _job(job_id).heartbeat_at > first_beat, 10, "a heartbeat")
        assert _job(job_id).status == "running"
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(30)
    wait_until(lambda: not session_alive(worker.pid), 10, f"render processes {session_alive(worker.pid)} to die")

    job = _job(job_id)
    assert job.status == "running" and not jobs.can_retry(job)  # until the heartbeat is overdue
    monkeypatch.setitem(app.config, "JOBS_STALE_SECONDS", 3)
    wait_until(lambda: jobs.stale(_job(job_id)), 10, "the heartbeat to be overdue")
    result = runner.invoke(args=["jobs", "worker", "--burst"])  # any worker's next look at the queue
    assert result.exit_code == 0, result.output
    job = _job(job_id)
    assert job.status == "failed" and job.message == jobs.INTERRUPTED and jobs.can_retry(job)

    jobs.retry(job, officer)
    db.session.commit()
    runner.invoke(args=["jobs", "worker", "--burst"])
    job = _job(job_id)
    assert (job.status, job.attempts, job.done) == ("done", 2, SLIPS)
    assert len(jobs.read_output(job)) == job.size > 0


def test_slips_command_leaves_no_render_process(app, month, tmp_path):
    out = tmp_path / "slips.pdf"
    cli = start(flask_cmd("payroll", "slips", "2026-01", "--district", HONGKOU, "-o", str(out)),
                pool_env(app, tmp_path))
    assert cli.wait(300) == 0
    assert out.stat().st_size > 0
    wait_until(lambda: not session_alive(cli.pid), 5, "no process left")


def test_killed_slips_command_takes_its_render_processes(app, month, tmp_path):
    out = tmp_path / "slips.pdf"
    cli = start(flask_cmd("payroll", "slips", "2026-01", "--district", HONGKOU, "-o", str(out)),
                pool_env(app, tmp_path))
    try:
        wait_until(lambda: len(session_alive(cli.pid)) >= 4 or cli.poll() is not None, 120, "the render processes")
        assert cli.poll() is None, "the command ended before the kill: print more slips"
    finally:
        os.kill(cli.pid, signal.SIGKILL)
        cli.wait(30)
    wait_until(lambda: not session_alive(cli.pid), 10, f"render processes {session_alive(cli.pid)} to die")
    assert not out.exists()
