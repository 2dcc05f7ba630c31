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
    # One street's or committee's slips (a few hundred at most) are printed at once, no job.
    app.config.setdefault("DOCUMENTS_SYNC_SLIPS_SCOPED", 400)
    app.config.setdefault("DOCUMENTS_PROCESSES", 2)  # WeasyPrint processes of a batch
    app.config.setdefault("DOCUMENTS_POOL_MIN_SLIPS", 150)  # smaller batches render in one process
    app.register_blueprint(bp)
    # The people side prints too (晋级通知) but never imports payroll: it finds the renderer here.
    from payroll.documents.render import html_to_pdf

    app.extensions["html_to_pdf"] = html_to_pdf
    app.jinja_env.globals["run_documents"] = run_documents
    app.jinja_env.filters["rmb_upper"] = rmb_upper
    register_jobs()
