"""Helpers for the reliability tests: a snapshot of every table (all columns), bulk seeding of
graded workers, and `flask` commands run in a subprocess against the test database."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import HONGKOU, RequestClient, committee_in, valid_id

ROOT = Path(__file__).resolve().parents[2]


def is_postgres(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def table_names(db: Any) -> list[str]:
    return sorted(db.metadata.tables) + ["alembic_version"]


def snapshot(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the application's and alembic's), every column, ordered by
    the whole row, read through a fresh connection (what another process would see)."""
    from hr.core.db import db

    out: dict[str, list[tuple[Any, ...]]] = {}
    meta = sa.MetaData()
    with engine.connect() as conn:
        for name in table_names(db):
            table = db.metadata.tables.get(name)
            if table is None:
                table = sa.Table(name, meta, autoload_with=conn)
            rows = conn.execute(sa.select(table)).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def fingerprint(engine: sa.Engine) -> str:
    """A short hash of `snapshot`, for messages and cheap comparisons."""
    return hashlib.sha256(repr(snapshot(engine)).encode()).hexdigest()[:16]


def diff_tables(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> list[str]:
    return [f"{t}: {len(before.get(t, []))} rows -> {len(after.get(t, []))} rows"
            for t in sorted(set(before) | set(after)) if before.get(t) != after.get(t)]


@pytest.fixture
def bulk_workers(app: Flask) -> Callable[..., list[int]]:
    """n in-service workers with an entry grade, inserted in bulk (fast); returns their ids.
    The register's services are exercised elsewhere: here only volume matters."""
    from hr.core.db import db
    from hr.grades.models import Assignment
    from hr.workers.models import Worker

    def make(n: int, district_code: str = HONGKOU, hire: date = date(2024, 1, 1),
             post: str = "STAF", grade: int = 5) -> list[int]:
        committee = committee_in(district_code)
        rows = []
        for i in range(n):
            number = valid_id(area="310109")
            rows.append({
                "name": f"测试{_han(i)}", "id_number": number,
                "birth_date": date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                "gender": "男" if int(number[16]) % 2 else "女", "phone": "13812345678",
                "education": "本科", "political_status": "群众", "qualification": "无",
                "qualification_date": None, "hire_date": hire, "prior_years": 0,
                "committee_id": committee.id, "street_id": committee.street_id,
                "district_id": committee.street.district_id, "status": "在职", "leave_date": None,
                "leave_reason": "", "shiye": False, "reserve_cadre": False,
                "bank_name": "中国银行上海分行", "bank_account": f"62166{i:014d}", "version": 1,
            })
        ids = list(db.session.execute(sa.insert(Worker).returning(Worker.id), rows).scalars())
        db.session.execute(sa.insert(Assignment), [
            {"worker_id": wid, "district_id": committee.street.district_id, "post": post, "grade": grade,
             "effective": hire.replace(day=1), "reason": "入职定级"} for wid in ids
        ])
        db.session.commit()
        return ids

    return make


def _han(i: int) -> str:
    """A name-like suffix of CJK characters (names must be 2–32 汉字 or letters)."""
    digits = "零一二三四五六七八九"
    return "".join(digits[int(c)] for c in str(i))


def flask_env(app: Flask, tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_SECRET_KEY": "test-secret",
        "FLASK_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "FLASK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def flask_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", *args]


def run_flask(app: Flask, tmp_path: Path, *args: str, input: str | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(flask_cmd(*args), cwd=ROOT, env=flask_env(app, tmp_path), input=input,
                          capture_output=True, text=True, timeout=timeout, check=False)


def new_client(app: Flask) -> FlaskClient:
    return RequestClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return new_client(app)
