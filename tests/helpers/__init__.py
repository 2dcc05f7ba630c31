"""Shared test helpers: plain functions and data that several test folders use (fixtures live in
tests/conftest.py)."""
