"""Helpers of the register tests (plain functions and data; the fixtures are in tests/conftest.py and
the folder's conftest)."""
from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import valid_id, worker_data

HEADERS = [
    "姓名", "身份证号", "手机号", "学历", "政治面貌", "职业资格", "资格取得日期", "入职日期",
    "社区工作年限", "街镇", "居委会", "事业待遇", "后备干部", "开户行", "银行账号",
]


def form_data(**overrides: Any) -> dict[str, str]:
    """The worker form as a browser posts it (dates as text, check boxes only when ticked)."""
    data = worker_data(**overrides)
    out: dict[str, str] = {}
    for k, v in data.items():
        if isinstance(v, bool):
            if v:
                out[k] = "y"
        elif isinstance(v, date):
            out[k] = v.isoformat()
        elif v is None:
            out[k] = ""
        else:
            out[k] = str(v)
    return out


def xlsx(rows: list[list[Any]], headers: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "社区工作者名册"
    ws.append(HEADERS if headers is None else headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_row(street: str, committee: str, **overrides: Any) -> list[Any]:
    """One valid import row, in template order."""
    values: dict[str, Any] = {
        "name": "王芳",
        "id_number": valid_id(),
        "phone": "13912345678",
        "education": "大专",
        "political_status": "群众",
        "qualification": "无",
        "qualification_date": None,
        "hire_date": "2018-09-01",
        "prior_years": 0,
        "street": street,
        "committee": committee,
        "shiye": "否",
        "reserve_cadre": "否",
        "bank_name": "中国银行上海分行",
        "bank_account": "6216612345678901234",
    }
    values.update(overrides)
    return list(values.values())


def read_xlsx(content: bytes) -> list[list[Any]]:
    wb = load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()]


def post_file(client: FlaskClient, url: str, content: bytes, filename: str, field: str = "file") -> Any:
    """A multipart upload encoded in memory: given a (file, name) pair, the test client
    spools bodies over 500 KB to a temporary file that it never closes (a ResourceWarning)."""
    boundary, body = encode_multipart({field: FileStorage(io.BytesIO(content), filename=filename)})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def upload(client: FlaskClient, content: bytes, filename: str = "名册.xlsx") -> Any:
    return post_file(client, "/workers/import", content, filename)


def confirm_token(html: str) -> str:
    m = re.search(r'name="token"[^>]*value="([0-9a-f]{32})"', html) or re.search(
        r'value="([0-9a-f]{32})"[^>]*name="token"', html)
    assert m, "no confirm form in the preview"
    return m.group(1)


def import_file(client: FlaskClient, content: bytes, filename: str = "名册.xlsx") -> Any:
    """Upload, then confirm the preview; returns the final response (followed)."""
    preview = upload(client, content, filename)
    assert preview.status_code == 200
    token = confirm_token(preview.get_data(as_text=True))
    return client.post("/workers/import/confirm", data={"token": token, "filename": filename},
                       follow_redirects=True)


