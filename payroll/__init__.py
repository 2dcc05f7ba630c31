"""The money side: pay-scale versions, the pure calculation core, payroll runs, documents."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Wire the payroll modules (each registers its own blueprint and CLI group)."""
    import payroll.inputs.models  # noqa: F401
    import payroll.opening.models  # noqa: F401
    import payroll.reference.models  # noqa: F401
    import payroll.runs.changes  # noqa: F401
    from payroll import (
        api,
        budget,
        documents,
        filings,
        inputs,
        jobs,
        opening,
        reference,
        runs,
        trial,
    )

    runs.init_app(app)
    reference.init_app(app)
    inputs.init_app(app)
    trial.init_app(app)
    budget.init_app(app)
    api.init_app(app)  # after hr.init_app: the API blueprint helper and the <id:…> converter
    documents.init_app(app)
    jobs.init_app(app)
    filings.init_app(app)
    opening.init_app(app)
