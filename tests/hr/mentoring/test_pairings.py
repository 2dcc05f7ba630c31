"""Pairings through the service: every rule of §7 refuses with its Chinese message, and a
refused pairing writes nothing."""
from datetime import date

import pytest

from hr.core.errors import Conflict, DomainError
from tests.conftest import PUDONG
from tests.helpers.grades import give_post, give_rating
from tests.helpers.mentoring import START, Y, cohort


def _create(s, mentor, mentee, start=START, end=None):
    from hr.mentoring import services

    return services.create_pairing(cohort(s, start.year), mentor.id, mentee.id, start, end)


def _refused(s, mentor, mentee, message, start=START, end=None):
    from hr.core.db import db
    from hr.mentoring.models import Pairing

    before = db.session.query(Pairing).count()
    with pytest.raises(DomainError) as e:
        _create(s, mentor, mentee, start, end)
    db.session.rollback()
    assert e.value.message == message
    assert db.session.query(Pairing).count() == before


def test_a_valid_pairing_defaults_to_one_year_and_records_why(studio, mentor, mentee):
    from hr.audit.models import AuditEntry
    from hr.core.db import db

    m, e = mentor(), mentee()
    s = studio(lead=m)
    p = _create(s, m, e)
    db.session.commit()
    assert (p.start_on, p.end_on, p.status, p.slot, p.year) == (START, date(Y, 12, 31), "进行中", 1, Y)
    assert p.district_id == s.district_id and p.cohort_id == cohort(s).id
    assert p.basis == f"入职未满 3 年（{Y - 1}-03-01 入职）"
    entry = db.session.query(AuditEntry).filter_by(object_type="pairing", object_id=p.id).one()
    assert entry.action == "create" and f"{m.name} 带教 {e.name}" in entry.summary


def test_mentor_must_be_a_current_member_of_the_studio(studio, mentor, mentee):
    from hr.core.db import db
    from hr.mentoring import services

    lead, outsider, e = mentor(), mentor(), mentee()
    s = studio(lead=lead)
    message = f"{outsider.name} 在 {START.isoformat()} 不是该工作室的成员，导师须为工作室成员。"
    _refused(s, outsider, e, message)
    services.add_member(s, outsider.id, START)  # joining on the start date is enough
    db.session.commit()
    assert _create(s, outsider, e).mentor_id == outsider.id


def test_a_member_who_joined_after_the_start_is_not_a_mentor_yet(studio, mentor, mentee):
    from hr.core.db import db
    from hr.mentoring import services
    from hr.mentoring.models import StudioMember

    lead, later, e = mentor(), mentor(), mentee()
    s = studio(lead=lead)
    db.session.add(StudioMember(studio_id=s.id, worker_id=later.id, district_id=s.district_id,
                                joined=date(Y, 1, 2)))
    db.session.commit()
    _refused(s, later, e, f"{later.name} 在 {START.isoformat()} 不是该工作室的成员，导师须为工作室成员。")
    assert services.create_pairing(cohort(s), later.id, e.id, date(Y, 1, 2)).mentor_id == later.id


def test_a_member_who_left_before_the_start_is_not_a_mentor(studio, mentor, mentee):
    from hr.core.db import db
    from hr.mentoring import services
    from hr.mentoring.models import StudioMember

    lead, gone, e = mentor(), mentor(), mentee()
    s = studio(lead=lead, members=(gone,))
    member = db.session.query(StudioMember).filter_by(studio_id=s.id, worker_id=gone.id).one()
    services.end_member(member, date(Y - 1, 12, 31))
    db.session.commit()
    _refused(s, gone, e, f"{gone.name} 在 {START.isoformat()} 不是该工作室的成员，导师须为工作室成员。")


def test_mentor_must_be_on_the_lead_post_on_the_start_date(studio, mentor, mentee):
    m, e = mentor(), mentee()
    s = studio(lead=m)
    give_post(m, "SUPV", 15, START, reason="岗位变动")
    _refused(s, m, e, f"{m.name} 在 {START.isoformat()} 的岗位为“主管 15 级”，导师须为负责人（书记）岗位。")


@pytest.mark.parametrize("rating", ["基本合格", "不合格"])
def test_mentor_last_rating_must_be_at_least_qualified(studio, mentor, mentee, rating):
    m, e = mentor(rating=rating), mentee()
    s = studio(lead=mentor(), members=())
    from hr.core.db import db
    from hr.mentoring import services

    services.add_member(s, m.id, START)
    db.session.commit()
    _refused(s, m, e, f"{m.name} 最近一次年度考核（{Y - 1} 年）为“{rating}”，导师最近一次考核须为合格及以上。")


def test_last_rating_is_the_latest_rated_year_before_the_start_year(studio, mentor, mentee):
    """A good rating of the start year itself does not count; an unrated last year is skipped."""
    m, e = mentor(ratings={Y - 3: "优秀", Y - 2: "不合格"}), mentee()
    give_rating(m, Y, "优秀")
    s = studio(lead=mentor(), members=(m,))
    _refused(s, m, e, f"{m.name} 最近一次年度考核（{Y - 2} 年）为“不合格”，导师最近一次考核须为合格及以上。")
    give_rating(m, Y - 1, "合格")
    assert _create(s, m, e).mentor_id == m.id


def test_mentor_without_any_rating_is_refused(studio, mentor, mentee):
    m, e = mentor(ratings={}), mentee()
    s = studio(lead=mentor(), members=(m,))
    _refused(s, m, e, f"{m.name} 在 {Y} 年以前没有年度考核结果，导师最近一次考核须为合格及以上。")


def test_at_most_five_active_mentees_per_mentor(studio, mentor, mentee, app):
    from hr.core.db import db
    from hr.mentoring import services

    m = mentor()
    s = studio(lead=m)
    mentees = [mentee() for _ in range(6)]
    for e in mentees[:5]:
        _create(s, m, e)
    db.session.commit()
    _refused(s, m, mentees[5], f"{m.name} 已有 5 名进行中的带教对象，每位导师同时最多带教 5 人。")
    # an ended pairing frees its place
    from hr.mentoring.models import Pairing

    first = db.session.query(Pairing).filter_by(studio_id=s.id).order_by(Pairing.id).first()
    services.close_pairing(first, "terminate", START, reason="调离本区")
    db.session.commit()
    assert _create(s, m, mentees[5]).slot == first.slot


def test_the_limit_is_a_setting(studio, mentor, mentee, app):
    from hr.core.db import db

    m = mentor()
    s = studio(lead=m)
    a, b = mentee(), mentee()
    old = app.config["MENTORING_MAX_MENTEES"]
    app.config["MENTORING_MAX_MENTEES"] = 1
    try:
        _create(s, m, a)
        db.session.commit()
        _refused(s, m, b, f"{m.name} 已有 1 名进行中的带教对象，每位导师同时最多带教 1 人。")
    finally:
        app.config["MENTORING_MAX_MENTEES"] = old


def test_capacity_counts_every_studio_of_the_mentor(studio, mentor, mentee, app):
    from hr.core.db import db

    m = mentor()
    s1 = studio(lead=m)
    s2 = studio(lead=mentor(), members=(m,))
    old = app.config["MENTORING_MAX_MENTEES"]
    app.config["MENTORING_MAX_MENTEES"] = 2
    try:
        _create(s1, m, mentee())
        _create(s2, m, mentee())
        db.session.commit()
        last = mentee()
        _refused(s1, m, last, f"{m.name} 已有 2 名进行中的带教对象，每位导师同时最多带教 2 人。")
    finally:
        app.config["MENTORING_MAX_MENTEES"] = old


def test_one_active_mentor_per_mentee(studio, mentor, mentee):
    from hr.core.db import db
    from hr.mentoring import services

    m1, m2, e = mentor(), mentor(), mentee()
    s = studio(lead=m1, members=(m2,))
    p = _create(s, m1, e)
    db.session.commit()
    _refused(s, m2, e, f"{e.name} 已有进行中的导师（{m1.name}），同一时间只能有一名导师。")
    services.close_pairing(p, "graduate", START, evaluation="合格")
    db.session.commit()
    assert _create(s, m2, e).mentor_id == m2.id


def test_no_self_pairing(studio, mentor):
    m = mentor()
    s = studio(lead=m)
    _refused(s, m, m, "不能与自己结对：导师和带教对象须为两个人。")


def test_mentor_must_outrank_the_mentee(studio, mentor, person):
    m = mentor(grade=10)
    s = studio(lead=m)
    same = person(post="LEAD", grade=10, since=date(Y - 1, 6, 1), hired=date(2012, 1, 1))  # new secretary
    _refused(s, m, same, f"导师的岗位等级须高于带教对象：{m.name} 为“负责人 10 级”，{same.name} 为“负责人 10 级”（同为一个岗位时导师的等级须更高）。")
    lower = person(post="LEAD", grade=9, since=date(Y - 1, 6, 1), hired=date(2012, 1, 1))
    assert _create(s, m, lower).mentee_id == lower.id
    supv = person(post="SUPV", grade=15, hired=date(2012, 1, 1), reserve=True)  # any SUPV grade is below LEAD
    assert _create(s, m, supv).mentee_id == supv.id


def test_mentee_without_a_post_is_refused(studio, mentor, person):
    m = mentor()
    s = studio(lead=m)
    e = person(post=None, hired=date(Y - 1, 3, 1))
    _refused(s, m, e, f"{e.name} 在开始日期没有岗位等级记录，无法确认导师的岗位等级高于带教对象。")


@pytest.mark.parametrize("kind", ["new_lead", "young_lead", "reserve", "fresh"])
def test_each_mentee_ground_qualifies(studio, mentor, person, kind):
    m = mentor(grade=18)
    s = studio(lead=m)
    e = {
        "new_lead": lambda: person(post="LEAD", grade=9, since=date(Y - 1, 2, 1), hired=date(2012, 1, 1)),
        "young_lead": lambda: person(post="LEAD", grade=9, since=date(2018, 1, 1), hired=date(2012, 1, 1),
                                     birth=f"{Y - 30}0101"),
        "reserve": lambda: person(post="SUPV", grade=8, hired=date(2012, 1, 1), reserve=True),
        "fresh": lambda: person(post="STAF", grade=2, hired=date(Y - 2, 1, 2)),
    }[kind]()
    p = _create(s, m, e)
    assert p.basis.startswith({"new_lead": "新任书记", "young_lead": "青年书记", "reserve": "后备干部",
                               "fresh": "入职未满 3 年"}[kind])


def test_others_are_not_mentees(studio, mentor, person):
    m = mentor()
    s = studio(lead=m)
    veteran = person(post="STAF", grade=5, hired=date(2012, 1, 1))
    _refused(s, m, veteran, f"{veteran.name} 不是带教对象：带教对象须为新任（任负责人未满 12 个月）或青年（未满 35 周岁）书记、"
                            "后备干部，或入职未满 3 年的社区工作者。")
    old_lead = person(post="LEAD", grade=8, since=date(Y - 2, 1, 1), hired=date(2012, 1, 1))
    _refused(s, m, old_lead, f"{old_lead.name} 不是带教对象：带教对象须为新任（任负责人未满 12 个月）或青年（未满 35 周岁）书记、"
                             "后备干部，或入职未满 3 年的社区工作者。")


def test_mentee_and_mentor_must_be_in_the_studio_district(studio, mentor, mentee):
    m = mentor()
    s = studio(lead=m)
    far = mentee(district=PUDONG)
    _refused(s, m, far, f"{far.name} 不在工作室所在区，不能作为该工作室的带教对象。")


def test_mentee_who_has_left_is_refused(studio, mentor, mentee):
    from hr.core.db import db
    from hr.grades.services import SYSTEM
    from hr.workers.services import record_departure

    m, e = mentor(), mentee()
    s = studio(lead=m)
    record_departure(e, "离职", date(Y - 1, 12, 31), "辞职", user=SYSTEM)
    db.session.commit()
    _refused(s, m, e, f"{e.name} 在 {START.isoformat()} 不在职，不能作为带教对象。")


def test_dates_are_checked(studio, mentor, mentee):
    m, e = mentor(), mentee()
    s = studio(lead=m)
    _refused(s, m, e, "结束日期须晚于开始日期。", start=START, end=START)
    from hr.mentoring import services

    with pytest.raises(DomainError) as err:
        services.create_pairing(cohort(s), m.id, e.id, date(Y - 1, 12, 1))
    assert err.value.message == f"开始日期须在 {Y} 年内（与届次年度一致）。"
    _refused(s, m, e, "结对期限不能超过 3 年。", end=date(Y + 3, 1, 2))


def test_a_stopped_studio_takes_no_pairing(studio, mentor, mentee):
    from hr.core.db import db
    from hr.mentoring import services

    m, e = mentor(), mentee()
    s = studio(lead=m)
    services.update_studio(s, {"name": s.name, "street_id": None, "lead_id": m.id, "active": False, "intro": ""})
    db.session.commit()
    _refused(s, m, e, "工作室已停用，不能新建结对。")


def test_graduation_and_termination(studio, mentor, mentee):
    from hr.core.db import db
    from hr.mentoring import services

    m, e1, e2 = mentor(), mentee(), mentee()
    s = studio(lead=m)
    p1, p2 = _create(s, m, e1), _create(s, m, e2)
    db.session.commit()
    with pytest.raises(DomainError, match="结业评价须为 优秀/合格/不合格 之一。"):
        services.close_pairing(p1, "graduate", START)
    services.close_pairing(p1, "graduate", START, evaluation="优秀")
    with pytest.raises(DomainError, match="请填写提前终止的原因。"):
        services.close_pairing(p2, "terminate", START, reason="  ")
    services.close_pairing(p2, "terminate", START, reason="调离本区")
    db.session.commit()
    assert (p1.status, p1.evaluation, p1.closed_on) == ("已结业", "优秀", START)
    assert (p2.status, p2.evaluation, p2.end_reason) == ("提前终止", None, "调离本区")
    with pytest.raises(Conflict, match="该结对当前为“已结业”，不能办理提前终止。"):
        services.close_pairing(p1, "terminate", START, reason="x")
