"""`flask backup create` / `flask backup restore` on SQLite and PostgreSQL: a round trip gives
back every row of every table; a backup taken while the application writes is consistent; a
file of the wrong kind is refused with a clear message; restore asks before overwriting."""
from __future__ import annotations

import os
import sqlite3
import stat
import threading
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from hr.core.db import db
from tests.conftest import HONGKOU, PUDONG, district
from tests.helpers.reliability import diff_tables, is_postgres, snapshot

EXT = {False: ".sqlite3", True: ".dump"}


@pytest.fixture
def city(app, make_worker, make_user, bulk_workers):
    """A little of everything: accounts, workers of two districts, grades, a locked payroll
    month with slips (money, JSON, dates), audit entries."""
    from hr.grades.models import Assignment
    from payroll.runs import services

    make_user("auditor", None, username="cityaudit")
    officer = make_user("officer", HONGKOU, username="hkback")
    w = make_worker(name="王小明", phone="13900001111")
    make_worker(PUDONG, name="李四")
    db.session.add(Assignment(worker_id=w.id, district_id=w.district_id, post="LEAD", grade=9,
                              effective=date(2019, 3, 1), reason="入职定级"))
    db.session.commit()
    bulk_workers(30)
    run = services.get_or_create_run(district(HONGKOU), date(2026, 1, 1), officer)
    services.calculate_run(run, officer)
    services.approve_run(run, make_user("reviewer", HONGKOU, username="hkbackrev"))
    services.lock_run(run, officer)
    db.session.commit()
    return run


def _backup_file(tmp_path, app):
    return tmp_path / ("shequ" + EXT[is_postgres(app)])


def _mutate() -> None:
    """Changes of every kind a restore must undo: updates, deletes, inserts."""
    from hr.workers.models import Worker
    from payroll.runs.models import PayrollRun, Payslip

    db.session.execute(sa.update(Worker).values(name="已改名", version=Worker.version + 1))
    db.session.execute(sa.delete(Payslip))
    db.session.execute(sa.update(PayrollRun).values(status="draft", net=Decimal("0.01")))
    db.session.commit()


def test_round_trip_restores_every_row_of_every_table(app, runner, city, tmp_path):
    engine = db.engine
    before = snapshot(engine)
    assert len(before["payslip"]) == 31 and before["alembic_version"]
    target = _backup_file(tmp_path, app)
    out = runner.invoke(args=["backup", "create", "-o", str(target)])
    assert out.exit_code == 0, out.output
    assert "backup written" in out.output and target.exists()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600  # personal data: owner only

    _mutate()
    assert snapshot(engine) != before
    db.session.remove()
    out = runner.invoke(args=["backup", "restore", str(target), "--yes"])
    assert out.exit_code == 0, out.output
    after = snapshot(db.engine)
    assert diff_tables(before, after) == []
    assert after == before

    # The application works on the restored database, and a second restore is idempotent.
    from payroll.runs.models import PayrollRun

    assert db.session.execute(sa.select(PayrollRun.status)).scalar_one() == "locked"
    db.session.remove()
    assert runner.invoke(args=["backup", "restore", str(target), "--yes"]).exit_code == 0
    assert snapshot(db.engine) == before


def test_default_file_name_is_in_the_instance_folder(app, runner, city, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    out = runner.invoke(args=["backup", "create"])
    assert out.exit_code == 0, out.output
    files = os.listdir(tmp_path / "instance" / "backups")
    assert len(files) == 1 and files[0].startswith("shequ-") and files[0].endswith(EXT[is_postgres(app)])


def test_restore_asks_for_confirmation(app, runner, city, tmp_path):
    target = _backup_file(tmp_path, app)
    assert runner.invoke(args=["backup", "create", "-o", str(target)]).exit_code == 0
    _mutate()
    changed = snapshot(db.engine)
    db.session.remove()
    out = runner.invoke(args=["backup", "restore", str(target)], input="n\n")
    assert out.exit_code == 1 and "覆盖" in out.output and "Aborted" in out.output
    assert snapshot(db.engine) == changed
    db.session.remove()
    out = runner.invoke(args=["backup", "restore", str(target)], input="y\n")
    assert out.exit_code == 0, out.output
    assert snapshot(db.engine) != changed


def _sqlite_file(path, with_app_tables=False):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    if with_app_tables:
        con.execute("CREATE TABLE alembic_version (version_num TEXT)")
        con.execute("CREATE TABLE worker (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    return path


def test_a_file_of_the_wrong_kind_is_refused_and_nothing_changes(app, runner, city, tmp_path):
    before = snapshot(db.engine)
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello")
    foreign_sqlite = _sqlite_file(tmp_path / "other.db")
    pg_dump = tmp_path / "from-postgres.dump"
    pg_dump.write_bytes(b"PGDMP\x01\x0e\x00" + b"\0" * 64)
    truncated = tmp_path / "truncated" if is_postgres(app) else tmp_path / "truncated.sqlite3"
    truncated.write_bytes((b"PGDMP" if is_postgres(app) else b"SQLite format 3\x00") + b"\x01" * 40)
    cases = [
        (text_file, "不是本系统的备份文件"),
        (tmp_path / "missing.dump", "不存在"),
        (truncated, "损坏" if is_postgres(app) else "损坏"),
    ]
    if is_postgres(app):
        cases += [(foreign_sqlite, "是SQLite 数据库文件，而当前数据库是 postgresql")]
    else:
        cases += [
            (pg_dump, "是PostgreSQL 备份（pg_dump -Fc），而当前数据库是 sqlite"),
            (foreign_sqlite, "不是本系统的备份（缺少本系统的数据表）"),
        ]
    db.session.remove()
    for path, message in cases:
        out = runner.invoke(args=["backup", "restore", str(path), "--yes"])
        assert out.exit_code == 1, (path, out.output)
        assert message in out.output, (path, out.output)
        assert "Traceback" not in out.output
    assert snapshot(db.engine) == before


def test_backup_while_the_application_writes_is_a_consistent_snapshot(app, runner, city, tmp_path):
    """An open, uncommitted transaction is not in the backup; writers keep going meanwhile."""
    from hr.workers.models import Worker

    committed = snapshot(db.engine)
    writer = db.engine.connect()
    tx = writer.begin()
    writer.execute(sa.update(Worker).values(name="未提交"))
    target = _backup_file(tmp_path, app)
    result: dict[str, object] = {}

    def backup() -> None:
        result["out"] = runner.invoke(args=["backup", "create", "-o", str(target)])

    t = threading.Thread(target=backup)
    t.start()
    t.join(60)
    assert not t.is_alive(), "the backup waited for the writer"
    tx.commit()
    writer.close()
    assert result["out"].exit_code == 0, result["out"].output  # type: ignore[attr-defined]
    assert {n for (n,) in db.session.execute(sa.select(Worker.name))} == {"未提交"}

    # Restore it: every name is back as committed before the backup, nothing of the writer.
    db.session.remove()
    assert runner.invoke(args=["backup", "restore", str(target), "--yes"]).exit_code == 0
    assert snapshot(db.engine) == committed


def test_sqlite_backup_is_a_single_self_contained_file(app, runner, city, tmp_path):
    if is_postgres(app):
        pytest.skip("SQLite only: the PostgreSQL backup is a pg_dump archive")
    target = tmp_path / "copy.sqlite3"
    assert runner.invoke(args=["backup", "create", "-o", str(target)]).exit_code == 0
    assert not (tmp_path / "copy.sqlite3-wal").exists()
    con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM payslip").fetchone()[0] == 31
    finally:
        con.close()


def test_pg_backup_lists_as_a_custom_format_archive(app, runner, city, tmp_path):
    if not is_postgres(app):
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL): pg_dump -Fc archive")
    import subprocess

    target = tmp_path / "city.dump"
    assert runner.invoke(args=["backup", "create", "-o", str(target)]).exit_code == 0
    assert target.read_bytes()[:5] == b"PGDMP"
    listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True, text=True, check=True)
    assert "TABLE DATA public payslip" in listing.stdout
