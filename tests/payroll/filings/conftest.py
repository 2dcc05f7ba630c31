"""The filings tests: jobs stay queued (no Redis unless a test says so) until a test runs the
worker itself. Their fixtures (make_month, locked_month, client_as) are in tests/conftest.py;
locking a month and reading the workbooks in tests/helpers/filings.py."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_background_processes(no_background_jobs: None) -> None:
    """See no_background_jobs in tests/conftest.py."""
