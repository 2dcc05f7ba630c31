"""Reference data every installation needs: the organisation tree (and, as modules land,
pay scales, contribution bounds and tax tables)."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from hr.org.services import load_reference
from seed import DATA

# Other modules register loaders of their own reference data here (pay scales, tax tables).
LOADERS: list[Callable[[], dict[str, int]]] = []


def register(loader: Callable[[], dict[str, int]]) -> None:
    if loader not in LOADERS:
        LOADERS.append(loader)


def load_all(committee_streets: Iterable[str] | None = None) -> dict[str, int]:
    from payroll.filings.services import load_default_formats
    from payroll.reference.services import load_defaults

    counts = load_reference(DATA, committee_streets)
    counts.update(load_defaults(DATA / "pay_reference.json"))
    counts.update(load_default_formats())
    for loader in LOADERS:
        counts.update(loader())
    return counts
