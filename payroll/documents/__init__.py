"""Payroll documents: the monthly workbook, the approval sheet and the salary slips."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from payroll.documents import cli  # noqa: F401  (adds export/slips/approval to `flask payroll`)
    from payroll.documents.approval import rmb_upper
    from payroll.documents.services import register_jobs
    from payroll.documents.views import bp, run_documents

    app.config.setdefault("DOCUMENTS_SYNC_ROWS", 10000)  # larger workbooks are built in the background
    app.config.setdefault("DOCUMENTS_SYNC_SLIPS", 30)  # more slips than this are printed in the background
    # One street's or committee's slips are printed at once (no job, no second click) up to this many.
    app.config.setdefault("DOCUMENTS_SYNC_SCOPED_SLIPS", 400)
    app.config.setdefault("DOCUMENTS_PROCESSES", 2)  # WeasyPrint processes of a batch
    app.config.setdefault("DOCUMENTS_POOL_MIN_SLIPS", 150)  # smaller batches render in one process
    app.register_blueprint(bp)
    app.jinja_env.globals["run_documents"] = run_documents
    app.jinja_env.filters["rmb_upper"] = rmb_upper
    register_jobs()
