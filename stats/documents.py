"""The printable report (年度队伍建设统计报告, A4 PDF with the charts and the tables) and the
workbook of the tables, built from a `Report` and returned as bytes; the audit entry records
who took which scope's figures (the caller commits)."""
from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import current_app, render_template
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from hr.audit.services import record
from payroll.documents.render import html_to_pdf
from payroll.documents.sheets import display_width, sheet_title
from stats import pictures, tables
from stats.figures import Report
from stats.tables import INT, MONEY, ONE, SHARE, Cell, Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
FORMATS = {INT: "#,##0", MONEY: "#,##0.00", SHARE: "0.0%", ONE: "0.0"}
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class Document:
    content: bytes
    filename: str
    mimetype: str


def title(report: Report) -> str:
    return f"{report.scope}{report.year}年度社区工作者队伍建设统计报告"


def filename(report: Report, ext: str) -> str:
    return f"队伍建设统计_{report.scope}_{report.year}.{ext}"


def report_html(report: Report) -> str:
    return render_template("stats/report.html", report=report, title=title(report),
                           charts=pictures.charts(report), tables=tables.all_tables(report), fmt=tables.fmt)


def report_pdf(report: Report, user: Any) -> Document:
    content = html_to_pdf(report_html(report), str(current_app.static_folder))
    name = filename(report, "pdf")
    _audit("print", report, user, f"打印队伍建设统计报告 {report.scope} {report.year} 年", name)
    return Document(content, name, PDF)


def _write(ws: Any, row: int, col: int, value: Any, kind: str) -> int:
    if isinstance(value, Cell):
        value, kind = value.value, value.kind
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # a name beginning with '=' stays text
    elif isinstance(value, int | Decimal) and kind in FORMATS:
        cell.number_format = FORMATS[kind]
    return display_width(tables.fmt(value, kind))


def _sheet(wb: Workbook, table: Table, report: Report, taken: set[str]) -> None:
    ws = wb.create_sheet(sheet_title(table.key, taken))
    ws.cell(row=1, column=1, value=f"{report.scope} {report.year} 年 · {table.title}").font = Font(bold=True, size=12)
    ws.cell(row=2, column=1, value=f"统计时点：{report.on.isoformat()}")
    widths = [0] * len(table.columns)
    for i, c in enumerate(table.columns, start=1):
        cell = ws.cell(row=4, column=i, value=c.label)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center")
        widths[i - 1] = display_width(c.label)
    r = 5
    for values in (*table.rows, *((table.total,) if table.total else ())):
        for i, (value, column) in enumerate(zip(values, table.columns, strict=True), start=1):
            widths[i - 1] = max(widths[i - 1], _write(ws, r, i, value, column.kind))
            if values is table.total:
                ws.cell(row=r, column=i).font = Font(bold=True)
        r += 1
    if table.note:
        ws.cell(row=r + 1, column=1, value=table.note).data_type = "s"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=4, column=i).column_letter].width = min(max(w + 2, 8), 48)
    ws.freeze_panes = "B5"


def workbook(report: Report) -> bytes:
    """One sheet per table; numbers are numbers (shares as percentages, money with two places)."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for table in tables.all_tables(report):
        _sheet(wb, table, report, taken)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_xlsx(report: Report, user: Any) -> Document:
    name = filename(report, "xlsx")
    content = workbook(report)
    _audit("export", report, user, f"导出队伍建设统计 {report.scope} {report.year} 年", name)
    return Document(content, name, XLSX)


def _audit(action: str, report: Report, user: Any, summary: str, name: str) -> None:
    record(action, "workforce_stats", report.street_id or report.district_id, district_id=report.district_id,
           user=user, summary=summary, changes={"file": name, "year": report.year})
