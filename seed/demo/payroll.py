"""Demo payroll inputs and history: special deductions, a few adjustments, this year's past
months calculated, approved and locked, and the current month calculated."""
from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hr.accounts.models import User
from hr.core.db import db
from hr.core.timeutil import today
from payroll.inputs.models import Adjustment, Declaration
from payroll.runs import services

DECLARATIONS = (
    # kind, monthly amount, share of workers
    ("子女教育", Decimal("2000"), 0.38),
    ("赡养老人", Decimal("3000"), 0.12),
    ("赡养老人", Decimal("1500"), 0.14),
    ("住房贷款利息", Decimal("1000"), 0.12),
    ("3岁以下婴幼儿照护", Decimal("2000"), 0.05),
    ("继续教育", Decimal("400"), 0.03),
)


def seed_inputs(rng: random.Random, worker_ids: list[int], district: Any) -> None:
    year = today().year
    start = date(year, 1, 1)
    rows = []
    for wid in worker_ids:
        kinds: set[str] = set()
        for kind, amount, share in DECLARATIONS:
            if kind in kinds or rng.random() >= share:
                continue
            kinds.add(kind)
            rows.append(Declaration(worker_id=wid, district_id=district.id, kind=kind, monthly=amount,
                                    dependent="子女一" if kind in ("子女教育", "3岁以下婴幼儿照护") else "",
                                    start_month=start, created_by="demo"))
        if "住房贷款利息" not in kinds and rng.random() < 0.08:
            rows.append(Declaration(worker_id=wid, district_id=district.id, kind="住房租金", monthly=Decimal("1500"),
                                    start_month=start, created_by="demo"))
    db.session.add_all(rows)
    # A handful of back-pay and deduction lines in the current month.
    month = today().replace(day=1)
    for wid in rng.sample(worker_ids, min(len(worker_ids), max(3, len(worker_ids) // 200))):
        if rng.random() < 0.7:
            db.session.add(Adjustment(worker_id=wid, district_id=district.id, pay_month=month, kind="补发",
                                      amount=Decimal(rng.choice(("200.00", "350.00", "500.00"))),
                                      reason="社区防汛值守补贴", created_by="demo"))
        else:
            db.session.add(Adjustment(worker_id=wid, district_id=district.id, pay_month=month, kind="补扣",
                                      amount=Decimal("-120.00"), reason="上月多发交通补贴扣回", created_by="demo"))
    db.session.flush()


def seed_history(rng: random.Random, worker_ids: list[int], district: Any) -> None:
    """Run this year's months through the payroll services: past months locked, this one
    calculated. The city administrator calculates and locks, the district's reviewer approves
    (审批须由他人)."""
    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    reviewer = db.session.execute(
        select(User).where(User.role == "reviewer", User.district_id == district.id).order_by(User.id)
    ).scalars().first() or admin
    current = today().replace(day=1)
    for m in range(1, current.month + 1):
        run = services.get_or_create_run(district, date(current.year, m, 1), admin)
        if run.status != "draft":
            continue
        result = services.calculate_run(run, admin)
        if _advance_negative_nets(run, result, district):
            result = services.calculate_run(run, admin)
        if m < current.month:
            blocking = [p for p in result["problems"] if p["blocking"]]
            if blocking:
                raise RuntimeError(f"demo payroll {run.label} of {district.name}: {blocking[0]['message']}")
            services.approve_run(run, reviewer)
            services.lock_run(run, admin)


def seed_payroll(rng: random.Random, worker_ids: list[int], district: Any) -> None:
    seed_inputs(rng, worker_ids, district)
    seed_history(rng, worker_ids, district)



def _advance_negative_nets(run: Any, result: dict[str, Any], district: Any) -> bool:
    """What the officer does with a negative net pay (§6b), e.g. a hire on the last days of a
    month whose contributions exceed the prorated pay: the street advances the shortfall (补发)
    and takes it back in the next month (补扣). True when lines were added."""
    from payroll.calc.months import add_months
    from payroll.runs.models import Payslip

    ids = [p["worker_id"] for p in result["problems"] if p["code"] == "negative_net"]
    if not ids:
        return False
    nets = db.session.execute(select(Payslip.worker_id, Payslip.net).where(
        Payslip.run_id == run.id, Payslip.worker_id.in_(ids))).all()
    for wid, net in nets:
        db.session.add(Adjustment(worker_id=wid, district_id=district.id, pay_month=run.month, kind="补发",
                                  amount=-net, reason="本月社保个人缴费超过应发工资，单位垫付", created_by="demo"))
        db.session.add(Adjustment(worker_id=wid, district_id=district.id, pay_month=add_months(run.month, 1),
                                  kind="补扣", amount=net, reason="扣回上月单位垫付的社保个人缴费",
                                  created_by="demo"))
    db.session.flush()
    return True
