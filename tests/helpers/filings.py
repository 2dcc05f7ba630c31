"""Helpers of the filings tests: locking a calculated month, reading the workbooks produced."""
from __future__ import annotations

import io
from typing import Any

from tests.helpers.documents import Month


def lock(month: Month) -> Any:
    """Approved by a reviewer of the district (审批须由他人), locked by the officer who calculated;
    returns the run."""
    from hr.accounts.services import create_user
    from hr.core.db import db
    from payroll.runs import services
    from tests.conftest import PASSWORD

    reviewer = create_user(f"review{month.run.id}", PASSWORD, "reviewer", month.run.district.code)
    services.approve_run(month.run, reviewer)
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
