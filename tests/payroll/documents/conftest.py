"""The document tests: jobs stay queued (no Redis unless a test says so) until a test runs the
worker itself. Their fixtures (make_month, client_as) are in tests/conftest.py; the readers of
what the documents contain in tests/helpers/documents.py."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_background_processes(no_background_jobs: None) -> None:
    """See no_background_jobs in tests/conftest.py."""
