"""The home page's payroll card: the latest months of the user's district(s)."""
from __future__ import annotations

from typing import Any

from payroll.runs.queries import runs_in_scope


def payroll_card() -> tuple[str, dict[str, Any]] | None:
    runs = runs_in_scope(limit=4)
    return "payroll/_home_card.html", {"runs": runs}
