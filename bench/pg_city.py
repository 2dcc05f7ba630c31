"""The seeded city on PostgreSQL, for the benchmarks: the schema by migration, then every table
copied from the SQLite city database with COPY (minutes instead of seeding the city again through
the services). Set BENCH_PG_URL (a server URL; the database `shequ_bench_city` is created)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from typing import Any

from bench.common import CITY_DB, ROOT, ensure_city

DB_NAME = os.environ.get("BENCH_PG_DB", "shequ_bench_city")


def server_url() -> str | None:
    return os.environ.get("BENCH_PG_URL") or None


def city_pg_url() -> str:
    import sqlalchemy as sa

    url = server_url()
    assert url, "BENCH_PG_URL is not set"
    return sa.engine.make_url(url).set(drivername="postgresql+psycopg", database=DB_NAME).render_as_string(
        hide_password=False)


def ensure_pg_city(rebuild: bool = False) -> str:
    """The PostgreSQL copy of the city; built when missing (or `rebuild`)."""
    import psycopg
    import sqlalchemy as sa

    ensure_city()
    target = city_pg_url()
    admin = sa.create_engine(sa.engine.make_url(server_url() or "").set(drivername="postgresql+psycopg"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": DB_NAME}).first()
        if exists and not rebuild:
            return target
        if exists:
            conn.execute(sa.text(f'DROP DATABASE "{DB_NAME}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{DB_NAME}"'))
    env = dict(os.environ, DATABASE_URL=target)
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    source = sqlite3.connect(CITY_DB)
    tables = _tables_in_order(target)
    with psycopg.connect(sa.engine.make_url(target).set(drivername="postgresql").render_as_string(
            hide_password=False)) as pg:
        with pg.cursor() as cur:
            for table, columns, booleans in tables:
                if table == "alembic_version":
                    continue
                names = ", ".join(f'"{c}"' for c in columns)
                rows = source.execute(f'SELECT {names} FROM "{table}"')
                with cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(_pg_row(row, booleans))
                if "id" in columns:
                    cur.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)')
        pg.commit()
        pg.execute("ANALYZE")
    return target


def _pg_row(row: tuple[Any, ...], booleans: set[int]) -> tuple[Any, ...]:
    if not booleans:
        return row
    return tuple(bool(v) if i in booleans and v is not None else v for i, v in enumerate(row))


def _tables_in_order(url: str) -> list[tuple[str, list[str], set[int]]]:
    """(table, columns, indexes of boolean columns) in foreign-key order."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine)
    out = []
    for table in meta.sorted_tables:
        columns = [c.name for c in table.columns]
        booleans = {i for i, c in enumerate(table.columns) if isinstance(c.type, sa.Boolean)}
        out.append((table.name, columns, booleans))
    engine.dispose()
    return out
