"""A payroll month that cannot lock wrong money (§6b): months in order, stale runs, corrections
after a lock and two people, through the services, the pages and the command line."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from hr.core.db import db
from hr.core.errors import Conflict
from hr.grades.models import Assessment, DistrictSetting
from payroll.calc.earnings import annual_bonus
from payroll.calc.reference import scale_in_force
from payroll.inputs.models import Adjustment
from payroll.reference.services import reference
from payroll.runs import changes, services
from payroll.runs.models import PayrollRun, Payslip
from tests.conftest import HONGKOU, district, login


def _year_locked(run_month, year: int = 2026) -> None:
    for m in range(1, 13):
        run_month(f"{year}-{m:02d}")


def _rated(worker, year: int = 2026, rating: str = "合格") -> Assessment:
    a = Assessment(worker_id=worker.id, district_id=worker.district_id, year=year, rating=rating)
    db.session.add(a)
    db.session.commit()
    return a


def _slip(run: PayrollRun) -> Payslip:
    return db.session.execute(select(Payslip).where(Payslip.run_id == run.id)).scalar_one()


# 1. Months in order --------------------------------------------------------------------------

def test_february_after_a_locked_december_is_refused_on_the_page(client, graded_worker, run_month, make_user):
    w = graded_worker(hire_date=date(2025, 3, 1))
    _rated(w)
    _year_locked(run_month)
    officer = make_user("officer", HONGKOU, username="hkorder")
    login(client, officer.username)
    assert "计算 2027年1月" in client.get("/payroll/").get_data(as_text=True)
    resp = client.post("/payroll/runs", data={"month": "2027-02"}, follow_redirects=True)
    assert "须先锁定2027年1月" in resp.get_data(as_text=True)
    assert db.session.execute(select(PayrollRun).where(PayrollRun.month == date(2027, 2, 1))).scalar() is None
    resp = client.post("/payroll/runs", data={"month": "2027-01"})
    jan = db.session.execute(select(PayrollRun).where(PayrollRun.month == date(2027, 1, 1))).scalar_one()
    assert resp.status_code == 302 and jan.status == "calculated"
    # January starts the tax year again: one month of income and of the basic deduction.
    slip = _slip(jan)
    assert (slip.tax_months, slip.cum_basic, slip.cum_wages) == (1, Decimal("5000.00"), slip.gross)


def test_first_month_is_free_and_approve_and_lock_recheck_the_order(graded_worker, make_user):
    graded_worker(hire_date=date(2025, 3, 1))
    officer = make_user("officer", HONGKOU, username="hkfirst")
    reviewer = make_user("reviewer", HONGKOU, username="hkfirstrev")
    mar = services.get_or_create_run(district(HONGKOU), date(2026, 3, 1), officer)
    services.calculate_run(mar, officer)  # the district's first month in the system
    jan = services.get_or_create_run(district(HONGKOU), date(2026, 1, 1), officer)
    services.calculate_run(jan, officer)  # an earlier start, nothing locked yet: still a first month
    with pytest.raises(Conflict, match="须先锁定2026年2月"):
        services.approve_run(mar, reviewer)
    services.approve_run(jan, reviewer)
    services.lock_run(jan, officer)
    feb = services.get_or_create_run(district(HONGKOU), date(2026, 2, 1), officer)
    services.calculate_run(feb, officer)
    with pytest.raises(Conflict, match="须先锁定2026年2月"):
        services.approve_run(mar, reviewer)
    services.approve_run(feb, reviewer)
    # March's calculation predates February's: it is recalculated before anyone signs it.
    services.lock_run(feb, officer)
    services.calculate_run(mar, officer)
    services.approve_run(mar, reviewer)
    services.lock_run(mar, officer)
    assert _slip(mar).tax_months == 3


def test_the_cli_refuses_an_out_of_order_month(runner, graded_worker, run_month, make_user):
    make_user("admin", username="admin")
    graded_worker(hire_date=date(2025, 3, 1))
    run_month("2026-01")
    out = runner.invoke(args=["payroll", "run", "2026-03", "--district", HONGKOU])
    assert out.exit_code == 1 and "须先锁定2026年2月" in out.output


# 2. Stale runs ------------------------------------------------------------------------------

def test_an_adjustment_after_calculation_makes_the_run_stale_until_recalculated(client, graded_worker, run_month,
                                                                                make_user):
    w = graded_worker(hire_date=date(2025, 3, 1))
    jan = run_month("2026-01", lock=False)
    officer = make_user("officer", HONGKOU, username="hkstale")
    login(client, officer.username)
    resp = client.post(f"/payroll/inputs/workers/{w.id}/adjustments/new",
                       data={"kind": "补发", "amount": "300", "pay_month": "2026-01", "corrects_month": "2025-12",
                             "reason": "防汛值守补贴"})
    assert resp.status_code == 302
    page = client.get(f"/payroll/runs/{jan.id}").get_data(as_text=True)
    assert "自上次计算以来有 1 处变更" in page and "补发补扣新增" in page
    reviewer = make_user("reviewer", HONGKOU, username="hkstalerev")
    with pytest.raises(Conflict, match="1 处变更"):
        services.approve_run(jan, reviewer)
    db.session.rollback()
    # The worker page does not call it paid: the month was calculated without it.
    assert "未计入，待重新计算" in client.get(f"/workers/{w.id}").get_data(as_text=True)
    assert client.post(f"/payroll/runs/{jan.id}/calculate").status_code == 302
    db.session.expire_all()
    jan = db.session.get(PayrollRun, jan.id)
    assert changes.changes_since(jan) == []
    assert _slip(jan).adjustments == Decimal("300.00")
    services.approve_run(jan, reviewer)
    services.lock_run(jan, officer)
    db.session.commit()
    assert "已发放" in client.get(f"/workers/{w.id}").get_data(as_text=True)


def test_changes_that_cannot_affect_the_month_do_not_count(graded_worker, run_month):
    w = graded_worker(hire_date=date(2025, 3, 1))
    jan = run_month("2026-01", lock=False)
    w.phone = "13800000000"  # not pay
    db.session.add(Adjustment(worker_id=w.id, district_id=w.district_id, pay_month=date(2026, 2, 1), kind="补发",
                              amount=Decimal("10.00"), reason="下月的"))
    _rated(w, 2026)  # December's business
    db.session.commit()
    assert changes.changes_since(jan) == []
    w.bank_account = "6222020000000000001"  # the bank sheet
    db.session.add(DistrictSetting(district_id=w.district_id, hf_rate_pct=5))
    db.session.commit()
    assert [c.kind for c in changes.changes_since(jan)] == ["worker", "district_setting"]


def test_a_stale_approved_run_cannot_be_locked(graded_worker, run_month, make_user):
    w = graded_worker(hire_date=date(2025, 3, 1))
    jan = run_month("2026-01", lock=False)
    services.approve_run(jan, make_user("reviewer", HONGKOU, username="hkrev2"))
    db.session.commit()
    w.leave_date, w.status = date(2026, 1, 20), "离职"
    db.session.commit()
    with pytest.raises(Conflict, match="重新计算"):
        services.lock_run(jan, make_user("officer", HONGKOU, username="hklock2"))


# 3. Corrections after a lock ------------------------------------------------------------------

def test_a_rating_changed_after_december_is_locked_pays_the_bonus_difference_in_january(graded_worker, run_month):
    w = graded_worker(hire_date=date(2025, 3, 1), post="STAF", grade=5)
    rating = _rated(w, 2026, "合格")
    _year_locked(run_month)
    dec_slip = db.session.execute(select(Payslip).where(Payslip.month == date(2026, 12, 1))).scalar_one()
    rating.rating = "优秀"
    db.session.commit()
    jan = run_month("2027-01", lock=False)
    scale = scale_in_force(reference(date(2026, 12, 1), "half_up").scales, date(2026, 12, 1))
    due = annual_bonus(scale.grade_pay[5], scale.bonus_multiplier["优秀"], 12)
    (line,) = [x for x in _slip(jan).adjustment_lines if x["auto"]]
    assert line["kind"] == "补发" and "年度考核奖" in line["reason"] and "2026年度" in line["reason"]
    assert Decimal(line["amount"]) == due - dec_slip.annual_bonus > 0
    assert line["corrects_month"] == "2026-12-01"
    # Paid once: February does not pay it again.
    run_month("2027-01")
    feb = run_month("2027-02", lock=False)
    assert _slip(feb).adjustments == 0


def test_a_rating_change_after_january_was_calculated_makes_january_stale(graded_worker, run_month):
    w = graded_worker(hire_date=date(2025, 3, 1))
    rating = _rated(w, 2026, "合格")
    _year_locked(run_month)
    jan = run_month("2027-01", lock=False)
    rating.rating = "基本合格"
    db.session.commit()
    assert [c.kind for c in changes.changes_since(jan)] == ["assessment"]
    jan = run_month("2027-01", lock=False)
    (line,) = [x for x in _slip(jan).adjustment_lines if x["auto"]]
    assert line["kind"] == "补扣" and Decimal(line["amount"]) < 0


# 4. Two people ------------------------------------------------------------------------------

def test_who_calculated_cannot_approve_unless_the_district_allows_it(graded_worker, make_user):
    graded_worker(hire_date=date(2025, 3, 1))
    officer = make_user("officer", HONGKOU, username="hkalone")
    run = services.get_or_create_run(district(HONGKOU), date(2026, 1, 1), officer)
    services.calculate_run(run, officer)
    with pytest.raises(Conflict, match="审批须由他人"):
        services.approve_run(run, officer)
    db.session.add(DistrictSetting(district_id=run.district_id, approval_by_other=False))
    db.session.flush()
    services.calculate_run(run, officer)  # the setting is a change too
    services.approve_run(run, officer)
    assert run.status == "approved"


def test_a_reviewer_reads_and_approves_but_cannot_calculate_or_edit(client, graded_worker, run_month, make_user):
    w = graded_worker(hire_date=date(2025, 3, 1))
    jan = run_month("2026-01", lock=False)
    reviewer = make_user("reviewer", HONGKOU, username="hkreader")
    login(client, reviewer.username)
    page = client.get(f"/payroll/runs/{jan.id}").get_data(as_text=True)
    assert "审批…" in page and "退回重算" not in page
    assert client.post(f"/payroll/runs/{jan.id}/calculate").status_code == 403
    assert client.post(f"/payroll/runs/{jan.id}/lock").status_code == 403
    resp = client.post(f"/payroll/inputs/workers/{w.id}/adjustments/new",
                       data={"kind": "补发", "amount": "1", "pay_month": "2026-01", "reason": "x"})
    assert resp.status_code == 403
    assert client.post(f"/payroll/runs/{jan.id}/approve").status_code == 302
    db.session.expire_all()
    assert db.session.get(PayrollRun, jan.id).approved_by == "hkreader"


def test_users_create_reviewer_on_the_command_line(runner):
    from tests.conftest import PASSWORD

    out = runner.invoke(args=["users", "create", "hkreview9", "--role", "reviewer", "--district", HONGKOU],
                        input=f"{PASSWORD}\n{PASSWORD}\n")
    assert out.exit_code == 0, out.output
    assert "区审核" in out.output


def test_a_large_batch_is_one_change_entry_except_ratings(graded_worker, run_month):
    w = graded_worker(hire_date=date(2025, 3, 1))
    jan = run_month("2026-01", lock=False)
    for i in range(30):
        db.session.add(Adjustment(worker_id=w.id, district_id=w.district_id, pay_month=date(2026, 1, 1), kind="补发",
                                  amount=Decimal(i + 1), reason=f"批量{i}"))
    db.session.commit()
    (entry,) = changes.changes_since(jan)
    assert "30 条" in entry.summary and entry.from_month == entry.to_month == date(2026, 1, 1)


def test_a_grade_change_reaching_back_into_a_locked_december_corrects_the_bonus_too(graded_worker, run_month):
    from hr.grades.models import Assignment

    w = graded_worker(hire_date=date(2025, 3, 1), post="STAF", grade=5)
    _rated(w, 2026, "合格")
    _year_locked(run_month)
    dec_slip = db.session.execute(select(Payslip).where(Payslip.month == date(2026, 12, 1))).scalar_one()
    db.session.add(Assignment(worker_id=w.id, district_id=w.district_id, post="STAF", grade=6,
                              effective=date(2026, 12, 1), reason="纠错"))
    db.session.commit()
    jan = run_month("2027-01", lock=False)
    scale = scale_in_force(reference(date(2026, 12, 1), "half_up").scales, date(2026, 12, 1))
    lines = [x for x in _slip(jan).adjustment_lines if x["auto"]]
    bonus = [x for x in lines if "年度考核奖" in x["reason"]]
    fixed = [x for x in lines if "岗位等级" in x["reason"] and "年度考核奖" not in x["reason"]]
    assert len(bonus) == 1 and len(fixed) == 1
    due = annual_bonus(scale.grade_pay[6], scale.bonus_multiplier["合格"], 12)
    assert Decimal(bonus[0]["amount"]) == due - dec_slip.annual_bonus > 0
    assert all(x["corrects_month"] == "2026-12-01" for x in lines)
