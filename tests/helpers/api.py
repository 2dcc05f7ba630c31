"""Helpers of the api tests (plain functions and data; the fixtures are in tests/conftest.py and
the folder's conftest)."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from hr.core.timeutil import today
from tests.conftest import committee_in, valid_id, worker_data
from tests.helpers.grades import give_post, give_rating
from tests.helpers.web import new_client

Y = today().year

RUN_MONTH = "2026-01"


class ApiClient:
    """A test client sending `Authorization: Bearer <token>` with every request (each request in
    an application context of its own, as a server runs it)."""

    def __init__(self, app: Flask, token: str | None, user: Any = None) -> None:
        self.client: FlaskClient = new_client(app)
        self.token = token
        self.user = user

    def open(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, url: str, **kw: Any) -> Any:
        return self.open("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> Any:
        return self.open("POST", url, **kw)

    def patch(self, url: str, **kw: Any) -> Any:
        return self.open("PATCH", url, **kw)

    def put(self, url: str, **kw: Any) -> Any:
        return self.open("PUT", url, **kw)

    def delete(self, url: str, **kw: Any) -> Any:
        return self.open("DELETE", url, **kw)


_NAMES = itertools.count()


def make_token(user: Any, days: int | None = None, name: str = "测试") -> str:
    from hr.accounts.tokens import create_token
    from hr.core.db import db

    created = create_token(user, name, days)
    db.session.commit()
    return created.secret


@dataclass
class Place:
    """What the world holds in one district (ids, so that tests do not keep ORM objects)."""

    code: str
    district_id: int = 0
    street_id: int = 0
    committee_id: int = 0
    worker_id: int = 0  # STAF 5, hired 2019, rated 合格 last year
    lead_id: int = 0  # LEAD 14 since 2015, rated 优秀 last year
    mentee_id: int = 0  # hired last March
    ungraded_id: int = 0  # registered, no post yet
    assignment_id: int = 0
    assessment_id: int = 0
    studio_id: int = 0
    pairing_id: int = 0
    activity_id: int = 0
    run_id: int = 0
    slip_id: int = 0
    declaration_id: int = 0
    adjustment_id: int = 0
    extra: dict[str, int] = field(default_factory=dict)


@dataclass
class World:
    hk: Place
    pd: Place
    admin: Any


def _worker(admin: Any, code: str, **overrides: Any) -> Any:
    from hr.core.db import db
    from hr.workers.services import create_worker

    n = next(_NAMES)
    data = worker_data(committee_id=committee_in(code).id, name="张李王赵刘陈"[n % 6] + "丽明华芳军敏"[(n // 6) % 6],
                       id_number=valid_id(area=code, birth=overrides.pop("birth", "19880315")), **overrides)
    w = create_worker(data, admin)
    db.session.commit()
    return w


def build_place(code: str, admin: Any, officer: Any) -> Place:
    from sqlalchemy import select

    from hr.core.db import db
    from hr.mentoring import services as mentoring
    from payroll.inputs import services as inputs
    from payroll.runs import services as runs
    from payroll.runs.models import Payslip
    from tests.conftest import district

    place = Place(code)
    worker = _worker(admin, code)
    place.assignment_id = give_post(worker, "STAF", 5, date(2019, 3, 1)).id
    place.assessment_id = give_rating(worker, Y - 1, "合格").id
    lead = _worker(admin, code, hire_date=date(2010, 3, 1), birth="19750101", qualification="无",
                   qualification_date=None)
    give_post(lead, "LEAD", 14, date(2015, 1, 1))
    give_rating(lead, Y - 1, "优秀")
    mentee = _worker(admin, code, hire_date=date(Y - 1, 3, 1), birth="19960101", qualification="无",
                     qualification_date=None)
    give_post(mentee, "STAF", 3, date(Y - 1, 3, 1))
    ungraded = _worker(admin, code)
    studio = mentoring.create_studio(lead.district_id, {
        "name": f"{lead.name}书记工作室", "street_id": None, "lead_id": lead.id, "founded": date(Y - 2, 1, 1),
        "active": True, "intro": ""}, admin)
    cohort = mentoring.create_cohort(studio, Y, date(Y, 1, 1), "计划", admin)
    pairing = mentoring.create_pairing(cohort, lead.id, mentee.id, date(Y, 1, 1), user=admin)
    activity = mentoring.add_activity(pairing, date(Y, 1, 5), "带教", "2", "首次带教", admin)
    db.session.commit()
    run = runs.get_or_create_run(district(code), runs.parse_month(RUN_MONTH), officer)
    runs.calculate_run(run, officer)
    db.session.commit()
    slip = db.session.execute(select(Payslip).where(Payslip.run_id == run.id, Payslip.worker_id == worker.id)
                              ).scalar_one()
    declaration = inputs.add_declaration(worker, {"kind": "住房租金", "monthly": "1500", "start_month": date(Y, 1, 1)},
                                         officer)
    adjustment = inputs.add_adjustment(worker, {"kind": "补发", "amount": "200", "pay_month": date(2026, 1, 1),
                                                "corrects_month": date(2025, 12, 1), "reason": "漏发"}, officer)
    db.session.commit()
    place.declaration_id, place.adjustment_id = declaration.id, adjustment.id
    place.district_id, place.street_id, place.committee_id = worker.district_id, worker.street_id, worker.committee_id
    place.worker_id, place.lead_id, place.mentee_id, place.ungraded_id = worker.id, lead.id, mentee.id, ungraded.id
    place.studio_id, place.pairing_id, place.activity_id = studio.id, pairing.id, activity.id
    place.run_id, place.slip_id = run.id, slip.id
    return place


def body(resp: Any) -> Any:
    return resp.get_json()
