"""A small helper over the typed write-only sheets of payroll.documents: headed sheets of
text, whole numbers and Decimal money (never formulas, never floats), saved to bytes."""
from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from payroll.documents.sheets import INT, MONEY, TEXT, TypedSheet, add_sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def kind_of(values: Sequence[Any]) -> list[str]:
    return [MONEY if isinstance(v, Decimal) else INT if isinstance(v, int) else TEXT for v in values]


class Book:
    """Sheets are declared with their headers and the kind of each column."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        self.sheets: list[TypedSheet] = []

    def sheet(self, title: str, headers: Sequence[str], kinds: Sequence[str] | None = None) -> TypedSheet:
        ws = add_sheet(self.wb, title, list(kinds) if kinds else [TEXT] * len(headers))
        ws.setup_print()
        ws.header(list(headers))
        self.sheets.append(ws)
        return ws

    def save(self) -> bytes:
        buf = io.BytesIO()
        try:
            self.wb.save(buf)
        finally:
            for ws in self.sheets:
                ws.discard()
        return buf.getvalue()


def kinds(headers: Sequence[str], money: Sequence[str] = (), ints: Sequence[str] = ()) -> list[str]:
    return [MONEY if h in money else INT if h in ints else TEXT for h in headers]
