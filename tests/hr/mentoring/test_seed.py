"""The demo seed: studios led by experienced secretaries, a cohort of the current year, pairings
through the suggestion, a few activities."""
import random
from collections import Counter
from datetime import date

from hr.core.timeutil import today
from tests.conftest import HONGKOU, district
from tests.helpers.mentoring import Y


def test_seed_mentoring(mentor, mentee, person):
    from hr.core.db import db
    from hr.mentoring.models import Activity, Cohort, Pairing, Studio, StudioMember
    from seed.demo.mentoring import seed_mentoring

    seniors = [mentor(street=i % 3, grade=12 + i % 5) for i in range(9)]
    fresh = [mentee(street=i % 4) for i in range(12)]
    others = [person(post="STAF", grade=5, hired=date(2012, 1, 1)) for _ in range(3)]
    ids = [w.id for w in seniors + fresh + others]
    seed_mentoring(random.Random(1), ids, district(HONGKOU))
    db.session.commit()
    studios = db.session.query(Studio).all()
    assert 2 <= len(studios) <= 3  # one per street with a senior secretary, at most 4
    assert all(s.name == f"{s.lead.name}书记工作室" and s.street_id == s.lead.street_id for s in studios)
    assert len({s.street_id for s in studios}) == len(studios)
    assert all(db.session.query(StudioMember).filter_by(studio_id=s.id).count() >= 3 for s in studios)
    assert db.session.query(Cohort).filter_by(year=Y).count() == len(studios)
    pairings = db.session.query(Pairing).all()
    assert pairings and all(p.status == "进行中" and p.year == Y for p in pairings)
    assert max(Counter(p.mentor_id for p in pairings).values()) <= 5
    assert {p.mentee_id for p in pairings} <= {w.id for w in fresh}
    assert all(p.basis.startswith(("同街镇·", "跨街镇·")) for p in pairings)
    for a in db.session.query(Activity).all():
        assert a.pairing.start_on <= a.held_on <= min(today(), a.pairing.end_on)


def test_seed_without_experienced_secretaries_does_nothing(mentee):
    from hr.core.db import db
    from hr.mentoring.models import Studio
    from seed.demo.mentoring import seed_mentoring

    ids = [mentee().id for _ in range(3)]
    seed_mentoring(random.Random(1), ids, district(HONGKOU))
    assert db.session.query(Studio).count() == 0
