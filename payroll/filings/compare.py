"""Comparing the tax client's own calculation with ours: the officer exports the client's
税款计算 sheet (工号, 姓名, 证件号码, 本期收入, …, 应补(退)税额) and every worker whose tax there
differs from this month's wage tax on our slips is listed, with those only on one side."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook

from hr.core.errors import ValidationError
from hr.workers.idcard import normalise
from payroll.filings.data import SlipRow

ID_HEADER = "证件号码"
TAX_HEADER = "应补(退)税额"
INCOME_HEADER = "本期收入"
MAX_BYTES = 20 * 2**20


@dataclass(frozen=True)
class Difference:
    name: str
    id_number: str
    street: str
    ours: Decimal | None  # None: not on our slips
    theirs: Decimal | None  # None: not in the client's export
    our_income: Decimal | None
    their_income: Decimal | None

    @property
    def gap(self) -> Decimal | None:
        if self.ours is None or self.theirs is None:
            return None
        return self.theirs - self.ours


def _amount(value: Any, where: str) -> Decimal:
    if value is None or value == "":
        return Decimal("0.00")
    if isinstance(value, float):
        value = repr(value)  # the cell's shortest decimal form, then rounded to the fen
    try:
        return Decimal(str(value).replace(",", "").strip()).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValidationError(f"{where}不是金额：{value}") from None


def read_client_export(content: bytes) -> dict[str, tuple[str, Decimal, Decimal | None]]:
    """{ID number: (name, tax, income)} from the export's first sheet holding 证件号码 and
    应补(退)税额 in one header row."""
    if len(content) > MAX_BYTES:
        raise ValidationError("文件过大（超过 20 MB）。")
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ValidationError("无法读取该文件：请上传扣缴端导出的 .xlsx 文件。") from None
    try:
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            for n, row in enumerate(rows, start=1):
                cells = [str(c).strip() if c is not None else "" for c in row]
                if ID_HEADER in cells and TAX_HEADER in cells:
                    return _body(cells, rows, n)
                if n > 20:
                    break
    finally:
        wb.close()
    raise ValidationError(f"文件中没有同时含“{ID_HEADER}”和“{TAX_HEADER}”的表头行，请导出扣缴端的“税款计算”表。")


def _body(header: list[str], rows: Any, start: int) -> dict[str, tuple[str, Decimal, Decimal | None]]:
    i_id, i_tax = header.index(ID_HEADER), header.index(TAX_HEADER)
    i_name = header.index("姓名") if "姓名" in header else None
    i_income = header.index(INCOME_HEADER) if INCOME_HEADER in header else None
    out: dict[str, tuple[str, Decimal, Decimal | None]] = {}
    for n, row in enumerate(rows, start=start + 1):
        if row is None or i_id >= len(row) or not row[i_id]:
            continue
        id_number = normalise(str(row[i_id]))
        name = str(row[i_name] or "") if i_name is not None and i_name < len(row) else ""
        income = _amount(row[i_income], f"第 {n} 行本期收入") if i_income is not None and i_income < len(row) else None
        out[id_number] = (name, _amount(row[i_tax] if i_tax < len(row) else None, f"第 {n} 行应补(退)税额"), income)
    return out


def compare(ours: Sequence[tuple[str, SlipRow]], theirs: dict[str, tuple[str, Decimal, Decimal | None]]) -> list[Difference]:
    """Workers whose tax differs, or who are on one side only. `ours`: (street name, row)."""
    out = []
    seen = set()
    for street, row in ours:
        p = row.person
        seen.add(p.id_number)
        other = theirs.get(p.id_number)
        if other is None:
            out.append(Difference(p.name, p.id_number, street, row.wage_tax, None, row.wage_income, None))
        elif other[1] != row.wage_tax:
            out.append(Difference(p.name, p.id_number, street, row.wage_tax, other[1], row.wage_income, other[2]))
    for id_number, (name, tax, income) in theirs.items():
        if id_number not in seen:
            out.append(Difference(name, id_number, "", None, tax, None, income))
    return out
