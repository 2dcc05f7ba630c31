"""Opening balances as the first month's cumulative withholding state."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hr.audit.services import record
from hr.core.db import db
from payroll.opening.models import OpeningBalance


def _before(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def previous_slips(district_id: int, month: date, workers: Iterable[Any], prev: dict[int, Any],
                   assignments: dict[int, Any]) -> dict[int, Any]:
    """For workers with no slip yet this year, their opening balance as the previous month's
    state (PrevSlip), so that the first month in the system continues the year's cumulative
    withholding (§6b). Returns only the added entries."""
    from payroll.runs.context import PrevSlip

    wanted = {w.id: w for w in workers
              if w.id in assignments and (w.id not in prev or prev[w.id].month.year != month.year)}
    if not wanted or month.month == 1:
        return {}
    out: dict[int, Any] = {}
    ids = sorted(wanted)
    for i in range(0, len(ids), 900):
        for b in db.session.execute(select(OpeningBalance).where(
                OpeningBalance.worker_id.in_(ids[i:i + 900]), OpeningBalance.year == month.year,
                OpeningBalance.first_month <= month)).scalars():
            w, a = wanted[b.worker_id], assignments[b.worker_id]
            zero = Decimal("0.00")
            out[b.worker_id] = PrevSlip(
                month=_before(b.first_month), street_id=w.street_id, post=a.post, grade=a.grade, days_served=1,
                days_in_month=1, gross=zero, net=zero, si_base=zero, hf_base=zero, base=None, tax_months=b.months,
                cum_wages=b.cum_income, cum_si_hf=b.cum_si_hf, cum_special=b.cum_special, cum_tax=b.cum_tax,
                annual_bonus=zero, adjustments=zero, special=zero, qualification_allowance=zero)
    return out


def save(lines: list[dict[str, Any]], district_id: int, user: Any = None, filename: str = "") -> dict[str, int]:
    """Create or replace the balances of a checked plan (flushes; the caller commits)."""
    existing = {(b.worker_id, b.year): b for b in db.session.execute(
        select(OpeningBalance).where(OpeningBalance.worker_id.in_({x["worker_id"] for x in lines}))).scalars()}
    created = updated = 0
    name = getattr(user, "username", "") or ""
    for values in lines:
        row = existing.get((values["worker_id"], values["year"]))
        if row is None:
            db.session.add(OpeningBalance(**values, created_by=name))
            created += 1
        else:
            for k, v in values.items():
                setattr(row, k, v)
            updated += 1
    db.session.flush()
    record("import", "opening_balance", None, district_id=district_id, user=user,
           summary=f"导入期初累计 {filename}：新增 {created} 条，更新 {updated} 条",
           changes={"created": created, "updated": updated})
    return {"created": created, "updated": updated}
