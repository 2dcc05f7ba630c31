"""The register as Excel: template, export of a list, and an all-or-nothing import."""
from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from hr.accounts.personal import mask_value
from hr.core.db import db
from hr.core.uploads import UploadRefused, check_xlsx
from hr.core.vocabulary import EDUCATIONS, POLITICAL_STATUSES, QUALIFICATIONS
from hr.org.models import Committee, Street
from hr.workers.fields import HEADERS, LABELS, OPTIONAL_HEADERS
from hr.workers.models import Worker
from hr.workers.services import EDITABLE, clean, snapshot

SHEET = "社区工作者名册"
MAX_ROWS = 20000
YES, NO = "是", "否"
TEXT_FIELDS = ("id_number", "phone", "bank_account")


class ImportFileError(ValueError):
    """The file as a whole is unusable (message in Chinese)."""


def text_cell(ws: Any, value: Any) -> WriteOnlyCell:
    """A cell that shows `value` as written: a string beginning with '=' stays text."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _row_values(w: Worker) -> list[Any]:
    return [
        w.name, w.id_number, w.phone, w.education, w.political_status, w.qualification,
        w.qualification_date, w.hire_date, w.prior_years, w.street.name, w.committee.name,
        YES if w.shiye else NO, YES if w.reserve_cadre else NO, w.bank_name, w.bank_account,
    ]


def _header_cells(ws: Any) -> list[WriteOnlyCell]:
    cells = []
    for h in HEADERS:
        c = WriteOnlyCell(ws, value=h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
        cells.append(c)
    return cells


WIDTHS = [10, 21, 14, 10, 12, 16, 13, 12, 12, 14, 16, 9, 9, 22, 24, 10, 8, 12]


def export_workers(workers: Iterable[Worker], full: bool = True) -> bytes:
    """The list as a workbook with the import headers, so that it imports back unchanged.
    Without `full` (hr.accounts.personal) the ID number, phone and bank account are masked."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    ws.append(_header_cells(ws))
    from hr.grades.register import with_grade_columns

    masked = {i for i, h in enumerate(HEADERS) if h in (LABELS["id_number"], LABELS["phone"], LABELS["bank_account"])}
    keys = {LABELS[k]: k for k in ("id_number", "phone", "bank_account")}
    for w, grade_values in with_grade_columns(workers):
        row = []
        values = _row_values(w)
        if not full:
            values = [mask_value(keys[HEADERS[i]], v) if i in masked else v for i, v in enumerate(values)]
        for value in values + grade_values + [YES if w.first_job else NO]:
            if isinstance(value, date):
                c = WriteOnlyCell(ws, value=value)
                c.number_format = "yyyy-mm-dd"
                row.append(c)
            else:
                row.append(text_cell(ws, value))
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template() -> bytes:
    """An empty register with drop-down lists and a sheet explaining each column."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
        ws.cell(row=1, column=i + 1).font = Font(bold=True)
    ws.freeze_panes = "A2"
    for col, values in (("D", EDUCATIONS), ("E", POLITICAL_STATUSES), ("F", QUALIFICATIONS), ("L", (YES, NO)), ("M", (YES, NO)), ("P", ("负责人", "主管", "工作人员")), ("R", (YES, NO))):
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        dv.add(f"{col}2:{col}{MAX_ROWS}")
        ws.add_data_validation(dv)
    for col in ("B", "C", "O"):
        for r in range(2, 502):
            ws[f"{col}{r}"].number_format = "@"
    help_ws = wb.create_sheet("填写说明")
    notes = [
        ("姓名", "必填，2–32 个汉字或字母"),
        ("身份证号", "必填，18 位居民身份证号，出生日期和性别由号码自动得出；已登记的号码将更新该职工"),
        ("手机号", "选填，11 位手机号"),
        ("学历", "/".join(EDUCATIONS)),
        ("政治面貌", "/".join(POLITICAL_STATUSES)),
        ("职业资格", "/".join(QUALIFICATIONS)),
        ("资格取得日期", "有职业资格时必填，格式 2024-05-01"),
        ("入职日期", "必填，格式 2024-05-01"),
        ("社区工作年限", "此前认定的社区工作年限，0–45 的整数"),
        ("街镇", "本区的街道或镇名称，如 欧阳路街道"),
        ("居委会", "该街镇下的居委会或村委会名称"),
        ("事业待遇", "是/否"),
        ("后备干部", "是/否"),
        ("开户行", "填写银行账号时必填"),
        ("银行账号", "10–30 位数字，请以文本格式填写"),
        ("岗位", "选填，负责人/主管/工作人员；与等级同时填写。新职工据此入职定级（入职当月 1 日生效）；已定级职工须与现岗位等级一致，调整请在职工页面进行"),
        ("等级", "选填，整数：负责人 7–18，主管 4–15，工作人员 1–12"),
        ("首次参加工作", "选填，是/否：首次参加工作的职工自入职次月起缴存住房公积金"),
    ]
    help_ws.append(["列", "说明"])
    for n in notes:
        help_ws.append(list(n))
    help_ws.column_dimensions["A"].width = 14
    help_ws.column_dimensions["B"].width = 80
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ParsedRow:
    row: int
    data: dict[str, Any]


@dataclass
class ImportPlan:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    create: list[ParsedRow] = field(default_factory=list)
    update: list[tuple[ParsedRow, Worker, dict[str, list[Any]]]] = field(default_factory=list)
    unchanged: int = 0
    grading: list[tuple[ParsedRow, Worker]] = field(default_factory=list)  # ungraded workers to grade

    @property
    def ok(self) -> bool:
        return not self.errors


def open_workbook(content: bytes) -> Any:
    if not content:
        raise ImportFileError("文件为空。")
    if not content.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(content)):
        raise ImportFileError("文件不是 Excel 工作簿（.xlsx），请用“下载模板”中的格式保存后再上传。")
    try:
        check_xlsx(content)  # sizes and ratio from the zip directory, before openpyxl inflates anything
    except UploadRefused as e:
        raise ImportFileError(e.message) from None
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:
        raise ImportFileError("无法读取该 Excel 文件，文件可能已损坏或不是 .xlsx 格式。") from None


def mismatch(missing: list[str], extra: list[str], tail: str = "请使用“下载模板”中的表头。") -> str:
    parts = (["缺少列：" + "、".join(missing)] if missing else []) + (
        ["无法识别的列：" + "、".join(extra)] if extra else [])
    return "表头不符合模板（" + "；".join(parts) + "）。" + tail


def data_rows(wb: Any, sheet: str, expected: list[str], optional: Iterable[str] = (),
              aliases: dict[str, str] | None = None,
              on_mismatch: Callable[[list[str], list[str], list[str]], str] | None = None,
              ) -> Iterator[tuple[int, dict[str, Any]]]:
    """The data rows of an import sheet as (row number, {header: cell or None}), blank rows
    skipped. Raises ImportFileError for a missing header row, headers that do not match
    `expected` (columns may come in any order; `optional` ones may be absent) and too many rows.
    `on_mismatch(found, missing, extra)` words the header message."""
    ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=False)
    try:
        header_row = next(rows)
    except StopIteration:
        raise ImportFileError("工作表为空，没有表头。") from None
    found = [str(c.value).strip() if c.value is not None else "" for c in header_row]
    found = [(aliases or {}).get(h, h) for h in found]
    while found and found[-1] == "":
        found.pop()
    missing = [h for h in expected if h not in found and h not in optional]
    extra = [h for h in found if h and h not in expected]
    if missing or extra:
        raise ImportFileError(on_mismatch(found, missing, extra) if on_mismatch else mismatch(missing, extra))
    index = {h: found.index(h) for h in expected if h in found}
    for r, row in enumerate(rows, start=2):
        if r - 1 > MAX_ROWS:
            raise ImportFileError(f"一次最多导入 {MAX_ROWS} 行。")
        cells = list(row)
        picked = {h: (cells[index[h]] if h in index and index[h] < len(cells) else None) for h in expected}
        if all(c is None or c.value is None or (isinstance(c.value, str) and not c.value.strip())
               for c in picked.values()):
            continue
        yield r, picked


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        s = value.strip().replace("/", "-").replace(".", "-")
        try:
            return date.fromisoformat(s) if len(s) == 10 else datetime.strptime(s, "%Y-%m-%d").date()
        except ValueError:
            pass
    raise ValueError("日期格式应为 YYYY-MM-DD")


def _parse_text(value: Any, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ValueError("应为文本")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if key in TEXT_FIELDS and value >= 1e15:
            raise ValueError("数字过长已被 Excel 截断，请将该列设为文本格式后重新填写")
        if value.is_integer():
            return str(int(value))
        raise ValueError("应为文本")
    if isinstance(value, (date, datetime)):
        raise ValueError("应为文本，而不是日期")
    return str(value).strip()


def _parse_bool(value: Any) -> bool:
    if value is None or (isinstance(value, str) and value.strip() in ("", NO)):
        return False
    if isinstance(value, str) and value.strip() == YES:
        return True
    raise ValueError("应填“是”或“否”")


def _parse_int(value: Any) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError("应为整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ValueError("应为整数")


def parse(content: bytes, district_id: int | None) -> ImportPlan:
    """Read and check every row; compare with the register. Writes nothing."""
    wb = open_workbook(content)
    try:
        plan = ImportPlan()
        for r, cells in data_rows(wb, SHEET, HEADERS, OPTIONAL_HEADERS):
            values = {k: cells[LABELS[k]] for k in LABELS}
            data: dict[str, Any] = {}
            for k, cell in values.items():
                value = None if cell is None else cell.value
                if cell is not None and getattr(cell, "data_type", None) == "f":
                    plan.errors.append(RowError(r, LABELS[k], "单元格含公式，请粘贴为数值后再导入"))
                    continue
                try:
                    if k in ("qualification_date", "hire_date"):
                        data[k] = None if value in (None, "") else _parse_date(value)
                    elif k == "prior_years":
                        data[k] = _parse_int(value)
                    elif k == "first_job" and cell is None:
                        data[k] = None  # column left out: keeps the register's value
                    elif k in ("shiye", "reserve_cadre", "first_job"):
                        data[k] = _parse_bool(value)
                    else:
                        data[k] = _parse_text(value, k)
                except ValueError as e:
                    plan.errors.append(RowError(r, LABELS[k], str(e)))
            plan.rows.append(ParsedRow(r, data))
    except ImportFileError:
        raise
    except Exception:
        # openpyxl reads the sheets lazily: a damaged one fails here, not in load_workbook.
        logging.getLogger(__name__).warning("unreadable workbook", exc_info=True)
        raise ImportFileError("无法读取该 Excel 文件，文件可能已损坏或不是 .xlsx 格式。") from None
    finally:
        wb.close()
    if not plan.rows and not plan.errors:
        raise ImportFileError("文件中没有数据行。")
    _check_rows(plan, district_id)
    from hr.grades.register import check_grade_columns

    check_grade_columns(plan)
    return plan


def _check_rows(plan: ImportPlan, district_id: int | None) -> None:
    committees: dict[tuple[str, str], list[int]] = {}
    stmt = select(Street.name, Committee.name, Committee.id).join(Committee.street)
    if district_id is not None:
        stmt = stmt.where(Street.district_id == district_id)
    for sname, cname, cid in db.session.execute(stmt):
        committees.setdefault((sname, cname), []).append(cid)
    numbers = [str(p.data.get("id_number") or "").strip().upper() for p in plan.rows]
    existing = {
        w.id_number: w
        for chunk in (numbers[i:i + 500] for i in range(0, len(numbers), 500))
        for w in db.session.execute(select(Worker).where(Worker.id_number.in_(chunk))).unique().scalars()
    }
    seen: dict[str, int] = {}
    field_errors_before = {(e.row) for e in plan.errors}
    cells_before = {(e.row, e.column) for e in plan.errors}  # unreadable cells: said once
    for p in plan.rows:
        d = p.data
        key = (d.pop("street", "") or "", d.pop("committee", "") or "")
        ids = committees.get(key, [])
        if len(ids) == 1:
            d["committee_id"] = ids[0]
        elif len(ids) > 1:
            plan.errors.append(RowError(p.row, "街镇", "该街镇名称在多个区重复，请由区人事专员导入"))
        elif key[0] and key[1]:
            plan.errors.append(RowError(p.row, "居委会", f"在您管辖的区内找不到“{key[0]} {key[1]}”"))
        else:
            plan.errors.append(RowError(p.row, "居委会" if key[0] else "街镇", "街镇和居委会不能为空"))
        cleaned = clean(d)
        for f, msg in cleaned.errors.items():
            if f == "committee_id" or (p.row, LABELS.get(f, f)) in cells_before:
                continue
            plan.errors.append(RowError(p.row, LABELS.get(f, f), msg))
        number = cleaned.values.get("id_number")
        if not number:
            continue
        if number in seen:
            plan.errors.append(RowError(p.row, "身份证号", f"与第 {seen[number]} 行的身份证号重复"))
            continue
        seen[number] = p.row
        if cleaned.errors or p.row in field_errors_before or "committee_id" not in d:
            continue
        worker = existing.get(number)
        if worker is None:
            plan.create.append(p)
        elif district_id is not None and worker.district_id != district_id:
            plan.errors.append(RowError(p.row, "身份证号", "该身份证号已登记，不能再次导入；如需调入本区，请联系市级管理员"))
        else:
            before = snapshot(worker)
            after = dict(before)
            after.update({k: cleaned.values[k] for k in EDITABLE})
            if d.get("first_job") is None:  # column left out: the update keeps the flag
                d["first_job"] = after["first_job"] = before["first_job"]
            changes = {k: [before[k], after[k]] for k in EDITABLE if before[k] != after[k]}
            if changes:
                plan.update.append((p, worker, changes))
            else:
                plan.unchanged += 1
    plan.errors.sort(key=lambda e: (e.row, HEADERS.index(e.column) if e.column in HEADERS else 99))
