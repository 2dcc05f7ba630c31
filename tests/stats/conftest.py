"""A random but reproducible world for the statistics: workers with every kind of attribute,
leavers, timelines with corrections on the same date, slips, studios, pairings in every status
and activities, written as rows (the statistics only read them). `expected()` recounts the
figures in plain Python from the same rows, with the rules' own functions."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers.stats import (
    build_world,
)


@pytest.fixture
def stats_world(app: Any) -> Callable[..., dict[str, Any]]:
    return build_world
