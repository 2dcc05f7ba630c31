"""Whether an adjustment was paid: read from the slip of its month that actually carried it,
never from the month's status alone."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from hr.core.db import db
from payroll.runs.models import PayrollRun, Payslip

CARRIED = {"locked": "已发放", "approved": "已审批待发放", "calculated": "已计入本月计算"}
NOT_CARRIED = "未计入，待重新计算"


def line_key(kind: str, amount: Any, reason: str, corrects_month: str | None) -> tuple[str, str, str, str | None]:
    return kind, f"{amount:.2f}" if not isinstance(amount, str) else amount, reason, corrects_month


def adjustment_states(adjustments: Iterable[Any]) -> dict[int, str]:
    """adjustment id → 已发放 / 已审批待发放 / 已计入本月计算 / 未计入，待重新计算; absent while its month
    has no calculated run."""
    adjs = list(adjustments)
    keys = {(a.worker_id, a.pay_month) for a in adjs}
    if not keys:
        return {}
    slips: dict[tuple[int, Any], tuple[str, Counter[tuple[str, str, str, str | None]]]] = {}
    for worker_id, month, status, lines in db.session.execute(
        select(Payslip.worker_id, Payslip.month, PayrollRun.status, Payslip.adjustment_lines).join(PayrollRun)
        .where(Payslip.worker_id.in_({w for w, _ in keys}), Payslip.month.in_({m for _, m in keys}))
    ):
        carried: Counter[tuple[str, str, str, str | None]] = Counter(
            line_key(line["kind"], line["amount"], line.get("reason", ""), line.get("corrects_month"))
            for line in lines or [] if not line.get("auto"))
        slips[(worker_id, month)] = (status, carried)
    runs = dict(db.session.execute(
        select(PayrollRun.month, PayrollRun.status).where(
            PayrollRun.district_id.in_({a.district_id for a in adjs}), PayrollRun.month.in_({m for _, m in keys}),
            PayrollRun.status != "draft")).all())
    out: dict[int, str] = {}
    for a in sorted(adjs, key=lambda a: a.id):
        found = slips.get((a.worker_id, a.pay_month))
        key = line_key(a.kind, a.amount, a.reason, a.corrects_month.isoformat() if a.corrects_month else None)
        if found is not None and found[1][key] > 0:
            found[1][key] -= 1
            out[a.id] = CARRIED[found[0]]
        elif a.pay_month in runs:
            out[a.id] = NOT_CARRIED
    return out
