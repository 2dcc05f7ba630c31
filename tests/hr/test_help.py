"""The manual: reachable from every page, with the glossary the pay inputs point to; the
favicon is served."""
import re

from tests.helpers.web import text


def test_manual_is_linked_from_pages_and_the_login(officer_client, client, make_worker):
    w = make_worker(name="王小明")
    for url in ("/", "/workers/", f"/workers/{w.id}", "/audit/", "/grades/assessments"):
        assert 'href="/help"' in text(officer_client.get(url)), url


def test_manual_needs_no_login_and_has_the_glossary(app):
    c = app.test_client()
    assert 'href="/help"' in text(c.get("/login"))
    html = text(c.get("/help"))
    for anchor, term in (("g-base", "缴费基数"), ("g-13", "13号公告"), ("g-19", "19号公告"), ("g-adjust", "补发、补扣")):
        assert re.search(rf'id="{anchor}">{term}', html), anchor
    assert "每月工作步骤" in html and "规则要点" in html


def test_pay_inputs_link_to_the_glossary(officer_client, make_worker):
    w = make_worker(name="王小明")
    html = text(officer_client.get(f"/payroll/inputs/workers/{w.id}/tax-options/new"))
    if "field-help" not in html:  # the URL of the form, read from the worker page
        page = text(officer_client.get(f"/workers/{w.id}"))
        url = re.search(r'href="(/payroll/inputs/[^"]*tax[^"]*)"', page).group(1)
        html = text(officer_client.get(url))
    assert 'href="/help#g-13"' in html and 'href="/help#g-19"' in html


def test_favicon(app):
    c = app.test_client()
    resp = c.get("/favicon.ico")
    assert resp.status_code == 301 and resp.headers["Location"].endswith("/static/favicon.ico")
    with c.get("/static/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"
