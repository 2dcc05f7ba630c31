"""Two people at once. Two officers saving the same worker: the second save is refused with a
clear message and nothing is overwritten silently (the `version` column), through the service
and through the edit form. Two calculations of one district and month: one run, consistent
slips. The thread tests need PostgreSQL, where transactions really run side by side."""
from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from hr.core.db import db
from tests.conftest import HONGKOU, district, login
from tests.helpers.reliability import ROOT, flask_cmd, flask_env, is_postgres
from tests.helpers.web import new_client

SQLITE_SERIALISES = ("SQLite has a single writer: two transactions never overlap, the database lock "
                     "serialises them. Run with TEST_DATABASE_URL (PostgreSQL) for the real race.")


@pytest.fixture
def postgres_only(app):
    if not is_postgres(app):
        pytest.skip(SQLITE_SERIALISES)


def together(app, *jobs: Callable[[threading.Barrier], Any], timeout: float = 120) -> list[Any]:
    """Run the jobs in threads, each in an application context of its own; they meet at a
    barrier before the racing step. Returns each job's result or exception."""
    barrier = threading.Barrier(len(jobs), timeout=timeout)
    results: list[Any] = [None] * len(jobs)

    def run(i: int, job: Callable[[threading.Barrier], Any]) -> None:
        with app.app_context():
            try:
                results[i] = job(barrier)
            except BaseException as e:  # reported to the test below
                db.session.rollback()
                results[i] = e
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
        assert not t.is_alive(), "a job is stuck (deadlock?)"
    return results


# Two officers, one worker ------------------------------------------------------------------

def test_two_officers_saving_one_worker_at_once_through_the_service(app, postgres_only, make_user, make_worker):
    from hr.accounts.models import User
    from hr.audit.models import AuditEntry
    from hr.core.errors import Conflict
    from hr.workers.models import Worker
    from hr.workers.services import snapshot, update_worker

    worker = make_worker(phone="13900000000")
    wid, version0 = worker.id, worker.version
    officers = [make_user("officer", HONGKOU, username=f"hk{i}").id for i in range(2)]

    def save(officer_id: int, phone: str) -> Callable[[threading.Barrier], Any]:
        def job(barrier: threading.Barrier) -> Any:
            user = db.session.get(User, officer_id)
            w = db.session.get(Worker, wid)
            data = snapshot(w)
            version = w.version
            barrier.wait()  # both forms were built from version 1
            data["phone"] = phone
            update_worker(w, data, version, user)
            db.session.commit()
            return "saved"
        return job

    results = together(app, save(officers[0], "13911111111"), save(officers[1], "13922222222"))
    assert sorted(map(type, results), key=str) == sorted([str, Conflict], key=str), results
    refused = next(r for r in results if isinstance(r, Conflict))
    assert "已被他人修改" in refused.message and "未保存" in refused.message
    db.session.expire_all()
    saved = db.session.get(Worker, wid)
    assert saved.version == version0 + 1
    winner = officers[results.index("saved")]
    assert saved.phone == ("13911111111" if winner == officers[0] else "13922222222")
    updates = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "update")).scalars().all()
    assert len(updates) == 1 and updates[0].user_id == winner


def _edit_form(client, worker_id: int) -> dict[str, str]:
    html = client.get(f"/workers/{worker_id}/edit").get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', html))
    selects = re.findall(r'<select[^>]*name="([a-z_]+)".*?</select>', html, re.S)
    for name in selects:
        block = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
        chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected', block)
        fields[name] = next(g for g in chosen.groups() if g is not None)
    fields.pop("shiye", None)
    fields.pop("reserve_cadre", None)
    fields.pop("csrf_token", None)
    assert fields.get("version") == "1", fields
    return fields


def test_two_officers_posting_the_edit_form_at_once(app, postgres_only, make_user, make_worker):
    from hr.workers.models import Worker

    worker = make_worker(phone="13900000000")
    clients = []
    for i in range(2):
        c = new_client(app)
        login(c, make_user("officer", HONGKOU, username=f"hkform{i}").username)
        clients.append(c)
    forms = [_edit_form(c, worker.id) for c in clients]
    forms[0]["phone"], forms[1]["phone"] = "13911111111", "13922222222"

    def post(i: int) -> Callable[[threading.Barrier], Any]:
        def job(barrier: threading.Barrier) -> Any:
            barrier.wait()
            resp = clients[i].post(f"/workers/{worker.id}/edit", data=forms[i])
            return resp.status_code, resp.get_data(as_text=True)
        return job

    results = together(app, post(0), post(1))
    assert sorted(code for code, _ in results) == [302, 409], [code for code, _ in results]
    loser = next(i for i, (code, _) in enumerate(results) if code == 409)
    assert "已被他人修改" in results[loser][1] and "未保存" in results[loser][1]
    db.session.expire_all()
    saved = db.session.get(Worker, worker.id)
    assert saved.phone == forms[1 - loser]["phone"] and saved.version == 2


# Two calculations, one month ---------------------------------------------------------------

def assert_consistent(expected_headcount: int) -> None:
    """One run; its headcount is its number of slips; its totals are the sums of its slips;
    one slip per worker."""
    from payroll.runs.models import TOTAL_FIELDS, PayrollRun, Payslip

    db.session.expire_all()
    runs = db.session.execute(sa.select(PayrollRun)).scalars().all()
    assert len(runs) == 1
    run = runs[0]
    slips = db.session.execute(sa.select(Payslip).where(Payslip.run_id == run.id)).scalars().all()
    assert run.status == "calculated"
    assert run.headcount == len(slips) == expected_headcount
    assert len({s.worker_id for s in slips}) == len(slips)
    for f in TOTAL_FIELDS:
        assert getattr(run, f) == sum((getattr(s, f) for s in slips), start=type(run.gross)(0)), f
    assert db.session.execute(sa.select(sa.func.count(Payslip.id))).scalar_one() == expected_headcount


@pytest.mark.parametrize("existing", [False, True], ids=["new-run", "recalculation"])
def test_two_calculations_of_one_month_at_once_in_threads(app, postgres_only, make_user, bulk_workers, existing):
    from hr.accounts.models import User
    from payroll.runs import services

    bulk_workers(120)
    officers = [make_user("officer", HONGKOU, username=f"hkcalc{i}").id for i in range(2)]
    if existing:
        user = db.session.get(User, officers[0])
        services.calculate_run(services.get_or_create_run(district(HONGKOU), date(2026, 1, 1), user), user)
        db.session.commit()

    def calculate(officer_id: int) -> Callable[[threading.Barrier], Any]:
        def job(barrier: threading.Barrier) -> Any:
            user = db.session.get(User, officer_id)
            barrier.wait()
            run = services.get_or_create_run(district(HONGKOU), date(2026, 1, 1), user)
            result = services.calculate_run(run, user)
            db.session.commit()
            return result["headcount"]
        return job

    results = together(app, calculate(officers[0]), calculate(officers[1]))
    assert results == [120, 120], results
    assert_consistent(120)


def test_two_calculation_processes_at_once(app, make_user, bulk_workers, tmp_path):
    """`flask payroll run` twice at the same moment (a cron job and an officer's retry): on
    SQLite the second waits for the database lock, on PostgreSQL for the run's row lock;
    either way both finish and the month has one consistent run."""
    make_user("admin", username="admin")
    bulk_workers(150)
    db.session.remove()
    env = flask_env(app, tmp_path)
    procs = [subprocess.Popen(flask_cmd("payroll", "run", "2026-01", "--district", HONGKOU), cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=180)[0] for p in procs]
    for p, out in zip(procs, outputs, strict=True):
        assert p.returncode == 0, out
        assert "虹口区 2026-01: 150 slips" in out, out
    assert_consistent(150)


def test_parallel_run_creations_one_creates_the_others_find_it(app, postgres_only, make_user):
    """Four officers create the same month at once: exactly one call creates the run (the API's
    201); the others get the same row and are told it existed (200)."""
    from hr.accounts.models import User
    from payroll.runs import services

    officers = [make_user("officer", HONGKOU, username=f"hkcreate{i}").id for i in range(4)]

    def create(officer_id: int) -> Callable[[threading.Barrier], Any]:
        def job(barrier: threading.Barrier) -> Any:
            user = db.session.get(User, officer_id)
            barrier.wait()
            run, created = services.ensure_run(district(HONGKOU), date(2026, 1, 1), user)
            db.session.commit()
            return run.id, created
        return job

    results = together(app, *(create(o) for o in officers))
    assert all(isinstance(r, tuple) for r in results), results
    assert len({run_id for run_id, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, False, False, True]
