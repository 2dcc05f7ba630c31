"""Hostile Excel files built by hand (no openpyxl): zip bombs, archives with too many parts, and
the largest workbook the upload limits let through, for the memory measurement."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="社区工作者名册" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
           '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
           '</Relationships>')
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = '</sheetData></worksheet>'
HEADERS = ["姓名", "身份证号", "手机号", "学历", "政治面貌", "职业资格", "资格取得日期", "入职日期", "社区工作年限",
           "街镇", "居委会", "事业待遇", "后备干部", "开户行", "银行账号", "岗位", "等级"]


def _package(parts: dict[str, bytes | Iterator[bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in parts.items():
            if isinstance(data, bytes):
                z.writestr(name, data)
            else:
                with z.open(name, "w", force_zip64=True) as fh:
                    for chunk in data:
                        fh.write(chunk)
    return buf.getvalue()


def _base(sheet: bytes | Iterator[bytes], shared: bytes | Iterator[bytes] | None = None) -> dict[str, bytes | Iterator[bytes]]:
    parts: dict[str, bytes | Iterator[bytes]] = {
        "[Content_Types].xml": CONTENT_TYPES.encode(), "_rels/.rels": RELS.encode(),
        "xl/workbook.xml": WORKBOOK.encode(), "xl/_rels/workbook.xml.rels": WB_RELS.encode(),
        "xl/worksheets/sheet1.xml": sheet}
    parts["xl/sharedStrings.xml"] = shared if shared is not None else (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>')
    return parts


def zip_bomb(inflated_mb: int = 200) -> bytes:
    """A workbook whose sheet is `inflated_mb` MB of blank space between two rows (a few hundred KB
    on the wire)."""
    def sheet() -> Iterator[bytes]:
        yield (SHEET_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>').encode()
        block = b" " * (1024 * 1024)
        for _ in range(inflated_mb):
            yield block
        yield SHEET_TAIL.encode()
    return _package(_base(sheet()))


def many_parts(n: int = 5000) -> bytes:
    parts = _base((SHEET_HEAD + SHEET_TAIL).encode())
    for i in range(n):
        parts[f"xl/media/p{i}.xml"] = b"<x/>"
    return _package(parts)


def worst_permitted(shared_mb: int = 7, rows: int = 20000, cols: int = 17) -> bytes:
    """The largest workbook the default limits accept: shared strings just under their limit
    (tiny distinct strings: the most Python objects per byte) and the most rows an import
    reads, every cell pointing at a shared string."""
    n = (shared_mb * 1024 * 1024) // 22

    def shared() -> Iterator[bytes]:
        yield f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">'.encode()
        for start in range(0, n, 10000):
            yield "".join(f"<si><t>{i:x}</t></si>" for i in range(start, min(n, start + 10000))).encode()
        yield b"</sst>"

    def sheet() -> Iterator[bytes]:
        yield SHEET_HEAD.encode()
        yield ('<row r="1">' + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in HEADERS[:cols])
               + "</row>").encode()
        for r in range(2, rows + 2):
            yield (f'<row r="{r}">' + "".join(f'<c t="s"><v>{(r * cols + c) % n}</v></c>' for c in range(cols))
                   + "</row>").encode()
        yield SHEET_TAIL.encode()

    return _package(_base(sheet(), shared()))


def ratio(content: bytes) -> tuple[int, int, int]:
    """(entries, uncompressed bytes, compressed bytes) as the directory states them."""
    infos = zipfile.ZipFile(io.BytesIO(content)).infolist()
    return len(infos), sum(i.file_size for i in infos), sum(i.compress_size for i in infos)





def worst_long_text(total_mb: int = 38, rows: int = 20000, cols: int = 17) -> bytes:
    """The other worst case: no shared strings, the sheet filled up to the total limit with long
    inline Chinese texts."""
    per_cell = (total_mb * 1024 * 1024) // (rows * cols)
    chars = max(1, (per_cell - 40) // 3)

    def sheet() -> Iterator[bytes]:
        yield SHEET_HEAD.encode()
        yield ('<row r="1">' + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in HEADERS[:cols])
               + "</row>").encode()
        for r in range(2, rows + 2):
            text = "".join(chr(0x4E00 + (r * 7919 + c * 104729) % 20000) for c in range(chars))
            yield (f'<row r="{r}">' + "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for _ in range(cols))
                   + "</row>").encode()
        yield SHEET_TAIL.encode()

    return _package(_base(sheet()))
