"""Fixtures of the grades tests: graded workers, ratings and logged-in clients by role."""
from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook

from tests.conftest import HONGKOU, login


@pytest.fixture
def city_admin(make_user: Callable[..., Any]) -> Any:
    return make_user("admin", username="gradesadmin")


@pytest.fixture
def graded(make_worker: Callable[..., Any], city_admin: Any) -> Callable[..., Any]:
    """A worker through the register service, with an entry assignment when `post` is given
    (grade None takes the §2.1 proposal)."""
    from hr.core.db import db
    from hr.grades.services import assign_entry

    def make(post: str | None = "STAF", grade: int | None = None, note: str = "测试定级",
             district_code: str = HONGKOU, committee_index: int = 0, **overrides: Any) -> Any:
        worker = make_worker(district_code, committee_index, **overrides)
        if post:
            assign_entry(worker, post, grade, note if grade is not None else "", city_admin)
            db.session.commit()
        return worker

    return make


@pytest.fixture
def rate(city_admin: Any) -> Callable[..., None]:
    """rate(worker, {2020: '合格', ...}) through the service, committed."""
    from hr.core.db import db
    from hr.grades.services import save_ratings

    def do(worker: Any, ratings: dict[int, str]) -> None:
        save_ratings([(worker, y, r) for y, r in ratings.items()], city_admin)
        db.session.commit()

    return do


@pytest.fixture
def login_as(app: Flask, make_user: Callable[..., Any]) -> Callable[..., FlaskClient]:
    counter = itertools.count()

    def make(role: str, district_code: str | None = HONGKOU) -> FlaskClient:
        user = make_user(role, district_code, username=f"g{role}{next(counter)}")
        c = app.test_client()
        assert login(c, user.username).status_code == 302
        return c

    return make


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


def text(resp: Any) -> str:
    return resp.get_data(as_text=True)
