"""Fixtures for the reference-data tests: payroll runs with slips priced
on a given scale version (inserted directly: the run's calculation is not under test here)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from tests.conftest import HONGKOU, district
from tests.helpers.reference_pages import SLIP_MONEY, ZERO


@pytest.fixture
def make_run(make_worker: Callable[..., Any]) -> Callable[..., Any]:
    """make_run(month, status, scale_version): a run of 虹口区 with one slip priced on that version."""
    from hr.core.db import db
    from payroll.runs.models import PayrollRun, Payslip

    def make(month: date, status: str = "locked", scale_version: str = "2025", district_code: str = HONGKOU) -> Any:
        worker = make_worker(district_code)
        run = PayrollRun(district_id=district(district_code).id, month=month, status=status)
        db.session.add(run)
        db.session.flush()
        db.session.add(Payslip(
            run_id=run.id, worker_id=worker.id, district_id=worker.district_id, street_id=worker.street_id,
            committee_id=worker.committee_id, month=month, name=worker.name, post="STAF", grade=5,
            scale_version=scale_version, days_served=30, days_in_month=30, tax_months=month.month,
            **dict.fromkeys(SLIP_MONEY, ZERO),
        ))
        db.session.commit()
        return run

    return make
