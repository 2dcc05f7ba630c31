"""The payroll run tests: their fixtures (graded_worker, run_month) are in tests/conftest.py."""
