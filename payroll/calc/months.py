"""Month arithmetic: the one home for the calendar helpers every part of payroll uses.

A "month" is the ``date`` of its 1st day.
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["add_months", "month_end", "month_start", "parse_month"]

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def month_start(day: date) -> date:
    """Return the 1st of the month of ``day``."""
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    """Return the 1st of the month ``n`` months after (negative: before) the month of ``month``."""
    idx = month.year * 12 + month.month - 1 + n
    return date(idx // 12, idx % 12 + 1, 1)


def month_end(month: date) -> date:
    """Return the last day of the month of ``month``."""
    return date.fromordinal(add_months(month, 1).toordinal() - 1)


def parse_month(text: str) -> date:
    """Return the 1st of the month written ``YYYY-MM``; ValueError for anything else."""
    found = _MONTH.match(text.strip()) if isinstance(text, str) else None
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValueError(f"月份格式应为 YYYY-MM：{text!r}")
    return date(int(found.group(1)), int(found.group(2)), 1)
