"""Login manager, CSRF, security headers and error pages."""
from __future__ import annotations

import traceback
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from hr.core.errors import DomainError

login_manager = LoginManager()
csrf = CSRFProtect()

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

MESSAGES = {
    400: "请求有误。",
    401: "请先登录。",
    403: "您没有权限执行此操作。",
    404: "页面或记录不存在。",
    405: "不支持的请求方式。",
    409: "数据已被他人修改或当前状态不允许此操作。",
    413: "上传的文件过大（上限 10 MB）。",
    414: "请求的网址过长。",
    422: "数据不符合规则。",
    500: "服务器内部错误，请联系管理员。",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _error_response(status: int, message: str) -> tuple[Response | str, int]:
    if wants_json():
        return jsonify({"error": message}), status
    return render_template("error.html", status=status, message=message), status


def _contains_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def _has_nul(req: Any) -> bool:
    if "\x00" in req.path or any(_contains_nul(v) for v in (req.view_args or {}).values()):
        return True
    if any(_contains_nul(k) or _contains_nul(v) for k, v in req.args.items(multi=True)):
        return True
    if req.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if req.is_json:
        # Parsed here only when small: a larger body is left to the API's own size limit
        # (API_MAX_CONTENT_LENGTH, 413), which parsing it now would bypass.
        limit = current_app.config.get("API_MAX_CONTENT_LENGTH", 1024 * 1024)
        if req.content_length is None or req.content_length > limit:
            return False
        return _contains_nul(req.get_json(silent=True))
    if req.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if any(_contains_nul(k) or _contains_nul(v) for k, v in req.form.items(multi=True)):
            return True
        return any(_contains_nul(f.filename or "") for f in req.files.values())
    return False


def init_app(app: Flask) -> None:
    from hr.core.jsonsafe import SafeJSONProvider

    app.json = SafeJSONProvider(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"
    csrf.init_app(app)

    @login_manager.unauthorized_handler
    def _unauthorized():
        if wants_json():
            return jsonify({"error": "未登录或登录已过期"}), 401
        from flask import flash, redirect, url_for

        flash("请先登录。", "warning")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))

    @app.before_request
    def _refuse_long_query():
        # gunicorn's own limit (`make run`: --limit-request-line 8190) answers in HTML; below it
        # the application answers, in JSON under /api/.
        if len(request.query_string) > int(current_app.config.get("MAX_QUERY_STRING", 4096)):
            return _error_response(414, MESSAGES[414])
        return None

    @app.before_request
    def _refuse_nul():
        # PostgreSQL cannot store a NUL character: without this check a NUL in any field,
        # query or path ends in a 500 at the first query (SQLite would store it silently).
        if _has_nul(request):
            return _error_response(400, "输入中含有空字符（NUL），无法处理。请删除该字符后重试。")
        return None

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if current_app.config.get("HSTS"):
            resp.headers.setdefault("Strict-Transport-Security", current_app.config["HSTS"])
        if request.endpoint != "static" and "Cache-Control" not in resp.headers:
            resp.headers["Cache-Control"] = "no-store"
        return resp

    @app.errorhandler(CSRFError)
    def _csrf(e: CSRFError):
        return _error_response(400, "页面已过期或表单校验失败（CSRF），请刷新页面后重试。")

    @app.errorhandler(DomainError)
    def _domain(e: DomainError):
        return _error_response(e.status, e.message)

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        code = e.code or 500
        return _error_response(code, MESSAGES.get(code, e.description or "请求有误。"))

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        from sqlalchemy.exc import DataError, DBAPIError

        if isinstance(e, DataError):
            # A value the database cannot take (a number past its column): the input's fault.
            app.logger.warning("database refused a value on %s %s: %s", request.method, request.path,
                               type(e.orig).__name__)
            from hr.core.db import db

            db.session.rollback()
            return _error_response(400, "输入的数值超出范围或格式不正确。")

        if isinstance(e, DBAPIError):
            # The driver's message can quote the row's values (PostgreSQL: "Key (id_number)=(…)
            # already exists"): log where it happened and the constraint, not the personal data.
            orig = e.orig
            constraint = getattr(getattr(orig, "diag", None), "constraint_name", None) or ""
            app.logger.error("database error on %s %s: %s %s\n%s", request.method, request.path,
                             type(orig).__name__, constraint, "".join(traceback.format_tb(e.__traceback__)))
        else:
            app.logger.exception("unhandled error on %s %s", request.method, request.path)
        from hr.core.db import db

        db.session.rollback()
        return _error_response(500, MESSAGES[500])
