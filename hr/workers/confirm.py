"""The confirm step shared by the Excel imports (register, ratings, payroll inputs, opening
balances): the upload stashed at the preview is read again and, when it still has no error,
saved in one unit of work; on any refusal nothing is written and the message is shown."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash
from flask_login import current_user

from hr.core.errors import DomainError
from hr.core.unit_of_work import unit_of_work
from hr.workers import imports
from hr.workers.excel import ImportFileError

T = TypeVar("T")

STALE = "自预览以来数据已变化，文件现有错误，未导入任何数据。请重新上传。"


def apply_confirmed(form: Any, read: Callable[[bytes], Any], save: Callable[[Any, str], T]) -> T | None:
    """`read(content)` gives the plan (with `.ok`), `save(plan, filename)` writes it and returns
    the counts. None when refused (the reason is flashed); the stash is discarded once saved."""
    if not form.validate_on_submit():
        flash("导入批次无效，请重新上传文件。", "danger")
        return None
    token = form.token.data or ""
    with unit_of_work() as work:
        try:
            plan = read(imports.unstash(token, current_user.id))
        except ImportFileError as e:
            raise DomainError(str(e)) from e
        if not plan.ok:
            raise DomainError(STALE)
        result = save(plan, form.filename.data or "")
    if not work.ok:
        return None
    imports.discard(token, current_user.id)
    return result
