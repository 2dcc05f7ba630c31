"""Excel imports of declarations and adjustments: all or nothing with errors by row and column,
idempotent, the name must match the ID's worker, formulas and wrong files refused, and only the
officer's district."""
from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from tests.conftest import PUDONG
from tests.helpers.inputs import (
    ADJUSTMENT_HEADERS,
    DECLARATION_HEADERS,
    audit,
    confirm_token,
    import_file,
    preview_errors,
    rows_of,
    upload,
    xlsx,
)
from tests.helpers.web import text


def _decls():
    from payroll.inputs.models import Declaration

    return rows_of(Declaration)


def _adjs():
    from payroll.inputs.models import Adjustment

    return rows_of(Adjustment)


def _decl_file(rows):
    return xlsx(rows, DECLARATION_HEADERS, "专项附加扣除")


def _adj_file(rows):
    return xlsx(rows, ADJUSTMENT_HEADERS, "补发补扣")


# Templates.

def test_templates_download_with_the_import_headers(officer_client):
    # The declarations' template ends with the optional 独生子女 column (§6b); files may leave it out.
    for kind, headers, name in (("declarations", DECLARATION_HEADERS + ["独生子女"], "专项附加扣除"),
                                ("adjustments", ADJUSTMENT_HEADERS, "补发补扣")):
        resp = officer_client.get(f"/payroll/inputs/template/{kind}.xlsx")
        assert resp.status_code == 200
        assert "filename*=UTF-8''" in resp.headers["Content-Disposition"]
        wb = load_workbook(io.BytesIO(resp.data))
        assert wb.sheetnames == [name, "填写说明"]
        assert [c.value for c in wb[name][1]] == headers
    assert officer_client.get("/payroll/inputs/template/bonus.xlsx").status_code == 404


def test_the_hub_links_both_imports(officer_client):
    html = text(officer_client.get("/payroll/inputs/"))
    assert "/payroll/inputs/import/declarations" in html and "/payroll/inputs/template/adjustments.xlsx" in html


def test_a_filled_template_imports(officer_client, worker):
    wb = load_workbook(io.BytesIO(officer_client.get("/payroll/inputs/template/declarations.xlsx").data))
    wb["专项附加扣除"].append([worker.id_number, worker.name, "住房租金", None, 1500, "2026-01", None])
    buf = io.BytesIO()
    wb.save(buf)
    page = text(import_file(officer_client, "declarations", buf.getvalue()))
    assert "新增 1 条" in page
    [d] = _decls()
    assert (d.kind, d.monthly, d.start_month, d.end_month) == ("住房租金", Decimal("1500.00"), date(2026, 1, 1), None)


# Declarations.

def test_declarations_import_is_idempotent(officer_client, worker, make_worker):
    other = make_worker(committee_index=1, name="李明")
    rows = [
        [worker.id_number, worker.name, "子女教育", "王小明", 2000, "2026-01", None],
        [worker.id_number, worker.name, "子女教育", "王小红", "1000.50", datetime(2026, 3, 1), "2026-12"],
        [other.id_number.lower(), "李明", "赡养老人", None, 1500, "2026年1月", None],
    ]
    preview = text(upload(officer_client, "declarations", _decl_file(rows)))
    assert "新增 3" in preview and "王小红" in preview
    assert _decls() == []  # the preview writes nothing
    page = text(import_file(officer_client, "declarations", _decl_file(rows)))
    assert "新增 3 条，更新 0 条，未变 0 条" in page
    stored = {(d.worker_id, d.dependent): d for d in _decls()}
    assert stored[(worker.id, "王小红")].monthly == Decimal("1000.50")
    assert stored[(worker.id, "王小红")].end_month == date(2026, 12, 1)
    assert stored[(other.id, "")].kind == "赡养老人"
    assert len(audit("declaration", "create")) == 3 and len(audit("declaration", "import")) == 1
    # the same file again: nothing new, nothing to confirm
    again = upload(officer_client, "declarations", _decl_file(rows))
    assert "未变 3 条" in text(again) and confirm_token(text(again)) is None
    assert "无需导入" in text(again)
    assert len(_decls()) == 3 and len(audit("declaration")) == 4


def test_reimport_with_an_end_month_updates_the_declaration(officer_client, worker):
    row = [worker.id_number, worker.name, "住房租金", None, 1500, "2026-01", None]
    import_file(officer_client, "declarations", _decl_file([row]))
    page = text(import_file(officer_client, "declarations", _decl_file([row[:6] + ["2026-06"]])))
    assert "新增 0 条，更新 1 条" in page
    [d] = _decls()
    assert d.end_month == date(2026, 6, 1)
    assert audit("declaration", "update")[0].changes == {"end_month": ["", "2026-06"]}


def test_declaration_errors_by_row_and_column_and_nothing_written(officer_client, worker, make_worker):
    foreign = make_worker(PUDONG, name="赵强")
    rows = [
        [worker.id_number, worker.name, "住房租金", None, 1500, "2026-01", None],           # 2 fine
        [worker.id_number, "王芳", "住房租金", None, 1500, "2025-01", None],                # 3 name
        [worker.id_number, worker.name, "大病医疗", None, 1000, "2026-01", None],            # 4 kind
        [worker.id_number, worker.name, "子女教育", None, 2000, "2026-01", None],            # 5 child
        [worker.id_number, worker.name, "子女教育", "王小明", "2000.005", "2026-13", None],   # 6 amount, month
        [foreign.id_number, "赵强", "住房租金", None, 1500, "2026-01", None],                # 7 other district
        ["310109198803150000", worker.name, "住房租金", None, 1500, "2026-01", None],         # 8 bad ID
        [worker.id_number, worker.name, "住房贷款利息", None, 1000, "2026-02", None],        # 9 rent + mortgage
        [worker.id_number, worker.name, "住房租金", None, 1500, "2026-01", None],           # 10 duplicate of 2
        [worker.id_number, worker.name, "赡养老人", None, "=1500*2", "2026-01", None],       # 11 formula
        [worker.id_number, worker.name, "子女教育", "王小明", 2500, "2026-01", "2025-12"],     # 12 cap, end < start
    ]
    resp = upload(officer_client, "declarations", _decl_file(rows))
    html = text(resp)
    assert resp.status_code == 200 and "未导入任何数据" in html and confirm_token(html) is None
    errors = preview_errors(html)
    cells = {(r, c) for r, c, _ in errors}
    assert {(3, "姓名"), (4, "类型"), (5, "子女姓名"), (6, "每月金额"), (6, "起始月份"), (7, "身份证号"),
            (8, "身份证号"), (9, "类型"), (10, "类型"), (11, "每月金额"), (12, "结束月份")} <= cells
    assert not any(r == 2 for r, _, _ in errors)
    reasons = {(r, c): reason for r, c, reason in errors}
    assert "不一致" in reasons[(3, "姓名")] and worker.name in reasons[(3, "姓名")]
    assert reasons[(7, "身份证号")] == "在您管辖的区内找不到该身份证号的职工"
    assert "同一年度同时扣除" in reasons[(9, "类型")]
    assert "与第 2 行重复" in reasons[(10, "类型")]
    assert "公式" in reasons[(11, "每月金额")]
    assert [r for r, _, _ in errors] == sorted(r for r, _, _ in errors)
    assert _decls() == [] and audit("declaration") == []


def test_a_cap_broken_by_two_rows_names_the_second(officer_client, worker):
    rows = [[worker.id_number, worker.name, "赡养老人", None, 1500, "2026-01", None],
            [worker.id_number, worker.name, "赡养老人", None, 2000, "2026-02", None]]
    errors = preview_errors(text(upload(officer_client, "declarations", _decl_file(rows))))
    assert [(r, c) for r, c, _ in errors] == [(3, "类型")]
    assert "赡养老人：每月合计最多3000元" in errors[0][2]


def test_the_import_refuses_another_districts_worker_even_alone(officer_client, make_worker):
    foreign = make_worker(PUDONG, name="赵强")
    rows = [[foreign.id_number, "赵强", "住房租金", None, 1500, "2026-01", None]]
    assert preview_errors(text(upload(officer_client, "declarations", _decl_file(rows)))) == [
        (2, "身份证号", "在您管辖的区内找不到该身份证号的职工")]
    assert _decls() == []


def test_confirm_rechecks_and_writes_nothing_when_the_data_changed(officer_client, worker, officer):
    from hr.core.db import db
    from payroll.inputs.services import add_declaration

    rows = [[worker.id_number, worker.name, "住房租金", None, 1500, "2026-01", None]]
    preview = upload(officer_client, "declarations", _decl_file(rows))
    token = confirm_token(text(preview))
    add_declaration(worker, {"kind": "住房贷款利息", "monthly": "1000", "start_month": date(2026, 5, 1)}, officer)
    db.session.commit()
    resp = officer_client.post("/payroll/inputs/import/declarations/confirm",
                               data={"token": token, "filename": "x.xlsx"}, follow_redirects=True)
    assert "未导入任何数据" in text(resp)
    assert [d.kind for d in _decls()] == ["住房贷款利息"]


# Wrong files.

def test_wrong_files_are_refused_with_a_clear_message(officer_client, worker):
    cases = [
        (_adj_file([]), "这是补发补扣的导入文件"),
        (xlsx([], ["姓名", "身份证号", "居委会", "入职日期"]), "这是社工名册文件"),
        (xlsx([], ["身份证号", "姓名", "类型"]), "缺少列：子女姓名、每月金额、起始月份、结束月份"),
        (b"not a workbook", "不是 Excel 工作簿"),
        (b"", "文件为空"),
        (_decl_file([]), "没有数据行"),
    ]
    for content, message in cases:
        html = text(upload(officer_client, "declarations", content))
        assert message in html, message
    assert "只接受 .xlsx" in text(upload(officer_client, "declarations", _decl_file([]), "导入.csv"))
    assert "这是专项附加扣除的导入文件" in text(upload(officer_client, "adjustments", _decl_file([])))
    assert _decls() == [] and _adjs() == []


def test_unknown_import_kind_is_404(officer_client):
    assert officer_client.get("/payroll/inputs/import/bonus").status_code == 404


# Adjustments.

def test_adjustments_import_is_idempotent(officer_client, worker):
    rows = [
        [worker.id_number, worker.name, "补发", 350.5, "2026-12", "2026-09", "9 月津贴漏发"],
        [worker.id_number, worker.name, "补扣", "120", "2026-12", "2026-10", "多发更正"],
    ]
    page = text(import_file(officer_client, "adjustments", _adj_file(rows)))
    assert "新增 2 条" in page
    back, deduction = _adjs()
    assert (back.amount, deduction.amount) == (Decimal("350.50"), Decimal("-120.00"))
    assert (deduction.pay_month, deduction.corrects_month) == (date(2026, 12, 1), date(2026, 10, 1))
    again = text(upload(officer_client, "adjustments", _adj_file(rows)))
    assert "未变 2 条" in again and confirm_token(again) is None
    assert len(_adjs()) == 2


def test_adjustments_header_may_carry_its_hint(officer_client, worker):
    headers = ADJUSTMENT_HEADERS[:2] + ["类型(补发/补扣)"] + ADJUSTMENT_HEADERS[3:]
    rows = [[worker.id_number, worker.name, "补发", 100, "2026-12", "2026-11", "补发"]]
    assert "新增 1 条" in text(import_file(officer_client, "adjustments", xlsx(rows, headers)))


def test_adjustment_errors_by_row_and_column(officer_client, worker, make_run):
    make_run(date(2026, 11, 1), "approved")
    rows = [
        [worker.id_number, worker.name, "补发", 100, "2026-12", "2026-11", "ok"],           # 2 fine
        [worker.id_number, worker.name, "奖金", 100, "2026-12", "2026-11", "x"],            # 3 kind
        [worker.id_number, worker.name, "补扣", -100, "2026-12", "2026-11", "x"],           # 4 negative
        [worker.id_number, worker.name, "补发", 100, "2026-11", "2026-10", "x"],            # 5 approved month
        [worker.id_number, worker.name, "补发", 100, "2026-10", "2026-11", "x"],            # 6 corrects after pay
        [worker.id_number, worker.name, "补发", 100, "2026-12", "2026-11", None],           # 7 reason
        [worker.id_number, worker.name, "补发", 100, "2026-12", "2026-11", "ok"],           # 8 same as 2
        [worker.id_number, worker.name, "补发", "=A1", "2026-12", "2026-11", "x"],          # 9 formula
        [worker.id_number, "王芳", "补发", 100, "2026-12", "2026-11", "x"],                 # 10 name
    ]
    html = text(upload(officer_client, "adjustments", _adj_file(rows)))
    errors = {(r, c): reason for r, c, reason in preview_errors(html)}
    assert set(errors) == {(3, "类型"), (4, "金额"), (5, "发放月份"), (6, "所属月份"), (7, "原因"), (8, "类型"),
                           (9, "金额"), (10, "姓名")}
    assert "2026-11 的工资已审批" in errors[(5, "发放月份")]
    assert "补扣也填正数" in errors[(4, "金额")]
    assert "与第 2 行完全相同" in errors[(8, "类型")]
    assert confirm_token(html) is None and _adjs() == []


def test_adjustments_import_refuses_another_district(officer_client, make_worker):
    foreign = make_worker(PUDONG, name="赵强")
    rows = [[foreign.id_number, "赵强", "补发", 100, "2026-12", "2026-11", "越权"]]
    assert preview_errors(text(upload(officer_client, "adjustments", _adj_file(rows)))) == [
        (2, "身份证号", "在您管辖的区内找不到该身份证号的职工")]
    assert _adjs() == []


def test_elderly_support_only_child_column(officer_client, worker):
    headers = DECLARATION_HEADERS + ["独生子女"]
    share = [worker.id_number, worker.name, "赡养老人", None, 2000, "2026-01", None, "否"]
    resp = upload(officer_client, "declarations", xlsx([share], headers, "专项附加扣除"))
    assert "1500" in text(resp)
    assert _decls() == []
    only = share[:4] + [3000] + share[5:7] + ["是"]
    import_file(officer_client, "declarations", xlsx([only], headers, "专项附加扣除"))
    (stored,) = _decls()
    assert stored.only_child is True and stored.monthly == 3000
