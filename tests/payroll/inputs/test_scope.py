"""Scope and roles: every input URL about another district's worker answers 404, as if it did
not exist; a read-only auditor may look but never write."""
from __future__ import annotations

from datetime import date

from werkzeug.routing import IntegerConverter

from tests.conftest import PUDONG
from tests.helpers.inputs import rows_of
from tests.helpers.web import text

ID_ARGS = ("worker_id", "declaration_id", "override_id", "option_id", "adjustment_id")


def _rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("inputs.")
            and any(a in r.arguments and isinstance(r._converters[a], IntegerConverter) for a in ID_ARGS)]


def _foreign_inputs(worker, user):
    """One of each input for a worker, made through the services by the city admin."""
    from hr.core.db import db
    from payroll.inputs import options, services

    ids = {"worker_id": worker.id}
    ids["declaration_id"] = services.add_declaration(worker, {
        "kind": "住房租金", "monthly": "1500", "start_month": date(2026, 1, 1)}, user).id
    ids["override_id"] = options.set_base_override(worker, 2026, "9000", "核定", user).id
    ids["option_id"] = options.set_tax_option(worker, 2026, "merged", True, False, user).id
    ids["adjustment_id"] = services.add_adjustment(worker, {
        "kind": "补发", "amount": "100", "pay_month": date(2026, 12, 1), "corrects_month": date(2026, 10, 1),
        "reason": "补发"}, user).id
    options.set_pay_profile(worker, 6, 1, user)
    db.session.commit()
    return ids


def _counts():
    from payroll.inputs.models import Adjustment, BaseOverride, Declaration, PayProfile, TaxOption

    out = {m.__name__: len(rows_of(m)) for m in (Adjustment, BaseOverride, Declaration, TaxOption)}
    out["hf"] = [(p.hf_rate_pct, p.hf_supp_pct) for p in rows_of(PayProfile)]
    out["decl_end"] = [d.end_month for d in rows_of(Declaration)]
    return out


def test_there_are_input_urls_to_check(app):
    endpoints = {r.endpoint for r in _rules(app)}
    assert endpoints == {
        "inputs.declaration_new", "inputs.declaration_end", "inputs.declaration_delete", "inputs.base_override",
        "inputs.base_delete", "inputs.housing_fund", "inputs.tax_option", "inputs.tax_option_delete",
        "inputs.adjustment_new", "inputs.adjustment_delete",
    }


def test_officer_gets_404_for_every_input_url_of_another_district(app, officer_client, make_worker, make_user):
    other = make_worker(PUDONG)
    ids = _foreign_inputs(other, make_user("admin", username="cityadmin"))
    before = _counts()
    post = {"kind": "补发", "amount": "1", "monthly": "1", "start_month": "2026-01", "end_month": "2026-12",
            "pay_month": "2026-12", "corrects_month": "2026-11", "reason": "越权", "year": "2026", "base": "1",
            "bonus_tax": "separate", "hf_rate_pct": "5", "hf_supp_pct": "0"}
    tried = 0
    adapter = app.url_map.bind("localhost")
    for rule in _rules(app):
        url = adapter.build(rule.endpoint, {a: ids[a] for a in rule.arguments})
        if "GET" in rule.methods:
            resp = officer_client.get(url)
            assert resp.status_code == 404, ("GET", url, resp.status_code)
            assert "张丽" not in text(resp)
            tried += 1
        if "POST" in rule.methods:
            resp = officer_client.post(url, data=post)
            assert resp.status_code == 404, ("POST", url, resp.status_code)
            tried += 1
    assert tried == 16
    assert _counts() == before


def test_the_worker_page_panel_is_not_shown_for_another_district(officer_client, make_worker):
    other = make_worker(PUDONG)
    assert officer_client.get(f"/workers/{other.id}").status_code == 404


def test_a_read_only_auditor_cannot_write_inputs(app, client_as, make_worker, make_user):
    mine = make_worker()
    ids = _foreign_inputs(mine, make_user("admin", username="cityadmin"))
    c = client_as("auditor")
    page = text(c.get(f"/workers/{mine.id}"))
    assert "个税与薪酬录入" in page and "登记专项附加扣除" not in page  # sees the section, no write links
    before = _counts()
    adapter = app.url_map.bind("localhost")
    for rule in _rules(app):
        url = adapter.build(rule.endpoint, {a: ids[a] for a in rule.arguments})
        if "GET" in rule.methods:
            assert c.get(url).status_code == 403, url
        assert c.post(url, data={"year": "2026", "base": "1", "reason": "x"}).status_code == 403, url
    for kind in ("declarations", "adjustments"):
        assert c.get(f"/payroll/inputs/import/{kind}").status_code == 403
        assert c.post(f"/payroll/inputs/import/{kind}/confirm", data={"token": "0" * 32}).status_code == 403
        assert c.get(f"/payroll/inputs/template/{kind}.xlsx").status_code == 200
    assert _counts() == before


def test_the_city_admin_may_write_any_district(client_as, make_worker):
    other = make_worker(PUDONG)
    c = client_as("admin", None)
    resp = c.post(f"/payroll/inputs/workers/{other.id}/declarations/new",
                  data={"kind": "住房租金", "monthly": "1500", "start_month": "2026-01"})
    assert resp.status_code == 302
