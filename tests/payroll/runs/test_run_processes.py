"""`flask payroll run MONTH --all --processes N` prices districts in worker processes and gives
the same slips as one process."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from hr.core.db import db
from payroll.runs.models import Payslip
from tests.conftest import HONGKOU, PUDONG

COLUMNS = ("worker_id", "gross", "pension", "housing_fund", "iit", "net", "employer_total", "cum_tax")


def _slips() -> list[tuple[object, ...]]:
    db.session.expire_all()
    return [tuple(getattr(s, c) for c in COLUMNS)
            for s in db.session.execute(select(Payslip).order_by(Payslip.worker_id)).scalars()]


def test_parallel_run_equals_the_sequential_run(runner, graded_worker, make_user):
    make_user("admin", username="admin")
    for grade, code in ((3, HONGKOU), (8, HONGKOU), (5, PUDONG), (11, PUDONG)):
        graded_worker(grade=grade, district_code=code, hire_date=date(2025, 3, 14))
    out = runner.invoke(args=["payroll", "run", "2026-01", "--all"])
    assert out.exit_code == 0, out.output
    sequential = _slips()
    assert len(sequential) == 4
    out = runner.invoke(args=["payroll", "run", "2026-01", "--all", "--processes", "2"])
    assert out.exit_code == 0, out.output
    assert "total: 4 slips" in out.output and "2 processes" in out.output
    assert _slips() == sequential
