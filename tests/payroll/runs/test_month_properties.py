"""Property: whatever the order of input changes, calculations, approvals and locks, every
locked slip equals a fresh calculation of the inputs it was locked with, and every adjustment
is paid exactly once (by the slip of its month, once that month is locked)."""
from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from hr.core.db import db
from hr.core.errors import DomainError
from hr.grades.models import Assignment
from payroll.inputs.models import Adjustment, Declaration
from payroll.runs import calculate, services
from payroll.runs.context import add_months, load
from payroll.runs.models import PayrollRun, Payslip
from payroll.runs.paid import line_key
from tests.conftest import HONGKOU, district

FIRST = date(2026, 1, 1)
COMPARED = ("grade_pay", "post_allowance", "performance", "qualification_allowance", "annual_bonus", "adjustments",
            "gross", "si_base", "hf_base", "pension", "medical", "unemployment", "housing_fund", "iit", "net",
            "employer_total", "tax_months", "special", "cum_wages", "cum_si_hf", "cum_special", "cum_tax", "post",
            "grade")

operations = st.lists(st.one_of(
    st.tuples(st.just("adjust"), st.integers(0, 1), st.integers(-20000, 50000).filter(bool), st.integers(0, 1)),
    st.tuples(st.just("grade"), st.integers(0, 1), st.integers(1, 12), st.integers(0, 3)),
    st.tuples(st.just("declare"), st.integers(0, 1), st.integers(0, 3)),
    st.tuples(st.just("calculate")), st.tuples(st.just("approve")), st.tuples(st.just("lock")),
), min_size=1, max_size=22)


def _open_month() -> date:
    return services.next_month(district(HONGKOU).id) or FIRST


def _run(month: date) -> PayrollRun | None:
    return db.session.execute(select(PayrollRun).where(
        PayrollRun.district_id == district(HONGKOU).id, PayrollRun.month == month)).scalar_one_or_none()


def _assert_fresh(run: PayrollRun) -> None:
    fresh = {s["worker_id"]: s for s in calculate.calculate(load(run)).slips}
    stored = {s.worker_id: s for s in db.session.execute(select(Payslip).where(Payslip.run_id == run.id)).scalars()}
    assert set(fresh) == set(stored)
    for wid, s in stored.items():
        for f in COMPARED:
            assert getattr(s, f) == fresh[wid][f], (run.label, wid, f)
        assert s.adjustment_lines == fresh[wid]["adjustment_lines"]


def _apply(op: tuple[Any, ...], workers: list[Any], officer: Any, reviewer: Any) -> None:
    month = _open_month()
    kind = op[0]
    if kind == "adjust":
        _, i, cents, ahead = op
        pay = add_months(month, ahead)
        run = _run(pay)
        if run is not None and run.status in ("approved", "locked"):
            return  # the pages refuse it too
        amount = Decimal(cents) / 100
        db.session.add(Adjustment(worker_id=workers[i].id, district_id=workers[i].district_id, pay_month=pay,
                                  kind="补发" if amount > 0 else "补扣", amount=amount, reason=f"调整{cents}",
                                  corrects_month=FIRST))
    elif kind == "grade":
        _, i, grade, back = op
        effective = max(FIRST, add_months(month, -back))
        db.session.add(Assignment(worker_id=workers[i].id, district_id=workers[i].district_id, post="STAF",
                                  grade=grade, effective=effective, reason="纠错"))
    elif kind == "declare":
        _, i, back = op
        db.session.add(Declaration(worker_id=workers[i].id, district_id=workers[i].district_id, kind="继续教育",
                                   monthly=Decimal("400.00"), start_month=max(FIRST, add_months(month, -back)),
                                   end_month=month))
    elif kind == "calculate":
        run = services.get_or_create_run(district(HONGKOU), month, officer)
        try:
            services.calculate_run(run, officer)
        except DomainError:
            return  # an approved month is sent back before it is calculated again
    else:
        run = _run(month)
        if run is None:
            return
        try:
            if kind == "approve":
                services.approve_run(run, reviewer)
            else:
                services.lock_run(run, officer)
        except DomainError:
            return  # refused (stale, wrong state): nothing changed
        if kind == "lock":
            _assert_fresh(run)
    db.session.flush()


def _assert_paid_once() -> None:
    locked = {m for (m,) in db.session.execute(select(PayrollRun.month).where(PayrollRun.status == "locked"))}
    carried: Counter[tuple[Any, ...]] = Counter()
    for s in db.session.execute(select(Payslip).join(PayrollRun).where(PayrollRun.status == "locked")).scalars():
        for line in s.adjustment_lines or []:
            if not line.get("auto"):
                carried[(s.worker_id, s.month, *line_key(line["kind"], line["amount"], line["reason"],
                                                         line.get("corrects_month")))] += 1
    due: Counter[tuple[Any, ...]] = Counter()
    for a in db.session.execute(select(Adjustment)).scalars():
        if a.pay_month in locked:
            due[(a.worker_id, a.pay_month, *line_key(a.kind, a.amount, a.reason, a.corrects_month.isoformat()))] += 1
    assert carried == due


def test_locked_slips_match_their_inputs_and_adjustments_are_paid_once(graded_worker, make_user):
    workers = [graded_worker(hire_date=date(2025, 3, 1)), graded_worker(hire_date=date(2025, 6, 1), grade=3)]
    officer = make_user("officer", HONGKOU, username="propcalc")
    reviewer = make_user("reviewer", HONGKOU, username="propcheck")

    @settings(max_examples=40, deadline=None)
    @given(operations)
    def check(ops: list[tuple[Any, ...]]) -> None:
        try:
            for op in ops:
                _apply(op, workers, officer, reviewer)
            _assert_paid_once()
        finally:
            db.session.rollback()  # the next example starts from the same two workers

    check()
