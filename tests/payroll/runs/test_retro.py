"""A change reaching back into locked months is paid as 补发/补扣 in the next open month."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from hr.core.db import db
from hr.grades.models import Assignment
from payroll.runs.models import Payslip


def _slip(run, worker):
    return db.session.execute(
        select(Payslip).where(Payslip.run_id == run.id, Payslip.worker_id == worker.id)).scalar_one()


def test_grade_correction_into_locked_months_becomes_back_pay(graded_worker, run_month, client, make_user):
    w = graded_worker(grade=5, hire_date=date(2024, 1, 1))
    jan, feb = run_month("2026-01"), run_month("2026-02")
    paid = {m: _slip(r, w).grade_pay + _slip(r, w).performance for m, r in (("01", jan), ("02", feb))}
    db.session.add(Assignment(worker_id=w.id, district_id=w.district_id, post="STAF", grade=6,
                              effective=date(2026, 1, 1), reason="纠错"))
    db.session.commit()
    march = run_month("2026-03", lock=False)
    slip = _slip(march, w)
    lines = sorted(slip.adjustment_lines, key=lambda line: (line["corrects_month"], line["component"]))
    # One line per component that changed: grade pay and performance, for each locked month.
    assert [(line["corrects_month"], line["component"]) for line in lines] == [
        ("2026-01-01", "grade_pay"), ("2026-01-01", "performance"),
        ("2026-02-01", "grade_pay"), ("2026-02-01", "performance")]
    assert all(line["auto"] and line["kind"] == "补发" for line in lines)
    # 2025 scale: grade 6 10,770 (+1,616 performance) against grade 5 10,370 (+1,556).
    expected = Decimal("10770") + Decimal("1616") - paid["01"]
    assert sum(Decimal(line["amount"]) for line in lines[:2]) == expected == Decimal("460.00")
    assert Decimal(lines[0]["amount"]) == Decimal("400.00") and Decimal(lines[1]["amount"]) == Decimal("60.00")
    assert slip.adjustments == Decimal("920.00")
    assert slip.gross == slip.grade_pay + slip.performance + slip.qualification_allowance + slip.post_allowance + Decimal("920.00")
    # Recalculating the open month gives the same lines; once paid, April owes nothing more.
    run_month("2026-03")
    april = run_month("2026-04", lock=False)
    assert _slip(april, w).adjustment_lines == []
    # The run page lists the back pay with the month it corrects.
    officer = make_user("officer", "310109", username="retroviewer")
    from tests.conftest import login

    login(client, officer.username)
    page = client.get(f"/payroll/runs/{march.id}").get_data(as_text=True)
    assert "更正 2026-01" in page and "更正 2026-02" in page


def test_downgrade_correction_is_a_deduction(graded_worker, run_month):
    w = graded_worker(grade=5, hire_date=date(2024, 1, 1))
    run_month("2026-01")
    db.session.add(Assignment(worker_id=w.id, district_id=w.district_id, post="STAF", grade=4,
                              effective=date(2026, 1, 1), reason="纠错"))
    db.session.commit()
    feb = run_month("2026-02", lock=False)
    lines = _slip(feb, w).adjustment_lines
    assert {line["component"] for line in lines} == {"grade_pay", "performance"}
    assert all(line["kind"] == "补扣" and Decimal(line["amount"]) < 0 for line in lines)


def test_rating_changed_after_december_is_locked_pays_the_bonus_difference(graded_worker, run_month):
    from hr.grades.models import Assessment

    w = graded_worker(grade=5, hire_date=date(2024, 1, 1))
    rating = Assessment(worker_id=w.id, district_id=w.district_id, year=2025, rating="合格")
    db.session.add(rating)
    db.session.commit()
    december = run_month("2025-12")
    paid = _slip(december, w).annual_bonus
    assert paid == Decimal("15555.00")  # 2025 scale grade 5: 10,370 × 1.5 × 12/12, to the yuan
    rating.rating = "优秀"
    db.session.commit()
    january = _slip(run_month("2026-01", lock=False), w)
    (line,) = january.adjustment_lines
    assert line["component"] == "annual_bonus" and line["kind"] == "补发"
    assert line["corrects_month"] == "2025-12-01" and "2025年度" in line["reason"]
    assert Decimal(line["amount"]) == Decimal("10370") * 2 - paid == Decimal("5185.00")


def test_a_qualification_registered_late_is_paid_back_from_the_dated_record(graded_worker, run_month, make_user):
    from hr.workers.models import QualificationRecord
    from hr.workers.services import snapshot, update_worker

    w = graded_worker(grade=5, hire_date=date(2024, 1, 1), qualification="无", qualification_date=None)
    run_month("2026-01")
    run_month("2026-02")
    data = {**snapshot(w), "qualification": "社会工作师", "qualification_date": date(2025, 12, 10)}
    update_worker(w, data, None, make_user("officer", "310109", username="qualifier"))
    db.session.commit()
    records = db.session.execute(select(QualificationRecord).where(QualificationRecord.worker_id == w.id)
                                 .order_by(QualificationRecord.id)).scalars().all()
    assert [r.qualification for r in records] == ["无", "社会工作师"]
    march = _slip(run_month("2026-03", lock=False), w)
    lines = sorted(march.adjustment_lines, key=lambda line: line["corrects_month"])
    assert [(line["corrects_month"], line["component"], line["amount"]) for line in lines] == [
        ("2026-01-01", "qualification_allowance", "300.00"), ("2026-02-01", "qualification_allowance", "300.00")]
    assert march.qualification_allowance == Decimal("300.00")
