"""Lists: `page` and `per_page` (at most 200) in, {"items", "page", "per_page", "total"} out."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marshmallow import Schema, fields, validate
from sqlalchemy import Select, func, select

from hr.core.db import db
from hr.core.schema import QuerySchema

MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50


class PageQuerySchema(QuerySchema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000, error="页码须为 1–100000"),
                          error_messages={"invalid": "须为整数"}, metadata={"description": "页码，从 1 开始"})
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE,
                              validate=validate.Range(1, MAX_PER_PAGE, error=f"每页条数须为 1–{MAX_PER_PAGE}"),
                              error_messages={"invalid": "须为整数"},
                              metadata={"description": f"每页条数，默认 {DEFAULT_PER_PAGE}，最多 {MAX_PER_PAGE}"})


class PageSchema(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


_PAGES: dict[type[Schema], type[Schema]] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """The page schema of a list of `item` (one class per item schema, named after it)."""
    if item not in _PAGES:
        name = item.__name__.removesuffix("Schema") + "PageSchema"
        _PAGES[item] = type(name, (PageSchema,), {
            "__doc__": f"A page of {item.__name__.removesuffix('Schema')}.",
            "items": fields.List(fields.Nested(item), required=True),
        })
    return _PAGES[item]


def page_dict(items: Sequence[Any], args: dict[str, Any], total: int, schema: Schema) -> dict[str, Any]:
    return {"items": schema.dump(items, many=True), "page": args["page"], "per_page": args["per_page"],
            "total": total}


def paginate(stmt: Select[Any], args: dict[str, Any], schema: Schema, unique: bool = True) -> dict[str, Any]:
    """Count and fetch one page of an ordered SELECT of ORM rows."""
    total = db.session.execute(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    ).scalar_one()
    result = db.session.execute(stmt.limit(args["per_page"]).offset((args["page"] - 1) * args["per_page"]))
    rows = list(result.unique().scalars() if unique else result.scalars())
    return page_dict(rows, args, total, schema)


def slice_page(items: Sequence[Any], args: dict[str, Any], schema: Schema) -> dict[str, Any]:
    """A page of a list computed in Python (the promotion run)."""
    start = (args["page"] - 1) * args["per_page"]
    return page_dict(items[start:start + args["per_page"]], args, len(items), schema)


def with_paging(query: type[Schema]) -> type[Schema]:
    """A resource's filter schema plus `page` and `per_page`."""
    name = query.__name__.removesuffix("Schema") + "PagedSchema"
    return type(name, (query, PageQuerySchema), {})
