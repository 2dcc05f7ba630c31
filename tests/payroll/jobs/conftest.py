"""The job tests use the document fixtures (a calculated month, clients by role) and run the
worker themselves: no process is spawned and nothing goes to Redis unless a test says so."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tests.payroll.documents.conftest import (  # noqa: F401  (fixtures)
    _no_background_processes,
    client_as,
    graded,
    make_month,
)


def job_row(job_id: int) -> Any:
    from hr.core.db import db
    from payroll.jobs.models import Job

    db.session.expire_all()
    return db.session.execute(sa.select(Job).where(Job.id == job_id)).scalar_one()


def only_job() -> Any:
    from hr.core.db import db
    from payroll.jobs.models import Job

    db.session.expire_all()
    return db.session.execute(sa.select(Job)).scalar_one()
