"""Helpers of the reliability tests (plain functions and data; the fixtures are in tests/conftest.py and
the folder's conftest)."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

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


