"""Fixtures: one database per test session (SQLite file, or a fresh PostgreSQL database when
TEST_DATABASE_URL is set), migrated once; every test starts from the same reference data."""
from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

PASSWORD = "Passw0rd-test"
HONGKOU, PUDONG = "310109", "310115"


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = _postgres_url()
    if server is None:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
        return
    name = f"shequ_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(server).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
            ), {"n": name})
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def committee_subset() -> list[str]:
    """Streets whose committees the tests load: all of 虹口区's and three of 浦东新区's."""
    from hr.org.services import read_csv
    from seed import DATA

    streets = read_csv(DATA / "streets.csv")
    codes = [s["code"] for s in streets if s["district_code"] == HONGKOU]
    codes += [s["code"] for s in streets if s["district_code"] == PUDONG][:3]
    return codes


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from wsgi import create_app

    instance = tmp_path_factory.mktemp("instance")
    application = create_app({
        "TESTING": True,
        "PAYROLL_PROCESSES": 1,  # the tests that want worker processes ask for them
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "JOBS_FOLDER": str(instance / "jobs"),
    })
    os.makedirs(application.config["UPLOAD_FOLDER"], exist_ok=True)
    with application.app_context():
        from flask_migrate import upgrade

        from hr.core.db import db
        from seed.reference import load_all

        upgrade()
        load_all(committee_streets=committee_subset())
        db.session.commit()
        application.config["REFERENCE_SNAPSHOT"] = _snapshot(db)
        db.session.remove()
    yield application
    with application.app_context():
        from hr.core.db import db

        db.session.remove()
        db.engine.dispose()


REFERENCE_TABLES = ("district", "street", "committee")


def _reference_tables(db: Any) -> list[str]:
    extra = [t for t in db.metadata.tables if db.metadata.tables[t].info.get("reference")]
    return list(REFERENCE_TABLES) + sorted(extra)


def _snapshot(db: Any) -> dict[str, list[dict[str, Any]]]:
    snap = {}
    for name in _reference_tables(db):
        table = db.metadata.tables[name]
        snap[name] = [dict(r._mapping) for r in db.session.execute(sa.select(table)).all()]
    return snap


def _reset(app: Flask) -> None:
    """Empty every table and put the reference rows back. PostgreSQL: one DELETE per table
    that has rows (far cheaper than TRUNCATE on small tables), then the sequences follow."""
    from hr.core.db import db

    db.session.remove()
    tables = db.metadata.sorted_tables
    snap = app.config["REFERENCE_SNAPSHOT"]
    with db.engine.begin() as conn:
        pg = conn.dialect.name == "postgresql"
        if pg:
            probe = " UNION ALL ".join(
                f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables)
            dirty = {row[0] for row in conn.execute(sa.text(probe))}
        else:
            dirty = {t.name for t in tables}
        for t in reversed(tables):
            if t.name in dirty:
                conn.execute(t.delete())
        for t in tables:
            rows = snap.get(t.name)
            if rows:
                conn.execute(t.insert(), rows)
                if pg:
                    conn.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('\"{t.name}\"', 'id'), (SELECT MAX(id) FROM \"{t.name}\"))"
                    ))


@pytest.fixture(autouse=True)
def _clean_db(request: pytest.FixtureRequest) -> Iterator[None]:
    if "app" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        _reset(application)
        yield
        from hr.core.db import db

        db.session.remove()


class RequestClient(FlaskClient):
    """Runs each request in an application context of its own, as a server does. The autouse
    `_clean_db` fixture keeps one context pushed for the test, and Flask would reuse it for
    requests: every request of a test would then share `g` (where Flask-Login caches the user,
    so a second client would act as the first one's user) and one database session."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return RequestClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


def district(code: str) -> Any:
    from hr.core.db import db
    from hr.org.models import District

    return db.session.execute(sa.select(District).where(District.code == code)).scalar_one()


def committee_in(code: str, index: int = 0) -> Any:
    from hr.core.db import db
    from hr.org.models import Committee, District, Street

    return db.session.execute(
        sa.select(Committee).join(Street).join(District).where(District.code == code)
        .order_by(Committee.code).offset(index).limit(1)
    ).unique().scalar_one()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Any]:
    from hr.accounts.services import create_user
    from hr.core.db import db

    counter = itertools.count()

    def make(role: str = "officer", district_code: str | None = HONGKOU, username: str | None = None) -> Any:
        if role == "admin":
            district_code = None
        name = username or f"{role}{next(counter)}"
        user = create_user(name, PASSWORD, role, district_code)
        db.session.commit()
        return user

    return make


_ID_COUNTER = itertools.count(1)


def valid_id(area: str = "310109", birth: str = "19880315", seq: int | None = None, male: bool = False) -> str:
    """A valid, unique resident ID number. Uniqueness comes from the sequence number and, every
    500 numbers, a later birth day (a few years at most over a whole run, never a future date)."""
    from datetime import date, timedelta

    from hr.workers.idcard import check_char

    n = next(_ID_COUNTER) if seq is None else seq
    s = ((n % 500) * 2 + (1 if male else 0)) % 1000
    day = date(int(birth[:4]), int(birth[4:6]), int(birth[6:])) + timedelta(days=n // 500)
    first17 = f"{area}{day:%Y%m%d}{s:03d}"
    return first17 + check_char(first17)


def worker_data(**overrides: Any) -> dict[str, Any]:
    from datetime import date

    data: dict[str, Any] = {
        "name": "张丽",
        "id_number": valid_id(),
        "phone": "13812345678",
        "education": "本科",
        "political_status": "中共党员",
        "qualification": "助理社会工作师",
        "qualification_date": date(2020, 6, 1),
        "hire_date": date(2019, 3, 1),
        "prior_years": 2,
        "committee_id": None,
        "shiye": False,
        "reserve_cadre": False,
        "bank_name": "中国工商银行上海分行",
        "bank_account": "6222021234567890123",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_worker(app: Flask, make_user: Callable[..., Any]) -> Callable[..., Any]:
    from hr.core.db import db
    from hr.workers.services import create_worker

    state: dict[str, Any] = {}

    def make(district_code: str = HONGKOU, committee_index: int = 0, **overrides: Any) -> Any:
        if "admin" not in state:
            state["admin"] = make_user("admin", username="factoryadmin")
        if overrides.get("committee_id") is None:
            overrides["committee_id"] = committee_in(district_code, committee_index).id
        worker = create_worker(worker_data(**overrides), state["admin"])
        db.session.commit()
        return worker

    return make


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> Any:
    return client.post("/login", data={"username": username, "password": password}, follow_redirects=False)


@pytest.fixture
def officer_client(client: FlaskClient, make_user: Callable[..., Any]) -> FlaskClient:
    user = make_user("officer", HONGKOU, username="hk")
    login(client, user.username)
    return client
