"""Time helpers: the database stores naive UTC; pages show Shanghai time."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import overload

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@overload
def to_local(value: datetime) -> datetime: ...
@overload
def to_local(value: None) -> None: ...
def to_local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(SHANGHAI)


def today() -> date:
    return datetime.now(SHANGHAI).date()

