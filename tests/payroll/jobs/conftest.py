"""The job tests run the worker themselves: no process is spawned and nothing goes to Redis
unless a test says so. Their fixtures (make_month, client_as) are in tests/conftest.py."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_background_processes(no_background_jobs: None) -> None:
    """See no_background_jobs in tests/conftest.py."""
