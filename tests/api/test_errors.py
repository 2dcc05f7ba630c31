"""Every error of the API is JSON with the right status: never an HTML page, never a 500."""
from __future__ import annotations

import pytest

from tests.helpers.api import body
from tests.helpers.web import config


def _json_error(resp, status):
    assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True)[:300])
    assert resp.mimetype == "application/json"
    assert isinstance(body(resp)["error"], str) and body(resp)["error"]
    return body(resp)


def test_unknown_path_method_and_id_out_of_range(api_as):
    c = api_as("admin")
    _json_error(c.get("/api/v1/no-such-thing"), 404)
    _json_error(c.get("/api/v1/workers/999999"), 404)
    _json_error(c.get("/api/v1/workers/99999999999999999999"), 404)
    _json_error(c.get("/api/v1/workers/0"), 404)
    _json_error(c.delete("/api/v1/workers"), 405)
    _json_error(c.put("/api/v1/payroll/runs"), 405)


def test_bodies_must_be_json_objects(api_as, world):
    c = api_as("admin")
    _json_error(c.post("/api/v1/workers", data="name=x", content_type="application/x-www-form-urlencoded"), 415)
    _json_error(c.post("/api/v1/workers", data="<x/>", content_type="text/xml"), 415)
    errors = _json_error(c.post("/api/v1/workers", data="{not json", content_type="application/json"), 400)
    assert "_schema" in errors["errors"]
    _json_error(c.post("/api/v1/workers", json=[1, 2]), 400)
    _json_error(c.post("/api/v1/workers", data="", content_type="application/json"), 400)
    # An action without a body is fine, an empty JSON object too.
    assert c.post(f"/api/v1/payroll/runs/{world.hk.run_id}/calculate").status_code == 200
    assert c.post(f"/api/v1/payroll/runs/{world.hk.run_id}/calculate", json={}).status_code == 200


def test_schema_errors_name_each_field(api_as):
    c = api_as("admin")
    errors = _json_error(c.post("/api/v1/workers", json={"name": 5, "hire_date": "yesterday", "colour": "red",
                                                         "committee_id": 2**40}), 400)["errors"]
    assert set(errors) >= {"name", "hire_date", "colour", "committee_id", "id_number", "education"}
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in errors.values())
    assert errors["colour"] == ["未知的字段（请检查拼写）"]
    errors = _json_error(c.get("/api/v1/workers?per_page=201"), 400)["errors"]
    assert "per_page" in errors
    _json_error(c.get("/api/v1/workers?page=0"), 400)
    _json_error(c.get("/api/v1/workers?status=gone"), 400)
    _json_error(c.get("/api/v1/payroll/runs?month=2026-13"), 400)


def test_service_validation_errors_are_400_by_field(api_as, world):
    c = api_as("officer")
    from tests.conftest import worker_data

    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in worker_data().items()}
    data.update(committee_id=world.hk.committee_id, id_number="310109198803150000", phone="123")
    errors = _json_error(c.post("/api/v1/workers", json=data), 400)["errors"]
    assert set(errors) == {"id_number", "phone"}


def test_a_too_large_body_is_413(app, api_as):
    c = api_as("admin")
    with config(app, API_MAX_CONTENT_LENGTH=1000):
        _json_error(c.post("/api/v1/payroll/preview", json={"padding": "x" * 2000}), 413)


def test_rule_refusals_are_422_and_state_conflicts_409(api_as, world):
    c = api_as("officer")
    run = f"/api/v1/payroll/runs/{world.hk.run_id}"
    # The world's run has a blocking problem (a worker without a post): approval is refused.
    assert body(c.get(run))["blocking_count"] >= 1
    _json_error(c.post(f"{run}/approve"), 422)
    _json_error(c.post(f"{run}/lock"), 409)  # not approved: the transition table refuses
    detail = body(c.get(f"/api/v1/workers/{world.hk.worker_id}"))
    ok = c.patch(f"/api/v1/workers/{world.hk.worker_id}", json={"phone": "13700000000", "version": detail["version"]})
    assert ok.status_code == 200 and body(ok)["version"] == detail["version"] + 1
    stale = _json_error(c.patch(f"/api/v1/workers/{world.hk.worker_id}",
                                json={"phone": "13700000001", "version": detail["version"]}), 409)
    assert "已被他人修改" in stale["error"]


def test_an_unexpected_error_is_a_json_500(app, api_as, monkeypatch):
    from hr.api import org

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(org, "paginate", boom)
    resp = api_as("admin").get("/api/v1/districts")
    _json_error(resp, 500)
    assert "boom" not in resp.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/api/v1/docs", "/api/v1/openapi.json", "/api/v1/workers"])
def test_without_login(anonymous, url):
    resp = anonymous.get(url)
    if url.endswith("/docs"):  # a page for people: to the login form
        assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    else:
        _json_error(resp, 401)
