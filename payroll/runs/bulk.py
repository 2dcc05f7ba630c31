"""Writing a run's slips in bulk: the rows converted once to database values (money to integer
fen, JSON to text) and handed to the driver in one call: `executemany` on SQLite, `COPY` on
PostgreSQL (psycopg 3). Per-row ORM objects and per-value type processing cost more than the
pricing itself at a city's size."""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Table
from sqlalchemy.orm import Session, scoped_session

from payroll.calc.money import to_fen
from payroll.db_types import Money

# Yuan → integer fen of the amounts already converted (equal Decimals are the same amount of
# fen whatever their exponent; a run repeats most amounts: scales, bases, contributions).
_FENS: dict[Decimal, int] = {}
_FEN_CACHE_SIZE = 200_000
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one encoder, not one per value


def _json(value: Any) -> str | None:
    if value is None:
        return None
    if not value and type(value) is list:
        return "[]"
    return _ENCODER.encode(value)


def _is_date(col_type: Any) -> bool:
    try:
        return col_type.python_type in (date, datetime)
    except NotImplementedError:
        return False


def _kinds(table: Table, columns: Sequence[str], sqlite: bool) -> tuple[list[int], list[int], list[int]]:
    """Positions of the money columns, the JSON columns and (SQLite) the others to adapt."""
    money, documents, other = [], [], []
    for i, name in enumerate(columns):
        col_type = table.c[name].type
        if isinstance(col_type, Money):
            money.append(i)
        elif isinstance(col_type, JSON):
            documents.append(i)
        elif sqlite and _is_date(col_type):
            other.append(i)
    return money, documents, other


def _sqlite_value(value: Any) -> Any:
    """Dates and datetimes as SQLAlchemy's SQLite dialect stores them (ISO text)."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def insert_rows(session: Session | scoped_session[Any], table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys, Python values as the ORM takes them) into
    `table` within the session's transaction."""
    if not rows:
        return
    columns = list(rows[0])
    connection = session.connection()
    dialect = connection.dialect.name
    money, documents, other = _kinds(table, columns, dialect == "sqlite")
    pick = itemgetter(*columns)
    fens = _FENS
    values = []
    for row in rows:
        v = list(pick(row))
        for i in money:
            amount = v[i]
            if amount is not None:
                whole = fens.get(amount) if type(amount) is Decimal else None
                if whole is None:
                    fen = amount.scaleb(2)
                    whole = int(fen)
                    if whole != fen:
                        whole = to_fen(amount)  # raises: not a whole number of fen
                    if len(fens) < _FEN_CACHE_SIZE:
                        fens[amount] = whole
                v[i] = whole
        for i in documents:
            v[i] = _json(v[i])
        for i in other:
            v[i] = _sqlite_value(v[i])
        values.append(tuple(v))
    names = ", ".join(columns)
    raw: Any = connection.connection.driver_connection
    if dialect == "postgresql":
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for line in values:
                copy.write_row(line)
    else:
        cur = raw.cursor()
        try:
            cur.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))})", values)
        finally:
            cur.close()
