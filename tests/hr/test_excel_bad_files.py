"""Files that are not a usable register get a clear message, never a 500, and write nothing."""
import io
import zipfile

import pytest
from openpyxl import Workbook

from tests.conftest import HONGKOU, committee_in
from tests.helpers.register import HEADERS, upload, xlsx, xlsx_row
from tests.helpers.web import text


def _count():
    from hr.core.db import db
    from hr.workers.models import Worker

    return db.session.query(Worker).count()


def _empty_workbook():
    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


def _broken_sheet():
    """A real xlsx whose worksheet XML is cut in half."""
    good = xlsx([xlsx_row("欧阳路街道", "某居委会")])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]
            zout.writestr(info, data)
    return out.getvalue()


def _plain_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return out.getvalue()


CSV = ",".join(HEADERS).encode("utf-8") + "\n张三,310109198803150021\n".encode()


@pytest.mark.parametrize("content, filename, message", [
    (CSV, "名册.csv", "只接受 .xlsx"),
    (CSV, "名册.xlsx", "不是 Excel 工作簿"),
    (bytes(range(256)) * 40, "random.xlsx", "不是 Excel 工作簿"),
    (b"", "empty.xlsx", "文件为空"),
    (_plain_zip(), "zip.xlsx", "无法读取"),
    (_broken_sheet(), "broken.xlsx", "无法读取"),
    (_empty_workbook(), "blank.xlsx", "工作表为空"),
    (xlsx([]), "header-only.xlsx", "没有数据行"),
    (xlsx([["张三", "310109198803150021"]], headers=["姓名", "身份证"]), "headers.xlsx", "表头不符合模板"),
    (xlsx([], headers=HEADERS[:14] + ["银行卡"]), "renamed.xlsx", "缺少列：银行账号"),
])
def test_unusable_files_are_refused_with_a_message(officer_client, content, filename, message):
    resp = upload(officer_client, content, filename)
    assert resp.status_code == 200, text(resp)[:300]
    body = text(resp)
    assert message in body
    assert 'name="token"' not in body
    assert _count() == 0


def test_wrong_headers_name_the_missing_and_unknown_columns(officer_client):
    resp = upload(officer_client, xlsx([], headers=["姓名", "身份证", "手机号"]))
    body = text(resp)
    assert "缺少列：身份证号" in body and "无法识别的列：身份证" in body


def test_a_formula_anywhere_is_reported_not_evaluated(officer_client):
    c = committee_in(HONGKOU)
    resp = upload(officer_client, xlsx([xlsx_row(c.street.name, c.name, name='=HYPERLINK("http://x","张三")')]))
    body = text(resp)
    assert "单元格含公式" in body
    assert _count() == 0


def test_no_file_chosen(officer_client):
    resp = officer_client.post("/workers/import", data={}, content_type="multipart/form-data")
    assert resp.status_code == 200 and "请选择要上传的文件" in text(resp)


def test_over_the_size_limit_is_a_413_page(app, officer_client):
    big = b"PK" + b"\0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    resp = upload(officer_client, big)
    assert resp.status_code == 413 and "文件过大" in text(resp)
    assert _count() == 0
