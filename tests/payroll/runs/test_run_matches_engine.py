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

NONE = {"qualification": "无", "qualification_date": None}


def _compare(w, case):
    slips = db.session.execute(select(Payslip).where(Payslip.worker_id == w.id).order_by(Payslip.month)).scalars().all()
    expected = simulate(case, reference(date(case.year, 1, 1)))
    assert [s.month for s in slips] == [e.month for e in expected]
    for slip, exp in zip(slips, expected, strict=True):
        for f in FIELDS:
            assert getattr(slip, f) == getattr(exp, f), (w.name, slip.month, f)
        assert slip.employer_total == exp.employer.total, (w.name, slip.month)
    return slips, expected


def test_runs_equal_the_trial_for_late_hires_leavers_first_jobs_and_late_declarations(graded_worker, run_month):
    late = graded_worker(grade=5, hire_date=date(2026, 10, 15), **NONE)
    leaver = graded_worker(post="SUPV", grade=6, hire_date=date(2021, 5, 1), **NONE)
    first = graded_worker(grade=3, hire_date=date(2026, 3, 10), **NONE)
    declared = graded_worker(grade=7, hire_date=date(2019, 1, 1), **NONE)
    leaver.leave_date, leaver.status = date(2026, 6, 20), "离职"
    first.first_job = True
    for w, rating in ((late, "合格"), (declared, "合格"), (first, "优秀")):
        db.session.add(Assessment(worker_id=w.id, district_id=w.district_id, year=2026, rating=rating))
    db.session.commit()
    for m in range(1, 13):
        if m == 5:  # declared in May, counting back to February
            db.session.add(Declaration(worker_id=declared.id, district_id=declared.district_id, kind="子女教育",
                                       dependent="长女", monthly=Decimal("2000"), start_month=date(2026, 2, 1)))
            db.session.commit()
        run_month(f"2026-{m:02d}")
    slips, _ = _compare(late, Case(year=2026, from_month=1, to_month=12, post="STAF", grade=5,
                                   hire_date=date(2026, 10, 15), rating="合格"))
    assert slips[-1].annual_bonus == 0
    slips, _ = _compare(leaver, Case(year=2026, from_month=1, to_month=12, post="SUPV", grade=6,
                                     hire_date=date(2021, 5, 1), leave_date=date(2026, 6, 20)))
    assert slips[-1].days_served == 20
    slips, _ = _compare(first, Case(year=2026, from_month=1, to_month=12, post="STAF", grade=3,
                                    hire_date=date(2026, 3, 10), rating="优秀", first_job=True))
    assert slips[0].housing_fund == 0 and slips[1].housing_fund > 0
    # The late declaration: months before it was entered were withheld without it, so the
    # slips differ until the cumulative withholding has caught up; by December it has.
    slips = db.session.execute(select(Payslip).where(Payslip.worker_id == declared.id)
                               .order_by(Payslip.month)).scalars().all()
    expected = simulate(Case(year=2026, from_month=1, to_month=12, post="STAF", grade=7, hire_date=date(2019, 1, 1),
                             rating="合格", special_deductions=[
                                 SpecialDeduction("子女教育", Decimal("2000"), date(2026, 2, 1), None, "长女")]),
                        reference(date(2026, 1, 1)))
    assert slips[1].special == 0 and slips[4].special == Decimal("8000")  # February..May at once
    assert slips[-1].cum_tax == expected[-1].tax_state.tax_withheld
    assert slips[-1].cum_special == expected[-1].tax_state.special
    assert sum(s.net for s in slips) == sum(e.net for e in expected)


def test_a_retroactive_grade_change_pays_what_the_trial_of_the_corrected_grade_pays(graded_worker, run_month):
    from hr.grades.models import Assignment

    w = graded_worker(grade=5, hire_date=date(2020, 1, 1), **NONE)
    db.session.add(Assessment(worker_id=w.id, district_id=w.district_id, year=2026, rating="合格"))
    db.session.commit()
    for m in range(1, 4):
        run_month(f"2026-{m:02d}")
    db.session.add(Assignment(worker_id=w.id, district_id=w.district_id, post="STAF", grade=6,
                              effective=date(2026, 1, 1), reason="纠错"))
    db.session.commit()
    for m in range(4, 13):
        run_month(f"2026-{m:02d}")
    slips = db.session.execute(select(Payslip).where(Payslip.worker_id == w.id).order_by(Payslip.month)).scalars().all()
    expected = simulate(Case(year=2026, from_month=1, to_month=12, post="STAF", grade=6,
                             hire_date=date(2020, 1, 1), rating="合格"), reference(date(2026, 1, 1)))
    assert sum(s.gross for s in slips) == sum(e.gross for e in expected)
    assert slips[3].adjustments > 0 and slips[-1].annual_bonus == expected[-1].annual_bonus
