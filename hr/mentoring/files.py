"""Cohort documents (带教计划, 年度总结): checked for type (by extension *and* first bytes) and size,
written under UPLOAD_FOLDER/mentoring with a random name, recorded with the uploaded name for
the download. Like the services, these add, flush and audit; the view commits."""
from __future__ import annotations

import os
import secrets
import zipfile
from io import BytesIO
from typing import Any

from flask import current_app

from hr.accounts.scope import require_write
from hr.audit.services import record
from hr.core.db import db
from hr.core.uploads import UploadDamaged, UploadRefused, check_zip
from hr.grades.services import actor
from hr.mentoring.models import FILE_KINDS, Cohort, CohortFile
from hr.mentoring.services import MentoringInvalid, actor_name

# Accepted documents: extension → the mimetype sent back; `_looks_like` checks the content.
FILE_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}


def _looks_like(ext: str, content: bytes) -> bool:
    if ext == "pdf":
        return content.startswith(b"%PDF-")
    if ext in ("jpg", "jpeg"):
        return content.startswith(b"\xff\xd8\xff")
    if ext == "png":
        return content.startswith(b"\x89PNG\r\n\x1a\n")
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        names = set(zipfile.ZipFile(BytesIO(content)).namelist())
    except zipfile.BadZipFile:
        return False
    return ("word/document.xml" if ext == "docx" else "xl/workbook.xml") in names


def upload_dir() -> str:
    path = os.path.join(current_app.config["UPLOAD_FOLDER"], "mentoring")
    os.makedirs(path, exist_ok=True)
    return path


def file_path(f: CohortFile) -> str:
    return os.path.join(upload_dir(), f.stored_name)


def max_upload() -> int:
    return int(current_app.config.get("MENTORING_MAX_UPLOAD", 8 * 1024 * 1024))


def store_file(cohort: Cohort, kind: str, filename: str, content: bytes, user: Any = None) -> CohortFile:
    """Check the document and write it under a random name. The caller commits, and removes
    the written file (`remove_stored(file_path(f))`) if the work is rolled back."""
    user = actor(user)
    require_write(cohort.district_id, user)
    if kind not in FILE_KINDS:
        raise MentoringInvalid({"kind": "请选择文件类别（带教计划/年度总结）"})
    name = os.path.basename((filename or "").replace("\\", "/")).strip()[-128:] or "附件"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in FILE_TYPES:
        raise MentoringInvalid({"file": "只接受 PDF、Word（.docx）、Excel（.xlsx）、JPG 或 PNG 文件"})
    if not content:
        raise MentoringInvalid({"file": "文件为空"})
    if len(content) > max_upload():
        raise MentoringInvalid({"file": f"文件不能超过 {max_upload() // (1024 * 1024)} MB"})
    if ext in ("docx", "xlsx"):
        try:
            check_zip(content, "文件")
        except UploadDamaged:
            pass  # said below: the content does not match the extension
        except UploadRefused as e:
            raise MentoringInvalid({"file": e.message}) from None
    if not _looks_like(ext, content):
        raise MentoringInvalid({"file": f"文件内容与扩展名 .{ext} 不符，请上传真实的 {ext.upper()} 文件"})
    stored = f"{secrets.token_hex(16)}.{ext}"
    f = CohortFile(cohort_id=cohort.id, district_id=cohort.district_id, kind=kind, filename=name,
                   stored_name=stored, mimetype=FILE_TYPES[ext], size=len(content), uploaded_by=actor_name(user))
    db.session.add(f)
    db.session.flush()
    fd = os.open(os.path.join(upload_dir(), stored), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
    record("create", "cohort_file", f.id, district_id=cohort.district_id, user=user,
           summary=f"{cohort.studio.name} {cohort.year} 年{FILE_KINDS[kind]}：上传 {name}",
           changes={"file": name, "size": len(content)})
    return f


def delete_file(f: CohortFile, user: Any = None) -> str:
    """Remove the record; returns the path the caller deletes once the commit succeeded."""
    user = actor(user)
    require_write(f.district_id, user)
    path = file_path(f)
    record("delete", "cohort_file", f.id, district_id=f.district_id, user=user,
           summary=f"{f.cohort.studio.name} {f.cohort.year} 年{f.kind_name}：删除 {f.filename}",
           changes={"file": f.filename})
    db.session.delete(f)
    db.session.flush()
    return path


def remove_stored(path: str) -> None:
    """Remove a stored document's file, if it is there."""
    if os.path.exists(path):
        os.remove(path)
