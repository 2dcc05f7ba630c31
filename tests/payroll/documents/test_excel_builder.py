"""The workbook builder on plain data (no database): sheets, cell types, formats, print
settings, totals in Decimal, and text that looks like a formula."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from payroll.documents.data import PayRow, RunInfo, StreetRows
from payroll.documents.excel import BANK_COLUMNS, STREET_COLUMNS, SUMMARY_COLUMNS, payroll_workbook
from payroll.documents.sheets import TypedSheet, sheet_title

D = Decimal


def row(slip_id: int, street: tuple[int, str, str], name: str, net: str, **kw: object) -> PayRow:
    gross = D(net) + D("100.00")
    values = dict(
        slip_id=slip_id, street_id=street[0], street_code=street[1], street_name=street[2], committee_code="c1",
        committee_name="一居委会", name=name, id_number="310109198803150012", post="STAF", grade=5,
        grade_pay=gross - D("300.00"), post_allowance=D("100.00"), performance=D("150.00"),
        qualification_allowance=D("50.00"), annual_bonus=D("0.00"), adjustments=D("0.00"), gross=gross,
        pension=D("40.00"), medical=D("20.00"), unemployment=D("5.00"), housing_fund=D("30.00"), iit=D("5.00"),
        net=D(net), employer_total=D("300.01"), bank_name="工商银行", bank_account="6222021234567890123",
    )
    values.update(kw)
    return PayRow(**values)  # type: ignore[arg-type]


S1, S2 = (1, "310109009", "欧阳路街道"), (2, "310109010", "曲阳路/街道:[测试]*?")
ROWS = [
    StreetRows(1, S1[1], S1[2], [row(1, S1, "张三", "1000.10"), row(2, S1, "=SUM(A1:A9)", "2000.20",
                                                                      bank_name="=HYPERLINK(\"x\")")]),
    StreetRows(2, S2[1], S2[2], [row(3, S2, "李四", "3000.33")]),
]


def info() -> RunInfo:
    totals = {f: D("0") for f in ("gross", "pension", "medical", "unemployment", "housing_fund", "iit", "net",
                                   "employer_total")}
    return RunInfo(1, 1, "310109", "虹口区", date(2026, 11, 1), "approved", 3, totals)


@pytest.fixture(scope="module")
def wb():
    return load_workbook(io.BytesIO(payroll_workbook(info(), ROWS)))


def test_sheets_in_order_with_safe_names(wb):
    assert wb.sheetnames == ["汇总", "欧阳路街道", "曲阳路_街道__测试___", "银行代发"]


def test_headers_are_exact(wb):
    assert [c.value for c in wb["汇总"][1]] == [h for h, _, _ in SUMMARY_COLUMNS]
    assert [c.value for c in wb["欧阳路街道"][1]] == [
        "序号", "姓名", "身份证号", "居委会", "岗位", "等级", "岗位等级工资", "岗位津贴", "月度绩效", "职业资格津贴",
        "年度考核奖", "补发补扣", "应发合计", "养老保险", "医疗保险", "失业保险", "住房公积金", "个人所得税", "实发合计"]
    assert [h for h, _, _ in STREET_COLUMNS] == [c.value for c in wb["欧阳路街道"][1]]
    assert [c.value for c in wb["银行代发"][1]] == ["序号", "姓名", "开户行", "银行账号", "实发合计"]
    assert [h for h, _ in BANK_COLUMNS] == [c.value for c in wb["银行代发"][1]]


def test_amounts_are_numbers_with_two_decimals(wb):
    ws = wb["欧阳路街道"]
    for r in ws.iter_rows(min_row=2, min_col=7, max_col=19):
        for c in r:
            assert c.data_type == "n" and not isinstance(c.value, str), c.coordinate
            assert c.number_format == "#,##0.00", c.coordinate
    assert ws["A2"].value == 1 and ws["F2"].value == 5 and ws["F2"].data_type == "n"
    assert ws["C2"].data_type == "s" and ws["C2"].value == "310109198803150012"


def test_formula_lookalikes_stay_text(wb):
    ws = wb["欧阳路街道"]
    assert ws["B3"].value == "=SUM(A1:A9)" and ws["B3"].data_type == "s"
    bank = wb["银行代发"]
    assert bank["C3"].value == '=HYPERLINK("x")' and bank["C3"].data_type == "s"
    for sheet in wb.worksheets:
        for r in sheet.iter_rows():
            assert all(c.data_type != "f" for c in r)


def test_totals_are_exact_decimal_sums(wb):
    ws = wb["欧阳路街道"]
    assert ws["B4"].value == "合计" and ws["A4"].value is None
    assert D(str(ws["S4"].value)) == D("3000.30")
    summary = wb["汇总"]
    assert [summary["A2"].value, summary["B2"].value] == ["欧阳路街道", 2]
    assert summary["A4"].value == "合计" and summary["B4"].value == 3
    assert D(str(summary["I4"].value)) == D("6000.63")
    assert D(str(summary["J4"].value)) == D("900.03")
    bank = wb["银行代发"]
    assert bank["B5"].value == "合计" and D(str(bank["E5"].value)) == D("6000.63")
    assert [bank.cell(r, 1).value for r in range(2, 5)] == [1, 2, 3]


def test_print_settings(wb):
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.print_title_rows == "$1:$1"
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True


def test_columns_fit_their_content(wb):
    ws = wb["欧阳路街道"]
    assert ws.column_dimensions["C"].width >= 18  # an 18-character ID number
    assert ws.column_dimensions["D"].width >= 10  # 一居委会: 4 wide characters
    assert 6 <= ws.column_dimensions["A"].width < 12


def test_floats_are_refused():
    bad = [StreetRows(1, S1[1], S1[2], [row(1, S1, "张三", "1.00", pension=1.5)])]
    with pytest.raises(TypeError):
        payroll_workbook(info(), bad)


def test_sheet_title_rules():
    taken = {"汇总"}
    assert sheet_title("汇总", taken) == "汇总(2)"
    long = sheet_title("很" * 40, taken)
    assert len(long) == 31
    assert len(sheet_title("很" * 40, taken)) == 31 and sheet_title("很" * 40, taken).endswith(")")
    assert sheet_title("'a/b'", taken) == "a_b"


def test_typed_sheet_refuses_plain_append():
    from openpyxl import Workbook

    ws = TypedSheet(Workbook(write_only=True), "x", ["text"])
    with pytest.raises(TypeError):
        ws.append(["a"])
    ws.discard()
