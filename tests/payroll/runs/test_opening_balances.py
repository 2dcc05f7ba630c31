"""Go-live mid-year (§6b): opening balances imported from Excel (preview, all or nothing, row and
column errors) carry the year's cumulative withholding into the district's first month."""
from __future__ import annotations

import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from hr.core.db import db
from payroll.opening.excel import OPENING
from payroll.opening.models import OpeningBalance
from payroll.runs.models import Payslip
from tests.helpers.inputs import confirm_token, xlsx
from tests.helpers.web import text

# §5 annual withholding table: (upper limit, rate, quick deduction).
TABLE = ((Decimal(36000), Decimal("0.03"), Decimal(0)), (Decimal(144000), Decimal("0.10"), Decimal(2520)),
         (Decimal(300000), Decimal("0.20"), Decimal(16920)))


def _row(worker, **over):
    values = {"身份证号": worker.id_number, "姓名": worker.name, "上线月份": "2026-07", "已扣除月数": 6,
              "累计收入": "60000", "累计个人社保公积金": "6000.00", "子女教育": "12000", "累计已预扣税额": "300.00"}
    values.update(over)
    return [values.get(h) for h in OPENING.headers]


def _upload(client, content):
    return client.post("/payroll/opening/", data={"file": (io.BytesIO(content), "期初.xlsx")},
                       content_type="multipart/form-data")


def test_template_has_every_column(officer_client):
    resp = officer_client.get("/payroll/opening/template.xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.data))["期初累计"]
    assert [c.value for c in ws[1]] == OPENING.headers


def test_a_file_with_errors_imports_nothing_and_names_row_and_column(officer_client, graded_worker):
    w = graded_worker(hire_date=date(2025, 3, 1))
    content = xlsx([_row(w), _row(w, **{"已扣除月数": 7, "累计收入": "abc"})], OPENING.headers, "期初累计")
    page = text(_upload(officer_client, content))
    assert "已扣除月数不能超过 6" in page and "累计收入应为数字" in page
    assert "<td class=\"num\">3</td>" in page  # the row number
    assert confirm_token(page) is None
    assert db.session.execute(select(OpeningBalance)).first() is None


def test_the_first_month_continues_from_the_opening_balance(officer_client, graded_worker, run_month):
    w = graded_worker(hire_date=date(2025, 3, 1))
    page = text(_upload(officer_client, xlsx([_row(w)], OPENING.headers, "期初累计")))
    token = confirm_token(page)
    assert token, page
    done = officer_client.post("/payroll/opening/confirm", data={"token": token, "filename": "期初.xlsx"},
                               follow_redirects=True)
    assert "新增 1 条" in text(done)
    (b,) = db.session.execute(select(OpeningBalance)).scalars()
    assert (b.year, b.first_month, b.months, b.cum_special) == (2026, date(2026, 7, 1), 6, Decimal("12000.00"))
    jul = run_month("2026-07", lock=False)
    s = db.session.execute(select(Payslip).where(Payslip.run_id == jul.id)).scalar_one()
    si_hf = s.pension + s.medical + s.unemployment + s.housing_fund
    assert (s.tax_months, s.cum_basic) == (7, Decimal("35000.00"))
    assert s.cum_wages == Decimal("60000.00") + s.gross
    assert s.cum_si_hf == Decimal("6000.00") + si_hf
    assert s.cum_special == Decimal("12000.00") + s.special
    taxable = s.cum_wages - s.cum_si_hf - s.cum_special - s.cum_basic
    limit, rate, quick = next(t for t in TABLE if taxable <= t[0])
    due = max(Decimal(0), taxable * rate - quick).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert s.cum_tax == due and s.iit == due - Decimal("300.00")


def test_an_opening_balance_after_calculation_makes_the_month_stale(graded_worker, run_month):
    from payroll.runs import changes

    w = graded_worker(hire_date=date(2025, 3, 1))
    jul = run_month("2026-07", lock=False)
    db.session.add(OpeningBalance(worker_id=w.id, district_id=w.district_id, year=2026, first_month=date(2026, 7, 1),
                                  months=6, cum_income=Decimal("1.00"), cum_si_hf=Decimal(0), special={},
                                  cum_special=Decimal(0), cum_tax=Decimal(0)))
    db.session.commit()
    assert [c.kind for c in changes.changes_since(jul)] == ["opening_balance"]
