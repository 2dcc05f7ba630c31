"""One street's or one committee's slips are printed at once, without a background job, while
the whole district above the limit still goes to one."""
from __future__ import annotations

import sqlalchemy as sa

from hr.core.db import db
from payroll.runs.models import Payslip
from tests.helpers.documents import pdf_text
from tests.helpers.web import config


def _post(client, run_id: int, **form: object):
    return client.post(f"/payroll/documents/runs/{run_id}/slips", data={k: str(v) for k, v in form.items()})


def test_a_street_prints_directly_above_the_district_limit(app, make_month, client_as):
    m = make_month(people=8)
    slips = list(db.session.execute(sa.select(Payslip).where(Payslip.run_id == m.run.id)).scalars())
    street_id = slips[0].street_id
    in_street = [s for s in slips if s.street_id == street_id]
    assert len(in_street) > 2
    client = client_as()
    with config(app, DOCUMENTS_SYNC_SLIPS=2):
        resp = _post(client, m.run.id, street_id=street_id)
        assert resp.status_code == 200 and resp.mimetype == "application/pdf"
        _, text = pdf_text(resp.data)
        assert all(f"姓名：{s.name}" in text for s in in_street)
        committee_id = in_street[0].committee_id
        resp = _post(client, m.run.id, committee_id=committee_id)
        assert resp.status_code == 200 and resp.mimetype == "application/pdf"
        whole = _post(client, m.run.id)
        assert whole.status_code == 302 and "/payroll/jobs/" in whole.headers["Location"]
    with config(app, DOCUMENTS_SYNC_SLIPS=2, DOCUMENTS_SYNC_SLIPS_SCOPED=2):
        resp = _post(client, m.run.id, street_id=street_id)
        assert resp.status_code == 302 and "/payroll/jobs/" in resp.headers["Location"]
