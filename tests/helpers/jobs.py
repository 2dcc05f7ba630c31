"""Helpers of the job tests: the job row as the database has it now."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa


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
