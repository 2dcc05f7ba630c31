"""Default settings. Any of them can be set from the environment as FLASK_<NAME>."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta

from flask import Flask

SQLALCHEMY_DATABASE_URI: str | None = None  # default: SQLite in instance/
# hide_parameters: a database error's message (logged with the traceback) shows the SQL but not
# its values, which are names, ID numbers and pay.
SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"hide_parameters": True}
SECRET_KEY: str | None = None  # default: a random key kept in instance/secret_key

# Sessions: HttpOnly, SameSite, Secure, a bounded lifetime; HSTS on every answer. Plain HTTP only
# for the demo: FLASK_DEMO=true (set by `make run`, which serves http://127.0.0.1) drops Secure and
# HSTS and allows the demo's published password.
DEMO = False
HSTS = "max-age=31536000; includeSubDomains"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = True
REMEMBER_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "shequ_session"
PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
REMEMBER_COOKIE_DURATION = timedelta(hours=8)
REMEMBER_COOKIE_HTTPONLY = True

WTF_CSRF_ENABLED = True
WTF_CSRF_TIME_LIMIT = 8 * 3600
MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # uploads: 10 MB

PASSWORD_HASH_METHOD = "scrypt"
PASSWORD_MIN_LENGTH = 10
# Login throttling (hr/accounts/services.py): per (name, address), per address, per name.
LOGIN_MAX_FAILURES = 5
LOGIN_LOCK_MINUTES = 15
LOGIN_MAX_PER_ADDRESS = 100
LOGIN_ACCOUNT_SLOW_AFTER = 20
LOGIN_ACCOUNT_SLOW_SECONDS = 2
RATELIMIT_STORAGE_URL = ""  # redis://… to keep the counters in Redis; empty: in the database

PAGE_SIZE = 50
UPLOAD_FOLDER: str | None = None  # default: instance/uploads


def _database_uri(uri: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if uri.startswith(prefix):
            return "postgresql+psycopg://" + uri[len(prefix):]
    return uri


def finalise(app: Flask) -> None:
    """Fill the settings that depend on the instance folder."""
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config.get("DEMO"):
        app.config["SESSION_COOKIE_SECURE"] = False
        app.config["REMEMBER_COOKIE_SECURE"] = False
        app.config["HSTS"] = ""
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = "sqlite:///" + os.path.join(app.instance_path, "shequ.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_uri(uri)
    if not app.config.get("SECRET_KEY"):
        path = os.path.join(app.instance_path, "secret_key")
        if not os.path.exists(path):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        with open(path) as fh:
            app.config["SECRET_KEY"] = fh.read().strip()
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)
    from hr.core.private import make_private

    make_private(app)
