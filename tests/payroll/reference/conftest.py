"""Fixtures for the reference-data tests: clients by role, and payroll runs with slips priced
on a given scale version (inserted directly: the run's calculation is not under test here)."""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import HONGKOU, district, login

ZERO = Decimal("0.00")
SLIP_MONEY = (
    "grade_pay", "post_allowance", "performance", "qualification_allowance", "annual_bonus", "adjustments",
    "gross", "si_base", "hf_base", "pension", "medical", "unemployment", "housing_fund", "iit", "bonus_tax",
    "net", "employer_pension", "employer_medical", "employer_unemployment", "employer_injury",
    "employer_housing_fund", "employer_total", "special", "cum_wages", "cum_si_hf", "cum_special",
    "cum_basic", "cum_tax",
)


@pytest.fixture
def client_as(app: Flask, make_user: Callable[..., Any]) -> Callable[..., FlaskClient]:
    """A fresh client logged in as a new user of that role (and district)."""
    counter = itertools.count()

    def make(role: str, district_code: str | None = HONGKOU) -> FlaskClient:
        user = make_user(role, district_code, username=f"ref{role}{next(counter)}")
        c = app.test_client()
        assert login(c, user.username).status_code == 302
        return c

    return make


@pytest.fixture
def admin_client(client_as: Callable[..., FlaskClient]) -> FlaskClient:
    return client_as("admin")


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


def text(resp: Any) -> str:
    return resp.get_data(as_text=True)


def field_errors(html: str) -> dict[str, list[str]]:
    """{input name: [error messages]} for each field block of the form macro."""
    out: dict[str, list[str]] = {}
    for chunk in html.split('<div class="field')[1:]:
        name = re.search(r'name="([^"]+)"', chunk)
        if name:
            out[name.group(1)] = re.findall(r'<div class="error">(.*?)</div>', chunk.split('<div class="field')[0])
    return out


def audit(object_type: str, action: str | None = None) -> list[Any]:
    from sqlalchemy import select

    from hr.audit.models import AuditEntry
    from hr.core.db import db

    stmt = select(AuditEntry).where(AuditEntry.object_type == object_type)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.execute(stmt.order_by(AuditEntry.id)).scalars())
