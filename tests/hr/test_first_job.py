"""The first-job flag (首次参加工作, §6b) on the register: page and Excel (the API: tests/api)."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from hr.core.db import db
from hr.workers.models import Worker
from tests.conftest import HONGKOU, committee_in, valid_id
from tests.helpers.register import HEADERS, import_file, upload, xlsx, xlsx_row
from tests.helpers.web import text


def _worker(number: str) -> Worker:
    db.session.expire_all()
    return db.session.execute(select(Worker).where(Worker.id_number == number)).unique().scalar_one()


def test_excel_column_is_optional_and_a_missing_column_keeps_the_flag(officer_client):
    c = committee_in(HONGKOU, 0)
    place = (c.street.name, c.name)
    yes, no = valid_id(), valid_id()
    rows = [xlsx_row(*place, name="陈一", id_number=yes) + ["是"],
            xlsx_row(*place, name="陈二", id_number=no) + ["否"]]
    resp = import_file(officer_client, xlsx(rows, headers=HEADERS + ["首次参加工作"]))
    assert resp.status_code == 200, text(resp)
    assert _worker(yes).first_job is True and _worker(no).first_job is False
    # Re-importing without the column leaves the flag as registered.
    preview = text(upload(officer_client, xlsx([xlsx_row(*place, name="陈一", id_number=yes)])))
    assert "未变 1 人" in preview
    import_file(officer_client, xlsx([xlsx_row(*place, name="陈一", id_number=yes, phone="13800000001")]))
    assert _worker(yes).phone == "13800000001" and _worker(yes).first_job is True
    # The export carries the column, so that it imports back unchanged.
    page = officer_client.get("/workers/export.xlsx?status=all")
    assert page.status_code == 200
    ws = load_workbook(io.BytesIO(page.data)).active
    header = [cell.value for cell in ws[1]]
    col = header.index("首次参加工作")
    values = {row[1].value: row[col].value for row in ws.iter_rows(min_row=2)}
    assert values[yes] == "是" and values[no] == "否"


def test_worker_page_shows_the_flag(officer_client, make_worker):
    w = make_worker()
    w.first_job = True
    db.session.commit()
    page = text(officer_client.get(f"/workers/{w.id}"))
    assert "首次参加工作" in page and "住房公积金自入职次月起缴存" in page
