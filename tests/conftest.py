"""The one set of fixtures: one database per test session (SQLite file, or a fresh PostgreSQL
database when TEST_DATABASE_URL is set), migrated once; every test starts from the same reference
data. Clients per role (each request in its own application context, as under a server), workers
and graded workers, ratings, calculated and locked months: factories that return callables.
A folder's conftest adds only what its own tests need; plain helpers live in tests/helpers."""
from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers.web import RequestClient, config, new_client  # noqa: F401  (used by the tests)

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


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return new_client(app)


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


@pytest.fixture
def client_as(app: Flask, make_user: Callable[..., Any]) -> Callable[..., FlaskClient]:
    """client_as(role="officer", district_code=HONGKOU, username=None): a fresh client logged in
    as a new user of that role (and district)."""
    counter = itertools.count()

    def make(role: str = "officer", district_code: str | None = HONGKOU, username: str | None = None) -> FlaskClient:
        user = make_user(role, district_code, username=username or f"{role}c{next(counter)}")
        c = new_client(app)
        resp = login(c, user.username)
        assert resp.status_code == 302, resp.get_data(as_text=True)
        return c

    return make


@pytest.fixture
def login_as(client_as: Callable[..., FlaskClient]) -> Callable[..., FlaskClient]:
    """The same as client_as."""
    return client_as


@pytest.fixture
def admin_client(client_as: Callable[..., FlaskClient]) -> FlaskClient:
    return client_as("admin")


@pytest.fixture
def many_workers(make_user: Callable[..., Any]) -> Callable[..., list[Any]]:
    """many_workers(n, district_code, committee_index, name=lambda i: ..., **fields): n workers
    through the service, committed once (cheap compared with the web form)."""
    from hr.core.db import db
    from hr.workers.services import create_worker

    state: dict[str, Any] = {}

    def make(n: int, district_code: str = HONGKOU, committee_index: int = 0,
             name: Callable[[int], str] | None = None, **overrides: Any) -> list[Any]:
        if "admin" not in state:
            state["admin"] = make_user("admin", username="bulkadmin")
        committee_id = committee_in(district_code, committee_index).id
        made = []
        for i in range(n):
            data = worker_data(committee_id=committee_id, **overrides)
            if name is not None:
                data["name"] = name(i)
            made.append(create_worker(data, state["admin"]))
        db.session.commit()
        return made

    return make


@pytest.fixture
def city_admin(make_user: Callable[..., Any]) -> Any:
    return make_user("admin", username="gradesadmin")


@pytest.fixture
def graded(make_worker: Callable[..., Any], city_admin: Any) -> Callable[..., Any]:
    """graded(post="STAF", grade=None, ...): a worker through the register service, with an entry
    assignment through the grades service when `post` is given (grade None takes the §2.1 proposal)."""
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
def graded_worker(make_worker: Callable[..., Any]) -> Callable[..., Any]:
    """graded_worker(post="STAF", grade=5, ...): a worker with an entry assignment row effective on
    the 1st of the hire month (written directly: no audit entry, no proposal)."""
    from hr.core.db import db
    from hr.grades.models import Assignment

    def make(post: str = "STAF", grade: int = 5, district_code: str = HONGKOU, **overrides: Any) -> Any:
        worker = make_worker(district_code=district_code, **overrides)
        db.session.add(Assignment(worker_id=worker.id, district_id=worker.district_id, post=post, grade=grade,
                                  effective=worker.hire_date.replace(day=1), reason="入职定级"))
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
def run_month(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """run_month("2026-03", district_code, lock=True): calculate (and approve and lock) a
    district's month of the workers already there: an officer of it calculates and locks, a
    reviewer of it approves."""
    from hr.core.db import db
    from payroll.runs import services

    officers: dict[str, Any] = {}
    reviewers: dict[str, Any] = {}

    def run(month: str, district_code: str = HONGKOU, lock: bool = True) -> Any:
        if district_code not in officers:
            officers[district_code] = make_user("officer", district_code, username=f"runner{district_code}")
            reviewers[district_code] = make_user("reviewer", district_code, username=f"review{district_code}")
        user = officers[district_code]
        r = services.get_or_create_run(district(district_code), services.parse_month(month), user)
        services.calculate_run(r, user)
        db.session.commit()
        if lock:
            services.approve_run(r, reviewers[district_code])
            services.lock_run(r, user)
            db.session.commit()
        return r

    return run


@pytest.fixture
def make_month(graded_worker: Callable[..., Any], make_user: Callable[..., Any]) -> Callable[..., Any]:
    """make_month(district_code, people=4, month="2026-11", names, adjustments): a calculated month
    of `people` graded workers spread over two streets (a tests.helpers.documents.Month)."""
    from decimal import Decimal

    from hr.core.db import db
    from payroll.inputs.models import Adjustment
    from payroll.runs import services
    from tests.helpers.documents import MONTH, Month, committees_in_streets, own_id_number

    counter = itertools.count()

    def make(district_code: str = HONGKOU, people: int = 4, month: str = MONTH,
             names: list[str] | None = None, adjustments: Sequence[tuple[int, str, str, str]] = (),
             **overrides: Any) -> Month:
        """`adjustments`: (worker index, 补发/补扣, signed amount, reason) paid this month."""
        committees = committees_in_streets(district_code)
        workers = []
        for i in range(people):
            name = names[i] if names else f"职工{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{i // 10 or ''}"
            workers.append(graded_worker(district_code=district_code, committee_id=committees[i % len(committees)].id,
                                         id_number=own_id_number(), name=name, post=("STAF", "SUPV", "LEAD")[i % 3],
                                         grade=(5, 8, 12)[i % 3], **overrides))
        for index, kind, amount, reason in adjustments:
            w = workers[index]
            db.session.add(Adjustment(worker_id=w.id, district_id=w.district_id, kind=kind, amount=Decimal(amount),
                                      reason=reason, pay_month=services.parse_month(month)))
        db.session.commit()
        officer = make_user("officer", district_code, username=f"calc{district_code}{next(counter)}")
        run = services.get_or_create_run(district(district_code), services.parse_month(month), officer)
        services.calculate_run(run, officer)
        db.session.commit()
        return Month(run, workers, officer)

    return make


@pytest.fixture
def locked_month(make_month: Callable[..., Any]) -> Callable[..., Any]:
    """locked_month(district_code, people=4, month="2026-11", ...): make_month's month, approved
    by a reviewer of the district and locked by its officer (tests.helpers.filings.lock)."""
    from tests.helpers.filings import lock

    def make(*args: Any, **kwargs: Any) -> Any:
        m = make_month(*args, **kwargs)
        lock(m)
        return m

    return make


@pytest.fixture
def no_background_jobs(app: Flask) -> Iterator[None]:
    """Jobs stay queued until a test runs the worker itself (no Redis unless a test says so)."""
    with config(app, REDIS_URL=""):
        yield
