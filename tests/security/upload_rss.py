"""Run as a script: one register import of the file named on the command line, through the
application in a fresh process (SQLite in a temporary folder), then print the process's peak
resident memory in MB and the page's status. Used by the upload memory test."""
from __future__ import annotations

import io
import os
import resource
import sys
import tempfile


def peak_mb() -> int:
    """This process's peak resident memory (VmHWM of its own address space; ru_maxrss would
    include the parent's peak, which Linux carries across exec)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main(path: str) -> None:
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    from wsgi import create_app

    tmp = tempfile.mkdtemp()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/t.db", "SECRET_KEY": "x",
                      "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "UPLOAD_FOLDER": os.path.join(tmp, "uploads"), "JOBS_FOLDER": os.path.join(tmp, "jobs"),
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        from flask_migrate import upgrade

        from hr.accounts.services import create_user
        from hr.core.db import db

        upgrade()
        create_user("admin", "Rss-check-2026x", "admin")
        db.session.commit()
    with open(path, "rb") as fh:
        content = fh.read()
    client = app.test_client()
    client.post("/login", data={"username": "admin", "password": "Rss-check-2026x"})
    before = peak_mb()
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), filename="名册.xlsx")})
    resp = client.post("/workers/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    peak = peak_mb()
    print(peak, before, resp.status_code)


if __name__ == "__main__":
    main(sys.argv[1])
