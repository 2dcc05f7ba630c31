from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from hr.core.db import db
from hr.core.errors import Conflict, DomainError
from hr.grades.models import Assessment, Assignment
from payroll.runs import calculate, services
from payroll.runs.models import PayrollRun, Payslip
from payroll.runs.transitions import IllegalTransition
from tests.conftest import HONGKOU, district


def _officer(make_user):
    return make_user("officer", HONGKOU, username="hkrun")


def test_lifecycle_draft_calculated_approved_locked(graded_worker, make_user):
    graded_worker()
    user = _officer(make_user)
    run = services.get_or_create_run(district(HONGKOU), date(2026, 1, 1), user)
    assert run.status == "draft"
    services.calculate_run(run, user)
    assert run.status == "calculated" and run.headcount == 1
    assert (run.calculated_by, run.calculated_by_id) == (user.username, user.id)
    with pytest.raises(Conflict, match="审批须由他人"):
        services.approve_run(run, user)
    reviewer = make_user("reviewer", HONGKOU, username="hkreview")
    services.approve_run(run, reviewer)
    assert run.status == "approved" and (run.approved_by, run.approved_by_id) == (reviewer.username, reviewer.id)
    services.lock_run(run, user)
    db.session.commit()
    assert run.status == "locked"
    with pytest.raises(IllegalTransition, match="已锁定"):
        services.calculate_run(run, user)
    with pytest.raises(IllegalTransition):
        services.approve_run(run, user)


def test_illegal_moves_are_named(graded_worker, make_user):
    user = _officer(make_user)
    run = services.get_or_create_run(district(HONGKOU), date(2026, 1, 1), user)
    with pytest.raises(IllegalTransition, match="草稿"):
        services.approve_run(run, user)
    with pytest.raises(IllegalTransition):
        services.lock_run(run, user)


def test_a_locked_month_never_changes(graded_worker, run_month, make_user):
    w = graded_worker()
    user = _officer(make_user)
    run = run_month("2026-01")
    before = db.session.execute(select(Payslip.net).where(Payslip.run_id == run.id)).scalar_one()
    db.session.add(Assignment(worker_id=w.id, district_id=w.district_id, post="STAF", grade=9,
                              effective=date(2026, 1, 1), reason="纠错"))
    db.session.commit()
    with pytest.raises(IllegalTransition):
        services.calculate_run(run, user)
    db.session.rollback()
    assert db.session.execute(select(Payslip.net).where(Payslip.run_id == run.id)).scalar_one() == before


def test_approval_refused_while_a_blocking_problem_remains(graded_worker, make_user):
    graded_worker(bank_account="", bank_name="")
    user = _officer(make_user)
    run = services.get_or_create_run(district(HONGKOU), date(2026, 1, 1), user)
    services.calculate_run(run, user)
    assert [p["code"] for p in run.blocking] == ["no_bank_account"]
    with pytest.raises(DomainError, match="问题"):
        services.approve_run(run, make_user("reviewer", HONGKOU, username="hkreview"))


def test_december_without_rating_blocks_and_with_rating_pays_the_bonus(graded_worker, run_month, make_user):
    w = graded_worker(hire_date=date(2026, 1, 1))
    for m in range(1, 12):
        run_month(f"2026-{m:02d}")
    user = _officer(make_user)
    dec = services.get_or_create_run(district(HONGKOU), date(2026, 12, 1), user)
    services.calculate_run(dec, user)
    assert any(p["code"] == "rating_missing" for p in dec.blocking)
    db.session.add(Assessment(worker_id=w.id, district_id=w.district_id, year=2026, rating="合格"))
    services.calculate_run(dec, user)
    assert not dec.blocking
    slip = db.session.execute(select(Payslip).where(Payslip.run_id == dec.id)).scalar_one()
    # 2025 scale grade 5: 10,370 × 1.5 × 12/12, to the yuan.
    assert slip.annual_bonus == Decimal("15555.00")


def test_worker_hired_after_30_september_is_not_assessed(graded_worker, run_month, make_user):
    graded_worker(hire_date=date(2026, 10, 8))
    for m in range(1, 12):
        run_month(f"2026-{m:02d}")
    dec = run_month("2026-12")
    slip = db.session.execute(select(Payslip).where(Payslip.run_id == dec.id)).scalar_one()
    assert slip.annual_bonus == 0


def test_a_later_month_waits_for_the_earlier_one(graded_worker, run_month, make_user):
    graded_worker()
    run_month("2026-01", lock=False)
    user = _officer(make_user)
    feb = services.get_or_create_run(district(HONGKOU), date(2026, 2, 1), user)
    with pytest.raises(Conflict, match="须先锁定2026年1月"):
        services.calculate_run(feb, user)


def test_shiye_workers_and_leavers_are_handled(graded_worker, run_month):
    graded_worker(shiye=True)
    leaver = graded_worker(hire_date=date(2025, 5, 1))
    leaver.status, leaver.leave_date = "离职", date(2026, 1, 10)
    db.session.commit()
    run = run_month("2026-01", lock=False)
    slips = db.session.execute(select(Payslip).where(Payslip.run_id == run.id)).scalars().all()
    assert [s.worker_id for s in slips] == [leaver.id]
    assert (slips[0].days_served, slips[0].days_in_month) == (10, 31)
    run_feb = run_month("2026-01")  # lock January
    assert run_feb.id == run.id


def test_a_failure_mid_calculation_leaves_nothing(graded_worker, make_user, monkeypatch):
    for _ in range(3):
        graded_worker()
    user = _officer(make_user)
    run = services.get_or_create_run(district(HONGKOU), date(2026, 1, 1), user)
    db.session.commit()
    original = calculate._slip
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk on fire")
        return original(*args, **kwargs)

    monkeypatch.setattr(calculate, "_slip", failing)
    with pytest.raises(RuntimeError):
        services.calculate_run(run, user)
    db.session.rollback()
    assert db.session.execute(select(func.count(Payslip.id))).scalar_one() == 0
    assert db.session.get(PayrollRun, run.id).status == "draft"


def test_one_run_per_district_and_month_even_when_created_at_once(app, make_user):
    user = _officer(make_user)
    user_id = user.id
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def create() -> None:
        with app.app_context():
            from hr.accounts.models import User

            try:
                u = db.session.get(User, user_id)
                barrier.wait()
                services.get_or_create_run(district(HONGKOU), date(2026, 5, 1), u)
                db.session.commit()
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert db.session.execute(select(func.count(PayrollRun.id))).scalar_one() == 1


def test_bounds_published_late_apply_from_the_next_month(graded_worker, run_month):
    """The base is fixed for the contribution year; a bounds row added after July's payroll
    clamps it from the next month on (July keeps what it was paid with)."""
    from payroll.reference.models import ContributionBoundsRow

    graded_worker(grade=1, hire_date=date(2026, 7, 1))  # 8,790 + 1,319 + 200 = 10,309 on the 2025 scale
    row = db.session.execute(select(ContributionBoundsRow).where(
        ContributionBoundsRow.start == date(2026, 7, 1))).scalar_one()
    saved = {k: getattr(row, k) for k in ("si_floor", "si_ceiling", "hf_floor", "hf_ceiling")}
    db.session.delete(row)
    db.session.commit()
    july = run_month("2026-07")
    db.session.add(ContributionBoundsRow(start=date(2026, 7, 1), **{**saved, "si_floor": Decimal("12000")}))
    db.session.commit()
    august = run_month("2026-08")
    slip = {r.id: db.session.execute(select(Payslip).where(Payslip.run_id == r.id)).scalar_one() for r in (july, august)}
    assert slip[july.id].si_base == Decimal("10309.00")
    assert slip[august.id].si_base == Decimal("12000.00")
    assert slip[august.id].inputs["base"] == slip[july.id].inputs["base"] == "10309.00"
