"""A worker's year through real monthly runs equals the trial engine's simulation of the
same case, month by month and to the fen."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from hr.core.db import db
from hr.grades.models import Assessment
from payroll.calc.engine import Case, simulate
from payroll.calc.special import SpecialDeduction
from payroll.inputs.models import Declaration
from payroll.reference.services import reference
from payroll.runs.models import Payslip

FIELDS = ("grade_pay", "post_allowance", "performance", "qualification_allowance", "annual_bonus", "gross",
          "pension", "medical", "unemployment", "housing_fund", "iit", "net")


def test_twelve_runs_equal_the_engine(graded_worker, run_month):
    w = graded_worker(post="SUPV", grade=8, hire_date=date(2020, 3, 1), qualification="社会工作师",
                      qualification_date=date(2026, 4, 20))
    db.session.add(Declaration(worker_id=w.id, district_id=w.district_id, kind="子女教育", dependent="长子",
                               monthly=Decimal("2000"), start_month=date(2026, 1, 1)))
    # Declared late: counted back to March in the cumulative sum.
    db.session.add(Declaration(worker_id=w.id, district_id=w.district_id, kind="住房租金",
                               monthly=Decimal("1500"), start_month=date(2026, 3, 1)))
    db.session.add(Assessment(worker_id=w.id, district_id=w.district_id, year=2026, rating="优秀"))
    db.session.commit()
    for m in range(1, 13):
        run_month(f"2026-{m:02d}")
    slips = db.session.execute(select(Payslip).where(Payslip.worker_id == w.id).order_by(Payslip.month)).scalars().all()
    case = Case(year=2026, from_month=1, to_month=12, post="SUPV", grade=8, qualification="社会工作师",
                qualification_date=date(2026, 4, 20), hire_date=date(2020, 3, 1), rating="优秀",
                special_deductions=[SpecialDeduction("子女教育", Decimal("2000"), date(2026, 1, 1), None, "长子"),
                                    SpecialDeduction("住房租金", Decimal("1500"), date(2026, 3, 1), None)])
    expected = simulate(case, reference(date(2026, 1, 1)))
    assert len(slips) == len(expected) == 12
    for slip, exp in zip(slips, expected, strict=True):
        for f in FIELDS:
            assert getattr(slip, f) == getattr(exp, f), (slip.month, f)
        assert slip.employer_total == exp.employer.total
    assert slips[4].qualification_allowance == Decimal("300.00")  # May: the month after 20 April
    assert slips[3].qualification_allowance == Decimal("0.00")
    assert slips[11].annual_bonus > 0


def test_slip_lines_add_up_and_net_is_gross_minus_deductions(graded_worker, run_month):
    for grade in (1, 5, 12):
        graded_worker(grade=grade)
    run_month("2026-03", lock=False)
    for s in db.session.execute(select(Payslip)).scalars():
        assert s.gross == (s.grade_pay + s.post_allowance + s.performance + s.qualification_allowance
                           + s.annual_bonus + s.adjustments)
        assert s.net == s.gross - s.pension - s.medical - s.unemployment - s.housing_fund - s.iit
        assert s.iit >= 0
