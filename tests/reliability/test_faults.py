"""Faults in the middle of long writes: an exception, or the process killed with SIGKILL,
half-way through a payroll calculation or a register import leaves every table exactly as it
was; running the same batch again then completes."""
from __future__ import annotations

import io
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from hr.core.db import db
from tests.conftest import HONGKOU, committee_in, district, login, valid_id
from tests.helpers.reliability import (
    ROOT,
    diff_tables,
    flask_cmd,
    flask_env,
    is_postgres,
    run_flask,
    snapshot,
)

# Enough workers that a calculation, or an import, runs for well over a second on this
# machine, so that the kill lands inside the open transaction.
KILL_WORKERS = 600
KILL_ROWS = 400


def _assert_unchanged(before, engine=None):
    after = snapshot(engine or db.engine)
    assert diff_tables(before, after) == []
    assert after == before


# An exception half-way ---------------------------------------------------------------------

def _fail_after_write(monkeypatch):
    """Let the calculation write its slips and totals, then fail (as a full disk would)."""
    from payroll.runs import calculate

    original = calculate.write

    def write_then_fail(ctx, out):
        original(ctx, out)
        db.session.flush()
        raise RuntimeError("disk full")

    monkeypatch.setattr(calculate, "write", write_then_fail)


@pytest.mark.parametrize("recalculate", [False, True], ids=["first", "recalculation"])
def test_error_after_the_slips_are_written_leaves_every_table_as_before(
        app, client, make_user, bulk_workers, monkeypatch, recalculate):
    """Through the page: a 500 page, not a half-written run; the old slips of a
    recalculated run are still there; the restarted calculation completes."""
    from payroll.runs import services
    from payroll.runs.models import PayrollRun, Payslip

    ids = bulk_workers(40)
    officer = make_user("officer", HONGKOU, username="hkfault")
    if recalculate:
        run = services.get_or_create_run(district(HONGKOU), date(2026, 1, 1), officer)
        services.calculate_run(run, officer)
        db.session.commit()
        db.session.execute(sa.delete(Payslip).where(Payslip.worker_id == ids[0]))  # make the rerun differ
        db.session.commit()
    login(client, officer.username)
    before = snapshot(db.engine)
    _fail_after_write(monkeypatch)
    if recalculate:
        resp = client.post(f"/payroll/runs/{run.id}/calculate")
    else:
        resp = client.post("/payroll/runs", data={"month": "2026-01", "district": HONGKOU})
    assert resp.status_code == 500
    assert "服务器内部错误" in resp.get_data(as_text=True)
    _assert_unchanged(before)

    monkeypatch.undo()
    if recalculate:
        resp = client.post(f"/payroll/runs/{run.id}/calculate")
    else:
        resp = client.post("/payroll/runs", data={"month": "2026-01", "district": HONGKOU})
    assert resp.status_code == 302
    db.session.expire_all()
    run = db.session.execute(sa.select(PayrollRun)).scalar_one()
    assert run.status == "calculated" and run.headcount == len(ids)
    assert db.session.execute(sa.select(sa.func.count(Payslip.id))).scalar_one() == len(ids)


def _xlsx(rows):
    from tests.helpers.reliability import _han

    committee = committee_in(HONGKOU)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("社区工作者名册")
    ws.append(["姓名", "身份证号", "手机号", "学历", "政治面貌", "职业资格", "资格取得日期", "入职日期",
               "社区工作年限", "街镇", "居委会", "事业待遇", "后备干部", "开户行", "银行账号"])
    for i in range(rows):
        ws.append([f"导入{_han(i)}", valid_id(), "13912345678", "大专", "群众", "无", None, "2018-09-01", 0,
                   committee.street.name, committee.name, "否", "否", "中国银行上海分行", f"62166{i:014d}"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_error_half_way_through_an_import_leaves_the_register_as_before(app, client, make_user, make_worker,
                                                                         monkeypatch):
    """The fifth of ten new workers fails: none of the ten is registered, no audit entry;
    confirming the same upload again imports all ten."""
    import re

    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    from hr.workers import imports
    from hr.workers.models import Worker

    make_worker(name="原有职工")
    officer = make_user("officer", HONGKOU, username="hkimport")
    login(client, officer.username)
    content = _xlsx(10)
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), filename="名册.xlsx")})
    preview = client.post("/workers/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    token = re.search(r'value="([0-9a-f]{32})"', preview.get_data(as_text=True)).group(1)
    before = snapshot(db.engine)

    original = imports.create_worker
    calls = {"n": 0}

    def failing(data, user=None):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("connection lost")
        return original(data, user)

    monkeypatch.setattr(imports, "create_worker", failing)
    resp = client.post("/workers/import/confirm", data={"token": token, "filename": "名册.xlsx"})
    assert resp.status_code == 500 and calls["n"] == 5
    _assert_unchanged(before)

    monkeypatch.undo()
    resp = client.post("/workers/import/confirm", data={"token": token, "filename": "名册.xlsx"},
                       follow_redirects=True)
    assert "导入完成：新增 10 人" in resp.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count(Worker.id))).scalar_one() == 11


# SIGKILL half-way -------------------------------------------------------------------------

class Child:
    """A subprocess whose output lines are read by a thread (so waiting never blocks)."""

    def __init__(self, cmd, env):
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait_for(self, marker, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.05)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if marker in line:
                return
        self.kill()
        pytest.fail(f"never saw {marker!r}; output: {''.join(self.seen)}")

    def kill_when(self, ready, timeout=60.0, then=0.0):
        """SIGKILL the child as soon as `ready()` says it is writing (plus `then` seconds)."""
        deadline = time.monotonic() + timeout
        while not ready():
            assert self.proc.poll() is None, (
                "the batch finished before it was seen writing: seed more rows. Output: " + "".join(self.seen))
            assert time.monotonic() < deadline, "the batch never started writing"
            time.sleep(0.01)
        time.sleep(then)
        assert self.proc.poll() is None, "the batch finished before the kill. Output: " + "".join(self.seen)
        self.kill()
        assert self.proc.returncode == -signal.SIGKILL

    def kill(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)
        self.reader.join(10)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        while not self.lines.empty():
            self.seen.append(self.lines.get())


def writing(app, table):
    """A probe: has another connection begun writing to `table` (and not yet committed)?
    PostgreSQL: a RowExclusiveLock on the table held by another backend. SQLite (one writer):
    the write lock is taken, so an immediate transaction cannot start."""
    if is_postgres(app):
        def probe():
            with db.engine.connect() as conn:
                return conn.execute(sa.text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    "WHERE c.relname = :t AND l.mode = 'RowExclusiveLock' AND l.granted "
                    "AND l.pid <> pg_backend_pid()"), {"t": table}).scalar_one() > 0
        return probe
    path = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database

    def probe_sqlite():
        con = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True
        else:
            con.execute("ROLLBACK")
            return False
        finally:
            con.close()
    return probe_sqlite


def _settle(app):
    """After a kill, PostgreSQL ends the dead client's backend (and its transaction) once it
    notices the closed socket: wait for that so that the next step does not race it."""
    if not is_postgres(app):
        return
    for _ in range(100):
        with db.engine.connect() as conn:
            busy = conn.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'")).scalar_one()
        if not busy:
            return
        time.sleep(0.1)


@pytest.mark.parametrize("recalculate", [False, True], ids=["first", "recalculation"])
def test_killed_payroll_run_leaves_the_database_as_before_and_a_rerun_completes(
        app, make_user, bulk_workers, tmp_path, recalculate):
    from hr.accounts.models import User
    from payroll.runs.models import PayrollRun, Payslip

    make_user("admin", username="admin")
    ids = bulk_workers(KILL_WORKERS)
    if recalculate:
        from payroll.runs import services

        admin = db.session.execute(sa.select(User).where(User.username == "admin")).scalar_one()
        services.calculate_run(services.get_or_create_run(district(HONGKOU), date(2026, 1, 1), admin), admin)
        db.session.commit()
        db.session.execute(sa.delete(Payslip).where(Payslip.worker_id.in_(ids[:10])))
        db.session.commit()
    db.session.remove()
    before = snapshot(db.engine)

    child = Child(flask_cmd("payroll", "run", "2026-01", "--district", HONGKOU), flask_env(app, tmp_path))
    child.wait_for("虹口区 2026-01")  # the progress output: the run's transaction is open
    # Killed as soon as it writes the slips (PostgreSQL; SQLite: the recalculation's delete
    # of the old slips, or the new run's row): the transaction is open, half of it written.
    child.kill_when(writing(app, "payslip" if is_postgres(app) else ""))
    assert not any("slips" in line for line in child.seen)
    _settle(app)
    _assert_unchanged(before)

    again = run_flask(app, tmp_path, "payroll", "run", "2026-01", "--district", HONGKOU)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"虹口区 2026-01: {KILL_WORKERS} slips" in again.stdout
    db.session.expire_all()
    run = db.session.execute(sa.select(PayrollRun)).scalar_one()
    assert run.status == "calculated" and run.headcount == KILL_WORKERS
    slips = db.session.execute(sa.select(sa.func.count(Payslip.id), sa.func.count(sa.distinct(Payslip.worker_id)))
                               .where(Payslip.run_id == run.id)).one()
    assert tuple(slips) == (KILL_WORKERS, KILL_WORKERS)


def test_killed_import_leaves_the_register_as_before_and_a_rerun_completes(app, make_user, make_worker, tmp_path):
    from hr.workers.models import Worker

    make_user("admin", username="admin")
    make_worker(name="原有职工")
    path = tmp_path / "big.xlsx"
    path.write_bytes(_xlsx(KILL_ROWS))
    db.session.remove()
    before = snapshot(db.engine)
    cmd = [sys.executable, "-m", "tests.reliability.import_script", str(path), HONGKOU]

    child = Child(cmd, flask_env(app, tmp_path))
    child.wait_for("applying")
    child.kill_when(writing(app, "worker"), then=0.2)  # some rows written, most not
    assert not any(line.startswith("done") for line in child.seen)
    _settle(app)
    _assert_unchanged(before)

    again = subprocess.run(cmd, cwd=ROOT, env=flask_env(app, tmp_path), capture_output=True, text=True,
                           timeout=300, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"done {KILL_ROWS} 0" in again.stdout
    assert db.session.execute(sa.select(sa.func.count(Worker.id))).scalar_one() == KILL_ROWS + 1


# A slip batch (payroll/jobs + payroll/documents) ---------------------------------------------

@pytest.fixture
def slip_job(app, make_user, bulk_workers, tmp_path, monkeypatch):
    """A calculated month of 60 slips and a queued job printing them all (files in a folder
    of this test's own)."""
    pytest.importorskip("payroll.jobs.services")
    monkeypatch.setitem(app.config, "JOBS_FOLDER", str(tmp_path / "jobs"))
    from payroll.jobs import services as jobs
    from payroll.runs import services

    officer = make_user("officer", HONGKOU, username="hkslips")
    bulk_workers(60)
    run = services.get_or_create_run(district(HONGKOU), date(2026, 1, 1), officer)
    services.calculate_run(run, officer)
    db.session.commit()
    job = jobs.enqueue("payslips", district_id=run.district_id, run_id=run.id, title="工资条 虹口区 2026-01",
                       total=60, user=officer)
    db.session.commit()
    return job.id


def _without_jobs(snap):
    return {t: rows for t, rows in snap.items() if t != "job"}


def _job_files(app, job_id):
    from pathlib import Path

    folder = Path(app.config["JOBS_FOLDER"])
    return sorted(p.name for p in folder.glob(f"{job_id}-*")) if folder.exists() else []


def _pdf_pages(content):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def test_error_in_a_slip_batch_fails_the_job_alone_and_a_retry_completes(app, slip_job, monkeypatch):
    from hr.accounts.models import User
    from payroll.documents import pdf
    from payroll.jobs import services as jobs
    from payroll.jobs.models import Job

    before = snapshot(db.engine)
    original = pdf.slips_pdf

    def half_then_fail(streets, title, static_dir, processes=1, progress=None):
        if progress:
            progress(30)
        raise RuntimeError("out of memory")

    monkeypatch.setattr(pdf, "slips_pdf", half_then_fail)
    assert jobs.run(slip_job)
    job = db.session.get(Job, slip_job)
    assert job.status == "failed" and "可重试" in job.message
    assert _without_jobs(snapshot(db.engine)) == _without_jobs(before)  # no slip, no audit entry changed
    assert _job_files(app, slip_job) == []

    monkeypatch.setattr(pdf, "slips_pdf", original)
    jobs.retry(job, db.session.get(User, job.created_by_id))
    db.session.commit()
    assert jobs.run(slip_job)
    db.session.expire_all()
    job = db.session.get(Job, slip_job)
    assert job.status == "done" and job.done == 60
    files = _job_files(app, slip_job)
    if job.stored_as == "db":  # PostgreSQL keeps outputs in the database
        assert files == []
    else:
        assert len(files) == 1 and not files[0].endswith(".part")
    assert _pdf_pages(jobs.read_output(job)) >= 20  # three slips to a page


def test_killed_slip_batch_leaves_no_file_and_a_retried_job_completes(app, slip_job, tmp_path, make_user):
    from datetime import timedelta

    from hr.core.timeutil import utcnow
    from payroll.jobs import services as jobs
    from payroll.jobs.models import Job

    db.session.remove()
    before = snapshot(db.engine)
    env = flask_env(app, tmp_path)
    env["FLASK_JOBS_FOLDER"] = app.config["JOBS_FOLDER"]
    child = Child(flask_cmd("jobs", "worker", "--burst"), env)

    def printing():
        with db.engine.connect() as conn:
            status, done = conn.execute(sa.select(Job.status, Job.done).where(Job.id == slip_job)).one()
        assert status in ("queued", "running"), f"the batch ended before the kill: {status}"
        return status == "running"

    child.kill_when(printing, then=0.5)
    after = snapshot(db.engine)
    assert _without_jobs(after) == _without_jobs(before)
    assert _job_files(app, slip_job) == []  # no half-written PDF is offered for download
    job = db.session.get(Job, slip_job)
    assert job.status == "running" and not jobs.can_retry(job)  # until its heartbeat is overdue

    job.heartbeat_at = utcnow() - timedelta(seconds=int(app.config["JOBS_STALE_SECONDS"]) + 1)
    db.session.commit()
    assert jobs.can_retry(job)
    assert jobs.reap_stale() == 1
    db.session.expire_all()
    job = db.session.get(Job, slip_job)
    assert job.status == "failed" and "可重试" in job.message
    jobs.retry(job, make_user("officer", HONGKOU, username="hkretry"))
    db.session.commit()
    assert jobs.run(slip_job)
    db.session.expire_all()
    job = db.session.get(Job, slip_job)
    assert job.status == "done" and job.done == 60
    assert _pdf_pages(jobs.read_output(job)) >= 20
