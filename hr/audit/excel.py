"""The audit log as a workbook (plain data in, bytes out)."""
from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

HEADERS = ("时间", "用户", "操作", "对象", "对象名称", "区", "摘要")
WIDTHS = (18, 14, 10, 14, 16, 10, 60)


def workbook(rows: Iterable[tuple[str, str, str, str, str, str, str]]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志")
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.append(list(HEADERS))
    for row in rows:
        cells: list[Any] = []
        for value in row:
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"  # a summary beginning with '=' stays text
            cells.append(cell)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
