"""Writing a run's slips in bulk: the rows converted once to database values (money to integer
fen, JSON to text) and handed to the driver in one call: `executemany` on SQLite, `COPY` on
PostgreSQL (psycopg 3). Per-row ORM objects and per-value type processing cost more than the
pricing itself at a city's size."""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Table
from sqlalchemy.orm import Session

from payroll.calc.money import to_fen
from payroll.db_types import Money


def _fen(value: Decimal | None) -> int | None:
    if value is None:
        return None
    fen = value.scaleb(2)
    if type(value) is Decimal and fen == fen.to_integral_value():
        return int(fen)
    return to_fen(value)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _converters(table: Table, columns: Sequence[str], sqlite: bool) -> list[Callable[[Any], Any]]:
    out: list[Callable[[Any], Any]] = []
    for name in columns:
        col_type = table.c[name].type
        if isinstance(col_type, Money):
            out.append(_fen)
        elif isinstance(col_type, JSON):
            out.append(_json)
        elif sqlite:
            out.append(_sqlite_value)
        else:
            out.append(_same)
    return out


def _same(value: Any) -> Any:
    return value


def _sqlite_value(value: Any) -> Any:
    """Dates and datetimes as SQLAlchemy's SQLite dialect stores them (ISO text)."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys, Python values as the ORM takes them) into
    `table` within the session's transaction."""
    if not rows:
        return
    columns = list(rows[0])
    connection = session.connection()
    dialect = connection.dialect.name
    convert = _converters(table, columns, dialect == "sqlite")
    pairs = list(zip(columns, convert, strict=True))
    values = [tuple(f(row[c]) for c, f in pairs) for row in rows]
    names = ", ".join(columns)
    raw: Any = connection.connection.driver_connection
    if dialect == "postgresql":
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
    else:
        cur = raw.cursor()
        try:
            cur.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))})", values)
        finally:
            cur.close()
