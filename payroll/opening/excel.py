"""The Excel template and the all-or-nothing import of opening balances (期初累计): parsing
writes nothing, it returns the rows to save and every error by row and column."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from sqlalchemy import select

from hr.workers.excel import ImportFileError, RowError, data_rows, mismatch, open_workbook
from payroll.inputs.excel import FORMULA, Spec, _cell_text, _identify, _workers, finish_template
from payroll.inputs.models import DECLARATION_KINDS
from payroll.reference.amounts import AmountError, parse_decimal, parse_money, parse_month
from payroll.runs.models import PayrollRun

MONEY_COLUMNS = {"累计收入": "cum_income", "累计个人社保公积金": "cum_si_hf", "累计已预扣税额": "cum_tax",
                 "上年本单位收入": "last_year_income", **{k: f"special:{k}" for k in DECLARATION_KINDS}}
OPENING = Spec(
    key="opening", title="期初累计", sheet="期初累计",
    columns={"身份证号": "id_number", "姓名": "name", "上线月份": "first_month", "已扣除月数": "months",
             "累计收入": "cum_income", "累计个人社保公积金": "cum_si_hf",
             **{k: f"special:{k}" for k in DECLARATION_KINDS},
             "累计已预扣税额": "cum_tax", "上年本单位收入": "last_year_income"},
    kinds=(), months=("上线月份",),
    notes=(
        ("身份证号", "必填，本区已登记职工的 18 位身份证号，请以文本格式填写"),
        ("姓名", "必填，须与该身份证号登记的姓名一致"),
        ("上线月份", "必填，本区在系统中发放工资的第一个月，如 2026-07；期初累计为该月之前本年度的累计数"),
        ("已扣除月数", "本年度在本单位已累计减除基本减除费用（每月 5000 元）的月数，0 至上线月份减 1"),
        ("累计收入", "本年度上线月份之前的累计工资薪金收入（元）"),
        ("累计个人社保公积金", "个人缴纳的养老、医疗、失业保险和住房公积金累计（元）"),
        ("子女教育 … 继续教育", "各项专项附加扣除的累计已扣除额（元），没有填 0 或留空"),
        ("累计已预扣税额", "本年度已预扣预缴的个人所得税累计（元）"),
        ("上年本单位收入", "选填，上年度在本单位的全年收入（用于公告2020年第19号的判断）"),
        ("整批导入", "文件有任何错误时不导入任何一行；同一职工同一年度再次导入时覆盖原数"),
    ),
)
MAX_YEAR_TOTAL = Decimal("100000000")


def template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = OPENING.sheet
    ws.append(OPENING.headers)
    for i, h in enumerate(OPENING.headers, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        letter = ws.cell(row=1, column=i).column_letter
        ws.column_dimensions[letter].width = 21 if h == "身份证号" else 14
        if h in ("身份证号", "上线月份"):
            for r in range(2, 502):
                ws[f"{letter}{r}"].number_format = "@"
    return finish_template(wb, ws, OPENING.notes, 18)


def read(content: bytes) -> tuple[list[tuple[int, dict[str, Any], set[str]]], list[RowError]]:
    """Rows as (row number, {field: value}, columns with a cell error) and the cell errors;
    amounts stay as the cell gave them (parsed with their column's rule later)."""
    wb = open_workbook(content)
    out: list[tuple[int, dict[str, Any], set[str]]] = []
    errors: list[RowError] = []
    try:
        def wrong(found: list[str], missing: list[str], extra: list[str]) -> str:
            return mismatch(missing, extra).replace("表头不符合模板", "表头不符合期初累计导入模板")

        for r, picked in data_rows(wb, OPENING.sheet, OPENING.headers, optional=("上年本单位收入",),
                                   on_mismatch=wrong):
            data: dict[str, Any] = {}
            bad: set[str] = set()
            for h, cell in picked.items():
                name = OPENING.columns[h]
                value = None if cell is None else cell.value
                if cell is not None and getattr(cell, "data_type", None) == "f":
                    errors.append(RowError(r, h, FORMULA))
                    bad.add(h)
                    continue
                try:
                    if h == "上线月份":
                        empty = value is None or (isinstance(value, str) and not value.strip())
                        data[name] = None if empty else parse_month(value, h)
                    elif h in ("身份证号", "姓名"):
                        data[name] = _cell_text(value, h)
                    else:
                        data[name] = value.strip() if isinstance(value, str) else value
                except AmountError as e:
                    errors.append(RowError(r, h, str(e)))
                    bad.add(h)
            out.append((r, data, bad))
    finally:
        wb.close()
    if not out and not errors:
        raise ImportFileError("文件中没有数据行。")
    return out, errors


@dataclass
class OpeningPlan:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str, reason: str) -> None:
        self.errors.append(RowError(row, column, reason))


def parse(content: bytes, user: Any) -> OpeningPlan:
    rows, cell_errors = read(content)
    plan = OpeningPlan(rows=len(rows), errors=list(cell_errors))
    workers = _workers(rows, user)
    locked_years: dict[int, set[int]] = {}
    for district_id, month in db_locked({w.district_id for w in workers.values()}):
        locked_years.setdefault(district_id, set()).add(month.year)
    seen: dict[tuple[int, int], int] = {}
    for r, data, bad in rows:
        worker = _identify(plan, r, data, bad, workers)  # type: ignore[arg-type]
        values: dict[str, Any] = {}
        first: date | None = data.get("first_month")
        if first is None and "上线月份" not in bad:
            plan.error(r, "上线月份", "请填写上线月份，如 2026-07")
        elif first is not None and first.month == 1:
            plan.error(r, "上线月份", "一月上线无需期初累计")
        try:
            raw_months = data.get("months")
            months = int(parse_decimal("0" if raw_months in (None, "") else raw_months, 0, maximum=Decimal(11),
                                       what="已扣除月数"))
            if first is not None and months > first.month - 1:
                plan.error(r, "已扣除月数", f"已扣除月数不能超过 {first.month - 1}（上线月份之前的月数）")
            values["months"] = months
        except AmountError as e:
            plan.error(r, "已扣除月数", str(e))
        special: dict[str, str] = {}
        for header, name in OPENING.columns.items():
            if header not in MONEY_COLUMNS or header in bad:
                continue
            raw = data.get(name)
            empty = raw is None or (isinstance(raw, str) and not raw.strip())
            if empty and (name.startswith("special:") or name == "last_year_income"):
                continue
            try:
                amount = parse_money(raw if not empty else "0", maximum=MAX_YEAR_TOTAL, what=header)
            except AmountError as e:
                plan.error(r, header, str(e))
                continue
            if name.startswith("special:"):
                if amount:
                    special[name.split(":", 1)[1]] = str(amount)
            else:
                values[name] = amount
        if worker is None or first is None or any(e.row == r for e in plan.errors):
            continue
        if first.year in locked_years.get(worker.district_id, set()):
            plan.error(r, "上线月份", f"本区 {first.year} 年已有锁定的工资月份，期初累计不能再导入")
            continue
        key = (worker.id, first.year)
        if key in seen:
            plan.error(r, "身份证号", f"与第 {seen[key]} 行是同一职工同一年度")
            continue
        seen[key] = r
        plan.names[worker.id] = worker.name
        plan.lines.append({
            "worker_id": worker.id, "district_id": worker.district_id, "year": first.year, "first_month": first,
            "special": special, "cum_special": sum((Decimal(v) for v in special.values()), Decimal("0.00")),
            "last_year_income": values.pop("last_year_income", None), **values,
        })
    plan.errors.sort(key=lambda e: (e.row, OPENING.headers.index(e.column) if e.column in OPENING.headers else 0))
    return plan


def db_locked(district_ids: set[int]) -> list[tuple[int, date]]:
    from hr.core.db import db

    if not district_ids:
        return []
    return [(d, m) for d, m in db.session.execute(
        select(PayrollRun.district_id, PayrollRun.month).where(
            PayrollRun.district_id.in_(district_ids), PayrollRun.status == "locked"))]
