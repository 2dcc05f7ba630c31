"""Excel templates and all-or-nothing imports of special-deduction declarations and 补发/补扣
adjustments. Parsing writes nothing: it returns a plan (what would be created, updated or left
unchanged) and every error by row, column and reason; imports.apply writes only a plan
without errors.
The same rules as the pages apply (services.clean_*), and only workers of the officer's
district are found."""
from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from hr.accounts.scope import scoped_workers
from hr.audit.services import diff
from hr.core.db import db
from hr.workers import idcard
from hr.workers.excel import ImportFileError, RowError, data_rows, mismatch, open_workbook
from hr.workers.models import Worker
from payroll.calc.special import SpecialDeduction
from payroll.inputs.models import DECLARATION_KINDS, Adjustment, Declaration
from payroll.inputs.services import (
    ADJUSTMENT_KINDS,
    CLOSED,
    as_special,
    clean_adjustment,
    clean_declaration,
    month_text,
    new_rule_breaks,
    years_of,
)
from payroll.reference.amounts import AmountError, parse_month
from payroll.runs.models import STATUSES, PayrollRun

MAX_ROWS = 20000
FORMULA = "单元格含公式，请粘贴为数值后再导入"


@dataclass(frozen=True)
class Spec:
    key: str
    title: str
    sheet: str
    columns: dict[str, str]  # header → field
    kinds: tuple[str, ...]
    months: tuple[str, ...]
    notes: tuple[tuple[str, str], ...]
    optional: tuple[str, ...] = ()  # columns a file may leave out

    @property
    def headers(self) -> list[str]:
        return list(self.columns)

    def header_of(self, name: str) -> str:
        return next((h for h, f in self.columns.items() if f == name), "身份证号")


DECLARATIONS = Spec(
    key="declarations", title="专项附加扣除", sheet="专项附加扣除",
    columns={"身份证号": "id_number", "姓名": "name", "类型": "kind", "子女姓名": "dependent",
             "每月金额": "monthly", "起始月份": "start_month", "结束月份": "end_month", "独生子女": "only_child"},
    kinds=DECLARATION_KINDS, months=("起始月份", "结束月份"), optional=("独生子女",),
    notes=(
        ("身份证号", "必填，本区已登记职工的 18 位身份证号，请以文本格式填写"),
        ("姓名", "必填，须与该身份证号登记的姓名一致"),
        ("类型", "/".join(DECLARATION_KINDS)),
        ("子女姓名", "子女教育、3岁以下婴幼儿照护必填（每个子女一行），其他类型留空"),
        ("每月金额", "元/月，最多两位小数；继续教育职业资格证书填 3600，起止为同一月份"),
        ("起始月份", "必填，如 2025-01；迟报的申报自起始月份起累计扣除"),
        ("结束月份", "选填，如 2025-12；留空表示持续有效"),
        ("独生子女", "选填（可省略此列），赡养老人填写：是 每月最多 3000 元；否 为分摊额，每月最多 1500 元"),
        ("重复导入", "同一职工、类型、子女、起始月份的行视为同一申报：金额或结束月份不同则更新，相同则不变"),
    ),
)
ADJUSTMENTS = Spec(
    key="adjustments", title="补发补扣", sheet="补发补扣",
    columns={"身份证号": "id_number", "姓名": "name", "类型": "kind", "金额": "amount",
             "发放月份": "pay_month", "所属月份": "corrects_month", "原因": "reason"},
    kinds=ADJUSTMENT_KINDS, months=("发放月份", "所属月份"),
    notes=(
        ("身份证号", "必填，本区已登记职工的 18 位身份证号，请以文本格式填写"),
        ("姓名", "必填，须与该身份证号登记的姓名一致"),
        ("类型", "补发 或 补扣"),
        ("金额", "元，正数，最多两位小数（补扣也填正数）"),
        ("发放月份", "随哪个月的工资发放，如 2026-03；该月工资不能已审批或锁定"),
        ("所属月份", "更正的是哪个月，如 2026-01；不能晚于发放月份"),
        ("原因", "必填，不超过 200 字"),
        ("重复导入", "与已录入的补发补扣完全相同的行不会重复录入"),
    ),
)
SPECS = {s.key: s for s in (DECLARATIONS, ADJUSTMENTS)}
ALIASES = {"类型(补发/补扣)": "类型", "类型（补发/补扣）": "类型"}


def template(spec: Spec) -> bytes:
    """An empty sheet with the headers, a drop-down for 类型, text columns for the ID number
    and months, and a sheet explaining each column."""
    wb = Workbook()
    ws = wb.active
    ws.title = spec.sheet
    ws.append(spec.headers)
    for i, h in enumerate(spec.headers, start=1):
        ws.cell(row=1, column=i).font = Font(bold=True)
        ws.cell(row=1, column=i).fill = PatternFill("solid", fgColor="DDEBF7")
        letter = chr(ord("A") + i - 1)
        ws.column_dimensions[letter].width = 21 if h in ("身份证号", "原因") else 13
        if h == "身份证号" or h in spec.months:
            for r in range(2, 502):
                ws[f"{letter}{r}"].number_format = "@"
        if h == "类型":
            dv = DataValidation(type="list", formula1='"' + ",".join(spec.kinds) + '"', allow_blank=True)
            dv.add(f"{letter}2:{letter}{MAX_ROWS}")
            ws.add_data_validation(dv)
    return finish_template(wb, ws, spec.notes, 12)


def finish_template(wb: Any, ws: Any, notes: Iterable[Iterable[str]], first_width: int) -> bytes:
    """An import template's last steps: the header row frozen, a 填写说明 sheet (column, note),
    the workbook as bytes."""
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet("填写说明")
    help_ws.append(["列", "说明"])
    for n in notes:
        help_ws.append(list(n))
    help_ws.column_dimensions["A"].width = first_width
    help_ws.column_dimensions["B"].width = 80
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass
class Line:
    row: int
    worker: Worker
    values: dict[str, Any]
    existing: Any = None  # the stored row an update changes
    changes: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class Plan:
    spec: Spec
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    create: list[Line] = field(default_factory=list)
    update: list[Line] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str, reason: str) -> None:
        self.errors.append(RowError(row, column, reason))


def _cell_text(value: Any, what: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, (date, datetime)):
        raise AmountError(f"{what}应为文本")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value >= 1e15:
            raise AmountError("数字过长已被 Excel 截断，请将该列设为文本格式后重新填写")
        if value.is_integer():
            return str(int(value))
        raise AmountError(f"{what}应为文本")
    return str(value).strip()


def _wrong_file(headers: list[str], spec: Spec) -> str:
    for other in SPECS.values():
        if other is not spec and set(other.headers) - set(other.optional) <= set(headers):
            return f"这是{other.title}的导入文件，请到“{other.title}导入”页面上传。"
    if "居委会" in headers or "入职日期" in headers:
        return "这是社工名册文件，请到“社工名册 › Excel 导入”页面上传。"
    return ""


def read(content: bytes, spec: Spec) -> tuple[list[tuple[int, dict[str, Any], set[str]]], list[RowError]]:
    """Rows as (row number, {field: converted value}, columns with a cell error) and the cell errors."""
    wb = open_workbook(content)
    out: list[tuple[int, dict[str, Any], set[str]]] = []
    errors: list[RowError] = []
    try:
        def wrong(found: list[str], missing: list[str], extra: list[str]) -> str:
            return _wrong_file(found, spec) or mismatch(missing, extra).replace(
                "表头不符合模板", f"表头不符合{spec.title}导入模板")

        for r, picked in data_rows(wb, spec.sheet, spec.headers, spec.optional, aliases=ALIASES, on_mismatch=wrong):
            data: dict[str, Any] = {}
            bad: set[str] = set()
            for h, cell in picked.items():
                name = spec.columns[h]
                value = None if cell is None else cell.value
                if cell is not None and getattr(cell, "data_type", None) == "f":
                    errors.append(RowError(r, h, FORMULA))
                    bad.add(h)
                    continue
                try:
                    if h in spec.months:
                        empty = value is None or (isinstance(value, str) and not value.strip())
                        data[name] = None if empty else parse_month(value, h)
                    elif name in ("monthly", "amount"):
                        data[name] = value.strip() if isinstance(value, str) else value
                    else:
                        data[name] = _cell_text(value, h)
                except AmountError as e:
                    errors.append(RowError(r, h, str(e)))
                    bad.add(h)
            out.append((r, data, bad))
    finally:
        wb.close()
    if not out and not errors:
        raise ImportFileError("文件中没有数据行。")
    return out, errors


def _workers(rows: list[tuple[int, dict[str, Any], set[str]]], user: Any) -> dict[str, Worker]:
    numbers = sorted({idcard.normalise(d.get("id_number") or "") for _, d, _ in rows} - {""})
    found: dict[str, Worker] = {}
    for i in range(0, len(numbers), 500):
        stmt = scoped_workers(user).where(Worker.id_number.in_(numbers[i:i + 500]))
        found.update({w.id_number: w for w in db.session.execute(stmt).unique().scalars()})
    return found


def _identify(plan: Plan, r: int, data: dict[str, Any], bad: set[str], workers: dict[str, Worker]) -> Worker | None:
    """The row's worker: a valid ID number of the user's district, with the same name."""
    if "身份证号" in bad:
        return None
    raw = data.get("id_number") or ""
    if not raw:
        plan.error(r, "身份证号", "身份证号不能为空")
        return None
    try:
        number = idcard.parse(raw).number
    except idcard.InvalidIdNumber as e:
        plan.error(r, "身份证号", str(e))
        return None
    worker = workers.get(number)
    if worker is None:
        plan.error(r, "身份证号", "在您管辖的区内找不到该身份证号的职工")
        return None
    name = data.get("name") or ""
    if "姓名" not in bad and name != worker.name:
        plan.error(r, "姓名", f"姓名与该身份证号登记的姓名（{worker.name}）不一致" if name else "姓名不能为空")
        return None
    return worker if "姓名" not in bad else None


def _field_errors(plan: Plan, spec: Spec, r: int, errors: dict[str, str], bad: set[str]) -> None:
    for name, message in errors.items():
        column = spec.header_of(name)
        if column not in bad:
            plan.error(r, column, message)


def plan_declarations(content: bytes, user: Any) -> Plan:
    rows, cell_errors = read(content, DECLARATIONS)
    plan = Plan(DECLARATIONS, rows=len(rows), errors=list(cell_errors))
    workers = _workers(rows, user)
    ids = sorted({w.id for w in workers.values()})
    stored: dict[tuple[int, str, str, date], Declaration] = {}
    for i in range(0, len(ids), 500):
        for d in db.session.execute(select(Declaration).where(Declaration.worker_id.in_(ids[i:i + 500]))).scalars():
            stored[(d.worker_id, d.kind, d.dependent or "", d.start_month)] = d
    state: dict[int, dict[tuple[Any, ...], SpecialDeduction]] = {}
    for key, d in stored.items():
        state.setdefault(key[0], {})[key] = as_special(d)
    seen: dict[tuple[Any, ...], int] = {}
    for r, data, bad in rows:
        worker = _identify(plan, r, data, bad, workers)
        values, errors = clean_declaration(data)
        _field_errors(plan, DECLARATIONS, r, errors, bad)
        if worker is None or errors or bad:
            continue
        key = (worker.id, values["kind"], values["dependent"], values["start_month"])
        if key in seen:
            plan.error(r, "类型", f"与第 {seen[key]} 行重复（同一职工、类型、子女和起始月份）")
            continue
        seen[key] = r
        old = stored.get(key)
        if old is not None and (old.monthly, old.end_month) == (values["monthly"], values["end_month"]):
            plan.unchanged += 1
            continue
        mine = state.setdefault(worker.id, {})
        new = SpecialDeduction(kind=values["kind"], monthly=values["monthly"], start=values["start_month"],
                               end=values["end_month"], dependent=values["dependent"],
                               only_child=values["only_child"])
        before = list(mine.values())
        after = [v for k, v in mine.items() if k != key] + [new]
        breaks = new_rule_breaks(before, after, years_of([new] + ([mine[key]] if key in mine else [])))
        if breaks:
            plan.error(r, "类型", "；".join(breaks))
            continue
        mine[key] = new
        line = Line(r, worker, values, existing=old)
        if old is None:
            plan.create.append(line)
        else:
            line.changes = diff({"monthly": old.monthly, "end_month": month_text(old.end_month)},
                                {"monthly": values["monthly"], "end_month": month_text(values["end_month"])})
            plan.update.append(line)
    plan.errors.sort(key=lambda e: (e.row, DECLARATIONS.headers.index(e.column)))
    return plan


def plan_adjustments(content: bytes, user: Any) -> Plan:
    rows, cell_errors = read(content, ADJUSTMENTS)
    plan = Plan(ADJUSTMENTS, rows=len(rows), errors=list(cell_errors))
    workers = _workers(rows, user)
    ids = sorted({w.id for w in workers.values()})
    districts = sorted({w.district_id for w in workers.values()})
    closed: dict[int, dict[date, str]] = {d: {} for d in districts}
    if districts:
        for district_id, month, status in db.session.execute(
            select(PayrollRun.district_id, PayrollRun.month, PayrollRun.status).where(
                PayrollRun.district_id.in_(districts), PayrollRun.status.in_(CLOSED))
        ):
            closed[district_id][month] = STATUSES[status]
    stored: set[tuple[Any, ...]] = set()
    for i in range(0, len(ids), 500):
        for a in db.session.execute(select(Adjustment).where(Adjustment.worker_id.in_(ids[i:i + 500]))).scalars():
            stored.add((a.worker_id, a.kind, a.amount, a.pay_month, a.corrects_month, a.reason))
    seen: dict[tuple[Any, ...], int] = {}
    for r, data, bad in rows:
        worker = _identify(plan, r, data, bad, workers)
        if worker is None:
            _field_errors(plan, ADJUSTMENTS, r, _shape_errors(data), bad)
            continue
        values, errors = clean_adjustment(worker, data, closed.get(worker.district_id, {}))
        _field_errors(plan, ADJUSTMENTS, r, errors, bad)
        if errors or bad:
            continue
        key = (worker.id, values["kind"], values["amount"], values["pay_month"], values["corrects_month"],
               values["reason"])
        if key in seen:
            plan.error(r, "类型", f"与第 {seen[key]} 行完全相同")
            continue
        seen[key] = r
        if key in stored:
            plan.unchanged += 1
            continue
        plan.create.append(Line(r, worker, values))
    plan.errors.sort(key=lambda e: (e.row, ADJUSTMENTS.headers.index(e.column)))
    return plan


def _shape_errors(data: dict[str, Any]) -> dict[str, str]:
    """Errors of an adjustment row that need no worker (so a row with an unknown ID number
    still shows everything else that is wrong with it)."""
    errors: dict[str, str] = {}
    if (data.get("kind") or "") not in ADJUSTMENT_KINDS:
        errors["kind"] = "类型须为 补发 或 补扣"
    if not (data.get("reason") or ""):
        errors["reason"] = "请填写原因"
    return errors


def parse(kind: str, content: bytes, user: Any) -> Plan:
    return plan_declarations(content, user) if kind == DECLARATIONS.key else plan_adjustments(content, user)
