"""Who is calling the API, and the checks made before any API view runs (app-level hooks
limited to /api/ paths, so that unknown paths and both API blueprints are covered alike):

1. `Authorization: Bearer <token>`: the token's user becomes `current_user` for this request
   only (no session is read or written), with the same role and district scope as on the web.
   A missing, unknown, expired or revoked token is answered 401.
2. Otherwise the browser's login session, if any. A session cookie is sent by the browser on
   its own, so an unsafe method (POST, PATCH, PUT, DELETE) with a cookie must carry the CSRF
   token (X-CSRFToken header); a token request cannot be forged cross-site and is exempt.
3. Writes need a role that may write (403), a JSON body when there is a body (415) and at
   most API_MAX_CONTENT_LENGTH bytes (413).

Every request made with a token (a refused one included, when its user is known) leaves an
audit entry "METHOD /path STATUS": no query string, no body, no personal data."""
from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.exceptions import MethodNotAllowed

from hr.accounts import tokens
from hr.api import PREFIX
from hr.api.errors import error_json
from hr.audit.services import record
from hr.core.db import db
from hr.core.security import csrf
from hr.core.timeutil import utcnow

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
API_MAX_CONTENT_LENGTH = 1024 * 1024


def is_api() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def operation() -> Any:
    """The matched route's operation (routing.Operation), or None for an unknown path."""
    if request.url_rule is None:
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "api_operation", None)


def _unauthorized(message: str, invalid_token: bool) -> Response:
    resp, status = error_json(401, message)
    challenge = 'Bearer realm="api"' + (', error="invalid_token"' if invalid_token else "")
    resp.headers["WWW-Authenticate"] = challenge
    resp.status_code = status
    return resp


def _has_body() -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def _before() -> Any:
    if not is_api():
        return None
    request.max_content_length = current_app.config.get("API_MAX_CONTENT_LENGTH", API_MAX_CONTENT_LENGTH)
    header = request.headers.get("Authorization")
    if header is not None:
        try:
            token = tokens.authenticate(header)
        except tokens.TokenRefused as e:
            g.api_token_refused = e.token
            return _unauthorized(e.message, invalid_token=True)
        g.api_token = token
        # Flask-Login's slot for the request's user (what login_user and its loaders fill):
        # set directly, so that a session cookie sent along cannot take the token's place and
        # nothing is written to the session.
        g._login_user = token.user
    elif not current_user.is_authenticated:
        if request.endpoint == "api.docs":
            return redirect(url_for("accounts.login", next=request.path))
        return _unauthorized("未登录：请在请求头中携带 Authorization: Bearer <令牌>（在“我的账号”页面创建）。",
                             invalid_token=False)
    elif request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()  # a CSRFError is answered 400 by the app's handler, as JSON under /api/
    if request.method in SAFE_METHODS:
        return None
    op = operation()
    if op is not None and not op.readonly and not current_user.can_write and not (
            op.approval and current_user.can_approve):
        return error_json(403, "只读账号不能修改数据。")
    if op is not None and op.admin and not current_user.is_admin:
        return error_json(403, "仅市级管理员可以执行此操作。")
    if _has_body() and not request.is_json:
        return error_json(415, "请求体须为 JSON（Content-Type: application/json）。")
    return None


def _path() -> str:
    """The path when it names an operation (ids only); an unknown path may hold anything."""
    if request.url_rule is not None or isinstance(request.routing_exception, MethodNotAllowed):
        return request.path[:150]
    return "（未知路径）"


def audit(status: int) -> None:
    """Add the audit entry of a token request to the session (the caller commits)."""
    token = g.get("api_token") or g.get("api_token_refused")
    if token is None or g.get("api_audited"):
        return
    user = token.user
    record("api", "api", None, district_id=user.district_id, user=user,
           summary=f"{request.method} {_path()} {status}")
    if g.get("api_token") is not None:
        token.last_used_at = utcnow()


def audited() -> None:
    g.api_audited = True


def _after(resp: Response) -> Response:
    """Requests that ended before a view committed (refused, unknown path, an error): record
    their audit entry on its own; the view's own work, if any, was rolled back."""
    if not is_api() or g.get("api_audited"):
        return resp
    if g.get("api_token") is None and g.get("api_token_refused") is None:
        return resp
    try:
        audit(resp.status_code)
        db.session.commit()
        audited()
    except Exception:  # the response stands; the failure is logged
        db.session.rollback()
        current_app.logger.exception("could not record the audit entry of an API request")
    return resp


def init_app(app: Flask) -> None:
    app.config.setdefault("API_MAX_CONTENT_LENGTH", API_MAX_CONTENT_LENGTH)
    app.before_request(_before)
    app.after_request(_after)
