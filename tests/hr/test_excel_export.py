"""Exporting the register: what a filtered list gives, text stays text, and it imports back
unchanged."""
import io
from urllib.parse import unquote

from openpyxl import load_workbook

from tests.conftest import HONGKOU, committee_in
from tests.helpers.register import HEADERS, read_xlsx, upload
from tests.helpers.web import text


def _id_ending_in_x():
    from hr.workers.idcard import check_char

    for seq in range(600, 999):
        first17 = f"31010919760704{seq:03d}"
        if check_char(first17) == "X":
            return first17 + "X"
    raise AssertionError


def test_export_round_trip(officer_client, client_as, make_worker):
    from hr.audit.models import AuditEntry
    from hr.core.db import db
    from hr.workers.models import Worker

    target = committee_in(HONGKOU, 2)
    admin = client_as("admin")
    # A committee whose name looks like a formula: it must stay text in the export.
    admin.post(f"/org/committee/{target.id}/rename", data={f"k{target.id}-name": "=居委会+1"})
    db.session.expire_all()
    assert committee_in(HONGKOU, 2).name == "=居委会+1"
    x = make_worker(committee_id=target.id, name="钱晓", id_number=_id_ending_in_x(),
                    bank_account="622202123456789012345678901234", bank_name="=SUM(1,2)银行",
                    phone="021-65432100", shiye=True, qualification="无", qualification_date=None)
    make_worker(committee_id=target.id, name="孙立", prior_years=0, reserve_cadre=True)
    make_worker(committee_index=0, name="不在筛选内")
    resp = officer_client.get(f"/workers/export.xlsx?committee={target.id}")
    assert resp.status_code == 200
    assert "社区工作者名册_虹口区_" in unquote(resp.headers["Content-Disposition"])
    rows = read_xlsx(resp.data)
    assert rows[0][:15] == HEADERS
    assert sorted(r[0] for r in rows[1:]) == ["孙立", "钱晓"]
    ws = load_workbook(io.BytesIO(resp.data)).worksheets[0]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "钱晓")
    by_header = dict(zip(HEADERS, row, strict=False))
    for header, value in (("身份证号", x.id_number), ("银行账号", "622202123456789012345678901234"),
                          ("开户行", "=SUM(1,2)银行"), ("居委会", "=居委会+1"), ("手机号", "021-65432100")):
        cell = by_header[header]
        assert cell.value == value, header
        assert cell.data_type == "s", header  # text, never a formula or a number
    assert by_header["事业待遇"].value == "是"
    assert db.session.query(AuditEntry).filter_by(action="export").count() == 1

    before = {w.id: w.version for w in db.session.query(Worker)}
    preview = text(upload(officer_client, resp.data, "导出.xlsx"))
    assert "新增 0</b> 人，<b>更新 0</b> 人，未变 2 人" in preview, preview[preview.find("<main"):][:2000]
    db.session.expire_all()
    assert {w.id: w.version for w in db.session.query(Worker)} == before


def test_export_of_departed_workers(officer_client, make_worker):
    from datetime import date

    from hr.core.db import db

    w = make_worker(name="离开者")
    w.status, w.leave_date = "离职", date(2024, 1, 31)
    db.session.commit()
    make_worker(name="在职者")
    names = [r[0] for r in read_xlsx(officer_client.get("/workers/export.xlsx").data)[1:]]
    assert names == ["在职者"]
    names = [r[0] for r in read_xlsx(officer_client.get("/workers/export.xlsx?status=离职").data)[1:]]
    assert names == ["离开者"]
