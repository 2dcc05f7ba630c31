"""Fixtures for the filings: the document tests' calculated months, locked, and readers of the
files produced."""
from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from tests.payroll.documents.conftest import (  # noqa: F401  (fixtures shared with the documents tests)
    Month,
    _no_background_processes,
    client_as,
    graded,
    make_month,
)


def lock(month: Month) -> Any:
    from hr.core.db import db
    from payroll.runs import services

    services.approve_run(month.run, month.officer)
    services.lock_run(month.run, month.officer)
    db.session.commit()
    return month.run


@pytest.fixture
def locked_month(make_month: Callable[..., Month]) -> Callable[..., Month]:  # noqa: F811
    def make(**kwargs: Any) -> Month:
        month = make_month(**kwargs)
        lock(month)
        return month

    return make


def sheet_rows(content: bytes, title: str | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Headers and the other rows of a workbook's sheet (the first when no title)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    ws = wb[title] if title else wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    return [str(h) for h in rows[0]], rows[1:]
