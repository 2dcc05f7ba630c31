from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from hr.core.db import db
from hr.grades.models import Assignment
from payroll.runs import services
from tests.conftest import HONGKOU, district


@pytest.fixture
def graded_worker(make_worker: Callable[..., Any]) -> Callable[..., Any]:
    """A worker with an entry assignment (post, grade) effective on the 1st of the hire month."""

    def make(post: str = "STAF", grade: int = 5, district_code: str = HONGKOU, **overrides: Any) -> Any:
        worker = make_worker(district_code=district_code, **overrides)
        db.session.add(Assignment(worker_id=worker.id, district_id=worker.district_id, post=post, grade=grade,
                                  effective=worker.hire_date.replace(day=1), reason="入职定级"))
        db.session.commit()
        return worker

    return make


@pytest.fixture
def run_month(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """Calculate (and optionally approve and lock) a district's month: an officer of it
    calculates and locks, a reviewer of it approves."""
    officers: dict[str, Any] = {}
    reviewers: dict[str, Any] = {}

    def run(month: str, district_code: str = HONGKOU, lock: bool = True) -> Any:
        if district_code not in officers:
            officers[district_code] = make_user("officer", district_code, username=f"runner{district_code}")
            reviewers[district_code] = make_user("reviewer", district_code, username=f"review{district_code}")
        user = officers[district_code]
        r = services.get_or_create_run(district(district_code), services.parse_month(month), user)
        services.calculate_run(r, user)
        db.session.commit()
        if lock:
            services.approve_run(r, reviewers[district_code])
            services.lock_run(r, user)
            db.session.commit()
        return r

    return run


def month(text: str) -> date:
    return services.parse_month(text)
