"""The run's workbook from the run page and the CLI: contents against the stored run, the
Chinese file name, the audit entry, and large workbooks going to the background."""
from __future__ import annotations

from decimal import Decimal

from hr.core.db import db
from payroll.documents import data
from payroll.runs.models import TOTAL_FIELDS
from tests.helpers.documents import MONTH, audit_actions, content_disposition_name, workbook
from tests.helpers.web import config

SUMMARY_MONEY = ["gross", "pension", "medical", "unemployment", "housing_fund", "iit", "net", "employer_total"]


def dec(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_workbook_matches_the_run_to_the_fen(make_month, client_as):
    m = make_month(people=5, bank_name="=1+1 开户行")
    resp = client_as().post(f"/payroll/documents/runs/{m.run.id}/payroll.xlsx")
    assert resp.status_code == 200
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert content_disposition_name(resp) == f"工资表_虹口区_{MONTH}.xlsx"
    wb = workbook(resp.data)
    run = db.session.merge(m.run)
    streets = data.street_totals(run, m.officer)
    assert wb.sheetnames == ["汇总", *[s.name for s in streets], "银行代发"]

    summary = wb["汇总"]
    last = summary.max_row
    assert summary.cell(last, 1).value == "合计" and summary.cell(last, 2).value == run.headcount == 5
    for col, field in enumerate(SUMMARY_MONEY, start=3):
        assert summary.cell(last, col).data_type == "n"
        assert dec(summary.cell(last, col).value) == getattr(run, field), field
    for i, s in enumerate(streets, start=2):
        assert summary.cell(i, 1).value == s.name and summary.cell(i, 2).value == s.headcount
        for col, field in enumerate(SUMMARY_MONEY, start=3):
            assert dec(summary.cell(i, col).value) == s.totals[field]

    for s in streets:
        ws = wb[s.name]
        assert ws.max_row == s.headcount + 2
        assert ws.cell(ws.max_row, 2).value == "合计"
        assert dec(ws.cell(ws.max_row, 13).value) == s.totals["gross"]
        assert dec(ws.cell(ws.max_row, 19).value) == s.totals["net"]
        # each slip row adds up: gross = earnings, net = gross - deductions
        for r in range(2, ws.max_row):
            values = [dec(ws.cell(r, c).value) for c in range(7, 20)]
            assert sum(values[:6]) == values[6]
            assert values[6] - sum(values[7:12]) == values[12]
        assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"

    bank = wb["银行代发"]
    assert bank.max_row == 7 and bank["B7"].value == "合计" and dec(bank["E7"].value) == run.net
    assert bank["C2"].value == "=1+1 开户行" and bank["C2"].data_type == "s"
    assert {bank.cell(r, 4).value for r in range(2, 7)} == {"6222021234567890123"}
    assert sum(getattr(run, f) for f in TOTAL_FIELDS) > 0


def test_export_is_audited(make_month, client_as):
    m = make_month(people=2)
    client_as("officer", username="exporter").post(f"/payroll/documents/runs/{m.run.id}/payroll.xlsx")
    entries = audit_actions("export")
    assert len(entries) == 1
    assert entries[0].object_type == "payroll_run" and entries[0].object_id == m.run.id
    assert entries[0].username == "exporter" and "工资表" in entries[0].summary
    assert entries[0].changes["rows"] == 2


def test_auditor_may_export_but_draft_run_has_nothing(make_month, client_as):
    m = make_month(people=1)
    assert client_as("auditor").post(f"/payroll/documents/runs/{m.run.id}/payroll.xlsx").status_code == 200


def test_large_workbook_goes_to_the_background(app, make_month, client_as):
    m = make_month(people=3)
    with config(app, DOCUMENTS_SYNC_ROWS=2):
        resp = client_as().post(f"/payroll/documents/runs/{m.run.id}/payroll.xlsx")
    assert resp.status_code == 302 and "/payroll/jobs/" in resp.headers["Location"]
    from payroll.jobs.models import Job

    job = db.session.execute(db.select(Job)).scalar_one()
    assert (job.kind, job.status, job.total, job.run_id) == ("payroll_excel", "queued", 3, m.run.id)


def test_cli_export(make_month, make_user, runner, tmp_path):
    m = make_month(people=3)
    make_user("admin", username="admin")
    out = tmp_path / "hk.xlsx"
    result = runner.invoke(args=["payroll", "export", MONTH, "--district", "310109", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 rows" in result.output
    wb = workbook(out.read_bytes())
    run = db.session.merge(m.run)
    assert dec(wb["汇总"].cell(wb["汇总"].max_row, 9).value) == run.net
    from payroll.runs.cli import cli_user

    entry = audit_actions("export")[-1]
    assert entry.username == cli_user().username and entry.summary.startswith("导出工资表 虹口区")


def test_cli_export_all_writes_one_file_per_district(make_month, make_user, runner, tmp_path):
    make_month(people=2)
    make_month("310115", people=1)
    make_user("admin", username="admin")
    result = runner.invoke(args=["payroll", "export", MONTH, "--all", "-o", str(tmp_path)])
    # districts without a run are refused one by one; the others are written
    assert "refused" in result.output or result.exit_code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert f"工资表_虹口区_{MONTH}.xlsx" in names and f"工资表_浦东新区_{MONTH}.xlsx" in names


def test_cli_export_unknown_month(make_user, runner, tmp_path):
    make_user("admin", username="admin")
    result = runner.invoke(args=["payroll", "export", "2026-10", "--district", "310109", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1 and "refused" in result.output
