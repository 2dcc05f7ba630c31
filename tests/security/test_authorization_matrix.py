"""Every rule of app.url_map × every role, the ids filled with 浦东新区 objects (see matrix.py):
anonymous → the login page (pages) or 401 (API); an officer, auditor or reviewer of 虹口区 → 404
for 浦东新区's records; auditors → 403 on writes, reviewers too except approvals; nobody ever gets
a 500. Every HTML page sends the
security headers."""
from __future__ import annotations

import pytest

from tests.helpers.security import ROLES
from tests.security.matrix import WRITE_METHODS, requests_for, send

# Unsafe methods that change nothing of the register or the pay, so read-only accounts may use
# them: their own login and account, calculations that are not saved, and exports (audited).
READ_LIKE = {
    "accounts.login": "logging in",
    "accounts.logout": "logging out",
    "accounts.account": "one's own password",
    "accounts.token_create": "one's own API token",
    "accounts.token_revoke": "one's own API token",
    "trial.page": "a trial calculation, not saved",
    "payroll_api.preview": "a trial calculation, not saved",
    "trial.api_preview": "a trial calculation, not saved",
    "documents.run_excel": "an export (POST: it may queue a job), audited",
    "documents.run_slips": "printing slips (POST: it may queue a job), audited",
    "jobs.retry": "generating an export again",
}
# City-level accounts must name the district in the form (which an empty form does not): 404.
NEEDS_DISTRICT = {"grades.promotion_approve", "mentoring.suggest_accept"}
# /verify: whoever holds an annual statement (a bank, a consulate) checks its code without an
# account; it shows only what the paper shows, the name partly hidden.
PUBLIC = {"accounts.login", "verify.verify", "help.manual", "help.favicon"}  # the manual shows no data
# Records of a district, with personal or pay data: another district must see a 404. (The
# organisation tree and the pay scales are city-wide and readable by every account.)
SCOPED = {"worker", "payroll_run", "payslip", "assignment", "adjustment", "declaration", "base_override",
          "tax_option", "pairing", "mentoring_activity", "cohort_file", "studio_member", "studio", "cohort",
          "job", "assessment"}
# What a reviewer (区审核) may write besides: approving and sending back runs and promotion lists.
APPROVALS = {"payroll.run_action", "payroll_api.run_approve", "payroll_api.run_reopen", "grades.promotion_approve",
             "api.promotions_approve"}
ORDER = ["anonymous", "officer_hk", "auditor_hk", "reviewer_hk", "auditor_city", "officer_pd", "admin"]
HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}


def _expectations(role, req, resp, as_missing):
    """What is wrong with this response (empty when it is right). `as_missing()` gives the
    status of the same request naming records that do not exist."""
    status = resp.status_code
    if status >= 500:
        return f"{status}"
    scoped_other = req.real and any(t in SCOPED for t in req.objects)
    write = req.method in WRITE_METHODS and req.endpoint not in READ_LIKE
    if role == "anonymous":
        if req.endpoint in PUBLIC:
            return ""
        if req.api and req.endpoint != "api.docs":
            return "" if status == 401 else f"{status}, wanted 401"
        location = resp.headers.get("Location", "")
        return "" if status == 302 and location.startswith("/login") else f"{status} {location}, wanted the login page"
    if role in ("officer_hk", "auditor_hk", "reviewer_hk") and scoped_other:
        if req.method == "GET":
            return "" if status == 404 else f"{status}, wanted 404 (another district)"
        # A write is refused exactly as for a record that does not exist (an API body is
        # checked first: 400 either way), so the answer tells nothing of 浦东新区's records.
        missing = as_missing()
        ok = status == missing and status in (400, 403, 404, 422)
        return "" if ok else f"{status} (missing record: {missing}), wanted a 404 like a missing record"
    if role in ("auditor_hk", "auditor_city") and write:
        allowed = {403} | ({404} if not req.real or req.endpoint in NEEDS_DISTRICT or role == "auditor_hk" else set())
        return "" if status in allowed else f"{status}, wanted 403 (read-only account)"
    if role == "reviewer_hk" and write and req.endpoint not in APPROVALS:
        return "" if status in (403, 404) else f"{status}, wanted 403 (a reviewer only approves)"
    if role in ("officer_pd", "admin", "auditor_city") and req.method == "GET" and scoped_other:
        return "" if status != 404 else "404 for a record this account may see"
    return ""


def _headers_wrong(resp):
    problems = [f"{k}: {resp.headers.get(k)}" for k, v in HEADERS.items() if resp.headers.get(k) != v]
    if resp.mimetype == "text/html":
        csp = resp.headers.get("Content-Security-Policy", "")
        script = next((d for d in csp.split(";") if d.strip().startswith("script-src")), "")
        if "'self'" not in script or "unsafe" in csp:
            problems.append(f"CSP {csp!r}")
    return problems


def test_every_rule_for_every_role(app, pudong_world, client_as, client):
    clients = {name: client_as(role, code) for name, (role, code) in ROLES.items()}
    clients["anonymous"] = client
    reqs = requests_for(app, pudong_world)
    assert len({r.endpoint for r in reqs}) >= 100  # the whole map, not a sample
    assert {"worker", "payroll_run", "payslip"} <= set(pudong_world)
    wrong, header_problems = [], []
    # Reads first, then writes (a write may delete what a later read names), role by role.
    for phase in ("GET", "write"):
        for role in ORDER:
            for req in reqs:
                if (req.method == "GET") != (phase == "GET"):
                    continue
                if req.endpoint == "accounts.logout" and role != "anonymous":
                    continue  # would end the session the rest of the matrix needs
                c = clients[role]
                resp = send(c, req)
                problem = _expectations(role, req, resp, lambda c=c, req=req: send(c, req, missing=True).status_code)
                if problem:
                    wrong.append(f"{role:12} {req}: {problem}")
                if resp.status_code < 400 or resp.mimetype == "text/html":
                    header_problems += [f"{req}: {p}" for p in _headers_wrong(resp)]
    assert not wrong, "\n" + "\n".join(wrong)
    assert not header_problems, "\n" + "\n".join(header_problems)


@pytest.mark.parametrize("role", ["officer_hk", "auditor_hk"])
def test_another_districts_worker_is_a_plain_404_page(app, pudong_world, client_as, role):
    kind, code = ROLES[role]
    c = client_as(kind, code)
    resp = c.get(f"/workers/{pudong_world['worker']}")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 404 and "不存在" in body and "浦东甲" not in body
