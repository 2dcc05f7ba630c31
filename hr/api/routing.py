"""Declaring an API operation once: its route, its OpenAPI description, the loading of its
query string and body through marshmallow schemas, and the request's single commit.

    @route(bp, "GET", "/workers/<id:worker_id>", tags=["workers"], response=WorkerSchema)
    def worker_get(worker_id): ...

The view returns plain JSON data (dumped by the resource's schema), optionally with a status
and headers. Everything it did is committed once, together with the audit entry of a token
request; any exception rolls everything back and is answered as JSON by the error handlers."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Blueprint, Response, jsonify, request
from marshmallow import Schema
from marshmallow import ValidationError as SchemaError
from werkzeug.routing import IntegerConverter, Map

from hr.core import jsonsafe
from hr.core.db import db
from hr.core.errors import NotFound
from hr.core.schema import MAX_ID

BODY_METHODS = ("POST", "PUT", "PATCH")


class IdConverter(IntegerConverter):
    """`<id:name>`: a row id, 1…2³¹−1. Any digits match (the view answers 404 out of that
    range): a converter that refused them would make werkzeug answer 405 for some paths."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map)


@dataclass
class Operation:
    """What the OpenAPI document says about one route (see openapi.py)."""

    method: str
    summary: str
    tags: list[str]
    description: str = ""
    query: type[Schema] | None = None
    body: type[Schema] | None = None
    body_required: bool = True
    response: type[Schema] | None = None
    status: int = 200
    also: tuple[int, ...] = ()  # other success statuses, with the same response
    errors: tuple[int, ...] = ()
    readonly: bool = False  # a POST that changes nothing (the trial calculation): auditors may call it
    admin: bool = False
    approval: bool = False  # an approval (approve, send back): reviewers may call it too
    # Hand-written JSON Schemas where one schema class cannot say it (an object or a list of
    # them), and the classes they refer to by "#/components/schemas/<Name>".
    body_json: dict[str, Any] | None = None
    response_json: dict[str, Any] | None = None
    components: tuple[type[Schema], ...] = ()


def load_query(schema: type[Schema]) -> dict[str, Any]:
    return schema().load(request.args.to_dict())


def json_body(required: bool = True) -> Any:
    """The parsed JSON body (auth.py has already refused a non-JSON content type: 415)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise SchemaError({"_schema": ["请求体须为 JSON 对象"]})
        return None
    try:
        payload = jsonsafe.loads(raw)
    except jsonsafe.JSONRefused as e:
        raise SchemaError({"_schema": [str(e)]}) from None
    except ValueError:
        raise SchemaError({"_schema": ["请求体不是有效的 JSON"]}) from None
    if payload is None:
        raise SchemaError({"_schema": ["请求体不是有效的 JSON"]})
    return payload


def load_body(schema: type[Schema], required: bool = True) -> Any:
    payload = json_body(required)
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise SchemaError({"_schema": ["请求体须为 JSON 对象"]})
    return schema().load(payload)


def _response(rv: Any, default_status: int) -> Response:
    if isinstance(rv, Response):
        return rv
    headers: dict[str, str] = {}
    status = default_status
    if isinstance(rv, tuple):
        if len(rv) == 3:
            rv, status, headers = rv
        else:
            rv, status = rv
    resp = Response(status=status) if rv is None else jsonify(rv)
    resp.status_code = status
    resp.headers.update(headers)
    return resp


def route(bp: Blueprint, method: str, rule: str, *, summary: str, tags: Iterable[str],
          description: str = "", query: type[Schema] | None = None, body: type[Schema] | None = None,
          body_required: bool = True, response: type[Schema] | None = None, status: int = 200,
          also: Iterable[int] = (), errors: Iterable[int] = (), readonly: bool = False, admin: bool = False,
          approval: bool = False,
          body_json: dict[str, Any] | None = None,
          response_json: dict[str, Any] | None = None,
          components: Iterable[type[Schema]] = ()) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `fn` as the operation `method rule` on `bp`.

    `query` is loaded into the view's `args`, `body` into its `data`; a view that reads its body
    itself (`json_body`) documents it with `body_json` instead. `errors` lists the error
    statuses beyond those every operation may answer (400, 401, 404; writes add 403, 409, 413,
    415 and 422)."""
    op = Operation(method=method, summary=summary, tags=list(tags), description=description, query=query,
                   body=body, body_required=body_required, response=response, status=status,
                   also=tuple(also), errors=tuple(errors), readonly=readonly, admin=admin, approval=approval, body_json=body_json,
                   response_json=response_json, components=tuple(components))

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(fn)
        def view(**kwargs: Any) -> Response:
            from hr.api import auth

            try:
                if any(isinstance(v, int) and not 1 <= v <= MAX_ID for v in kwargs.values()):
                    raise NotFound("记录不存在或不在您的管辖范围内。")
                if query is not None:
                    kwargs["args"] = load_query(query)
                if body is not None:
                    kwargs["data"] = load_body(body, body_required)
                resp = _response(fn(**kwargs), status)
                auth.audit(resp.status_code)
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
            auth.audited()
            return resp

        view.api_operation = op  # type: ignore[attr-defined]
        bp.add_url_rule(rule, endpoint=fn.__name__, view_func=view, methods=[method])
        return view

    return decorate
