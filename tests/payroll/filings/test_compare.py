"""Importing the tax client's own calculation export lists exactly the workers whose tax
differs from ours, and those on one side only."""
from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from tests.conftest import HONGKOU, PUDONG
from tests.helpers.documents import as_next_user


def _client_export(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "税款计算"
    ws.append(["工号", "姓名", "证件号码", "本期收入", "累计收入", "应补(退)税额"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _slips(run: Any) -> list[Any]:
    from sqlalchemy import select

    from hr.core.db import db
    from hr.workers.models import Worker
    from payroll.runs.models import Payslip

    return list(db.session.execute(select(Payslip, Worker.id_number).join(Worker, Worker.id == Payslip.worker_id)
                                   .where(Payslip.run_id == run.id).order_by(Payslip.id)).all())


def test_differences_are_listed(locked_month: Any, client_as: Any) -> None:
    m = locked_month(people=4)
    slips = _slips(m.run)
    rows = [[str(s.worker_id), s.name, idn, str(s.gross), str(s.cum_wages), str(s.iit - s.bonus_tax)]
            for s, idn in slips]
    rows[1][5] = str(Decimal(rows[1][5]) + Decimal("0.01"))  # one fen apart
    missing = rows.pop(2)  # not in the client
    rows.append(["999", "外单位", "110101199003070011", "1000.00", "1000.00", "3.00"])
    c = client_as("officer", HONGKOU)
    resp = c.post(f"/payroll/filings/runs/{m.run.id}/compare",
                  data={"file": (io.BytesIO(_client_export(rows)), "税款计算.xlsx")},
                  content_type="multipart/form-data")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "3 人不一致" in page
    assert slips[1][0].name in page and "0.01" in page
    assert missing[1] in page and "扣缴端无此人" in page
    assert "外单位" in page and "本系统无此人" in page
    assert slips[0][0].name not in page and slips[3][0].name not in page
    from tests.helpers.documents import audit_actions

    assert audit_actions("import")


def test_a_file_without_the_columns_is_refused(locked_month: Any, client_as: Any) -> None:
    from openpyxl import Workbook

    m = locked_month(people=1)
    wb = Workbook()
    wb.active.append(["姓名", "金额"])
    buf = io.BytesIO()
    wb.save(buf)
    c = client_as("officer", HONGKOU)
    resp = c.post(f"/payroll/filings/runs/{m.run.id}/compare", data={"file": (io.BytesIO(buf.getvalue()), "x.xlsx")},
                  content_type="multipart/form-data", follow_redirects=True)
    assert "税款计算" in resp.get_data(as_text=True) and "没有同时含" in resp.get_data(as_text=True)
    as_next_user()
    resp = c.post(f"/payroll/filings/runs/{m.run.id}/compare", data={"file": (io.BytesIO(b"not a zip"), "x.xlsx")},
                  content_type="multipart/form-data", follow_redirects=True)
    assert "无法读取" in resp.get_data(as_text=True)
    as_next_user()
    other = client_as("officer", PUDONG)
    resp = other.post(f"/payroll/filings/runs/{m.run.id}/compare", data={"file": (io.BytesIO(buf.getvalue()), "x.xlsx")},
                      content_type="multipart/form-data")
    assert resp.status_code == 404
