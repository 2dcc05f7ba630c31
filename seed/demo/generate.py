"""The demo: accounts for every district, and a deterministic workforce with the published
make-up of Shanghai's community workers (average age 38, 82.5% 大专 or above, 33% party members)."""
from __future__ import annotations

import os
import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from hr.accounts.models import User
from hr.accounts.services import create_user
from hr.core.db import db
from hr.core.timeutil import today
from hr.org.models import Committee, District, Street
from hr.workers.models import Worker
from hr.workers.services import create_worker
from seed.demo import people

DEFAULT_PASSWORD = "Shequ2026demo"
DEMO_DISTRICT = "310109"  # 虹口区
WORKERS_PER_COMMITTEE = 46000 / (4286 + 1588)


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


def ensure_accounts() -> list[tuple[str, str, str]]:
    """admin, one officer and one reviewer per district (named by pinyin, the reviewer
    `<pinyin>_review`) and audit. Returns the logins."""
    password = demo_password()
    logins = []
    existing = set(db.session.execute(select(User.username)).scalars())
    wanted: list[tuple[str, str, str | None, str]] = [("admin", "admin", None, "市级管理员")]
    for d in db.session.execute(select(District).order_by(District.code)).scalars():
        wanted.append((d.pinyin, "officer", d.code, f"{d.name}人事专员"))
        wanted.append((f"{d.pinyin}_review", "reviewer", d.code, f"{d.name}审核"))
    wanted.append(("audit", "auditor", None, "审计"))
    for username, role, code, display in wanted:
        if username not in existing:
            create_user(username, password, role, code, display, allow_demo=True)
        logins.append((username, role, code or "全市"))
    return logins


EDUCATION = (("高中/中专", 0.175), ("大专", 0.44), ("本科", 0.345), ("硕士", 0.037), ("博士", 0.003))
POLITICAL = (("中共党员", 0.31), ("中共预备党员", 0.02), ("共青团员", 0.09), ("民主党派", 0.01), ("群众", 0.57))
QUALIFICATION = (("无", 0.42), ("助理社会工作师", 0.36), ("社会工作师", 0.19), ("高级社会工作师", 0.03))


def pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    x = rng.random()
    for value, p in table:
        x -= p
        if x < 0:
            return value
    return table[-1][0]


def make_worker_data(rng: random.Random, committee: Committee, area: str, used: set[str], on: date) -> dict[str, Any]:
    gender = "女" if rng.random() < 0.68 else "男"
    birth = people.birth_date(rng, on)
    age = (on - birth).days / 365.25
    max_service = max(0.2, age - 21)
    service = min(max_service, rng.expovariate(1 / 8))
    hire = on - timedelta(days=int(service * 365.25))
    hire = max(hire, date(birth.year + 18, birth.month, 1))
    qualification = pick(rng, QUALIFICATION)
    qdate = None
    if qualification != "无":
        earliest = max(hire - timedelta(days=365 * 3), date(birth.year + 22, 1, 1))
        span = max(30, (on - earliest).days - 30)
        qdate = earliest + timedelta(days=rng.randrange(span))
    bank, account = people.bank_account(rng)
    return {
        "name": people.name(rng, gender),
        "id_number": people.id_number(rng, area, birth, gender, used),
        "phone": people.phone(rng),
        "education": pick(rng, EDUCATION),
        "political_status": pick(rng, POLITICAL),
        "qualification": qualification,
        "qualification_date": qdate,
        "hire_date": hire,
        "prior_years": rng.choice((0, 0, 0, 0, 1, 2, 3, 4, 6)),
        "committee_id": committee.id,
        "shiye": False,
        "reserve_cadre": rng.random() < 0.05,
        "bank_name": bank,
        "bank_account": account,
    }


def generate_district(district: District, rng: random.Random, progress: Callable[[int], None] | None = None,
                      committees_limit: int | None = None) -> list[int]:
    """Create the workforce of one district through the register's service (of its first
    `committees_limit` committees, for smaller samples). Returns worker ids."""
    on = today()
    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    used = set(db.session.execute(select(Worker.id_number)).scalars())
    committees = db.session.execute(
        select(Committee).join(Street).where(Street.district_id == district.id).order_by(Committee.code)
    ).unique().scalars().all()
    if committees_limit is not None:
        committees = committees[:committees_limit]
    ids = []
    for committee in committees:
        n = max(3, round(rng.gauss(WORKERS_PER_COMMITTEE, 1.5)))
        for _ in range(n):
            worker = create_worker(make_worker_data(rng, committee, district.code, used, on), admin)
            ids.append(worker.id)
        if progress:
            progress(n)
    return ids


def district_has_workers(district: District) -> bool:
    return bool(db.session.execute(select(func.count(Worker.id)).where(Worker.district_id == district.id)).scalar())
