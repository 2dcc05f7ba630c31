"""The hostile battery: over 2,000 generated requests (900 API bodies, every id-naming API rule aimed
at another district, 600 header sets, 350 page forms, 150 Excel imports) from a 虹口区 officer against a world with a second district (浦东新区). Every answer
is below 500, and none is a cross-district answer: a request naming a 浦东新区 object never
succeeds, and no answer carries a 浦东新区 worker's ID number (full or masked). Deterministic
(a fixed seed); the counts per kind are asserted so the battery cannot shrink unnoticed."""
from __future__ import annotations

import io
import random
import re
from typing import Any

import pytest
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from hr.core.db import db
from tests.conftest import HONGKOU, login
from tests.helpers.api import make_token
from tests.helpers.web import new_client
from tests.security import hostile_files

SEED = 20261201
STRINGS = ["", " ", "\u202e", "\u200b", "\ufeff", "😀", "𠀀", "'", '"', "<script>alert(1)</script>", "{{7*7}}", "${x}",
           "=1+1", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "../../etc/passwd", "%00", "\\", "张" * 300, "a" * 5000,
           "100,00", "100，5", "１２３", "1e308", "NaN", "-0", "-1", "0", "2026-13-01", "2024-02-30", "9999-12-31",
           "0001-01-01", "2026-02", "310109", "null", "true", "[]", "{}", "\r\n", "\t", "ا", "ש"]
NUMBERS: list[Any] = [0, -1, 1, 2**31, 2**53, -(2**63), 10**30, 1.5, -0.0, 1e308, True, False, None]


def _value(rng: random.Random, foreign: list[int]) -> Any:
    kind = rng.randrange(8)
    if kind < 3:
        return rng.choice(STRINGS)
    if kind < 5:
        return rng.choice(NUMBERS)
    if kind == 5:
        return rng.choice(foreign)
    if kind == 6:
        return [rng.choice(STRINGS), rng.choice(NUMBERS)]
    return {rng.choice(STRINGS)[:10]: rng.choice(NUMBERS)}


class Guard:
    """Checks every answer: below 500, JSON under /api/, no 浦东新区 ID number."""

    def __init__(self, secrets: list[str]) -> None:
        self.secrets = secrets
        self.count: dict[str, int] = {}

    def check(self, kind: str, resp: Any, what: Any, foreign_target: bool = False) -> None:
        self.count[kind] = self.count.get(kind, 0) + 1
        text = resp.get_data(as_text=True)
        assert resp.status_code < 500, (kind, what, resp.status_code, text[-300:])
        assert "Traceback" not in text
        for s in self.secrets:
            assert s not in text, (kind, what, "leaks", s)
        if foreign_target:  # refused, or sent to the login page: never a success
            assert not 200 <= resp.status_code < 300, (kind, what, resp.status_code)
            if 300 <= resp.status_code < 400:
                assert resp.headers["Location"].startswith("/login"), (kind, what, resp.headers["Location"])


@pytest.fixture
def battery(app, world, make_user):
    from hr.workers.models import Worker

    pd_ids = [w.id_number for w in db.session.query(Worker).filter(Worker.district_id == world.pd.district_id)]
    secrets = pd_ids + [i[:6] + "********" + i[-4:] for i in pd_ids]
    officer = make_user("officer", HONGKOU, username="batteryhk")
    token = make_token(officer)
    page = new_client(app)
    assert login(page, officer.username).status_code == 302
    return Guard(secrets), token, page


def _api_targets(world) -> list[tuple[str, str, dict[str, int]]]:
    from flask import current_app

    out = []
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or "<" not in rule.rule:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, rule.rule, {a: 0 for a in rule.arguments}))
    return out


def _fill(rule: str, place: Any, year: int = 2025) -> str:
    def sub(m: re.Match[str]) -> str:
        arg = m.group(1)
        return str(year if arg == "year" else getattr(place, arg, None) or place.extra.get(arg, 1))
    return re.sub(r"<id:(\w+)>", sub, rule)


def test_api_bodies_and_foreign_ids(app, world, battery):
    guard, token, _ = battery
    rng = random.Random(SEED)
    api = new_client(app)
    auth = {"Authorization": f"Bearer {token}"}
    foreign = [world.pd.worker_id, world.pd.lead_id, world.pd.mentee_id, world.pd.studio_id, world.pd.pairing_id,
               world.pd.run_id, world.pd.slip_id, world.pd.street_id, world.pd.committee_id, world.pd.district_id]
    targets = _api_targets(world)
    # Every rule naming an object, aimed at 浦东新区's: never a success.
    for method, rule, _ in targets:
        url = _fill(rule, world.pd)
        resp = api.open(url, method=method, headers=auth, json={} if method != "GET" else None)
        guard.check("api-foreign", resp, (method, url), foreign_target=True)
    writes = [(m, r) for m, r, _ in targets if m != "GET"] + [
        ("POST", "/api/v1/workers"), ("POST", "/api/v1/pairings"), ("POST", "/api/v1/studios"),
        ("POST", "/api/v1/activities"), ("POST", "/api/v1/payroll/preview"), ("POST", "/api/v1/payroll/declarations"),
        ("POST", "/api/v1/payroll/adjustments"), ("POST", "/api/v1/payroll/runs")]
    fields = ["name", "id_number", "worker_id", "mentor_id", "mentee_id", "studio_id", "pairing_id", "year",
              "start_on", "held_on", "kind", "hours", "amount", "monthly", "contribution_base", "post", "grade",
              "hire_date", "months", "committee_id", "district_id", "street_id", "version", "bank_account", "phone",
              "pay_month", "corrects_month", "reason", "lead_id", "founded", "action", "closed_on", "rating"]
    for _ in range(900):
        method, rule = rng.choice(writes)
        own = rng.random() < 0.7
        url = _fill(rule, world.hk if own else world.pd)
        body = {rng.choice(fields): _value(rng, foreign) for _ in range(rng.randrange(1, 7))}
        resp = api.open(url, method=method, headers=auth, json=body)
        guard.check("api-body", resp, (method, url, body), foreign_target=not own and "<" in rule)
    assert guard.count["api-body"] == 900 and guard.count["api-foreign"] >= 30


HEADER_NAMES = ["Authorization", "Content-Type", "Accept", "X-Forwarded-For", "Range", "If-Match", "If-None-Match",
                "Accept-Language", "Cookie", "Host", "Origin", "Referer", "X-Requested-With", "Content-Encoding",
                "Transfer-Encoding", "Accept-Encoding"]
HEADER_VALUES = ["Bearer ", "Bearer x", "Bearer sq_" + "a" * 200, "Basic YWRtaW46YWRtaW4=", "bearer  sq_abc", "Bearer 😀",
                 "application/json; charset=utf-16", "text/html", "*/*", "multipart/form-data; boundary=", "a" * 4000,
                 "1.2.3.4, 5.6.7.8", "bytes=0-1,2-3", "zh-CN;q=abc", "shequ_session=garbage", "evil.example",
                 "null", "gzip", "chunked", "\u00e9\u00e8", "=?utf-8?b?5byg?="]


def test_headers(app, world, battery):
    guard, token, _ = battery
    rng = random.Random(SEED + 1)
    paths = ["/api/v1/workers", f"/api/v1/workers/{world.hk.worker_id}", f"/api/v1/workers/{world.pd.worker_id}",
             "/api/v1/studios", "/api/v1/payroll/runs", "/workers/", f"/workers/{world.pd.worker_id}", "/", "/login",
             "/api/v1/openapi.json"]
    for _ in range(600):
        path = rng.choice(paths)
        headers = {rng.choice(HEADER_NAMES): rng.choice(HEADER_VALUES) for _ in range(rng.randrange(1, 4))}
        if rng.random() < 0.5 and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {token}"
        headers.pop("Host", None)
        method = rng.choice(["GET", "GET", "POST", "PATCH", "DELETE", "PUT"])
        try:
            resp = new_client(app).open(path, method=method, headers=headers, data=b'{"x": 1}')
        except UnicodeEncodeError:  # the test client cannot send it; neither can a real HTTP client
            guard.count["headers"] = guard.count.get("headers", 0) + 1
            continue
        guard.check("headers", resp, (method, path, headers), foreign_target=str(world.pd.worker_id) in path)
    assert guard.count["headers"] == 600


def test_page_forms(app, world, battery):
    guard, _, page = battery
    rng = random.Random(SEED + 2)
    forms = {
        "/workers/new": ["name", "id_number", "phone", "education", "political_status", "qualification",
                         "qualification_date", "hire_date", "prior_years", "committee_id", "bank_name", "bank_account"],
        f"/workers/{world.hk.worker_id}/edit": ["name", "phone", "bank_account", "committee_id", "version", "hire_date"],
        f"/workers/{world.pd.worker_id}/edit": ["name", "phone", "version"],
        f"/payroll/inputs/workers/{world.hk.worker_id}/adjustments/new": ["kind", "amount", "pay_month",
                                                                          "corrects_month", "reason"],
        f"/payroll/inputs/workers/{world.pd.worker_id}/adjustments/new": ["kind", "amount", "pay_month", "reason"],
        "/payroll/runs": ["month", "district"],
        "/mentoring/suggest/accept": ["district", "year", "start", f"keep-{world.pd.mentee_id}",
                                      f"mentor-{world.pd.mentee_id}"],
        f"/mentoring/studios/{world.hk.studio_id}/pairings/new": ["year", "mentor_id", "mentee_id", "start_on"],
        "/account": ["current", "new", "confirm"],
        "/workers/": ["q", "status", "sort", "dir", "district", "street", "committee"],
    }
    foreign = [world.pd.worker_id, world.pd.lead_id, world.pd.mentee_id, world.pd.committee_id, world.pd.studio_id]
    for _ in range(350):
        url = rng.choice(list(forms))
        data = {f: str(_value(rng, foreign)) for f in rng.sample(forms[url], k=rng.randrange(1, len(forms[url]) + 1))}
        if url == "/workers/":
            resp = page.get(url, query_string=data)
        else:
            resp = page.post(url, data=data)
        guard.check("forms", resp, (url, data), foreign_target=str(world.pd.worker_id) in url)
    assert guard.count["forms"] == 350


def _workbook(rng: random.Random, headers: list[str], rows: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for _ in range(rows):
        ws.append([rng.choice(STRINGS + [1, -1, 3.5, None, "2026-12", "310115198001010011"]) for _ in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_imports(app, world, battery):
    from hr.workers.fields import HEADERS
    from tests.helpers.inputs import ADJUSTMENT_HEADERS, DECLARATION_HEADERS

    guard, _, page = battery
    rng = random.Random(SEED + 3)
    pd_ids = [s for s in guard.secrets if "*" not in s]
    kinds = [("/workers/import", list(HEADERS)), ("/payroll/inputs/import/adjustments", ADJUSTMENT_HEADERS),
             ("/payroll/inputs/import/declarations", DECLARATION_HEADERS),
             ("/grades/assessments/import", ["身份证号", "姓名", "年度", "考核结果"])]
    broken = [b"", b"PK", b"PK\x03\x04" + bytes(40), bytes(range(256)) * 4, hostile_files.many_parts(300)]
    for i in range(150):
        url, headers = rng.choice(kinds)
        if i % 10 == 9:
            content = rng.choice(broken)
        else:
            content = _workbook(rng, headers, rng.randrange(1, 4))
            if i % 7 == 0:  # a foreign worker's ID number in an import
                wb = Workbook()
                wb.active.append(headers)
                wb.active.append([rng.choice(pd_ids) if h == "身份证号" else "1" for h in headers])
                buf = io.BytesIO()
                wb.save(buf)
                content = buf.getvalue()
        boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), filename="导入.xlsx")})
        resp = page.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
        guard.check("imports", resp, (url, i))
    assert guard.count["imports"] == 150
