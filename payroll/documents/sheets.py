"""Write-only worksheets with typed columns, for workbooks of tens of thousands of rows.

openpyxl's write-only mode spends about 10 µs of Python per cell (a cell object, a style
lookup, an exception for every styled cell, two nested XML contexts): the city's month of
46,000 slips × 24 cells would take well over 10 s. So a `TypedSheet` writes its rows itself,
as SpreadsheetML text into a spooled temporary file, and openpyxl writes everything else: the
sheet's settings before the rows and after them (column widths, frozen pane, print titles,
page setup), the styles, the workbook and the package. When openpyxl closes the sheet, the
rows are spliced in where openpyxl wrote an empty <sheetData/>.

Because the settings are written at close, column widths are fitted to what was written.

Text is always a string cell (a name beginning with '=' stays text), whole numbers and
Decimal amounts are numeric cells, and floats are refused (money is Decimal)."""
from __future__ import annotations

import os
import re
from collections.abc import Sequence
from decimal import Decimal
from tempfile import SpooledTemporaryFile
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml.functions import Element

MONEY_FORMAT = "#,##0.00"
TEXT, INT, MONEY = "text", "int", "money"
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters XML cannot hold (as openpyxl's ILLEGAL_CHARACTERS_RE) and those it must escape.
_SPECIAL = re.compile(r"[\000-\010\013\014\016-\037&<>]")
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_EMPTY_SHEET_DATA = re.compile(rb"<sheetData\s*/>")
_THIN = Side(style="thin", color="808080")
_MAX_WIDTH = 60


def _wide(text: str) -> int:
    """Display width of text with wide characters: CJK (3 bytes in UTF-8) counts 2, ASCII 1."""
    return len(text) + (len(text.encode("utf-8")) - len(text)) // 2


def display_width(value: Any) -> int:
    """Width of a value in Excel's character units: a CJK character counts twice."""
    if value is None:
        return 0
    text = f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
    return len(text) if text.isascii() else _wide(text)


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\, no leading/trailing apostrophe, at most 31
    characters, unique (case-insensitively) within the workbook."""
    title = _FORBIDDEN.sub("_", name).strip().strip("'") or "Sheet"
    title = title[:31]
    base, n = title, 2
    while title.lower() in taken:
        suffix = f"({n})"
        title = base[:31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _text(value: str) -> str:
    if _SPECIAL.search(value):
        value = _ILLEGAL.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value != value.strip():
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


class _SplicingWriter(WorksheetWriter):
    """openpyxl's sheet writer, with an empty <sheetData/> where TypedSheet's rows go."""

    def write_rows(self) -> None:
        xf = self.xf.send(True)
        xf.write(Element("sheetData"))
        self.xf.send(None)

    def close(self) -> None:
        super().close()
        self.ws.splice_rows(self.out)


class TypedSheet(WriteOnlyWorksheet):
    """A write-only worksheet whose columns each hold text, whole numbers or money. Write rows
    with `header`, `row` and `total`; the sheet is finished when the workbook is saved."""

    _writer: _SplicingWriter | None  # openpyxl's, made on the first write

    def __init__(self, parent: Workbook, title: str, kinds: Sequence[str]) -> None:
        super().__init__(parent, title)
        self.kinds = list(kinds)
        self.letters = [get_column_letter(i + 1) for i in range(len(kinds))]
        self.widths = [0] * len(kinds)
        self._rows_file: Any = SpooledTemporaryFile(max_size=4 * 2**20, mode="w+", encoding="utf-8")
        self._row_count = 0
        money = WriteOnlyCell(self)
        money.number_format = MONEY_FORMAT
        head = WriteOnlyCell(self)
        head.font = Font(bold=True)
        head.fill = PatternFill("solid", fgColor="DDEBF7")
        head.border = Border(bottom=_THIN)
        head.alignment = Alignment(horizontal="center", vertical="center")
        total_money = WriteOnlyCell(self)
        total_money.number_format = MONEY_FORMAT
        total_money.font = Font(bold=True)
        total_text = WriteOnlyCell(self)
        total_text.font = Font(bold=True)
        ids = {k: f' s="{c.style_id}"' for k, c in
               {"money": money, "head": head, "total_money": total_money, "total_text": total_text}.items()}
        # Per role and column: how a cell starts (<c r="B) and its style attribute.
        styles = {
            "head": [ids["head"]] * len(kinds),
            "row": [ids["money"] if k == MONEY else "" for k in kinds],
            "total": [ids["total_money"] if k == MONEY else ids["total_text"] for k in kinds],
        }
        self._starts = {role: [('<c r="' + letter, '"' + style) for letter, style in zip(self.letters, cols, strict=True)]
                        for role, cols in styles.items()}

    # Layout and printing -------------------------------------------------------------------
    def setup_print(self) -> None:
        """Frozen header row repeated on every printed page; landscape A4 fitted to the width."""
        self.freeze_panes = "A2"
        self.print_title_rows = "1:1"
        self.page_setup.orientation = "landscape"
        self.page_setup.paperSize = 9  # A4
        self.page_setup.fitToWidth = 1
        self.page_setup.fitToHeight = 0
        self.sheet_properties.pageSetUpPr.fitToPage = True
        self.print_options.horizontalCentered = True

    def calculate_dimension(self) -> str:
        return f"A1:{self.letters[-1]}{max(self._row_count, 1)}"

    # Rows ----------------------------------------------------------------------------------
    def header(self, labels: Sequence[str]) -> None:
        self._write("head", labels)

    def row(self, values: Sequence[Any]) -> None:
        self._write("row", values)

    def total(self, values: Sequence[Any]) -> None:
        self._write("total", values)

    def measure(self, column: int, width: int) -> None:
        """Widen a column for content written without this sheet seeing it as text."""
        if width > self.widths[column]:
            self.widths[column] = width

    def _write(self, role: str, values: Sequence[Any]) -> None:
        """One row as SpreadsheetML text. The hot loop of a 46,000-row workbook: keep it lean."""
        self._row_count += 1
        r = str(self._row_count)
        out = ['<row r="', r, '">']
        widths = self.widths
        starts = self._starts[role]
        for i, value in enumerate(values):
            if value is None:
                continue
            start, style = starts[i]
            kind = type(value)
            if kind is str:
                w = len(value) if value.isascii() else _wide(value)
                out += (start, r, style, ' t="inlineStr">', _text(value), "</c>")
            else:
                if kind is Decimal:
                    number = format(value, "f")
                elif kind is int:
                    number = str(value)
                else:
                    raise TypeError(f"a numeric cell takes int or Decimal, not {kind.__name__}")
                w = len(number) + len(number) // 4  # with the thousands separators it is shown with
                out += (start, r, style, ' t="n"><v>', number, "</v></c>")
            if w > widths[i]:
                widths[i] = w
        out.append("</row>")
        self._rows_file.write("".join(out))

    def append(self, row: Any) -> None:
        raise TypeError("TypedSheet rows are written with header(), row() and total()")

    # openpyxl hooks ------------------------------------------------------------------------
    def _get_writer(self) -> None:
        if self._writer is None:
            for letter, width in zip(self.letters, self.widths, strict=True):
                self.column_dimensions[letter].width = min(max(width + 2, 6), _MAX_WIDTH)
            writer = _SplicingWriter(self)
            self._writer = writer
            writer.write_top()

    def splice_rows(self, path: str) -> None:
        """Put the rows into the finished sheet file at `path` (its <sheetData/>)."""
        with open(path, "rb") as fh:
            head, found, tail = _split(fh.read())
        if not found:
            raise RuntimeError("openpyxl wrote no <sheetData/> to splice the rows into")
        tmp = path + ".rows"
        self._rows_file.seek(0)
        with open(tmp, "wb") as out:
            out.write(head + b"<sheetData>")
            while chunk := self._rows_file.read(1 << 20):
                out.write(chunk.encode("utf-8"))
            out.write(b"</sheetData>" + tail)
        self._rows_file.close()
        os.replace(tmp, path)

    def discard(self) -> None:
        self._rows_file.close()


def _split(content: bytes) -> tuple[bytes, bool, bytes]:
    m = _EMPTY_SHEET_DATA.search(content)
    if m is None:
        return content, False, b""
    return content[:m.start()], True, content[m.end():]


def add_sheet(wb: Workbook, title: str, kinds: Sequence[str]) -> TypedSheet:
    ws = TypedSheet(wb, title, kinds)
    wb._add_sheet(ws)
    return ws

