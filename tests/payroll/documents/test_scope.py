"""An officer of 虹口区 (310109) gets 404 for every document and job URL of a 浦东新区
(310115) run, slip, worker or job, exactly as for a missing one; the city admin sees both."""
from __future__ import annotations

import sqlalchemy as sa

from hr.core.db import db
from payroll.jobs import services as jobs
from payroll.runs.models import Payslip
from tests.helpers.documents import MONTH, as_next_user


def test_other_districts_documents_are_not_found(make_month, client_as):
    pudong = make_month("310115", people=2)
    slip = db.session.execute(sa.select(Payslip).where(Payslip.run_id == pudong.run.id)).scalars().first()
    worker = pudong.workers[0]
    job = jobs.enqueue("payslips", district_id=pudong.run.district_id, run_id=pudong.run.id, title="x", total=2,
                       user=pudong.officer)
    job.status, job.stored_as, job.filename = "done", "nothing.pdf", "x.pdf"
    db.session.commit()
    failed = jobs.enqueue("payroll_excel", district_id=pudong.run.district_id, run_id=pudong.run.id, title="y",
                          total=2, user=pudong.officer)
    failed.status = "failed"
    db.session.commit()

    hongkou = client_as("officer", "310109")
    urls = [
        ("post", f"/payroll/documents/runs/{pudong.run.id}/payroll.xlsx"),
        ("get", f"/payroll/documents/runs/{pudong.run.id}/approval.pdf"),
        ("post", f"/payroll/documents/runs/{pudong.run.id}/slips"),
        ("get", f"/payroll/documents/slips/{slip.id}.pdf"),
        ("get", f"/payroll/documents/workers/{worker.id}/slips/{MONTH}.pdf"),
        ("get", f"/payroll/jobs/{job.id}"),
        ("get", f"/payroll/jobs/{job.id}/download"),
        ("post", f"/payroll/jobs/{failed.id}/retry"),
        ("get", "/payroll/documents/runs/999999/approval.pdf"),
        ("get", "/payroll/jobs/999999"),
    ]
    for method, url in urls:
        resp = getattr(hongkou, method)(url)
        assert resp.status_code == 404, (url, resp.status_code)
    listing = hongkou.get("/payroll/jobs/").get_data(as_text=True)
    assert f"#{job.id}" not in listing
    assert db.session.get(type(failed), failed.id).status == "failed"  # the retry did nothing
    from hr.audit.models import AuditEntry

    assert not db.session.execute(sa.select(AuditEntry).where(AuditEntry.action.in_(("export", "print")))).first()

    as_next_user()
    auditor = client_as("auditor", "310109")
    assert auditor.get(f"/payroll/documents/runs/{pudong.run.id}/approval.pdf").status_code == 404
    as_next_user()
    pudong_officer = client_as("officer", "310115")
    assert pudong_officer.get(f"/payroll/documents/slips/{slip.id}.pdf").status_code == 200
    assert pudong_officer.get(f"/payroll/jobs/{job.id}").status_code == 200
    as_next_user()
    admin = client_as("admin", None)
    assert admin.get(f"/payroll/documents/runs/{pudong.run.id}/approval.pdf").status_code == 200
    assert f"#{job.id}" in admin.get("/payroll/jobs/").get_data(as_text=True)


def test_enqueue_refuses_another_district(make_month, make_user):
    import pytest

    from hr.core.errors import NotFound

    pudong = make_month("310115", people=1)
    officer = make_user("officer", "310109")
    with pytest.raises(NotFound):
        jobs.enqueue("payslips", district_id=pudong.run.district_id, run_id=pudong.run.id, title="x", total=1,
                     user=officer)


def test_street_or_committee_of_another_district_is_refused(make_month, client_as):
    from tests.helpers.documents import committees_in_streets

    hk = make_month(people=1)
    pd_committee = committees_in_streets("310115", 1)[0]
    client = client_as()
    assert client.post(f"/payroll/documents/runs/{hk.run.id}/slips",
                       data={"street_id": str(pd_committee.street_id)}).status_code == 404
    assert client.post(f"/payroll/documents/runs/{hk.run.id}/slips",
                       data={"committee_id": str(pd_committee.id)}).status_code == 404
