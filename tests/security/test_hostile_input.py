"""Hostile input, generated: odd Unicode (right-to-left overrides, zero-width characters,
emoji, NUL and other control characters), huge numbers, negative amounts, dates out of range,
formulas, very long strings, in the worker form, a payroll input form, the run form and the
register import. The answer is a page with a clear message and the database unchanged (or,
for input that is in fact acceptable, exactly one more row), never a 500."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from hr.core.db import db
from tests.conftest import HONGKOU, committee_in, login, valid_id
from tests.helpers.reliability import fingerprint

SETTINGS = settings(max_examples=30, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

ODD = ["\u202e", "\u200b", "\u200d", "\ufeff", "\x00", "\x1b", "\r\n", "😀", "👩‍👩‍👧", "\U0010ffff", "\ud7ff",
       "ا", "ש", "𠀀", "'", "\"", "<", "&", "%", "\\", "../", "{{7*7}}", "${x}"]
hostile_text = st.one_of(
    st.text(min_size=0, max_size=40),
    st.lists(st.sampled_from(ODD), min_size=1, max_size=8).map("".join),
    st.builds(lambda a, b: a + b, st.sampled_from(["张", "=", "+", "-", "@", "=HYPERLINK(\"http://x\")", "=1+1"]),
              st.text(max_size=10)),
    st.integers(min_value=300, max_value=5000).map(lambda n: "张" * n),
    st.sampled_from(["-1", "-0.01", "9" * 40, "1e308", "NaN", "Infinity", "0x10", "１２３", "٣", "-999999999999"]),
)
hostile_date = st.one_of(
    st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "2024-02-30", "2024-13-01", "00-00-00",
                     "2024/01/01", "-2024-01-01", "２０２４-０１-０１", "2024-01-01\x00", ""]),
    hostile_text,
)


def _clean(value: str) -> str:
    return value  # sent as the browser would: werkzeug decodes anything the form encodes


def _clear(body: str) -> bool:
    """A message beside a field, a flash message, or the page refusing a NUL character."""
    return 'class="error' in body or "flash-danger" in body or "空字符" in body


def _not_500(resp) -> str:
    body = resp.get_data(as_text=True)
    assert resp.status_code < 500, body[-500:]
    assert "Traceback" not in body
    return body


@pytest.fixture
def officer(client, make_user):
    login(client, make_user("officer", HONGKOU, username="hkhostile").username)
    return client


def _worker_form(**overrides) -> dict[str, str]:
    committee = committee_in(HONGKOU)
    form = {"name": "张丽", "id_number": valid_id(), "phone": "13812345678", "education": "本科",
            "political_status": "群众", "qualification": "无", "qualification_date": "", "hire_date": "2020-01-01",
            "prior_years": "0", "committee_id": str(committee.id), "bank_name": "中国银行",
            "bank_account": "6216612345678901234"}
    form.update(overrides)
    return form


FIELDS = ["name", "id_number", "phone", "bank_name", "bank_account", "prior_years", "education", "committee_id"]


@SETTINGS
@given(field=st.sampled_from(FIELDS + ["hire_date", "qualification_date"]), value=hostile_text | hostile_date)
def test_worker_form(officer, field, value):
    from hr.workers.models import Worker

    before = fingerprint(db.engine)
    count = db.session.execute(sa.select(sa.func.count(Worker.id))).scalar_one()
    resp = officer.post("/workers/new", data=_worker_form(**{field: _clean(value)}))
    body = _not_500(resp)
    if resp.status_code == 302:  # acceptable input: one worker more, stored as normalised
        db.session.expire_all()
        assert db.session.execute(sa.select(sa.func.count(Worker.id))).scalar_one() == count + 1
        return
    assert resp.status_code in (200, 400, 403, 404, 422)
    assert _clear(body), (field, value)
    assert fingerprint(db.engine) == before


@pytest.fixture
def hk_worker(make_worker):
    return make_worker()


@SETTINGS
@given(amount=hostile_text, month=hostile_date, reason=hostile_text)
def test_adjustment_form(officer, hk_worker, amount, month, reason):
    from payroll.inputs.models import Adjustment

    count = db.session.execute(sa.select(sa.func.count(Adjustment.id))).scalar_one()
    before = fingerprint(db.engine)
    resp = officer.post(f"/payroll/inputs/workers/{hk_worker.id}/adjustments/new",
                        data={"kind": "补发", "amount": amount, "pay_month": month, "corrects_month": "",
                              "reason": reason})
    body = _not_500(resp)
    if resp.status_code == 302:
        db.session.expire_all()
        assert db.session.execute(sa.select(sa.func.count(Adjustment.id))).scalar_one() == count + 1
        return
    assert _clear(body), (amount, month, reason)
    assert fingerprint(db.engine) == before


@SETTINGS
@given(month=hostile_date)
def test_run_form(officer, month):
    from payroll.runs.models import PayrollRun

    resp = officer.post("/payroll/runs", data={"month": month}, follow_redirects=True)
    body = _not_500(resp)
    if db.session.execute(sa.select(sa.func.count(PayrollRun.id))).scalar_one():
        db.session.execute(sa.delete(PayrollRun))
        db.session.commit()
        return  # a real month (a run with no one to pay)
    assert _clear(body), month


cell_value = st.one_of(
    hostile_text.map(lambda s: "".join(c for c in s if c >= " " or c in "\t\n")),  # what a cell can hold
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.sampled_from(["=1+1", "=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(A1)", "+1", "-1"]),
)
COLUMNS = ["姓名", "身份证号", "手机号", "学历", "政治面貌", "职业资格", "资格取得日期", "入职日期", "社区工作年限",
           "街镇", "居委会", "事业待遇", "后备干部", "开户行", "银行账号", "岗位", "等级"]


def _xlsx(row: list[object]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "社区工作者名册"
    ws.append(COLUMNS)
    ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(client, content: bytes):
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), filename="名册.xlsx")})
    return client.post("/workers/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@SETTINGS
@given(column=st.integers(min_value=0, max_value=len(COLUMNS) - 1), value=cell_value)
def test_register_import(officer, column, value):
    import re

    from hr.workers.models import Worker

    c = committee_in(HONGKOU)
    row: list[object] = ["王芳", valid_id(), "13912345678", "大专", "群众", "无", None, "2018-09-01", 0,
                         c.street.name, c.name, "否", "否", "中国银行上海分行", "6216612345678901234", "工作人员", 5]
    row[column] = value
    try:
        content = _xlsx(row)
    except Exception:  # openpyxl refuses some values outright: nothing to upload
        return
    before = fingerprint(db.engine)
    resp = _upload(officer, content)
    body = _not_500(resp)
    assert fingerprint(db.engine) == before  # the preview writes nothing
    m = re.search(r'name="token"[^>]*value="([0-9a-f]{32})"', body)
    if m is None:
        assert "错误" in body or "error" in body, (column, value)
        return
    count = db.session.execute(sa.select(sa.func.count(Worker.id))).scalar_one()
    resp = officer.post("/workers/import/confirm", data={"token": m.group(1), "filename": "名册.xlsx"},
                        follow_redirects=True)
    body = _not_500(resp)
    db.session.expire_all()
    assert "导入完成" in body
    assert db.session.execute(sa.select(sa.func.count(Worker.id))).scalar_one() == count + 1


@pytest.mark.parametrize("where", ["login", "form field", "query", "path", "api json", "file name"])
def test_a_nul_character_anywhere_gets_a_clear_400(app, officer, hk_worker, where):
    """PostgreSQL cannot store NUL: every way in is refused before the first query (this was
    a 500 on PostgreSQL for the login page, every form and every search)."""
    before = fingerprint(db.engine)
    if where == "login":
        resp = app.test_client().post("/login", data={"username": "hk\x00", "password": "x"})
    elif where == "form field":
        resp = officer.post("/workers/new", data=_worker_form(bank_name="中国\x00银行"))
    elif where == "query":
        resp = officer.get("/workers/?q=%E5%BC%A0%00")
    elif where == "path":
        resp = officer.get("/org/district/3101%0015")
    elif where == "api json":
        resp = officer.patch(f"/api/v1/workers/{hk_worker.id}", json={"bank_name": "中国\x00银行"})
    else:
        from werkzeug.datastructures import FileStorage
        from werkzeug.test import encode_multipart

        boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(b"PK"), filename="名\x00册.xlsx")})
        resp = officer.post("/workers/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert resp.status_code == 400, where
    message = resp.get_json()["error"] if resp.is_json else resp.get_data(as_text=True)
    assert "空字符" in message
    assert fingerprint(db.engine) == before
