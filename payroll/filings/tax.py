"""The tax client's import files (filings.md §2–§4) for one withholding agent and month, from
plain data: 人员信息采集, 正常工资薪金收入 with its check sheet and per-row reconciliation, and
全年一次性奖金收入. Every amount is a stored slip field; the builders only arrange them."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from payroll.calc.money import ZERO
from payroll.calc.payslip import withholding_check
from payroll.calc.reference import TaxBracket
from payroll.filings import headers as H
from payroll.filings.book import Book, kinds
from payroll.filings.data import Person, SlipRow

ID_TYPE = "居民身份证"
WAGES_SHEET = "正常工资薪金收入"
CHECK_SHEET = "核对表"
RECONCILE_SHEET = "逐行核对"
STAFF_SHEET = "人员信息采集"
BONUS_SHEET = "全年一次性奖金收入"


def staff_no(worker_id: int) -> str:
    return f"{worker_id:06d}"


def _d(value: date | None) -> str | None:
    return f"{value:%Y-%m-%d}" if value else None


def staff_row(p: Person, month: date) -> list[Any]:
    """One 人员信息采集 row (51 columns); columns we have no data for stay empty."""
    values: dict[str, Any] = {
        "工号": staff_no(p.worker_id), "*姓名": p.name, "*证件类型": ID_TYPE, "*证件号码": p.id_number,
        "*国籍(地区)": "中国", "*性别": p.gender, "*出生日期": _d(p.birth_date), "是否高级专家": "否",
        "*任职受雇从业类型": "雇员", "手机号码": p.phone or None, "任职受雇从业日期": _d(p.hire_date),
        "离职日期": _d(p.leave_date), "是否残疾": "否", "是否烈属": "否", "是否孤老": "否", "是否扣除减除费用": "是",
        "学历": p.education or None, "开户银行": p.bank_name or None, "银行账号": p.bank_account or None,
        "开户行省份": "上海市" if p.bank_account else None,
    }
    if p.hire_date.year == month.year:
        values["入职年度就业情形"] = "当年首次入职其他人员"
    return [values.get(h) for h in H.STAFF]


def staff_workbook(people: Sequence[Person], month: date) -> bytes:
    book = Book()
    ws = book.sheet(STAFF_SHEET, H.STAFF)
    for p in people:
        ws.row(staff_row(p, month))
    return book.save()


def special_by_kind(row: SlipRow, month: date) -> dict[str, Decimal]:
    """The special additional deductions accumulated from the first month with this employer
    this year to `month`, per kind, from the declarations the calculation stored on the slip."""
    s = row.slip
    first = month.month - int(s.tax_months) + 1
    out: dict[str, Decimal] = {}
    for d in (s.inputs or {}).get("declarations") or []:
        start, end = date.fromisoformat(d["start"]), date.fromisoformat(d["end"]) if d.get("end") else None
        months = sum(1 for m in range(first, month.month + 1)
                     if (start.year, start.month) <= (month.year, m)
                     and (end is None or (month.year, m) <= (end.year, end.month)))
        if months:
            out[d["kind"]] = out.get(d["kind"], ZERO) + Decimal(str(d["monthly"])) * months
    return out


@dataclass(frozen=True)
class CheckLine:
    """Our cumulative withholding figures of one worker, as the client's 税款计算 shows them."""

    cum_income: Decimal
    cum_basic: Decimal
    cum_si_hf: Decimal
    cum_special: Decimal
    cum_taxable: Decimal
    rate: Decimal
    quick: Decimal
    cum_tax_due: Decimal
    cum_withheld_before: Decimal
    this_month: Decimal


def check_line(row: SlipRow, table: Sequence[TaxBracket]) -> CheckLine:
    s = row.slip
    taxable = max(ZERO, s.cum_wages - s.cum_basic - s.cum_si_hf - s.cum_special)
    rate, quick, due = withholding_check(table, taxable)
    return CheckLine(s.cum_wages, s.cum_basic, s.cum_si_hf, s.cum_special, taxable, rate, quick, due, s.cum_tax - row.wage_tax, row.wage_tax)


@dataclass(frozen=True)
class Reconciliation:
    computed_net: Decimal
    difference: Decimal

    @property
    def ok(self) -> bool:
        return self.difference == ZERO


def reconcile(row: SlipRow) -> Reconciliation:
    """本期收入 + separately taxed bonus − contributions − 本期税额 (wages and bonus) = 实发."""
    s = row.slip
    computed = row.wage_income + row.separate_bonus - contributions(row) - row.wage_tax - s.bonus_tax
    return Reconciliation(computed, s.net - computed)


def contributions(row: SlipRow) -> Decimal:
    s = row.slip
    return s.pension + s.medical + s.unemployment + s.housing_fund


def wages_row(row: SlipRow, month: date) -> list[Any]:
    s, p = row.slip, row.person
    values: dict[str, Any] = {
        "工号": staff_no(p.worker_id), "*姓名": p.name, "*证件类型": ID_TYPE, "*证件号码": p.id_number,
        "本期收入": row.wage_income, "基本养老保险费": s.pension, "基本医疗保险费": s.medical,
        "失业保险费": s.unemployment, "住房公积金": s.housing_fund,
    }
    by_kind = special_by_kind(row, month)
    for kind, amount in by_kind.items():
        column = H.SPECIAL_COLUMNS.get(kind)
        if column:
            values[column] = amount
    if sum(by_kind.values(), ZERO) != s.cum_special:
        values["备注"] = f"累计专项附加扣除合计 {s.cum_special:.2f}"
    return [values.get(h) for h in H.WAGES]


WAGE_MONEY = ["本期收入", "基本养老保险费", "基本医疗保险费", "失业保险费", "住房公积金", *H.SPECIAL_COLUMNS.values()]
CHECK_MONEY = H.CHECK[3:8] + ["速算扣除数", "累计应纳税额", "累计已预扣预缴税额", "本期应预扣预缴税额"]
RECONCILE_MONEY = H.RECONCILE[3:11]


def wages_workbook(rows: Sequence[SlipRow], month: date, table: Sequence[TaxBracket]) -> bytes:
    """The import sheet first (the client reads the first sheet), then our check sheet and the
    reconciliation of every row."""
    book = Book()
    wages = book.sheet(WAGES_SHEET, H.WAGES, kinds(H.WAGES, WAGE_MONEY))
    check = book.sheet(CHECK_SHEET, H.CHECK, kinds(H.CHECK, CHECK_MONEY))
    rec = book.sheet(RECONCILE_SHEET, H.RECONCILE, kinds(H.RECONCILE, RECONCILE_MONEY))
    for row in rows:
        p = row.person
        wages.row(wages_row(row, month))
        c = check_line(row, table)
        check.row([staff_no(p.worker_id), p.name, p.id_number, c.cum_income, c.cum_basic, c.cum_si_hf,
                   c.cum_special, c.cum_taxable, f"{c.rate * 100:.0f}%", c.quick, c.cum_tax_due,
                   c.cum_withheld_before, c.this_month])
        r = reconcile(row)
        rec.row([staff_no(p.worker_id), p.name, p.id_number, row.wage_income, row.separate_bonus,
                 contributions(row), row.wage_tax, row.slip.bonus_tax, row.slip.net, r.computed_net,
                 r.difference, "相符" if r.ok else "不符，请核查"])
    return book.save()


def bonus_rows(rows: Sequence[SlipRow]) -> list[SlipRow]:
    return [r for r in rows if r.separate_bonus > 0]


def bonus_workbook(rows: Sequence[SlipRow]) -> bytes:
    book = Book()
    ws = book.sheet(BONUS_SHEET, H.BONUS, kinds(H.BONUS, ["*全年一次性奖金额"]))
    for row in bonus_rows(rows):
        p = row.person
        values = {"工号": staff_no(p.worker_id), "*姓名": p.name, "*证件类型": ID_TYPE, "*证件号码": p.id_number,
                  "*全年一次性奖金额": row.separate_bonus}
        ws.row([values.get(h) for h in H.BONUS])
    return book.save()
