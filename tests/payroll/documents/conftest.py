"""Fixtures for the document tests: a calculated month of a few workers in two streets, and
readers for what the documents contain."""
from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import HONGKOU, login

MONTH = "2026-11"
_IDS = itertools.count(1)


def own_id_number() -> str:
    """A valid ID number from this folder's own sequence (one birth date each, from 1975), so
    that these tests leave the shared valid_id() counter to the suites that rely on it."""
    from datetime import date, timedelta

    from tests.conftest import valid_id

    birth = date(1975, 1, 1) + timedelta(days=next(_IDS))
    return valid_id(birth=f"{birth:%Y%m%d}", seq=7)


def committees_in_streets(code: str, n_streets: int = 2) -> list[Any]:
    """The first committee of each of the district's first streets (by code)."""
    from hr.core.db import db
    from hr.org.models import Committee, District, Street

    streets = db.session.execute(
        sa.select(Street).join(District).where(District.code == code).order_by(Street.code)
    ).scalars().all()
    out = []
    for street in streets:
        c = db.session.execute(
            sa.select(Committee).where(Committee.street_id == street.id).order_by(Committee.code).limit(1)
        ).unique().scalar_one_or_none()
        if c is not None:
            out.append(c)
        if len(out) == n_streets:
            break
    return out


@dataclass
class Month:
    run: Any
    workers: list[Any] = field(default_factory=list)
    officer: Any = None


@pytest.fixture
def graded(make_worker: Callable[..., Any]) -> Callable[..., Any]:
    """A worker with an entry assignment effective on the 1st of the hire month."""
    from hr.core.db import db
    from hr.grades.models import Assignment

    def make(post: str = "STAF", grade: int = 5, district_code: str = HONGKOU, **overrides: Any) -> Any:
        worker = make_worker(district_code=district_code, **overrides)
        db.session.add(Assignment(worker_id=worker.id, district_id=worker.district_id, post=post, grade=grade,
                                  effective=worker.hire_date.replace(day=1), reason="入职定级"))
        db.session.commit()
        return worker

    return make


@pytest.fixture
def make_month(graded: Callable[..., Any], make_user: Callable[..., Any]) -> Callable[..., Month]:
    """Calculate a district's month for `people` workers spread over two streets."""
    from hr.core.db import db
    from payroll.runs import services
    from tests.conftest import district

    counter = itertools.count()

    def make(district_code: str = HONGKOU, people: int = 4, month: str = MONTH,
             names: list[str] | None = None, adjustments: list[tuple[int, str, str, str]] = (),  # type: ignore[assignment]
             **overrides: Any) -> Month:
        """`adjustments`: (worker index, 补发/补扣, signed amount, reason) paid this month."""
        committees = committees_in_streets(district_code)
        workers = []
        for i in range(people):
            name = names[i] if names else f"职工{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{i // 10 or ''}"
            workers.append(graded(district_code=district_code, committee_id=committees[i % len(committees)].id,
                                  id_number=own_id_number(), name=name, post=("STAF", "SUPV", "LEAD")[i % 3], grade=(5, 8, 12)[i % 3],
                                  **overrides))
        from decimal import Decimal

        from payroll.inputs.models import Adjustment

        for index, kind, amount, reason in adjustments:
            w = workers[index]
            db.session.add(Adjustment(worker_id=w.id, district_id=w.district_id, kind=kind, amount=Decimal(amount),
                                      reason=reason, pay_month=services.parse_month(month)))
        db.session.commit()
        officer = make_user("officer", district_code, username=f"calc{district_code}{next(counter)}")
        run = services.get_or_create_run(district(district_code), services.parse_month(month), officer)
        services.calculate_run(run, officer)
        db.session.commit()
        return Month(run, workers, officer)

    return make


@pytest.fixture
def client_as(app: Flask, make_user: Callable[..., Any]) -> Callable[..., FlaskClient]:
    counter = itertools.count()

    def make(role: str = "officer", district_code: str | None = HONGKOU) -> FlaskClient:
        user = make_user(role, district_code, username=f"doc{role}{next(counter)}")
        c = app.test_client()
        assert login(c, user.username).status_code == 302
        return c

    return make


def pdf_text(content: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(p.extract_text() or "" for p in reader.pages)


def workbook(content: bytes) -> Any:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


@contextmanager
def config(app: Flask, **values: Any) -> Iterator[None]:
    """Change settings for a block (thresholds, the job backend)."""
    old = {k: app.config.get(k) for k in values}
    app.config.update(values)
    try:
        yield
    finally:
        app.config.update(old)


@pytest.fixture(autouse=True)
def _no_background_processes(app: Flask) -> Iterator[None]:
    """Jobs stay queued until a test runs the worker itself (no Redis unless a test says so)."""
    with config(app, REDIS_URL=""):
        yield


def audit_actions(action: str) -> list[Any]:
    from hr.audit.models import AuditEntry
    from hr.core.db import db

    return list(db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == action)
                                   .order_by(AuditEntry.id)).scalars())


def content_disposition_name(resp: Any) -> str:
    from urllib.parse import unquote

    header = resp.headers["Content-Disposition"]
    return unquote(header.split("filename*=UTF-8''", 1)[1])


def as_next_user() -> None:
    """Requests in a test share its application context, and with it flask-login's cached
    user (g._login_user): forget it before a request made by another client."""
    from flask import g

    g.pop("_login_user", None)
