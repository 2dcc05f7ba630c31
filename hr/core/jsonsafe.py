"""Reading request JSON without surprises: a nesting limit (the parser's own recursion would
otherwise end in a RecursionError, a 500), no lone surrogates (text that cannot be stored as
UTF-8), no NaN or Infinity, and numbers within reach of a database column. Every refusal is a
ValueError with a Chinese message (`JSONRefused`), which the API turns into a 400."""
from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 32
MAX_NUMBER_DIGITS = 30  # characters of one number literal
MAX_INT = 2**53  # what every client's JSON number can hold exactly, far inside BIGINT


class JSONRefused(ValueError):
    """The body is JSON, but not something the application accepts (message in Chinese)."""


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_DIGITS:
        raise JSONRefused("JSON 中的数字过长")
    value = int(text)
    if abs(value) > MAX_INT:
        raise JSONRefused("JSON 中的数字超出范围")
    return value


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise JSONRefused("JSON 中的数字过长")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise JSONRefused("JSON 中的数字超出范围")
    return value


def _constant(name: str) -> Any:
    raise JSONRefused(f"JSON 不允许 {name}")


def _check_text(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise JSONRefused("JSON 中含有无效的 Unicode 字符（孤立的代理项，如 \\ud800）") from None


def _check(value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise JSONRefused(f"JSON 嵌套过深（最多 {MAX_DEPTH} 层）")
    if isinstance(value, str):
        _check_text(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_text(k)
            _check(v, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _check(v, depth + 1)


def loads(data: str | bytes) -> Any:
    """`json.loads` with the limits above."""
    try:
        value = json.loads(data, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise JSONRefused(f"JSON 嵌套过深（最多 {MAX_DEPTH} 层）") from None
    _check(value, 1)
    return value


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON with `loads` above (request.get_json and the API's body reader)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s)
