#!/usr/bin/env bash
# Runs the whole suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
status=0
echo "== lint and types"
$PY -m ruff check . || status=1
$PY -m mypy || status=1
echo "== test suite on SQLite"
env -u TEST_DATABASE_URL $PY -m pytest "$@" || status=1
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== test suite on PostgreSQL"
  $PY -m pytest "$@" || status=1
else
  echo "(TEST_DATABASE_URL is not set: PostgreSQL run skipped)"
fi
exit $status
