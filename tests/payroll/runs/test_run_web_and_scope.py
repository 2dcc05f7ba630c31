from __future__ import annotations

from datetime import date

from sqlalchemy import select

from hr.accounts.models import User
from hr.core.db import db
from payroll.runs.models import PayrollRun, Payslip
from tests.conftest import HONGKOU, PUDONG, login


def test_officer_runs_approves_and_locks_from_the_pages(client, graded_worker, make_user):
    graded_worker()
    officer = make_user("officer", HONGKOU, username="hkpay")
    login(client, officer.username)
    resp = client.post("/payroll/runs", data={"month": "2026-01", "district": PUDONG})
    run = db.session.execute(select(PayrollRun)).scalar_one()
    assert resp.headers["Location"].endswith(f"/payroll/runs/{run.id}")
    assert run.district.code == HONGKOU  # an officer's own district, whatever the form says
    page = client.get(f"/payroll/runs/{run.id}").get_data(as_text=True)
    assert "已计算" in page and "各街镇汇总" in page
    client.post(f"/payroll/runs/{run.id}/approve")  # who calculated cannot approve
    db.session.expire_all()
    assert db.session.get(PayrollRun, run.id).status == "calculated"
    reviewer = make_user("reviewer", HONGKOU, username="hkcheck")
    client.post("/logout")
    login(client, reviewer.username)
    screen = client.get(f"/payroll/runs/{run.id}/approve").get_data(as_text=True)
    assert "分项合计" in screen and "确认审批" in screen
    client.post(f"/payroll/runs/{run.id}/approve")
    client.post("/logout")
    login(client, officer.username)
    client.post(f"/payroll/runs/{run.id}/lock")
    db.session.expire_all()
    run = db.session.get(PayrollRun, run.id)
    assert run.status == "locked"
    assert (run.calculated_by, run.approved_by, run.locked_by) == ("hkpay", "hkcheck", "hkpay")
    resp = client.post(f"/payroll/runs/{run.id}/calculate", follow_redirects=True)
    assert "已锁定" in resp.get_data(as_text=True)


def test_bad_month_gets_a_message(client, make_user):
    login(client, make_user("officer", HONGKOU, username="hkbad").username)
    resp = client.post("/payroll/runs", data={"month": "2026-13"}, follow_redirects=True)
    assert "月份格式" in resp.get_data(as_text=True)


def test_another_district_cannot_see_run_or_slips(client, graded_worker, run_month, make_user):
    graded_worker(district_code=PUDONG)
    run = run_month("2026-01", district_code=PUDONG, lock=False)
    slip = db.session.execute(select(Payslip)).scalar_one()
    login(client, make_user("officer", HONGKOU, username="hknosy").username)
    assert client.get(f"/payroll/runs/{run.id}").status_code == 404
    assert client.get(f"/payroll/slips/{slip.id}").status_code == 404
    for action in ("calculate", "approve", "lock", "reopen"):
        assert client.post(f"/payroll/runs/{run.id}/{action}").status_code == 404
    assert "浦东新区" not in client.get("/payroll/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PayrollRun, run.id).status == "calculated"


def test_auditor_reads_but_cannot_act(client, graded_worker, run_month, make_user):
    graded_worker()
    run = run_month("2026-01", lock=False)
    login(client, make_user("auditor", HONGKOU, username="hkaudit").username)
    assert client.get(f"/payroll/runs/{run.id}").status_code == 200
    assert client.post(f"/payroll/runs/{run.id}/approve").status_code == 403
    assert client.post("/payroll/runs", data={"month": "2026-02"}).status_code == 403


def test_cli_run_approve_lock(runner, graded_worker, make_user):
    make_user("admin", username="admin")
    graded_worker()
    out = runner.invoke(args=["payroll", "run", "2026-01", "--district", HONGKOU])
    assert out.exit_code == 0, out.output
    assert "虹口区 2026-01: 1 slips" in out.output and out.output.strip().splitlines()[-1].startswith("total: 1 slips")
    out = runner.invoke(args=["payroll", "approve", "2026-01", "--district", HONGKOU])
    assert out.exit_code == 1 and "审批须由他人" in out.output  # the same operating-system user calculated
    make_user("reviewer", HONGKOU, username="hkcheck")
    assert runner.invoke(args=["payroll", "approve", "2026-01", "--district", HONGKOU, "--as", "hkcheck"]).exit_code == 0
    run = db.session.execute(select(PayrollRun)).scalar_one()
    db.session.refresh(run)
    assert run.calculated_by.endswith("（命令行）") and run.calculated_by_id is None
    assert (run.approved_by, run.approved_by_id) == ("hkcheck", db.session.execute(
        select(User.id).where(User.username == "hkcheck")).scalar_one())
    assert runner.invoke(args=["payroll", "lock", "2026-01", "--all"]).exit_code == 1  # other districts have no run
    out = runner.invoke(args=["payroll", "run", "2026-01", "--district", HONGKOU])
    assert out.exit_code == 1 and "已锁定" in out.output
    assert runner.invoke(args=["payroll", "run", "2026-02"]).exit_code != 0  # neither --district nor --all


def test_money_round_trip_is_exact(graded_worker, run_month):
    graded_worker()
    run = run_month("2026-01", lock=False)
    run.gross = __import__("decimal").Decimal("98765432109.87")
    db.session.commit()
    db.session.expire_all()
    assert str(db.session.get(PayrollRun, run.id).gross) == "98765432109.87"


def test_worker_page_shows_the_slips(client, graded_worker, run_month, make_user):
    w = graded_worker()
    run_month("2026-01")
    login(client, make_user("officer", HONGKOU, username="hkw").username)
    page = client.get(f"/workers/{w.id}").get_data(as_text=True)
    assert "工资记录" in page and "2026-01" in page
    assert date(2026, 1, 1)


def test_home_page_shows_the_latest_runs_of_the_district_only(client, graded_worker, run_month, make_user):
    graded_worker()
    graded_worker(district_code=PUDONG)
    run_month("2026-01", lock=False)
    run_month("2026-01", district_code=PUDONG, lock=False)
    login(client, make_user("officer", HONGKOU, username="hkhome").username)
    page = client.get("/").get_data(as_text=True)
    assert "工资发放" in page and "2026-01" in page and "虹口区" in page and "浦东新区" not in page
