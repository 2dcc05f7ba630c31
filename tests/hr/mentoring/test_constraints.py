"""What the database itself refuses: rows written directly, past the services."""
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from tests.helpers.mentoring import START, Y, cohort


@pytest.fixture
def base(studio, mentor, mentee):
    m, e = mentor(), mentee()
    s = studio(lead=m)
    return s, cohort(s), m, e


def _pairing(s, c, mentor_id, mentee_id, **kw):
    from hr.mentoring.models import Pairing

    values = dict(studio_id=s.id, cohort_id=c.id, district_id=s.district_id, year=Y, mentor_id=mentor_id,
                  mentee_id=mentee_id, slot=1, start_on=START, end_on=date(Y, 12, 31), status="进行中")
    values.update(kw)
    return Pairing(**values)


def _violates(*rows):
    from hr.core.db import db

    for row in rows:
        db.session.add(row)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def _accepts(*rows):
    from hr.core.db import db

    for row in rows:
        db.session.add(row)
    db.session.flush()
    db.session.rollback()


def test_no_self_pairing(base):
    s, c, m, _ = base
    _violates(_pairing(s, c, m.id, m.id))


def test_one_active_pairing_per_mentee(base, mentor):
    s, c, m, e = base
    other = mentor()
    _violates(_pairing(s, c, m.id, e.id), _pairing(s, c, other.id, e.id))
    # a closed one does not count
    _accepts(_pairing(s, c, m.id, e.id, status="已结业", evaluation="合格", closed_on=START),
             _pairing(s, c, other.id, e.id))


def test_a_mentors_place_is_taken_once(base, mentee):
    s, c, m, e = base
    _violates(_pairing(s, c, m.id, e.id, slot=3), _pairing(s, c, m.id, mentee().id, slot=3))
    _accepts(_pairing(s, c, m.id, e.id, slot=3), _pairing(s, c, m.id, mentee().id, slot=4))


@pytest.mark.parametrize("bad", [
    {"status": "暂停"},
    {"slot": 0},
    {"end_on": START},
    {"evaluation": "良好", "status": "已结业", "closed_on": START},
    {"evaluation": "优秀"},                                     # an evaluation while active
    {"status": "已结业", "closed_on": START},                    # 结业 without an evaluation
    {"status": "提前终止", "closed_on": START},                  # 终止 without a reason
    {"status": "提前终止", "end_reason": "离职"},                 # closed without a date
    {"status": "已结业", "evaluation": "合格", "closed_on": date(Y - 1, 1, 1)},  # closed before start
    {"closed_on": START},                                       # active with a closing date
])
def test_pairing_checks(base, bad):
    s, c, m, e = base
    _violates(_pairing(s, c, m.id, e.id, **bad))


def test_activity_checks(base, pair):
    from hr.mentoring.models import Activity

    s, c, m, e = base
    p = pair(m, e, in_studio=s)

    def activity(**kw):
        values = dict(pairing_id=p.id, district_id=p.district_id, held_on=START, kind="带教", tenths=10)
        values.update(kw)
        return Activity(**values)

    _accepts(activity(tenths=5), activity(tenths=240))
    for bad in ({"tenths": 4}, {"tenths": 241}, {"kind": "讲座"}):
        _violates(activity(**bad))


def test_membership_and_cohort_uniqueness(base):
    from hr.mentoring.models import Cohort, StudioMember

    s, c, m, _ = base  # the lead is an open member since the founding date
    _violates(StudioMember(studio_id=s.id, worker_id=m.id, district_id=s.district_id, joined=START))
    _accepts(StudioMember(studio_id=s.id, worker_id=m.id, district_id=s.district_id, joined=date(2016, 1, 1),
                          left_on=date(2017, 1, 1)))
    _violates(StudioMember(studio_id=s.id, worker_id=m.id, district_id=s.district_id, joined=START,
                           left_on=date(Y - 1, 1, 1)))
    _violates(Cohort(studio_id=s.id, district_id=s.district_id, year=Y, opened=START))
    _violates(Cohort(studio_id=s.id, district_id=s.district_id, year=1999, opened=date(1999, 1, 1)))


def test_studio_name_is_unique_in_a_district(base):
    from hr.mentoring.models import Studio

    s, _, m, _ = base
    _violates(Studio(name=s.name, district_id=s.district_id, lead_id=m.id, founded=START))


def test_file_kind_is_checked(base):
    from hr.mentoring.models import CohortFile

    s, c, _, _ = base
    _violates(CohortFile(cohort_id=c.id, district_id=s.district_id, kind="other", filename="a.pdf",
                         stored_name="x.pdf", mimetype="application/pdf", size=1))


def test_a_race_the_service_cannot_see_is_stopped_by_the_database(base, mentor, monkeypatch):
    """Two officers at once: both pass the service's checks; the partial unique indexes let
    only one pairing through and the other gets a Conflict (the caller rolls back)."""
    from hr.core.db import db
    from hr.core.errors import Conflict
    from hr.mentoring import queries, services

    s, c, m, e = base
    other = mentor()
    services.add_member(s, other.id, START)
    services.create_pairing(c, m.id, e.id, START)
    db.session.commit()
    monkeypatch.setattr(queries, "current_mentors", lambda *a, **k: {})  # the check ran before the first commit
    with pytest.raises(Conflict, match="刚被他人修改"):
        services.create_pairing(c, other.id, e.id, START)
    db.session.rollback()


def test_two_pairings_racing_for_the_last_place_of_a_mentor(base, mentee, monkeypatch):
    from hr.core.db import db
    from hr.core.errors import Conflict
    from hr.mentoring import queries, services

    s, c, m, e = base
    services.create_pairing(c, m.id, e.id, START)
    db.session.commit()
    monkeypatch.setattr(queries, "free_slot", lambda *a, **k: 1)  # both saw place 1 free
    with pytest.raises(Conflict):
        services.create_pairing(c, m.id, mentee().id, START)
    db.session.rollback()
