"""Helpers of the security tests (plain functions and data; the fixtures are in tests/conftest.py and
the folder's conftest)."""
from __future__ import annotations

import sqlalchemy as sa

from hr.core.db import db
from tests.conftest import HONGKOU, PUDONG, district

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
