"""Fixtures of the mentoring tests: workers with posts and ratings (rows inserted directly),
studios with a cohort of the current year, and pairings (clients by role: tests/conftest.py)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from tests.conftest import HONGKOU, valid_id
from tests.helpers.grades import give_post, give_rating
from tests.helpers.mentoring import _SEQ, FOUNDED, START, Y, cname, cohort, committee_index


@pytest.fixture
def person(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """A worker (through the register's service) with an optional post (effective `since`) and
    ratings {year: rating}. ID numbers come from a counter of this module, so that the shared
    `valid_id` counter is left alone."""
    from hr.core.db import db
    from hr.workers.services import create_worker
    from tests.conftest import committee_in

    state: dict[str, Any] = {}

    def make(post: str | None = "STAF", grade: int = 3, since: date | None = None, hired: date = date(2014, 3, 1),
             birth: str = "19800101", ratings: dict[int, str] | None = None, district: str = HONGKOU,
             street: int = 0, reserve: bool = False, name: str | None = None) -> Any:
        if "admin" not in state:
            state["admin"] = make_user("admin", username="mentoringadmin")
        committee = committee_in(district, committee_index(district, street))
        worker = create_worker({
            "name": name or cname(), "id_number": valid_id(area=district, birth=birth, seq=next(_SEQ) % 500),
            "phone": "", "education": "本科", "political_status": "中共党员", "qualification": "无",
            "qualification_date": None, "hire_date": hired, "prior_years": 0, "committee_id": committee.id,
            "shiye": False, "reserve_cadre": reserve, "bank_name": "", "bank_account": "",
        }, state["admin"])
        db.session.commit()
        if post:
            give_post(worker, post, grade, since or hired.replace(day=1))
        for year, rating in (ratings or {}).items():
            give_rating(worker, year, rating)
        return worker

    return make


@pytest.fixture
def mentor(person: Callable[..., Any]) -> Callable[..., Any]:
    """An experienced secretary: LEAD since 2015, rated 优秀 last year."""

    def make(grade: int = 14, rating: str = "优秀", **kw: Any) -> Any:
        kw.setdefault("ratings", {Y - 1: rating})
        return person(post="LEAD", grade=grade, since=date(2015, 1, 1), hired=date(2010, 3, 1), birth="19750101", **kw)

    return make


@pytest.fixture
def mentee(person: Callable[..., Any]) -> Callable[..., Any]:
    """A worker in their first 3 years (hired last March), STAF 3."""

    def make(**kw: Any) -> Any:
        kw.setdefault("hired", date(Y - 1, 3, 1))
        kw.setdefault("birth", "19960101")
        return person(**kw)

    return make


@pytest.fixture
def studio(mentor: Callable[..., Any]) -> Callable[..., Any]:
    """studio(lead=None, members=(), year=Y): a studio through the service (lead = a new mentor),
    its members joined on the founding date and a cohort of `year` opened 1 January."""
    from hr.core.db import db
    from hr.mentoring import services

    def make(lead: Any = None, members: tuple[Any, ...] = (), year: int | None = Y, name: str | None = None,
             street_id: int | None = None) -> Any:
        lead = lead or mentor()
        s = services.create_studio(lead.district_id, {
            "name": name or f"{lead.name}书记工作室", "street_id": street_id, "lead_id": lead.id,
            "founded": FOUNDED, "active": True, "intro": ""})
        for m in members:
            services.add_member(s, m.id, FOUNDED)
        if year is not None:
            services.create_cohort(s, year, date(year, 1, 1), "计划")
        db.session.commit()
        return s

    return make


@pytest.fixture
def pair(studio: Callable[..., Any]) -> Callable[..., Any]:
    """pair(mentor, mentee, studio=None, start=START): a committed pairing through the service."""
    from hr.core.db import db
    from hr.mentoring import services

    def make(mentor: Any, mentee: Any, in_studio: Any = None, start: date = START, end: date | None = None) -> Any:
        s = in_studio or studio(lead=mentor)
        p = services.create_pairing(cohort(s, start.year), mentor.id, mentee.id, start, end)
        db.session.commit()
        return p

    return make


