"""Demo withholding agents: each street/town of the district gets its registered name and a
well-formed unified social credit code, and the district a bank format, through the services."""
from __future__ import annotations

import random
from typing import Any

from sqlalchemy import select

from hr.accounts.models import User
from hr.core.db import db
from payroll.filings import agents, services


def agent_name(district_name: str, street_name: str, kind: str) -> str:
    """How a street office or a town government is registered: 上海市虹口区人民政府欧阳路街道办事处,
    上海市浦东新区川沙新镇人民政府."""
    if kind == "街道":
        return f"上海市{district_name}人民政府{street_name}办事处"
    return f"上海市{district_name}{street_name}人民政府"


def seed_agents(rng: random.Random, worker_ids: list[int], district: Any) -> None:
    admin = db.session.execute(select(User).where(User.role == "admin").order_by(User.id)).scalars().first()
    if admin is None:
        return
    for street in district.streets:
        if not street.credit_code:
            agents.set_agent(street, agent_name(district.name, street.name, street.kind),
                             agents.demo_credit_code(street.code, district.code), admin)
    services.choose_format(district, "BANK_CSV" if rng.random() < 0.5 else "BANK_TXT", admin)
