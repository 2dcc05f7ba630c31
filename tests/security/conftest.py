"""Security fixtures: a 浦东新区 world with one object of each kind the URLs name (clients per
role: tests/conftest.py)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask

from hr.core.db import db
from tests.conftest import PUDONG, district, valid_id
from tests.helpers.security import world_ids


@pytest.fixture
def pudong_world(app: Flask, make_user: Callable[..., Any], make_worker: Callable[..., Any]) -> dict[str, Any]:
    """One 浦东新区 object of each kind that is quick to make through the services: workers
    (one graded, one departed), their grades, a calculated month with slips, a queued job,
    an account. Returns {table: id} (district-scoped tables hold 浦东新区 rows only)."""
    from hr.grades.models import Assignment
    from payroll.runs import services

    pd_officer = make_user("officer", PUDONG, username="pdworld")
    make_user("officer", PUDONG, username="pdvictim")
    w = make_worker(PUDONG, name="浦东甲", id_number=valid_id(birth="19800101"))
    mentor = make_worker(PUDONG, name="浦东乙", hire_date=date(2010, 3, 1), id_number=valid_id(birth="19700101"))
    for x in (w, mentor):
        db.session.add(Assignment(worker_id=x.id, district_id=x.district_id, post="STAF", grade=5,
                                  effective=x.hire_date.replace(day=1), reason="入职定级"))
    db.session.commit()
    run = services.get_or_create_run(district(PUDONG), date(2026, 1, 1), pd_officer)
    services.calculate_run(run, pd_officer)
    db.session.commit()
    try:
        from payroll.jobs import services as jobs

        jobs.enqueue("payslips", district_id=run.district_id, run_id=run.id, title="工资条", total=2,
                     user=pd_officer)
        db.session.commit()
    except (ImportError, KeyError):  # pragma: no cover - jobs not present
        db.session.rollback()
    return world_ids()
