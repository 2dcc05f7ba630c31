"""Helpers of the reference-data page tests (plain functions and data; the fixtures are in tests/conftest.py and
the folder's conftest)."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

ZERO = Decimal("0.00")

SLIP_MONEY = (
    "grade_pay", "post_allowance", "performance", "qualification_allowance", "annual_bonus", "adjustments",
    "gross", "si_base", "hf_base", "pension", "medical", "unemployment", "housing_fund", "iit", "bonus_tax",
    "net", "employer_pension", "employer_medical", "employer_unemployment", "employer_injury",
    "employer_housing_fund", "employer_total", "special", "cum_wages", "cum_si_hf", "cum_special",
    "cum_basic", "cum_tax",
)


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
