"""The OpenAPI document describes every route of the API (generated from the schemas), and the
documentation page renders it from the application's own static files."""
from __future__ import annotations

from hr.api import PREFIX
from tests.conftest import login
from tests.helpers.api import body
from tests.helpers.web import new_client


def test_every_api_route_is_documented(app, api_as):
    doc = body(api_as("auditor").get("/api/v1/openapi.json"))
    assert doc["openapi"].startswith("3.") and doc["security"] == [{"bearerAuth": []}]
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": doc["components"]["securitySchemes"]["bearerAuth"]["description"]}
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX + "/") and rule.endpoint != "api.docs":
            path = rule.rule
            for arg in rule.arguments:
                path = path.replace(f"<id:{arg}>", "{" + arg + "}")
            routes |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == documented
    assert len(documented) >= 50


def test_operations_describe_parameters_bodies_and_errors(api_as):
    doc = body(api_as("officer").get("/api/v1/openapi.json"))
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["summary"] and op["tags"] and op["operationId"], (method, path)
            assert {"400", "401", "404"} <= set(op["responses"]), (method, path)
            for code, r in op["responses"].items():
                if code.startswith("4"):
                    assert r["$ref"].startswith("#/components/responses/"), (method, path, code)
            if method in ("post", "patch", "put") and not path.endswith(("/reinstate", "/calculate", "/approve",
                                                                         "/reopen", "/lock", "/qualification")):
                assert op["requestBody"]["required"], (method, path)
            if method != "get" and not path.endswith("/preview"):
                assert {"403", "409", "413", "415", "422"} <= set(op["responses"]), (method, path)
    workers = doc["paths"]["/api/v1/workers"]["get"]
    names = {p["name"] for p in workers["parameters"]}
    assert {"page", "per_page", "q", "district_id", "street_id", "committee_id", "status", "sort", "dir"} <= names
    per_page = next(p for p in workers["parameters"] if p["name"] == "per_page")
    assert per_page["schema"]["maximum"] == 200
    schemas = doc["components"]["schemas"]
    assert schemas["WorkerListItemPage"]["required"] == ["items", "page", "per_page", "total"]
    assert schemas["PayrollRun"]["properties"]["net"]["type"] == "string"
    assert schemas["PayrollRun"]["properties"]["month"]["pattern"]
    assert schemas["WorkerCreate"]["additionalProperties"] is False
    preview = doc["paths"]["/api/v1/payroll/preview"]["post"]
    assert "oneOf" in preview["requestBody"]["content"]["application/json"]["schema"]
    assert "TrialCase" in schemas and "TrialResult" in schemas


def test_the_documentation_page(app, make_user):
    c = new_client(app)
    login(c, make_user("officer", username="docreader").username)
    page = c.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'src="/static/api-docs.js"' in html and 'data-spec="/api/v1/openapi.json"' in html
    assert "<script>" not in html and "cdn" not in html.lower()
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    for name in ("api-docs.js", "api-docs.css"):
        resp = c.get(f"/static/{name}")
        status, data = resp.status_code, resp.data
        resp.close()
        assert status == 200
        if name.endswith(".js"):
            assert b"fetch(" in data and b"innerHTML" not in data
    assert c.get("/api/v1/openapi.json").status_code == 200  # the page fetches it with the session
