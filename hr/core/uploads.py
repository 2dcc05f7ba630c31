"""Uploaded files: cheap checks before any parsing.

An .xlsx or .docx file is a zip archive. Its central directory states, for every entry, the
compressed and the uncompressed size; Python's zipfile never inflates an entry beyond the size
it states, so checking the directory (a few kilobytes, no decompression) bounds what any reader
(openpyxl) can inflate afterwards. Refused, with a Chinese message, before parsing:

- more than UPLOAD_ZIP_MAX_ENTRIES entries;
- more than UPLOAD_ZIP_MAX_UNCOMPRESSED bytes in all, or UPLOAD_ZIP_MAX_SHARED_STRINGS bytes in the
  shared-strings table (openpyxl keeps that table in memory; sheets are streamed row by row);
- an entry above 1 MB uncompressed that inflates more than UPLOAD_ZIP_MAX_RATIO times;
- an encrypted entry, or one whose stored sizes do not add up (a damaged or forged archive).

Memory bound of one import: the request body (≤ MAX_CONTENT_LENGTH, 10 MB), the shared strings
(≤ 8 MB of XML) as Python strings, one row at a time of the sheet, and the parsed rows (≤ 20,000);
measured peak below 300 MB for the worst file these limits let through (tests/security).
"""
from __future__ import annotations

import io
import zipfile

from flask import current_app

from hr.core.errors import ValidationError

MB = 1024 * 1024
DEFAULTS: dict[str, int] = {
    "UPLOAD_ZIP_MAX_ENTRIES": 256,
    "UPLOAD_ZIP_MAX_UNCOMPRESSED": 40 * MB,
    "UPLOAD_ZIP_MAX_SHARED_STRINGS": 8 * MB,
    "UPLOAD_ZIP_MAX_RATIO": 100,
}
RATIO_FLOOR = MB  # smaller entries may compress as well as they like
SHARED_STRINGS = "xl/sharedStrings.xml"


class UploadRefused(ValidationError):
    """The file is refused before it is read (message in Chinese)."""


class UploadDamaged(UploadRefused):
    """Not a readable zip archive at all."""


def limit(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def check_zip(content: bytes, what: str = "文件") -> zipfile.ZipFile:
    """Check a zip-based upload (.xlsx, .docx) from its directory alone and return the opened
    archive; raise UploadRefused when it is not a zip or is beyond the limits."""
    if not content.startswith(b"PK"):
        raise UploadDamaged(f"{what}不是有效的 Office 文件（.xlsx/.docx）。", "file")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise UploadDamaged(f"无法读取该{what}，文件可能已损坏或不是有效的 Office 文件（.xlsx/.docx）。", "file") from None
    entries = limit("UPLOAD_ZIP_MAX_ENTRIES")
    if len(infos) > entries:
        raise UploadRefused(f"{what}内部包含 {len(infos)} 个部件，超过上限 {entries} 个，拒绝处理。", "file")
    total = 0
    ratio = limit("UPLOAD_ZIP_MAX_RATIO")
    for info in infos:
        if info.flag_bits & 0x1:
            raise UploadRefused(f"{what}已加密，请取消密码保护后再上传。", "file")
        if info.file_size < 0 or info.compress_size < 0 or info.header_offset + info.compress_size > len(content):
            raise UploadDamaged(f"无法读取该{what}，文件可能已损坏或不是有效的 Office 文件（.xlsx/.docx）。", "file")
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > ratio * max(info.compress_size, 1):
            raise UploadRefused(
                f"{what}的压缩比异常（超过 {ratio} 倍），疑似压缩炸弹，拒绝处理。", "file")
        if info.filename == SHARED_STRINGS and info.file_size > limit("UPLOAD_ZIP_MAX_SHARED_STRINGS"):
            raise UploadRefused(
                f"{what}中的文字内容过多（超过 {limit('UPLOAD_ZIP_MAX_SHARED_STRINGS') // MB} MB），"
                "请分成几个文件上传。", "file")
    cap = limit("UPLOAD_ZIP_MAX_UNCOMPRESSED")
    if total > cap:
        raise UploadRefused(
            f"{what}解压后过大（{total // MB} MB，上限 {cap // MB} MB），请分成几个文件上传。", "file")
    return archive


def check_xlsx(content: bytes) -> None:
    """An Excel workbook within the limits (whether it is a workbook is openpyxl's to say)."""
    check_zip(content, "Excel 文件")
