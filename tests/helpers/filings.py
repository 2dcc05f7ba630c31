"""Helpers of the filings tests: locking a calculated month, reading the workbooks produced."""
from __future__ import annotations

import io
from typing import Any

from tests.helpers.documents import Month


def lock(month: Month) -> Any:
    """Approve and lock a make_month month by its officer; returns the run."""
    from hr.core.db import db
    from payroll.runs import services

    services.approve_run(month.run, month.officer)
    services.lock_run(month.run, month.officer)
    db.session.commit()
    return month.run


def sheet_rows(content: bytes, title: str | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Headers and the other rows of a workbook's sheet (the first when no title)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    ws = wb[title] if title else wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    return [str(h) for h in rows[0]], rows[1:]
