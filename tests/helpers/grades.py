"""Helpers of the grades tests (plain functions and data; the fixtures are in tests/conftest.py and
the folder's conftest)."""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask.testing import FlaskClient
from openpyxl import Workbook


def ratings_xlsx(rows: list[list[Any]], headers: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "年度考核结果"
    ws.append(headers or ["身份证号", "姓名", "年度", "考核结果"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(client: FlaskClient, url: str, content: bytes, filename: str = "考核.xlsx") -> Any:
    return client.post(url, data={"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")


def give_post(worker: Any, post: str, grade: int, effective: date, reason: str = "入职定级") -> Any:
    """An assignment row written directly (no audit entry), committed."""
    from hr.core.db import db
    from hr.grades.models import Assignment

    a = Assignment(worker_id=worker.id, district_id=worker.district_id, post=post, grade=grade,
                   effective=effective, reason=reason)
    db.session.add(a)
    db.session.commit()
    return a


def give_rating(worker: Any, year: int, rating: str) -> Any:
    """An assessment row written directly (no audit entry), committed."""
    from hr.core.db import db
    from hr.grades.models import Assessment

    a = Assessment(worker_id=worker.id, district_id=worker.district_id, year=year, rating=rating)
    db.session.add(a)
    db.session.commit()
    return a
