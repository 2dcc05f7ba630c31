"""Every input page renders for a writer, in Chinese, with no inline script."""
from __future__ import annotations

from tests.helpers.web import text


def test_every_input_page_renders(officer_client, worker):
    urls = [
        "/payroll/inputs/",
        f"/payroll/inputs/workers/{worker.id}/declarations/new",
        f"/payroll/inputs/workers/{worker.id}/base",
        f"/payroll/inputs/workers/{worker.id}/housing-fund",
        f"/payroll/inputs/workers/{worker.id}/tax-options",
        f"/payroll/inputs/workers/{worker.id}/adjustments/new",
        "/payroll/inputs/import/declarations",
        "/payroll/inputs/import/adjustments",
        f"/workers/{worker.id}",
    ]
    for url in urls:
        resp = officer_client.get(url)
        html = text(resp)
        assert resp.status_code == 200, url
        assert "<script>" not in html and "style=" not in html and "Not a valid" not in html, url
        assert "Content-Security-Policy" in resp.headers
