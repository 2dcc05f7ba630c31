"""Salary slips as PDF: what each slip shows, three to a page, one document per street, the
pay date, adjustments with their reasons, ordering, the worker without a slip, the CLI."""
from __future__ import annotations

import math
import re
from decimal import Decimal

import sqlalchemy as sa

from hr.core.db import db
from hr.workers.idcard import mask
from payroll.runs.models import Payslip
from tests.helpers.documents import MONTH, audit_actions, content_disposition_name, pdf_text
from tests.helpers.web import config


def slips_of(run_id: int) -> list[Payslip]:
    return list(db.session.execute(sa.select(Payslip).where(Payslip.run_id == run_id)).scalars())


def post_slips(client, run_id: int, **form: object):
    return client.post(f"/payroll/documents/runs/{run_id}/slips", data={k: str(v) for k, v in form.items()})


def test_street_batch_shows_every_slip(make_month, client_as):
    m = make_month(people=8)
    slips = slips_of(m.run.id)
    street_id = slips[0].street_id
    street = [s for s in slips if s.street_id == street_id]
    resp = post_slips(client_as(), m.run.id, street_id=street_id)
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert content_disposition_name(resp) == f"工资条_虹口区_欧阳路街道_{MONTH}.pdf"
    pages, text = pdf_text(resp.data)
    assert pages == math.ceil(len(street) / 3) == 2
    workers = {w.id: w for w in m.workers}
    for s in street:
        assert f"姓名：{s.name}" in text
        assert f"{s.net:,.2f}" in text
        assert mask(workers[s.worker_id].id_number) in text
        assert workers[s.worker_id].id_number not in text
    assert text.count("上海市虹口区欧阳路街道 社区工作者工资条 2026年11月") == len(street)
    for label in ("岗位等级工资", "岗位津贴", "月度绩效", "职业资格津贴", "养老保险", "医疗保险", "失业保险",
                  "住房公积金", "个人所得税", "应发合计", "扣款合计", "实发合计", "发放日期"):
        assert label in text
    assert "2026年11月15日" in text  # the default pay day
    assert "未审批" in text  # the run is only calculated


def test_district_batch_is_one_document_per_street(make_month, client_as):
    m = make_month(people=5)
    slips = slips_of(m.run.id)
    per_street: dict[int, int] = {}
    for s in slips:
        per_street[s.street_id] = per_street.get(s.street_id, 0) + 1
    resp = post_slips(client_as(), m.run.id)
    pages, text = pdf_text(resp.data)
    assert pages == sum(math.ceil(n / 3) for n in per_street.values()) == 2
    for s in slips:
        assert s.name in text and f"{s.net:,.2f}" in text
    entry = audit_actions("print")[-1]
    assert entry.object_id == m.run.id and entry.changes["slips"] == 5


def test_slips_are_ordered_by_committee_and_name(make_month, client_as):
    m = make_month(people=6, names=["职工丙", "职工甲", "职工乙", "职工戊", "职工丁", "职工己"])
    street_id = slips_of(m.run.id)[0].street_id
    _, text = pdf_text(post_slips(client_as(), m.run.id, street_id=street_id).data)
    names = re.findall(r"姓名：(\S+)", text)
    street = sorted((s for s in slips_of(m.run.id) if s.street_id == street_id), key=lambda s: s.name)
    assert names == [s.name for s in street]


def test_lines_add_up_and_adjustments_show_their_reason(make_month, client_as):
    m = make_month(people=1, adjustments=[(0, "补发", "123.45", "十月加班补贴"), (0, "补扣", "-20.00", "多发餐费")])
    slip = slips_of(m.run.id)[0]
    assert slip.adjustments == Decimal("103.45")
    resp = client_as().get(f"/payroll/documents/slips/{slip.id}.pdf")
    assert resp.status_code == 200
    assert content_disposition_name(resp) == f"工资条_虹口区_{slip.name}_{MONTH}.pdf"
    pages, text = pdf_text(resp.data)
    assert pages == 1
    assert "补发：十月加班补贴" in text and "123.45" in text
    assert "补扣：多发餐费" in text and "-20.00" in text
    earnings = [slip.grade_pay, slip.post_allowance, slip.performance, slip.qualification_allowance,
                Decimal("123.45"), Decimal("-20.00")]
    assert sum(earnings) == slip.gross and f"{slip.gross:,.2f}" in text
    deductions = slip.pension + slip.medical + slip.unemployment + slip.housing_fund + slip.iit
    assert f"{deductions:,.2f}" in text and slip.gross - deductions == slip.net


def test_printed_lines_come_from_one_checked_builder(make_month):
    from payroll.documents import data

    m = make_month(people=2, adjustments=[(1, "补发", "50.00", "补发差额")])
    run = db.session.merge(m.run)
    for street in data.slip_streets(run, m.officer):
        for doc in street.slips:
            assert sum(line.amount for line in doc.earnings) == doc.gross
            assert sum(line.amount for line in doc.deductions) == doc.deductions_total
            assert doc.gross - doc.deductions_total == doc.net


def test_pay_day_comes_from_the_district_setting(make_month, client_as):
    from hr.grades.models import DistrictSetting
    from tests.conftest import district

    db.session.add(DistrictSetting(district_id=district("310109").id, qualification_mode="allowance",
                                   hf_rate_pct=7, si_rounding="half_up", pay_day=31))
    db.session.commit()
    m = make_month(people=1)
    _, text = pdf_text(client_as().get(f"/payroll/documents/slips/{slips_of(m.run.id)[0].id}.pdf").data)
    assert "2026年11月30日" in text  # November has 30 days


def test_worker_page_link_and_a_month_without_slip(make_month, client_as):
    m = make_month(people=1)
    worker = m.workers[0]
    client = client_as()
    page = client.get(f"/workers/{worker.id}").get_data(as_text=True)
    slip = slips_of(m.run.id)[0]
    assert f"/payroll/documents/slips/{slip.id}.pdf" in page
    ok = client.get(f"/payroll/documents/workers/{worker.id}/slips/{MONTH}.pdf")
    assert ok.status_code == 200 and worker.name in pdf_text(ok.data)[1]
    missing = client.get(f"/payroll/documents/workers/{worker.id}/slips/2026-10.pdf")
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    assert f"{worker.name} 2026年10月没有工资条" in missing.get_data(as_text=True)


def test_slip_page_and_run_page_offer_the_documents(make_month, client_as):
    m = make_month(people=1)
    client = client_as()
    slip = slips_of(m.run.id)[0]
    assert f"/payroll/documents/slips/{slip.id}.pdf" in client.get(f"/payroll/slips/{slip.id}").get_data(as_text=True)
    run_page = client.get(f"/payroll/runs/{m.run.id}").get_data(as_text=True)
    for url in (f"/payroll/documents/runs/{m.run.id}/payroll.xlsx", f"/payroll/documents/runs/{m.run.id}/approval.pdf",
                f"/payroll/documents/runs/{m.run.id}/slips"):
        assert url in run_page


def test_many_slips_go_to_the_background(app, make_month, client_as):
    m = make_month(people=3)
    with config(app, DOCUMENTS_SYNC_SLIPS=2):
        resp = post_slips(client_as(), m.run.id)
    assert resp.status_code == 302 and "/payroll/jobs/" in resp.headers["Location"]


def test_batch_in_worker_processes(app, make_month):
    """The pool path: two streets rendered by two worker processes, concatenated in order."""
    from payroll.documents import services

    m = make_month(people=4)
    run = db.session.merge(m.run)
    done = []
    with config(app, DOCUMENTS_POOL_MIN_SLIPS=0, DOCUMENTS_PROCESSES=2):
        doc = services.print_slips(run, m.officer, progress=done.append)
    pages, text = pdf_text(doc.content)
    assert doc.count == 4 and pages == 2 and sum(done) == 4
    first, second = text.index("欧阳路街道 社区工作者工资条"), text.index("曲阳路街道 社区工作者工资条")
    assert first < second
    db.session.rollback()


def test_cli_slips(make_month, runner, tmp_path):
    from hr.org.models import Street

    m = make_month(people=4)
    slips = slips_of(m.run.id)
    out = tmp_path / "slips.pdf"
    result = runner.invoke(args=["payroll", "slips", MONTH, "--district", "310109", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 slips" in result.output
    pages, text = pdf_text(out.read_bytes())
    assert pages == 2 and all(s.name in text for s in slips)
    street = db.session.get(Street, slips[0].street_id)
    result = runner.invoke(args=["payroll", "slips", MONTH, "--district", "310109", "--street", street.code,
                                 "-o", str(out)])
    assert result.exit_code == 0 and "2 slips" in result.output
    committee_code = db.session.execute(sa.text("select code from committee where id = :i"),
                                        {"i": slips[0].committee_id}).scalar_one()
    result = runner.invoke(args=["payroll", "slips", MONTH, "--district", "310109", "--committee", committee_code,
                                 "-o", str(out)])
    assert result.exit_code == 0 and "2 slips" in result.output


def test_cli_worker_without_slip(make_month, make_worker, runner, tmp_path):
    make_month(people=1)
    newcomer = make_worker(name="新来者")  # no grade: not in this month's run
    out = tmp_path / "x.pdf"
    result = runner.invoke(args=["payroll", "slips", MONTH, "--district", "310109", "--worker", newcomer.id_number,
                                 "-o", str(out)])
    assert result.exit_code == 1
    assert "新来者" in result.output and "no payslip in 2026-11" in result.output and "没有工资条" in result.output
    assert mask(newcomer.id_number) in result.output and newcomer.id_number not in result.output
    assert not out.exists()


def test_month_without_run_or_not_calculated(make_user, runner, tmp_path):
    from payroll.runs import services
    from tests.conftest import district

    make_user("admin", username="admin")
    result = runner.invoke(args=["payroll", "slips", "2026-10", "--district", "310109", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "没有 2026-10 的工资批次" in result.output
    officer = make_user("officer", "310109")
    services.get_or_create_run(district("310109"), services.parse_month("2026-10"), officer)
    db.session.commit()
    result = runner.invoke(args=["payroll", "slips", "2026-10", "--district", "310109", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "尚未计算" in result.output


def test_one_street_prints_at_once_while_the_district_goes_to_a_job(app, make_month, client_as):
    m = make_month(people=4)
    street_id = slips_of(m.run.id)[0].street_id
    client = client_as()
    with config(app, DOCUMENTS_SYNC_SLIPS=1, DOCUMENTS_SYNC_SLIPS_SCOPED=400):
        resp = post_slips(client, m.run.id, street_id=street_id)
        assert resp.status_code == 200 and resp.mimetype == "application/pdf"
        assert post_slips(client, m.run.id).status_code == 302  # the whole district: a background job
    with config(app, DOCUMENTS_SYNC_SLIPS=1, DOCUMENTS_SYNC_SLIPS_SCOPED=1):
        assert post_slips(client, m.run.id, street_id=street_id).status_code == 302
