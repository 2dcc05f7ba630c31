"""Fixtures for the per-worker input tests: a worker, an officer and payroll runs in a given state
(clients by role: tests/conftest.py; Excel builders: tests/helpers/inputs.py)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from tests.conftest import HONGKOU, district


@pytest.fixture
def officer(make_user: Callable[..., Any]) -> Any:
    """A 虹口区 officer, for calling the services directly."""
    return make_user("officer", HONGKOU, username="hkservice")


@pytest.fixture
def worker(make_worker: Callable[..., Any]) -> Any:
    """A 虹口区 worker, hired 2019-03-01 (张丽)."""
    return make_worker()


@pytest.fixture
def make_run() -> Callable[..., Any]:
    """A payroll run of a district and month in the given state (no slips needed here)."""
    from hr.core.db import db
    from payroll.runs.models import PayrollRun

    def make(month: date, status: str, district_code: str = HONGKOU) -> Any:
        run = PayrollRun(district_id=district(district_code).id, month=month, status=status)
        db.session.add(run)
        db.session.commit()
        return run

    return make
