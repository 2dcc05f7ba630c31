"""Applying a checked register import: everything in one transaction, or nothing."""
from __future__ import annotations

import os
import re
import secrets
from typing import Any

from flask import current_app

from hr.audit.services import record
from hr.core.errors import DomainError
from hr.workers.excel import ImportPlan
from hr.workers.services import create_worker, update_worker

TOKEN = re.compile(r"^[0-9a-f]{32}$")


def stash(content: bytes, user_id: int) -> str:
    """Keep an uploaded file until the officer confirms the preview."""
    token = secrets.token_hex(16)
    fd = os.open(_path(token, user_id), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # personal data: 0600
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
    return token


def unstash(token: str, user_id: int) -> bytes:
    if not TOKEN.match(token or ""):
        raise DomainError("导入批次无效，请重新上传文件。")
    try:
        with open(_path(token, user_id), "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise DomainError("导入批次已过期或已完成，请重新上传文件。") from None


def discard(token: str, user_id: int) -> None:
    if TOKEN.match(token or ""):
        try:
            os.remove(_path(token, user_id))
        except FileNotFoundError:
            pass


def _path(token: str, user_id: int) -> str:
    return os.path.join(current_app.config["UPLOAD_FOLDER"], f"workers-{user_id}-{token}.xlsx")


def apply_plan(plan: ImportPlan, district_id: int | None, user: Any = None, filename: str = "") -> dict[str, int]:
    """Write a valid plan. The caller commits once; any failure rolls everything back."""
    if not plan.ok:
        raise DomainError("文件有错误，未导入任何数据。")
    from hr.grades.register import apply_grade_columns

    for p in plan.create:
        apply_grade_columns(create_worker(p.data, user), p.data, user)
    for p, worker in plan.grading:
        apply_grade_columns(worker, p.data, user)
    for p, worker, _changes in plan.update:
        update_worker(worker, p.data, None, user)
    counts = {"created": len(plan.create), "updated": len(plan.update), "unchanged": plan.unchanged,
              "graded": len(plan.grading)}
    record("import", "worker", None, district_id=district_id, user=user,
           summary=f"导入名册 {filename}：新增 {counts['created']}，更新 {counts['updated']}，未变 {counts['unchanged']}",
           changes={"file": filename, **counts})
    return counts
