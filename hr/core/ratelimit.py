"""Atomic rate counters in fixed windows, shared by every worker process: in Redis when
RATELIMIT_STORAGE_URL names a Redis server (INCR and EXPIRE in one pipeline), else in the
database (`rate_counter`, one INSERT … ON CONFLICT DO UPDATE … RETURNING per hit, committed on
its own connection so that a rolled-back request still counts). Keys are stored hashed: no user
name or address is kept."""
from __future__ import annotations

import hashlib
import time
from typing import Any

from flask import current_app
from sqlalchemy import Integer, String, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from hr.core.db import db


class RateCounter(db.Model):
    """Hits of one key in one window (window = start second // window length)."""

    __tablename__ = "rate_counter"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer, default=0)


def _clock() -> float:
    return time.time()


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _redis() -> Any:
    url = str(current_app.config.get("RATELIMIT_STORAGE_URL") or "")
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    clients = current_app.extensions.setdefault("ratelimit_redis", {})
    if url not in clients:
        import redis

        clients[url] = redis.Redis.from_url(url)
    return clients[url]


def hit(key: str, seconds: int, now: float | None = None) -> int:
    """Count one hit of `key` in the current window of `seconds` and return the hits so far in
    that window (this one included). Atomic: n parallel hits get 1…n, each exactly once."""
    window = int((_clock() if now is None else now) // seconds)
    digest = _digest(key)
    r = _redis()
    if r is not None:
        name = f"shequ:rate:{digest}:{window}"
        pipe = r.pipeline()
        pipe.incr(name)
        pipe.expire(name, seconds + 5)
        return int(pipe.execute()[0])
    table = RateCounter.__table__
    with db.engine.begin() as conn:
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        stmt = insert(table).values(key=digest, window=window, count=1)
        upsert = stmt.on_conflict_do_update(index_elements=[table.c.key, table.c.window],
                                            set_={"count": table.c.count + 1}).returning(table.c.count)
        count = int(conn.execute(upsert).scalar_one())
        if count == 1:  # the first hit of a window clears the key's older windows
            conn.execute(delete(table).where(table.c.key == digest, table.c.window < window))
    return count


def reset(key: str, seconds: int, now: float | None = None) -> None:
    """Forget the key's hits (the current window and older)."""
    digest = _digest(key)
    r = _redis()
    if r is not None:
        window = int((_clock() if now is None else now) // seconds)
        r.delete(f"shequ:rate:{digest}:{window}", f"shequ:rate:{digest}:{window - 1}")
        return
    with db.engine.begin() as conn:
        conn.execute(delete(RateCounter.__table__).where(RateCounter.__table__.c.key == digest))
