"""Recording audit entries. Called by services inside the caller's transaction, so an entry
exists exactly when the change it describes was committed."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context
from flask_login import current_user

from hr.audit.models import AuditEntry
from hr.core.db import db

ACTIONS = {
    "create": "新增",
    "update": "修改",
    "leave": "离职登记",
    "import": "导入",
    "export": "导出",
    "print": "打印",
    "login": "登录",
    "delete": "删除",
    "approve": "审批",
    "calculate": "计算",
    "lock": "锁定",
    "api": "API 调用",
}


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [before, after]}."""
    return {
        k: [_plain(before.get(k)), _plain(after.get(k))]
        for k in after
        if _plain(before.get(k)) != _plain(after.get(k))
    }


def record(
    action: str,
    object_type: str,
    object_id: int | None,
    *,
    district_id: int | None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    user: Any = None,
) -> AuditEntry:
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    entry = AuditEntry(
        action=action,
        object_type=object_type,
        object_id=object_id,
        district_id=district_id,
        summary=summary[:200],
        changes=changes,
        user_id=getattr(user, "id", None),
        username=getattr(user, "username", "") or "system",
    )
    db.session.add(entry)
    return entry
