"""The OpenAPI document and a page that renders it (static/api-docs.js: no CDN, no inline
script, as the Content-Security-Policy requires)."""
from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from marshmallow import INCLUDE, Schema, fields

from hr.api import bp
from hr.api.openapi import spec_for
from hr.api.routing import route


class OpenApiDocumentSchema(Schema):
    """An OpenAPI 3.0 document."""

    class Meta:
        unknown = INCLUDE

    openapi = fields.String(required=True)
    info = fields.Dict(required=True)
    paths = fields.Dict(required=True)


@route(bp, "GET", "/openapi.json", summary="OpenAPI 3 文档（本文档）", tags=["meta"],
       response=OpenApiDocumentSchema)
def openapi_json() -> Any:
    return spec_for(current_app._get_current_object())  # type: ignore[attr-defined]


@bp.get("/docs")
def docs():
    """The browsable description (an HTML page, so not itself part of the document)."""
    return render_template("api/docs.html")
