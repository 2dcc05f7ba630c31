"""Annual ratings as Excel (a pre-filled sheet, and an all-or-nothing import with the same
preview as the register import) and the promotion proposals as Excel."""
from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from hr.accounts.scope import district_filter
from hr.audit.services import record
from hr.core.db import db
from hr.core.errors import DomainError
from hr.core.timeutil import today
from hr.core.vocabulary import RATINGS
from hr.grades import rules
from hr.grades.models import Assessment
from hr.grades.services import save_ratings
from hr.workers.excel import (
    ImportFileError,
    RowError,
    data_rows,
    mismatch,
    open_workbook,
    text_cell,
)
from hr.workers.models import Worker

SHEET = "年度考核结果"
HEADERS = ["身份证号", "姓名", "年度", "考核结果"]
MAX_ROWS = 20000


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _head(ws: Any, headers: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
        cells.append(c)
    return cells


def ratings_sheet(rows: Iterable[tuple[str, str, int, str | None]]) -> bytes:
    """The import sheet, pre-filled with (ID number, name, year, rating or None) rows, with a
    drop-down for the rating and a sheet of instructions."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    for i, width in enumerate((22, 12, 8, 12)):
        ws.column_dimensions["ABCD"[i]].width = width
        ws.cell(row=1, column=i + 1).font = Font(bold=True)
    ws.freeze_panes = "A2"
    n = 1
    for number, name, year, rating in rows:
        n += 1
        ws.append([number, name, year, rating])
        ws.cell(row=n, column=1).number_format = "@"
        ws.cell(row=n, column=1).data_type = "s"
        ws.cell(row=n, column=2).data_type = "s"
    dv = DataValidation(type="list", formula1='"' + ",".join(RATINGS) + '"', allow_blank=True)
    dv.add(f"D2:D{MAX_ROWS}")
    ws.add_data_validation(dv)
    help_ws = wb.create_sheet("填写说明")
    help_ws.append(["列", "说明"])
    for row in (
        ("身份证号", "必填，名册中已登记的 18 位身份证号（请以文本格式填写）"),
        ("姓名", "必填，须与名册一致，用于核对"),
        ("年度", "必填，考核年度，如 2025"),
        ("考核结果", "必填，" + "/".join(RATINGS) + "；当年 9 月 30 日后入职的职工不参加该年度考核"),
        ("说明", "每人每年一个结果；已有结果将被更新；文件有任何错误时不写入任何数据"),
    ):
        help_ws.append(list(row))
    help_ws.column_dimensions["A"].width = 12
    help_ws.column_dimensions["B"].width = 80
    return _save(wb)


@dataclass
class RatingRow:
    row: int
    worker: Worker
    year: int
    rating: str
    old: str | None = None


@dataclass
class RatingPlan:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    create: list[RatingRow] = field(default_factory=list)
    update: list[RatingRow] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, (date, datetime)):
        raise ValueError("应为文本")
    if isinstance(value, float):
        if value >= 1e15:
            raise ValueError("数字过长已被 Excel 截断，请将该列设为文本格式后重新填写")
        if not value.is_integer():
            raise ValueError("应为文本")
        value = int(value)
    return str(value).strip()


def _year(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("年度应为 4 位整数，如 2025")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().removesuffix("年").isdigit():
        value = int(value.strip().removesuffix("年"))
    if not isinstance(value, int):
        raise ValueError("年度应为 4 位整数，如 2025")
    if not 1980 <= value <= today().year:
        raise ValueError(f"年度须在 1980–{today().year} 之间")
    return value


def parse_ratings(content: bytes) -> RatingPlan:
    """Read and check every row against the register and the rules. Writes nothing."""
    wb = open_workbook(content)
    plan = RatingPlan()
    parsed: list[tuple[int, str, str, int, str]] = []
    try:
        for r, values in data_rows(
            wb, SHEET, HEADERS,
            on_mismatch=lambda _found, missing, extra: mismatch(missing, extra, "表头应为：" + "、".join(HEADERS) + "。"),
        ):
            plan.rows += 1
            out: dict[str, Any] = {}
            for h, cell in values.items():
                if cell is not None and getattr(cell, "data_type", None) == "f":
                    plan.errors.append(RowError(r, h, "单元格含公式，请粘贴为数值后再导入"))
                    continue
                value = None if cell is None else cell.value
                try:
                    if h == "年度":
                        out[h] = _year(value)
                    else:
                        out[h] = _text(value)
                        if not out[h]:
                            raise ValueError(f"{h}不能为空")
                except ValueError as e:
                    plan.errors.append(RowError(r, h, str(e)))
            if out.get("考核结果") and out["考核结果"] not in RATINGS:
                plan.errors.append(RowError(r, "考核结果", f"考核结果须为 {'/'.join(RATINGS)} 之一"))
                out.pop("考核结果")
            if len(out) == len(HEADERS):
                parsed.append((r, out["身份证号"].upper(), out["姓名"], out["年度"], out["考核结果"]))
    finally:
        wb.close()
    if not plan.rows:
        raise ImportFileError("文件中没有数据行。")
    _check(plan, parsed)
    plan.errors.sort(key=lambda e: (e.row, HEADERS.index(e.column) if e.column in HEADERS else 99))
    return plan


def _check(plan: RatingPlan, parsed: list[tuple[int, str, str, int, str]]) -> None:
    numbers = sorted({p[1] for p in parsed})
    workers: dict[str, Worker] = {}
    for i in range(0, len(numbers), 500):
        for w in db.session.execute(select(Worker).where(
                Worker.id_number.in_(numbers[i:i + 500]), district_filter(Worker.district_id))).unique().scalars():
            workers[w.id_number] = w
    existing: dict[tuple[int, int], str] = {}
    ids = [w.id for w in workers.values()]
    for i in range(0, len(ids), 900):
        for wid, year, rating in db.session.execute(select(
                Assessment.worker_id, Assessment.year, Assessment.rating).where(Assessment.worker_id.in_(ids[i:i + 900]))):
            existing[(wid, year)] = rating
    seen: dict[tuple[str, int], int] = {}
    for r, number, name, year, rating in parsed:
        found = workers.get(number)
        if found is None:
            plan.errors.append(RowError(r, "身份证号", "名册中找不到该身份证号（或不在您的管辖范围内）"))
            continue
        w = found
        if name != w.name:
            plan.errors.append(RowError(r, "姓名", f"与名册不一致（名册为“{w.name}”）"))
            continue
        if (number, year) in seen:
            plan.errors.append(RowError(r, "年度", f"与第 {seen[(number, year)]} 行重复（每人每年一个结果）"))
            continue
        seen[(number, year)] = r
        why = rules.not_assessed_reason(year, w.hire_date, w.leave_date)
        if why:
            dates = f"入职 {w.hire_date.isoformat()}" + (f"，离职 {w.leave_date.isoformat()}" if w.leave_date else "")
            plan.errors.append(RowError(r, "年度", f"{why}（{dates}）"))
            continue
        old = existing.get((w.id, year))
        if old == rating:
            plan.unchanged += 1
        elif old is None:
            plan.create.append(RatingRow(r, w, year, rating))
        else:
            plan.update.append(RatingRow(r, w, year, rating, old))


def apply_ratings(plan: RatingPlan, district_id: int | None, user: Any = None, filename: str = "") -> dict[str, int]:
    """Write a valid plan (the caller commits once)."""
    if not plan.ok:
        raise DomainError("文件有错误，未导入任何数据。")
    counts = save_ratings([(x.worker, x.year, x.rating) for x in plan.create + plan.update], user)
    result = {"created": counts["created"], "updated": counts["updated"],
              "unchanged": plan.unchanged + counts["unchanged"]}
    record("import", "assessment", None, district_id=district_id, user=user,
           summary=f"导入年度考核 {filename}：新增 {result['created']}，更新 {result['updated']}，未变 {result['unchanged']}",
           changes={"file": filename, **result})
    return result


PROPOSAL_HEADERS = ["街镇", "居委会", "姓名", "身份证号", "岗位", "现等级", "建议等级", "原因", "说明", "可审批"]


def export_proposals(lines: Iterable[Any]) -> bytes:
    """The run's lines (promotion.Line) as a workbook; names stay text even if they start with '='."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("晋级建议")
    for i, width in enumerate((14, 18, 10, 21, 10, 8, 9, 24, 50, 8)):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    ws.append(_head(ws, PROPOSAL_HEADERS))
    for line in lines:
        p = line.proposal
        ws.append([text_cell(ws, v) for v in (line.street, line.committee, line.name, line.id_number,
                                               line.post_name)]
                  + [p.grade, p.new_grade if p.rises else None]
                  + [text_cell(ws, p.reason), text_cell(ws, p.detail + (
                      f"；{line.later_entry.isoformat()} 已有记录，需人工处理" if line.later_entry else "")),
                     text_cell(ws, "是" if line.approvable else "否")])
    return _save(wb)
