"""Security fixtures: a 浦东新区 world with one object of each kind the URLs name, and clients
logged in as each role."""
from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from hr.core.db import db
from tests.conftest import HONGKOU, PUDONG, district, login, valid_id
from tests.reliability.conftest import new_client

# URL argument -> table holding the object it names.
ARG_TABLES = {
    "worker_id": "worker", "run_id": "payroll_run", "slip_id": "payslip", "user_id": "user",
    "street_id": "street", "committee_id": "committee", "district_id": "district",
    "assignment_id": "assignment", "adjustment_id": "adjustment", "declaration_id": "declaration",
    "override_id": "base_override", "option_id": "tax_option", "pairing_id": "pairing",
    "activity_id": "mentoring_activity", "file_id": "cohort_file", "member_id": "studio_member",
    "studio_id": "studio", "cohort_id": "cohort", "job_id": "job", "scale_id": "pay_scale",
    "rate_id": "rate_version", "row_id": "contribution_bounds", "table_id": "tax_table",
    "assessment_id": "assessment", "token_id": "api_token",
}
MISSING_ID = 2_000_000_000

ROLES = {
    "admin": ("admin", None),
    "officer_hk": ("officer", HONGKOU),
    "officer_pd": ("officer", PUDONG),
    "auditor_city": ("auditor", None),
    "auditor_hk": ("auditor", HONGKOU),
    "reviewer_hk": ("reviewer", HONGKOU),
}


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return new_client(app)


@pytest.fixture
def client_as(app: Flask, make_user: Callable[..., Any]) -> Callable[..., FlaskClient]:
    counter = itertools.count()

    def make(role: str, district_code: str | None = HONGKOU, username: str | None = None) -> FlaskClient:
        user = make_user(role, district_code, username=username or f"{role}s{next(counter)}")
        c = new_client(app)
        resp = login(c, user.username)
        assert resp.status_code == 302
        return c

    return make


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


def world_ids() -> dict[str, int]:
    """For each table of ARG_TABLES, the id of a row that belongs to 浦东新区 (or, for city-wide
    tables, any row); tables without such a row are left out."""
    pd = district(PUDONG)
    meta = db.metadata.tables
    found: dict[str, int] = {}
    for table_name in set(ARG_TABLES.values()):
        t = meta.get(table_name)
        if t is None:
            continue
        stmt = sa.select(t.c.id) if "id" in t.c else None
        if stmt is None:
            continue
        if table_name == "district":
            found[table_name] = pd.id
            continue
        if table_name == "user":
            stmt = stmt.where(t.c.username == "pdvictim")
        elif "district_id" in t.c:
            stmt = stmt.where(t.c.district_id == pd.id)
        elif table_name == "committee":
            street = meta["street"]
            stmt = stmt.where(t.c.street_id.in_(sa.select(street.c.id).where(street.c.district_id == pd.id)))
        row = db.session.execute(stmt.order_by(t.c.id).limit(1)).scalar_one_or_none()
        if row is not None:
            found[table_name] = row
    return found


def district_scoped(table: str) -> bool:
    t = db.metadata.tables.get(table)
    return table in ("committee", "district", "user") or (t is not None and "district_id" in t.c)
