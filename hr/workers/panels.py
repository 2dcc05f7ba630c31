"""Sections that other modules add to the worker page (grades, pay, mentoring)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Each provider takes a worker and returns (template name, context) or None.
PROVIDERS: list[Callable[[Any], tuple[str, dict[str, Any]] | None]] = []


def register(provider: Callable[[Any], tuple[str, dict[str, Any]] | None]) -> None:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def panels(worker: Any) -> list[tuple[str, dict[str, Any]]]:
    return [p for p in (provider(worker) for provider in PROVIDERS) if p is not None]
