"""Every reference page renders for the administrator, with no inline script."""
from __future__ import annotations

from sqlalchemy import select

from tests.helpers.web import text


def test_every_reference_page_renders(admin_client):
    from hr.core.db import db
    from payroll.reference.models import ContributionBoundsRow, PayScale, RateVersion, TaxTable

    s = db.session.execute(select(PayScale)).scalars().first()
    b = db.session.execute(select(ContributionBoundsRow)).scalars().first()
    r = db.session.execute(select(RateVersion)).scalars().first()
    t = db.session.execute(select(TaxTable)).scalars().first()
    urls = [
        "/payroll/reference/", f"/payroll/reference/scales/{s.id}", "/payroll/reference/scales/new",
        f"/payroll/reference/scales/{s.id}/edit", "/payroll/reference/bounds/new", f"/payroll/reference/bounds/{b.id}/edit",
        "/payroll/reference/rates/new", f"/payroll/reference/rates/{r.id}/edit", f"/payroll/reference/tax/{t.id}",
        "/payroll/reference/tax/new/bonus", f"/payroll/reference/tax/{t.id}/edit",
    ]
    for url in urls:
        resp = admin_client.get(url)
        html = text(resp)
        assert resp.status_code == 200, url
        assert "<script>" not in html and "style=" not in html and "Not a valid" not in html, url


def test_missing_versions_are_404(admin_client):
    for url in ("/payroll/reference/scales/9999", "/payroll/reference/scales/9999/edit",
                "/payroll/reference/bounds/9999/edit", "/payroll/reference/rates/9999/edit",
                "/payroll/reference/tax/9999", "/payroll/reference/tax/9999/edit"):
        assert admin_client.get(url).status_code == 404, url
