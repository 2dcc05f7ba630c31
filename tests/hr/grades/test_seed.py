"""The demo step seed.demo.grades.seed_grades on a small generated district."""
from __future__ import annotations

import random
from collections import Counter, defaultdict

import sqlalchemy as sa

from hr.core.db import db
from hr.core.timeutil import today
from hr.grades import promotion, rules
from hr.grades.models import Assessment, Assignment
from hr.grades.services import to_entry
from hr.org.models import Committee, Street
from hr.workers.models import Worker
from tests.conftest import HONGKOU, district


def _small_district(make_user, committees=6, per_committee=8):
    from hr.workers.services import create_worker
    from seed.demo.generate import make_worker_data

    admin = make_user("admin", username="admin")
    make_user("officer", HONGKOU, username="hongkou")
    d = district(HONGKOU)
    rng = random.Random(7)
    chosen = db.session.execute(sa.select(Committee).join(Street).where(Street.district_id == d.id)
                                .order_by(Committee.code).limit(committees)).unique().scalars().all()
    used: set[str] = set()
    ids = []
    for c in chosen:
        for _ in range(per_committee):
            ids.append(create_worker(make_worker_data(rng, c, d.code, used, today()), admin).id)
    db.session.commit()
    return rng, ids, d


def test_seed_grades_on_a_small_district(app, make_user):
    from seed.demo.grades import seed_grades

    rng, ids, d = _small_district(make_user)
    seed_grades(rng, ids, d)
    db.session.commit()
    workers = {w.id: w for w in db.session.execute(sa.select(Worker).where(Worker.id.in_(ids))).unique().scalars()}
    entries: dict[int, list] = defaultdict(list)
    for a in db.session.execute(sa.select(Assignment).order_by(Assignment.effective, Assignment.id)).scalars():
        entries[a.worker_id].append(a)
    assert set(entries) == set(ids)

    # every worker: one entry grade on the 1st of the hire month, grades inside the post range
    for wid, rows in entries.items():
        assert rows[0].reason == "入职定级" and rows[0].effective == workers[wid].hire_date.replace(day=1)
        assert all(rules.in_range(a.post, a.grade) for a in rows)
        assert {a.reason for a in rows[1:]} <= {"年度晋级", "提前晋级"}

    # post mix: one or two LEAD and one or two SUPV per committee
    per_committee: dict[int, Counter] = defaultdict(Counter)
    for wid, rows in entries.items():
        per_committee[workers[wid].committee_id][rows[0].post] += 1
    for counts in per_committee.values():
        assert 1 <= counts["LEAD"] <= 2 and 1 <= counts["SUPV"] <= 2

    # ratings: none for a year hired after 30 September, none for this year or later
    ratings: dict[int, dict[int, str]] = defaultdict(dict)
    for a in db.session.execute(sa.select(Assessment)).scalars():
        ratings[a.worker_id][a.year] = a.rating
        w = workers[a.worker_id]
        assert rules.not_assessed_reason(a.year, w.hire_date) is None and a.year < today().year
    assert sum(len(r) for r in ratings.values()) > 0

    # the grades are exactly what the rules give for those histories
    for wid, rows in entries.items():
        w = workers[wid]
        h = rules.History([to_entry(rows[0])])
        for year in range(w.hire_date.year + 1, today().year + 1):
            h.run(year, ratings[wid], w.hire_date, w.leave_date)
        assert [(e.effective, e.grade, e.reason) for e in h.entries] == [(a.effective, a.grade, a.reason) for a in rows]

    # so this year's run has nothing left to approve
    assert not [x for x in promotion.compute(d.id, today().year) if x.approvable]
    assert all(a.approved_by == "hongkou" for rows in entries.values() for a in rows)


def test_seed_rating_mix_is_plausible(app, make_user):
    from seed.demo.grades import RATING_MIX, _pick

    rng = random.Random(1)
    counts = Counter(_pick(rng, RATING_MIX) for _ in range(20000))
    assert 0.18 < counts["优秀"] / 20000 < 0.22 and 0.72 < counts["合格"] / 20000 < 0.78
    assert counts["不合格"] > 0 and counts["基本合格"] > counts["不合格"]

