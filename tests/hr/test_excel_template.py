"""The import template and the download headers."""
import io
from urllib.parse import unquote

from openpyxl import load_workbook

from tests.helpers.register import HEADERS

# Optional columns after the fifteen register columns (hr.grades: post and grade; §6b: first job).
OPTIONAL = ["岗位", "等级", "首次参加工作"]


def test_template_starts_with_the_fifteen_register_headers_in_order(officer_client):
    resp = officer_client.get("/workers/template.xlsx")
    assert resp.status_code == 200
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = load_workbook(io.BytesIO(resp.data))
    ws = wb["社区工作者名册"]
    headers = [c.value for c in ws[1] if c.value is not None]
    assert headers[:15] == HEADERS
    assert headers[15:] == OPTIONAL[:len(headers) - 15]
    assert ws.max_row == 1 or all(c.value is None for row in ws.iter_rows(min_row=2) for c in row)
    assert "填写说明" in wb.sheetnames


def test_template_file_name_is_chinese_and_ascii_safe(officer_client):
    disposition = officer_client.get("/workers/template.xlsx").headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" in disposition
    assert "社区工作者名册_导入模板.xlsx" in unquote(disposition)


def test_id_phone_and_account_columns_are_text_in_the_template(officer_client):
    wb = load_workbook(io.BytesIO(officer_client.get("/workers/template.xlsx").data))
    ws = wb["社区工作者名册"]
    for col in ("B", "C", "O"):
        assert ws[f"{col}2"].number_format == "@"
