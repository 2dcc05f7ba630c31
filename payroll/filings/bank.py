"""Bank payment files (代发, filings.md §6) from a bank format held as reference data: Excel,
CSV or fixed-width text, UTF-8 or GBK, the format's columns in its order, and the row count
and total on a header or trailer line. The total is the sum of the nets, to the fen."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from payroll.calc.money import ZERO
from payroll.documents.sheets import INT, MONEY, TEXT
from payroll.filings.book import Book
from payroll.filings.models import BANK_COLUMNS

MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "csv": "text/csv", "txt": "text/plain"}
SHEET = "银行代发"


@dataclass(frozen=True)
class BankSpec:
    """A bank format as plain data (see payroll.filings.models.BankFormat)."""

    code: str
    name: str
    file_type: str
    encoding: str
    columns: tuple[tuple[str, int], ...]  # (key, width for fixed text)
    totals: str
    separator: str = ","

    @property
    def keys(self) -> list[str]:
        return [k for k, _ in self.columns]

    @property
    def extension(self) -> str:
        return self.file_type

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self.file_type]


@dataclass(frozen=True)
class Payment:
    name: str
    id_number: str
    account: str
    bank: str
    amount: Decimal


def spec_of(fmt: Any) -> BankSpec:
    return BankSpec(fmt.code, fmt.name, fmt.file_type, fmt.encoding,
                    tuple((str(c["key"]), int(c.get("width") or 0)) for c in fmt.columns), fmt.totals,
                    fmt.separator or ",")


def _values(spec: BankSpec, n: int, p: Payment, purpose: str) -> list[Any]:
    by_key: dict[str, Any] = {"seq": n, "name": p.name, "id_number": p.id_number, "account": p.account,
                              "bank": p.bank, "amount": p.amount, "purpose": purpose}
    return [by_key[k] for k in spec.keys]


def summary_line(count: int, total: Decimal) -> list[str]:
    return ["合计", f"总笔数 {count}", f"总金额 {total:.2f}"]


def bank_file(spec: BankSpec, payments: Sequence[Payment], purpose: str) -> bytes:
    """The file's bytes in the format's type and encoding."""
    total = sum((p.amount for p in payments), ZERO)
    if spec.file_type == "xlsx":
        return _xlsx(spec, payments, purpose, total)
    if spec.file_type == "csv":
        return _csv(spec, payments, purpose, total)
    return _fixed(spec, payments, purpose, total)


def _xlsx(spec: BankSpec, payments: Sequence[Payment], purpose: str, total: Decimal) -> bytes:
    kinds = [INT if k == "seq" else MONEY if k == "amount" else TEXT for k in spec.keys]
    book = Book()
    ws = book.sheet(SHEET, [BANK_COLUMNS[k] for k in spec.keys], kinds)
    for n, p in enumerate(payments, start=1):
        ws.row(_values(spec, n, p, purpose))
    totals: list[Any] = [None] * len(spec.keys)
    totals[0] = "合计"
    if "seq" in spec.keys and spec.keys.index("seq") != 0:
        totals[spec.keys.index("seq")] = len(payments)
    if "amount" in spec.keys:
        totals[spec.keys.index("amount")] = total
    ws.total(totals)
    return book.save()


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _csv(spec: BankSpec, payments: Sequence[Payment], purpose: str, total: Decimal) -> bytes:
    buf = io.StringIO()
    out = csv.writer(buf, delimiter=spec.separator, lineterminator="\r\n")
    if spec.totals == "header":
        out.writerow([str(len(payments)), f"{total:.2f}", purpose])
    out.writerow([BANK_COLUMNS[k] for k in spec.keys])
    for n, p in enumerate(payments, start=1):
        out.writerow([_text(v) for v in _values(spec, n, p, purpose)])
    if spec.totals == "trailer":
        out.writerow(summary_line(len(payments), total))
    return buf.getvalue().encode(spec.encoding)


def _pad(text: str, width: int, encoding: str, right: bool) -> str:
    """Pad to `width` bytes in the file's encoding (a GBK character takes two); refuse what does
    not fit rather than cut a name or an account in half."""
    size = len(text.encode(encoding))
    if size > width:
        raise ValueError(f"“{text}”超出该银行格式的字段宽度 {width}")
    return (" " * (width - size) + text) if right else (text + " " * (width - size))


def _fixed(spec: BankSpec, payments: Sequence[Payment], purpose: str, total: Decimal) -> bytes:
    lines = []
    if spec.totals == "header":
        lines.append(f"{len(payments):08d}{total:018.2f}")
    for n, p in enumerate(payments, start=1):
        fields = _values(spec, n, p, purpose)
        lines.append("".join(_pad(_text(v), w, spec.encoding, k in ("seq", "amount"))
                             for (k, w), v in zip(spec.columns, fields, strict=True)))
    if spec.totals == "trailer":
        lines.append(f"{len(payments):08d}{total:018.2f}")
    return ("\r\n".join(lines) + "\r\n").encode(spec.encoding)


# The formats shipped as reference data: a generic workbook and two bank layouts of the kind
# Shanghai's banks take for batch salary payment (an administrator adds others as data).
DEFAULT_FORMATS: list[dict[str, Any]] = [
    {"code": "GENERIC", "name": "通用代发格式（Excel）", "file_type": "xlsx", "encoding": "utf-8", "totals": "trailer",
     "separator": ",",
     "columns": [{"key": k} for k in ("seq", "name", "id_number", "account", "bank", "amount", "purpose")]},
    {"code": "BANK_CSV", "name": "银行批量代发 CSV（GBK，首行汇总）", "file_type": "csv", "encoding": "gbk",
     "totals": "header", "separator": ",",
     "columns": [{"key": k} for k in ("seq", "account", "name", "amount", "purpose")]},
    {"code": "BANK_TXT", "name": "银行代发定长文本（GBK，末行汇总）", "file_type": "txt", "encoding": "gbk",
     "totals": "trailer", "separator": ",",
     "columns": [{"key": "seq", "width": 6}, {"key": "account", "width": 32}, {"key": "name", "width": 32},
                 {"key": "id_number", "width": 18}, {"key": "amount", "width": 17}, {"key": "purpose", "width": 40}]},
]
