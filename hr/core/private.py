"""Personal data on disk is private to the account that runs the application: every file the
process creates is 0600 and every folder 0700 (umask 077), the instance folder is 0700, and a
SQLite database (with its -wal and -shm files) is 0600 even when an older release created it
readable by others."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

UMASK = 0o077


def sqlite_path(uri: str) -> Path | None:
    """The file of a `sqlite:///…` URI (None for PostgreSQL or an in-memory database)."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if uri.startswith(prefix):
            path = uri[len(prefix):].split("?", 1)[0]
            return Path(path) if path and path != ":memory:" else None
    return None


def make_private(app: Flask) -> None:
    os.umask(UMASK)
    for folder in (app.instance_path, app.config.get("UPLOAD_FOLDER")):
        if folder and os.path.isdir(folder):
            os.chmod(folder, 0o700)
    database = sqlite_path(str(app.config.get("SQLALCHEMY_DATABASE_URI") or ""))
    if database is not None:
        for path in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
            if path.exists():
                os.chmod(path, 0o600)
