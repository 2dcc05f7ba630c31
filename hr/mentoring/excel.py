"""Pairings and activities as an Excel workbook, from plain rows (write-only; a name or a
note that begins with '=' stays text)."""
from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from hr.mentoring.queries import ActivityRow, PairingRow
from hr.workers.excel import text_cell

PAIRING_HEADERS = ["区", "工作室", "届次", "导师", "导师街镇", "带教对象", "带教对象街镇", "开始日期", "结束日期",
                   "状态", "结业评价", "结业/终止日期", "终止原因", "结对依据", "活动次数", "学时合计"]
PAIRING_WIDTHS = [10, 22, 7, 10, 14, 10, 14, 12, 12, 9, 9, 13, 24, 40, 9, 9]
ACTIVITY_HEADERS = ["工作室", "届次", "导师", "带教对象", "日期", "形式", "学时", "内容"]
ACTIVITY_WIDTHS = [22, 7, 10, 10, 12, 10, 7, 60]


def _head(ws: Any, headers: Sequence[str], widths: Sequence[int]) -> None:
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    cells = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
        cells.append(c)
    ws.append(cells)


def _cell(ws: Any, value: Any) -> WriteOnlyCell:
    if isinstance(value, date):
        c = WriteOnlyCell(ws, value=value)
        c.number_format = "yyyy-mm-dd"
        return c
    if isinstance(value, Decimal):
        c = WriteOnlyCell(ws, value=value)
        c.number_format = "0.0"
        return c
    if isinstance(value, int) or value is None:
        return WriteOnlyCell(ws, value=value)
    return text_cell(ws, value)


def export(pairings: Iterable[PairingRow], activities: Iterable[ActivityRow]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("结对名单")
    _head(ws, PAIRING_HEADERS, PAIRING_WIDTHS)
    for p in pairings:
        ws.append([_cell(ws, v) for v in (
            p.district, p.studio, p.year, p.mentor, p.mentor_street, p.mentee, p.mentee_street, p.start_on,
            p.end_on, p.status, p.evaluation, p.closed_on, p.end_reason, p.basis, p.activities, p.hours)])
    ws2 = wb.create_sheet("带教活动")
    _head(ws2, ACTIVITY_HEADERS, ACTIVITY_WIDTHS)
    for a in activities:
        ws2.append([_cell(ws2, v) for v in (a.studio, a.year, a.mentor, a.mentee, a.held_on, a.kind, a.hours,
                                             a.notes)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
