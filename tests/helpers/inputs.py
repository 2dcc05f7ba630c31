"""Helpers of the inputs tests (plain functions and data; the fixtures are in tests/conftest.py and
the folder's conftest)."""
from __future__ import annotations

import io
import re
from typing import Any

from flask.testing import FlaskClient
from openpyxl import Workbook

from tests.helpers.web import text

DECLARATION_HEADERS = ["身份证号", "姓名", "类型", "子女姓名", "每月金额", "起始月份", "结束月份"]

ADJUSTMENT_HEADERS = ["身份证号", "姓名", "类型", "金额", "发放月份", "所属月份", "原因"]


def field_errors(html: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for chunk in html.split('<div class="field')[1:]:
        name = re.search(r'name="([^"]+)"', chunk)
        if name:
            out[name.group(1)] = re.findall(r'<div class="error">(.*?)</div>', chunk)
    return out


def rows_of(model: Any, **where: Any) -> list[Any]:
    from sqlalchemy import select

    from hr.core.db import db

    db.session.expire_all()
    stmt = select(model)
    for k, v in where.items():
        stmt = stmt.where(getattr(model, k) == v)
    return list(db.session.execute(stmt.order_by(model.__table__.primary_key.columns.values()[0])).scalars())


def audit(object_type: str, action: str | None = None) -> list[Any]:
    from hr.audit.models import AuditEntry

    entries = rows_of(AuditEntry, object_type=object_type)
    return [e for e in entries if action is None or e.action == action]


def xlsx(rows: list[list[Any]], headers: list[str], sheet: str = "Sheet") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(client: FlaskClient, kind: str, content: bytes, filename: str = "导入.xlsx") -> Any:
    return client.post(f"/payroll/inputs/import/{kind}", data={"file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def confirm_token(html: str) -> str | None:
    m = re.search(r'name="token"[^>]*value="([0-9a-f]{32})"', html) or re.search(
        r'value="([0-9a-f]{32})"[^>]*name="token"', html)
    return m.group(1) if m else None


def import_file(client: FlaskClient, kind: str, content: bytes, filename: str = "导入.xlsx") -> Any:
    preview = upload(client, kind, content, filename)
    assert preview.status_code == 200
    token = confirm_token(text(preview))
    assert token, text(preview)
    return client.post(f"/payroll/inputs/import/{kind}/confirm", data={"token": token, "filename": filename},
                       follow_redirects=True)


def preview_errors(html: str) -> list[tuple[int, str, str]]:
    """(row, column, reason) of the preview's error table."""
    return [(int(r), c, reason) for r, c, reason in re.findall(
        r'<tr><td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', html)]
