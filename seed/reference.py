"""Reference data every installation needs: the organisation tree, pay scales, contribution
bounds, rates and tax tables."""
from __future__ import annotations

from collections.abc import Iterable

from hr.org.services import load_reference
from seed import DATA


def load_all(committee_streets: Iterable[str] | None = None) -> dict[str, int]:
    from payroll.filings.services import load_default_formats
    from payroll.reference.services import load_defaults

    counts = load_reference(DATA, committee_streets)
    counts.update(load_defaults(DATA / "pay_reference.json"))
    counts.update(load_default_formats())
    return counts
