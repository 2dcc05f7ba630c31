"""Demo posts, grades and assessment histories, through the grades services and the pure
promotion rule, so that every generated grade is one the rules would have produced."""
from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from hr.accounts.models import User
from hr.core.db import db
from hr.core.timeutil import today
from hr.grades import rules
from hr.grades.services import SYSTEM, add_promotions, assign_entry, save_ratings, to_entry
from hr.workers.models import Worker
from hr.workers.services import EDITABLE, update_worker

RATING_MIX = (("优秀", 0.20), ("合格", 0.75), ("基本合格", 0.04), ("不合格", 0.01))
SHIYE_SHARE = 0.03  # of LEAD workers: 居民区书记 on 事业待遇


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    x = rng.random()
    for value, p in table:
        x -= p
        if x < 0:
            return value
    return table[-1][0]


def _actor(district: Any) -> Any:
    user = db.session.execute(
        select(User).where(User.district_id == district.id, User.role == "officer").order_by(User.id).limit(1)
    ).scalar_one_or_none()
    return user or db.session.execute(select(User).where(User.role == "admin").limit(1)).scalar_one_or_none() or SYSTEM


def _posts(rng: random.Random, workers: list[Worker]) -> dict[int, str]:
    """Per committee: one 书记/主任 (LEAD, two in some larger committees) and one or two 副职
    (SUPV), chosen among the longer-serving; everyone else STAF (≈ 15% / 20% / 65%)."""
    posts = {w.id: "STAF" for w in workers}
    senior = sorted(workers, key=lambda w: (w.hire_date, w.id))
    pool = senior[:max(2, (len(senior) * 3 + 4) // 5)]
    rng.shuffle(pool)
    n_lead = 1 + (len(workers) >= 6 and rng.random() < 0.2)
    n_supv = 1 + (len(workers) >= 5 and rng.random() < 0.55)
    for w in pool[:n_lead]:
        posts[w.id] = "LEAD"
    for w in pool[n_lead:n_lead + n_supv]:
        posts[w.id] = "SUPV"
    return posts


def seed_grades(rng: random.Random, worker_ids: list[int], district: Any) -> None:
    """Entry assignments, rating histories and the promotions they imply, for the workers just
    generated in `district` (a step of the demo, see seed.cli.demo_steps)."""
    user = _actor(district)
    now = today()
    workers: list[Worker] = []
    for i in range(0, len(worker_ids), 900):
        workers.extend(db.session.execute(
            select(Worker).where(Worker.id.in_(worker_ids[i:i + 900]))).unique().scalars())
    by_committee: dict[int, list[Worker]] = defaultdict(list)
    for w in sorted(workers, key=lambda w: (w.committee_id, w.id)):
        by_committee[w.committee_id].append(w)

    histories: dict[int, rules.History] = {}
    ratings: dict[int, dict[int, str]] = {}
    items = []
    leads = []
    for committee_workers in by_committee.values():
        posts = _posts(rng, committee_workers)
        for w in committee_workers:
            entry = assign_entry(w, posts[w.id], None, "", user)
            histories[w.id] = rules.History([to_entry(entry)])
            if posts[w.id] == "LEAD":
                leads.append(w)
            mine = ratings[w.id] = {}
            for year in range(w.hire_date.year, now.year):
                if rules.not_assessed_reason(year, w.hire_date, w.leave_date) is None:
                    mine[year] = _pick(rng, RATING_MIX)
                    items.append((w, year, mine[year]))
    save_ratings(items, user)

    by_year: dict[int, list[tuple[int, int, rules.Proposal]]] = defaultdict(list)
    for w in workers:
        for year in range(w.hire_date.year + 1, now.year + 1):
            p = histories[w.id].run(year, ratings[w.id], w.hire_date, w.leave_date)
            if p is not None and p.rises:
                by_year[year].append((w.id, w.district_id, p))
    for year in sorted(by_year):
        add_promotions(by_year[year], year, user)

    for w in leads:
        if rng.random() < SHIYE_SHARE:
            update_worker(w, {**{k: getattr(w, k) for k in EDITABLE}, "shiye": True}, None, user)
    db.session.flush()
