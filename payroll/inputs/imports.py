"""Applying a checked import of declarations or adjustments: everything in one transaction,
or nothing (the caller commits once)."""
from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_login import current_user

from hr.accounts.scope import require_write
from hr.audit.services import diff, record
from hr.core.db import db
from hr.workers.excel import ImportFileError
from payroll.inputs.excel import DECLARATIONS, Plan
from payroll.inputs.models import Adjustment, Declaration
from payroll.inputs.services import adjustment_snapshot, month_text, username_of


def apply(plan: Plan, user: Any = None, filename: str = "") -> dict[str, int]:
    """Write a valid plan. The caller commits once; any failure rolls everything back."""
    if not plan.ok:
        raise ImportFileError("文件有错误，未导入任何数据。")
    actor = user if user is not None else (current_user if has_request_context() else None)
    for district_id in {line.worker.district_id for line in plan.create + plan.update}:
        require_write(district_id, actor)
    by = username_of(actor)
    object_type = "declaration" if plan.spec is DECLARATIONS else "adjustment"
    for line in plan.create:
        w = line.worker
        model = Declaration if plan.spec is DECLARATIONS else Adjustment
        obj = model(worker_id=w.id, district_id=w.district_id, created_by=by, **line.values)
        db.session.add(obj)
        db.session.flush()
        snap = adjustment_snapshot(obj) if object_type == "adjustment" else {
            "kind": obj.kind, "dependent": obj.dependent, "monthly": obj.monthly,
            "start_month": month_text(obj.start_month), "end_month": month_text(obj.end_month)}
        record("create", object_type, obj.id, district_id=w.district_id, user=user,
               summary=f"{w.name} 导入{plan.spec.title}（第 {line.row} 行）", changes=diff({}, snap))
    for line in plan.update:
        obj = line.existing
        obj.monthly, obj.end_month = line.values["monthly"], line.values["end_month"]
        db.session.flush()
        record("update", object_type, obj.id, district_id=line.worker.district_id, user=user,
               summary=f"{line.worker.name} 导入{plan.spec.title}更新（第 {line.row} 行）", changes=line.changes)
    counts = {"created": len(plan.create), "updated": len(plan.update), "unchanged": plan.unchanged}
    record("import", object_type, None, district_id=getattr(actor, "district_id", None), user=actor,
           summary=f"导入{plan.spec.title} {filename}：新增 {counts['created']}，更新 {counts['updated']}，"
                   f"未变 {counts['unchanged']}", changes={"file": filename, **counts})
    return counts
