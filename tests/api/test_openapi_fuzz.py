"""Schemathesis against the OpenAPI document: requests generated from it for every operation,
sent through the Flask app (WSGI) with the token of a city administrator or of an officer of
虹口区, on the small world of conftest.py. No response may be a server error, carry an
undocumented status or content type, or break its documented schema.

Each operation is tried three ways: valid requests whose path ids name real rows of the world
(so that the services see real workers, runs and pairings), valid requests with generated
ids, and invalid requests. Bounded to stay quick and deterministic: a few examples each,
derandomized, no example database, no shrinking.

(Schemathesis' own pytest integration, `schemathesis.pytest.from_fixture`, reads
`Node._nodeid`, which pytest 9.2 no longer has; its Python API, `APIOperation.as_strategy`,
works with any pytest.)"""
from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import HONGKOU
from tests.helpers.api import World, make_token

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
# Examples per operation and role: valid requests on real rows, valid ones on generated ids,
# invalid ones. API_FUZZ_SCALE=4 multiplies them all for a longer local run.
SCALE = int(os.environ.get("API_FUZZ_SCALE", "1"))
EXAMPLES = {"real": 6 * SCALE, "generated": 3 * SCALE, "negative": 4 * SCALE}
HEALTH = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
          HealthCheck.large_base_example]


class PerRequestContext:
    """The app as a server runs it: each request in an application context (and database
    session) of its own, not in the one the test fixtures keep pushed."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.calls = 0
        self.statuses: dict[str, int] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.calls += 1

        def recording(status: str, headers: Any, *args: Any) -> Any:
            self.statuses[status[:3]] = self.statuses.get(status[:3], 0) + 1
            return start_response(status, headers, *args)

        with self.app.app_context():
            return list(self.app.wsgi_app(environ, recording))


def real_ids(world: World) -> dict[str, int]:
    """Path parameters naming rows of 虹口区 (the officer's own district)."""
    hk = world.hk
    return {"district_id": hk.district_id, "street_id": hk.street_id, "committee_id": hk.committee_id,
            "worker_id": hk.worker_id, "assignment_id": hk.assignment_id, "assessment_id": hk.assessment_id,
            "studio_id": hk.studio_id, "pairing_id": hk.pairing_id, "activity_id": hk.activity_id,
            "run_id": hk.run_id, "slip_id": hk.slip_id, "declaration_id": hk.declaration_id,
            "adjustment_id": hk.adjustment_id, "year": 2025}


def _run(operation: Any, token: str, kind: str, path: dict[str, int] | None) -> None:
    names = {p["name"] for p in operation.definition.raw.get("parameters", []) if p.get("in") == "path"}
    fixed = {k: v for k, v in (path or {}).items() if k in names} or None
    if path is not None and not fixed:
        return  # no path parameters: the generated run covers it
    mode = GenerationMode.NEGATIVE if kind == "negative" else GenerationMode.POSITIVE

    @settings(max_examples=EXAMPLES[kind], deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=HEALTH)
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))
    def check(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    check()


@pytest.mark.parametrize("role", ["admin", "officer"])
def test_api_conforms_to_its_document(app: Flask, world: World, make_user: Any, role: str) -> None:
    from hr.api.openapi import build

    token = make_token(make_user(role, HONGKOU, username=f"fuzz{role}"))
    schema = schemathesis.openapi.from_dict(build(app))
    schema.app = PerRequestContext(app)
    failures = []
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        count += 1
        for kind, path in (("real", real_ids(world)), ("generated", None), ("negative", None)):
            try:
                _run(operation, token, kind, path)
            except Exception as e:  # every operation is tried; all failures are reported together
                failures.append(f"{operation.label} ({kind}): {e}")
    assert count >= 40
    print(f"{role}: {count} operations, {schema.app.calls} requests", sorted(schema.app.statuses.items()))
    assert not failures, "\n\n".join(failures)
