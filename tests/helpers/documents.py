"""Helpers of the documents tests (plain functions and data; the fixtures are in tests/conftest.py and
the folder's conftest)."""
from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

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


def pdf_text(content: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(p.extract_text() or "" for p in reader.pages)


def workbook(content: bytes) -> Any:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


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
