"""Errors of the API, always JSON: {"error": message} and, for input at fault,
"errors": {field: [messages]}. The app-level handlers (hr.core.security) already answer JSON
under /api/ for HTTP errors (404, 405, 413 …), CSRF failures and unexpected errors; these add
the per-field form of marshmallow's and the services' validation errors."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from marshmallow import ValidationError as SchemaError
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from hr.core.errors import DomainError

INPUT_ERROR = "请求数据有误，请检查各字段。"


def error_json(status: int, message: str, errors: Any = None, field: str | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": message}
    if errors is not None:
        body["errors"] = errors
    if field:
        body["field"] = field
    return jsonify(body), status


def _key(key: Any) -> str:
    """Service error keys as JSON keys: a (worker id, year) pair of a batch becomes "12/2025"."""
    if isinstance(key, tuple):
        return "/".join(str(k) for k in key)
    return str(key) if key not in (None, "") else "_schema"


def _messages(value: Any) -> Any:
    """marshmallow's messages with string keys (list indexes are ints) and lists of strings."""
    if isinstance(value, dict):
        return {str(k): _messages(v) for k, v in value.items()}
    if isinstance(value, list):
        return [m if isinstance(m, str) else _messages(m) for m in value]
    return [str(value)]


def schema_error(e: SchemaError) -> tuple[Response, int]:
    messages = e.messages if isinstance(e.messages, dict) else {"_schema": e.messages}
    return error_json(400, INPUT_ERROR, _messages(messages))


def domain_error(e: DomainError) -> tuple[Response, int]:
    many = getattr(e, "errors", None)
    if isinstance(many, dict) and many:
        return error_json(e.status, e.message, {_key(k): _messages(v) for k, v in many.items()})
    if e.status == 400 and e.field:
        return error_json(400, e.message, {e.field: [e.message]})
    return error_json(e.status, e.message, field=e.field)


def register_handlers(bp: Blueprint) -> None:
    bp.register_error_handler(SchemaError, schema_error)
    bp.register_error_handler(DomainError, domain_error)
    # A constraint the services did not foresee (a race between two requests): a conflict,
    # never a server error.
    bp.register_error_handler(IntegrityError, lambda e: error_json(409, "数据与现有记录冲突（可能刚被他人修改），请刷新后重试。"))
    bp.register_error_handler(StaleDataError, lambda e: error_json(409, "数据已被他人修改，请刷新后重试。"))
    bp.register_error_handler(DataError, lambda e: error_json(400, "数据超出允许的范围或长度。"))
