"""The worker page's mentoring section: pairings as mentor and as mentee, studio memberships."""
from __future__ import annotations

from typing import Any

from hr.mentoring.queries import worker_history


def mentoring_panel(worker: Any) -> tuple[str, dict[str, Any]] | None:
    history = worker_history(worker)
    if not (history["as_mentor"] or history["as_mentee"] or history["memberships"]):
        return None
    return "mentoring/_worker_panel.html", history
