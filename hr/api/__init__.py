"""The JSON API under /api/v1, described by the OpenAPI document at /api/v1/openapi.json.

Two blueprints share the prefix: `api` (the people side, defined here) and `payroll_api` (made
by `payroll.api` with `blueprint()`), so that payroll adds its routes without hr importing
payroll. Authentication, CSRF, body checks and the audit of token requests are app-level hooks
limited to /api/ paths (auth.py), so they apply to both blueprints and to unknown paths alike."""
from __future__ import annotations

from flask import Blueprint, Flask

PREFIX = "/api/v1"


def blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint of API routes: under /api/v1, CSRF-exempt (auth.py checks the token of
    cookie-authenticated writes itself), its errors answered as JSON."""
    from hr.api.errors import register_handlers
    from hr.core.security import csrf

    bp = Blueprint(name, import_name, url_prefix=PREFIX)
    csrf.exempt(bp)
    register_handlers(bp)
    return bp


bp = blueprint("api", __name__)


def init_app(app: Flask) -> None:
    from hr.api import auth, docs, grades, mentoring, org, workers  # noqa: F401  (routes on bp)
    from hr.api.routing import IdConverter

    app.url_map.converters["id"] = IdConverter
    auth.init_app(app)
    app.register_blueprint(bp)
