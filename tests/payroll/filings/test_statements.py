"""The annual income and tax statement: one page per worker from the year's locked slips, a
verification code that /verify confirms, the district batch as a background job, scope."""
from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from tests.conftest import HONGKOU, PUDONG
from tests.helpers.documents import as_next_user, content_disposition_name, pdf_text


def test_worker_statement_and_its_verification(app: Any, locked_month: Any, client_as: Any) -> None:
    m = locked_month(people=2)
    worker = m.workers[0]
    c = client_as("officer", HONGKOU)
    resp = c.get(f"/payroll/filings/workers/{worker.id}/statement/2026.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert content_disposition_name(resp) == f"年度收入纳税明细_{worker.name}_2026年.pdf"
    pages, text = pdf_text(resp.data)
    assert pages == 1
    assert worker.name in text and "11月" in text
    code = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", text).group(0)  # type: ignore[union-attr]
    from sqlalchemy import select

    from hr.core.db import db
    from payroll.runs.models import Payslip

    slip = db.session.execute(select(Payslip).where(Payslip.worker_id == worker.id)).scalar_one()
    anonymous = app.test_client()
    page = anonymous.get(f"/verify?code={code.lower().replace('-', '')}").get_data(as_text=True)
    assert "验证通过" in page and f"{slip.net:,.2f}" in page and worker.name not in page
    assert "未找到" in anonymous.get("/verify?code=2222-2222-2222-2222").get_data(as_text=True)


def test_statement_counts_locked_months_only(make_month: Any, client_as: Any) -> None:
    m = make_month(people=1)  # calculated, not locked
    c = client_as("officer", HONGKOU)
    resp = c.get(f"/payroll/filings/workers/{m.workers[0].id}/statement/2026.pdf")
    assert resp.status_code == 302


def test_statement_scope_and_roles(locked_month: Any, client_as: Any) -> None:
    m = locked_month(people=1)
    url = f"/payroll/filings/workers/{m.workers[0].id}/statement/2026.pdf"
    assert client_as("officer", PUDONG).get(url).status_code == 404
    as_next_user()
    assert client_as("auditor", HONGKOU).get(url).status_code == 403


def test_district_batch_is_a_background_job(locked_month: Any, client_as: Any) -> None:
    from hr.core.db import db
    from payroll.jobs import services as jobs
    from payroll.jobs.models import Job

    m = locked_month(people=3)
    c = client_as("officer", HONGKOU)
    resp = c.post(f"/payroll/filings/districts/{HONGKOU}/statements", data={"year": "2026"})
    assert resp.status_code == 302 and "/jobs/" in resp.headers["Location"]
    job = db.session.query(Job).filter_by(kind="annual_statements").one()
    assert job.total == 3
    jobs.run(job.id)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status == "done", job.message
    from payroll.jobs.services import read_output

    content = read_output(job)  # in the database on PostgreSQL, in the instance folder on SQLite
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert len(names) == 3 and all(n.endswith(".pdf") for n in names)
    from payroll.filings.models import AnnualStatement

    issued = db.session.query(AnnualStatement).all()
    assert len(issued) == 3
    assert sum((s.net for s in issued), Decimal("0")) == m.run.net
    as_next_user()
    other = client_as("officer", PUDONG)
    assert other.post(f"/payroll/filings/districts/{HONGKOU}/statements", data={"year": "2026"}).status_code == 404
