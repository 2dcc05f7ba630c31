"""The authorization matrix: every rule of app.url_map, with its ids filled by 浦东新区 objects,
requested by each role. Kept apart from the test so that the expectations read as a table."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Rule

from tests.conftest import PUDONG
from tests.helpers.security import ARG_TABLES, MISSING_ID, district_scoped

SKIP_ENDPOINTS = {"static"}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class Request:
    endpoint: str
    method: str
    url: str
    api: bool
    objects: list[str]  # tables of the objects the URL names
    real: bool  # every object is an existing 浦东新区 (or city-wide) row
    missing_url: str  # the same with ids of no row

    @property
    def other_district(self) -> bool:
        """The URL names an existing object of 浦东新区."""
        return self.real and any(district_scoped(t) for t in self.objects)

    def __str__(self) -> str:
        return f"{self.method} {self.url} ({self.endpoint})"


def _string_value(endpoint: str, name: str) -> str:
    if name == "code":
        return PUDONG
    if name == "month":
        return "2026-01"
    if name == "action":
        return "approve"
    if name == "kind":
        if endpoint.startswith("inputs."):
            from payroll.inputs.excel import SPECS

            return sorted(SPECS)[0]
        if endpoint.startswith("reference."):
            from payroll.reference.tables import TAX_KINDS

            return sorted(TAX_KINDS)[0]
        if endpoint.startswith("documents.") or endpoint.startswith("jobs."):
            return "payslips"
    return "x"


def requests_for(app: Flask, world: dict[str, int]) -> list[Request]:
    out = []
    adapter = app.url_map.bind("localhost")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in SKIP_ENDPOINTS:
            continue
        values: dict[str, Any] = {}
        objects, real = [], True
        for name in rule.arguments:
            conv = rule._converters[name]
            if isinstance(conv, IntegerConverter):
                if name == "year":
                    values[name] = 2025
                    continue
                table = ARG_TABLES.get(name)
                objects.append(table or name)
                if table in world:
                    values[name] = world[table]
                else:
                    values[name], real = MISSING_ID, False
            else:
                values[name] = _string_value(rule.endpoint, name)
        url = adapter.build(rule.endpoint, values)
        missing = adapter.build(rule.endpoint, {
            k: (MISSING_ID if isinstance(rule._converters[k], IntegerConverter) and k != "year" else v)
            for k, v in values.items()})
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            out.append(Request(rule.endpoint, method, url, _is_api(rule), objects, real, missing))
    return out


def _is_api(rule: Rule) -> bool:
    return rule.rule.startswith("/api/")


def send(client: Any, req: Request, missing: bool = False) -> Any:
    """GET, or the unsafe method with an empty form (or JSON object). Pages that make a
    city-level account pick a district get 浦东新区's code, so that they do act."""
    url = req.missing_url if missing else req.url
    url = url if req.api else url + ("&" if "?" in url else "?") + f"district={PUDONG}"
    if req.method == "GET":
        return client.get(url)
    if req.api:
        return client.open(url, method=req.method, json={})
    return client.open(url, method=req.method, data={})
