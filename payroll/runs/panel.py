"""The worker page's pay section: the latest slips."""
from __future__ import annotations

from typing import Any

from payroll.runs.queries import slips_of_worker


def slips_panel(worker: Any) -> tuple[str, dict[str, Any]]:
    return "payroll/_worker_panel.html", {"slips": slips_of_worker(worker.id, 13), "worker": worker}
