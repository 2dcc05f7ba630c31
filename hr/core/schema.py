"""Small marshmallow building blocks shared by every module's schemas (the API, imports):
database ids within the column range, bounded text, and Chinese messages."""
from __future__ import annotations

from datetime import UTC
from typing import Any

from marshmallow import EXCLUDE, Schema, fields, validate

MAX_ID = 2**31 - 1  # an INTEGER column: larger numbers cannot name a row

MESSAGES = {"required": "必填", "null": "不能为空", "invalid": "格式不正确"}


def Id(**kw: Any) -> fields.Integer:  # noqa: N802 (a field factory, read like a field class)
    """A row id: a strict integer 1…2³¹−1."""
    kw.setdefault("error_messages", {**MESSAGES, "invalid": "须为整数"})
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_ID, error="须为 1–2147483647 的整数"), **kw)


def QueryId(**kw: Any) -> fields.Integer:  # noqa: N802
    """A row id in a query string (text, so not strict)."""
    return fields.Integer(validate=validate.Range(1, MAX_ID, error="须为 1–2147483647 的整数"),
                          error_messages={"invalid": "须为整数"}, **kw)


def Text(max_length: int, min_length: int = 0, **kw: Any) -> fields.String:  # noqa: N802
    """A string no longer than its column."""
    kw.setdefault("error_messages", MESSAGES)
    return fields.String(validate=validate.Length(min_length, max_length,
                                                  error=f"长度须在 {min_length}–{max_length} 之间"), **kw)


def Date(**kw: Any) -> fields.Date:  # noqa: N802
    kw.setdefault("error_messages", {**MESSAGES, "invalid": "日期格式应为 YYYY-MM-DD"})
    return fields.Date(**kw)


class QuerySchema(Schema):
    """Query strings: unknown parameters are ignored (browsers and proxies add their own)."""

    class Meta:
        unknown = EXCLUDE


class BodySchema(Schema):
    """A request body: an unknown key is refused, so that a misspelt one is not ignored."""

    error_messages = {"unknown": "未知的字段（请检查拼写）", "type": "须为 JSON 对象"}


class UtcDateTime(fields.DateTime):
    """A stored (naive, UTC) time, written as ISO 8601 with its offset: 2026-05-01T08:00:00+00:00."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | float | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
