"""The demo generator: realistic make-up, calibrated pay, deterministic, through the services."""
from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from hr.core.db import db
from hr.grades.models import Assignment
from hr.workers.idcard import parse
from hr.workers.models import Worker
from payroll.budget.service import project
from seed.demo import generate
from seed.demo.grades import seed_grades
from tests.conftest import HONGKOU, district

PUBLISHED_MEAN_2017 = 87000


def _sample(make_user, committees: int = 45, seed: int = 7) -> list[int]:
    make_user("admin", username="admin")
    d = district(HONGKOU)
    rng = random.Random(seed)
    ids = generate.generate_district(d, rng, committees_limit=committees)
    seed_grades(rng, ids, d)
    db.session.commit()
    return ids


def test_sample_has_the_published_make_up_and_calibrated_pay(make_user):
    ids = _sample(make_user)
    workers = db.session.execute(select(Worker).where(Worker.id.in_(ids))).unique().scalars().all()
    today = date.today()
    ages = [(today - w.birth_date).days / 365.25 for w in workers]
    assert 36 <= sum(ages) / len(ages) <= 40  # average age 38
    college = sum(w.education != "高中/中专" for w in workers) / len(workers)
    assert 0.78 <= college <= 0.87  # 82.5% 大专 or above
    party = sum(w.political_status in ("中共党员", "中共预备党员") for w in workers) / len(workers)
    assert 0.28 <= party <= 0.38  # 33% party members
    for w in workers:  # valid numbers from the district's own area code, consistent with the register
        info = parse(w.id_number)
        assert info.area_code == HONGKOU and info.birth_date == w.birth_date and info.gender == w.gender
    graded = db.session.execute(select(func.count(func.distinct(Assignment.worker_id)))).scalar_one()
    assert graded == len(workers)
    budget = project(2017, "2017", district(HONGKOU).id)
    assert abs(budget.mean_gross - PUBLISHED_MEAN_2017) / PUBLISHED_MEAN_2017 <= 0.03, budget.mean_gross


def test_same_seed_same_people(app):
    from tests.conftest import committee_in

    committee = committee_in(HONGKOU, 3)

    def people(seed: int) -> list[tuple[str, str, str]]:
        rng = random.Random(seed)
        used: set[str] = set()
        rows = [generate.make_worker_data(rng, committee, HONGKOU, used, date(2026, 11, 1)) for _ in range(50)]
        return [(r["name"], r["id_number"], r["phone"]) for r in rows]

    assert people(3) == people(3)
    assert people(3) != people(4)
    assert len({p[1] for p in people(3)}) == 50


def test_sample_statistics_reproduce_the_published_make_up(make_user):
    """The current year's figures of a generated sample, computed by the statistics service,
    as the report describes the city: mean age 38 ± 1.5, 大专 or higher 82.5% ± 2 points, party
    members 33% ± 2 points (a sample of about 1,000 workers: one standard error is ~1.2 points)."""
    from stats.service import workforce

    admin = make_user("admin", username="admin")
    d = district(HONGKOU)
    ids = generate.generate_district(d, random.Random(2026), committees_limit=130)
    db.session.commit()
    report = workforce(date.today().year, admin, d.id)
    t = report.total
    assert t.headcount == len(ids) > 900
    assert abs(t.mean_age - 38) <= Decimal("1.5"), t.mean_age
    assert abs(t.share_college - Decimal("0.825")) <= Decimal("0.02"), t.share_college
    assert abs(t.share_party - Decimal("0.33")) <= Decimal("0.02"), t.share_party
