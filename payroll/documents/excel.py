"""The monthly payroll workbook (工资表) of one district: a summary by street, one sheet per
street, and the bank transfer list. Built from plain data in openpyxl's write-only mode, one
street in memory at a time; every total is summed here in Decimal (no formulas), so the file
reads correctly without recalculation and matches the run to the fen."""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from hr.core.vocabulary import POST_NAMES
from payroll.calc.money import ZERO
from payroll.documents.data import PayRow, RunInfo, StreetRows
from payroll.documents.sheets import INT, MONEY, TEXT, TypedSheet, add_sheet, sheet_title

SUMMARY = "汇总"
BANK = "银行代发"
TOTAL = "合计"

SUMMARY_COLUMNS: list[tuple[str, str, str]] = [
    ("街镇", TEXT, "name"), ("人数", INT, "headcount"), ("应发合计", MONEY, "gross"),
    ("养老保险", MONEY, "pension"), ("医疗保险", MONEY, "medical"), ("失业保险", MONEY, "unemployment"),
    ("住房公积金", MONEY, "housing_fund"), ("个人所得税", MONEY, "iit"), ("实发合计", MONEY, "net"),
    ("单位缴费合计", MONEY, "employer_total"),
]
SUMMARY_FIELDS = [key for _, kind, key in SUMMARY_COLUMNS if kind == MONEY]

STREET_COLUMNS: list[tuple[str, str, str]] = [
    ("序号", INT, ""), ("姓名", TEXT, "name"), ("身份证号", TEXT, "id_number"), ("居委会", TEXT, "committee_name"),
    ("岗位", TEXT, "post"), ("等级", INT, "grade"), ("岗位等级工资", MONEY, "grade_pay"),
    ("岗位津贴", MONEY, "post_allowance"), ("月度绩效", MONEY, "performance"),
    ("职业资格津贴", MONEY, "qualification_allowance"), ("年度考核奖", MONEY, "annual_bonus"),
    ("补发补扣", MONEY, "adjustments"), ("应发合计", MONEY, "gross"), ("养老保险", MONEY, "pension"),
    ("医疗保险", MONEY, "medical"), ("失业保险", MONEY, "unemployment"), ("住房公积金", MONEY, "housing_fund"),
    ("个人所得税", MONEY, "iit"), ("实发合计", MONEY, "net"),
]
STREET_MONEY = [key for _, kind, key in STREET_COLUMNS if kind == MONEY]
# Positions in PayRow of the street sheet's amounts, and of the summary's amounts.
_STREET_IDX = [PayRow._fields.index(k) for k in STREET_MONEY]


BANK_COLUMNS: list[tuple[str, str]] = [("序号", INT), ("姓名", TEXT), ("开户行", TEXT), ("银行账号", TEXT), ("实发合计", MONEY)]

Progress = Callable[[int], None]


def filename(run: RunInfo) -> str:
    return f"工资表_{run.district_name}_{run.label}.xlsx"


def _street_sheet(wb: Workbook, title: str, street: StreetRows) -> list[Decimal]:
    """Write one street's sheet; return its sums of the summary's amounts."""
    ws = add_sheet(wb, title, [k for _, k, _ in STREET_COLUMNS])
    ws.setup_print()
    ws.header([h for h, _, _ in STREET_COLUMNS])
    sums = [ZERO] * len(_STREET_IDX)
    for n, r in enumerate(street.rows, start=1):
        amounts: list[Any] = [r[i] for i in _STREET_IDX]
        ws.row([n, r.name, r.id_number, r.committee_name, POST_NAMES.get(r.post, r.post), r.grade, *amounts])
        sums = [a + b for a, b in zip(sums, amounts, strict=True)]
    ws.total([None, TOTAL, None, None, None, None, *sums])
    by_field = dict(zip(STREET_MONEY, sums, strict=True))
    employer = sum((r.employer_total for r in street.rows), ZERO)
    return [by_field[f] if f in by_field else employer for f in SUMMARY_FIELDS]


# The bank sheet in a district's bank format: (header, kind, value of a row and its number).
BankColumn = tuple[str, str, Callable[[PayRow, int], object]]


def payroll_workbook(run: RunInfo, streets: Iterable[StreetRows], progress: Progress | None = None,
                     bank_columns: list[BankColumn] | None = None) -> bytes:
    """The workbook as bytes. `streets` arrive one at a time, in order. `bank_columns` lays
    out the bank sheet as the district's bank format does (default: BANK_COLUMNS)."""
    wb = Workbook(write_only=True)
    try:
        return _build(wb, run, streets, progress, bank_columns)
    finally:
        for ws in wb.worksheets:
            if isinstance(ws, TypedSheet):
                ws.discard()


def _default_bank(r: PayRow, n: int) -> list[object]:
    return [n, r.name, r.bank_name, r.bank_account, r.net]


def _build(wb: Workbook, run: RunInfo, streets: Iterable[StreetRows], progress: Progress | None,
           bank_columns: list[BankColumn] | None = None) -> bytes:
    taken = {SUMMARY.lower(), BANK.lower()}
    summary = add_sheet(wb, SUMMARY, [k for _, k, _ in SUMMARY_COLUMNS])
    if bank_columns:
        bank = add_sheet(wb, BANK, [k for _, k, _ in bank_columns])
        bank.header([h for h, _, _ in bank_columns])

        def bank_row(r: PayRow, n: int) -> list[object]:
            return [value(r, n) for _, _, value in bank_columns]
    else:
        bank = add_sheet(wb, BANK, [k for _, k in BANK_COLUMNS])
        bank.header([h for h, _ in BANK_COLUMNS])
        bank_row = _default_bank
    bank.setup_print()
    lines: list[tuple[str, int, list[Decimal]]] = []
    seq = 0
    for street in streets:
        sums = _street_sheet(wb, sheet_title(street.name, taken), street)
        lines.append((street.name, len(street.rows), sums))
        for r in street.rows:
            seq += 1
            bank.row(bank_row(r, seq))
        if progress:
            progress(len(street.rows))
    totals = [sum((s[i] for _, _, s in lines), ZERO) for i in range(len(SUMMARY_FIELDS))]
    net = totals[SUMMARY_FIELDS.index("net")]
    if bank_columns:
        bank.total([TOTAL if i == 0 else net if kind == MONEY else None
                    for i, (_, kind, _) in enumerate(bank_columns)])
    else:
        bank.total([None, TOTAL, None, None, net])
    summary.setup_print()
    summary.header([h for h, _, _ in SUMMARY_COLUMNS])
    for name, n, sums in lines:
        summary.row([name, n, *sums])
    summary.total([TOTAL, seq, *totals])
    wb.move_sheet(BANK, offset=len(wb.worksheets) - 1 - wb.worksheets.index(bank))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
