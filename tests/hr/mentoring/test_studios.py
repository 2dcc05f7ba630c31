"""Studios, members and cohorts: services and pages."""
from datetime import date

import pytest

from hr.core.errors import DomainError
from tests.conftest import HONGKOU, PUDONG
from tests.helpers.grades import give_post
from tests.helpers.mentoring import FOUNDED, START, Y, cohort
from tests.helpers.web import text


def _data(lead, **kw):
    data = {"name": f"{lead.name}书记工作室", "street_id": None, "lead_id": lead.id, "founded": FOUNDED,
            "active": True, "intro": "以老带新"}
    data.update(kw)
    return data


def test_create_studio_makes_the_lead_its_first_member(mentor):
    from hr.audit.models import AuditEntry
    from hr.core.db import db
    from hr.mentoring import services
    from hr.mentoring.models import StudioMember

    lead = mentor()
    s = services.create_studio(lead.district_id, _data(lead, street_id=lead.street_id))
    db.session.commit()
    assert (s.lead_id, s.street_id, s.founded, s.active) == (lead.id, lead.street_id, FOUNDED, True)
    assert s.place == lead.street.name
    member = db.session.query(StudioMember).filter_by(studio_id=s.id).one()
    assert (member.worker_id, member.joined, member.left_on) == (lead.id, FOUNDED, None)
    assert db.session.query(AuditEntry).filter_by(object_type="studio", object_id=s.id, action="create").count() == 1


@pytest.mark.parametrize("change, field, message", [
    ({"name": "x"}, "name", "工作室名称须为 2–64 个字"),
    ({"founded": date(1989, 12, 31)}, "founded", "成立日期须在 1990 年至今天之间"),
    ({"founded": None}, "founded", "请输入成立日期"),
    ({"lead_id": None}, "lead_id", "请选择本区的职工作为领衔人"),
])
def test_studio_refusals(mentor, change, field, message):
    from hr.mentoring import services

    lead = mentor()
    with pytest.raises(DomainError) as e:
        services.create_studio(lead.district_id, _data(lead, **change))
    assert e.value.errors[field] == message


def test_lead_must_be_lead_on_the_founding_date_and_in_the_district(mentor, person):
    from hr.core.db import db
    from hr.mentoring import services
    from tests.conftest import committee_in
    from tests.helpers.mentoring import committee_index

    staff = person(post="SUPV", grade=10)
    with pytest.raises(DomainError, match=f"{staff.name} 在 {FOUNDED.isoformat()} 的岗位为“主管 10 级”，领衔人须为负责人（书记）岗位"):
        services.create_studio(staff.district_id, _data(staff))
    late = person(post="LEAD", grade=10, since=date(Y - 1, 1, 1))
    with pytest.raises(DomainError, match="领衔人须为负责人"):
        services.create_studio(late.district_id, _data(late))
    far = mentor(district=PUDONG)
    with pytest.raises(DomainError, match="请选择本区的职工作为领衔人"):
        services.create_studio(committee_in(HONGKOU).street.district_id, _data(far))
    lead = mentor()
    other_street = committee_in(PUDONG, committee_index(PUDONG, 0)).street_id
    with pytest.raises(DomainError, match="所选街镇不属于本区"):
        services.create_studio(lead.district_id, _data(lead, street_id=other_street))
    services.create_studio(lead.district_id, _data(lead))
    db.session.commit()
    with pytest.raises(DomainError, match="本区已有同名工作室"):
        services.create_studio(lead.district_id, _data(mentor(), name=f"{lead.name}书记工作室"))


def test_members_join_on_the_lead_post_and_leave(studio, mentor, person, mentee, pair):
    from hr.core.db import db
    from hr.mentoring import services
    from hr.mentoring.models import StudioMember

    lead, m = mentor(), mentor()
    s = studio(lead=lead)
    staff = person(post="STAF", grade=5)
    with pytest.raises(DomainError, match="工作室成员（导师）须为负责人（书记）岗位"):
        services.add_member(s, staff.id, START)
    with pytest.raises(DomainError, match="加入日期须在工作室成立日期"):
        services.add_member(s, m.id, date(Y - 3, 1, 1))
    member = services.add_member(s, m.id, START)
    db.session.commit()
    with pytest.raises(DomainError, match=f"{m.name} 已是该工作室成员"):
        services.add_member(s, m.id, START)
    pair(m, mentee(), in_studio=s)
    with pytest.raises(DomainError, match="仍有进行中的结对"):
        services.end_member(member, START)
    lead_member = db.session.query(StudioMember).filter_by(studio_id=s.id, worker_id=lead.id).one()
    with pytest.raises(DomainError, match="是领衔人，不能退出工作室"):
        services.end_member(lead_member, START)


def test_changing_the_lead_makes_them_a_member(studio, mentor):
    from hr.core.db import db
    from hr.core.timeutil import today
    from hr.mentoring import queries, services

    lead, new = mentor(), mentor()
    s = studio(lead=lead)
    changes = services.update_studio(s, _data(new, name="新名称工作室"))
    db.session.commit()
    assert set(changes) == {"name", "lead_id", "intro"}
    assert s.lead_id == new.id and s.name == "新名称工作室"
    assert queries.is_member(s.id, new.id, today())


def test_cohorts(mentor):
    from hr.core.db import db
    from hr.mentoring import services

    lead = mentor()
    s = services.create_studio(lead.district_id, _data(lead, founded=date(Y - 1, 6, 1)))
    with pytest.raises(DomainError, match="开班日期须在该年度内"):
        services.create_cohort(s, Y, date(Y - 1, 12, 1))
    with pytest.raises(DomainError, match=r"开班日期不能早于工作室成立日期（\d{4}-06-01）"):
        services.create_cohort(s, Y - 1, date(Y - 1, 3, 1))
    with pytest.raises(DomainError, match="年度须在 2000–"):
        services.create_cohort(s, Y + 2, date(Y + 2, 3, 1))
    c = services.create_cohort(s, Y, START, "计划")
    db.session.commit()
    with pytest.raises(DomainError, match=f"该工作室已有 {Y} 年届次"):
        services.create_cohort(s, Y, START)
    changes = services.update_cohort(c, START, "新计划", "总结")
    assert set(changes) == {"带教计划", "年度总结"}
    assert (c.plan, c.summary) == ("新计划", "总结")


def test_studio_pages(login_as, studio, mentor, mentee, pair):
    m = mentor()
    s = studio(lead=m)
    e = mentee()
    pair(m, e, in_studio=s)
    c = login_as("officer")
    index = text(c.get("/mentoring/"))
    assert s.name in index and "新建工作室" in index
    page = text(c.get(f"/mentoring/studios/{s.id}"))
    assert m.name in page and e.name in page and "领衔人" in page and "进行中" in page
    assert text(c.get(f"/mentoring/studios/{s.id}?year={Y}")).count(e.name) >= 1
    assert c.get(f"/mentoring/studios/{s.id}/edit").status_code == 200
    assert c.get(f"/mentoring/cohorts/{cohort(s).id}").status_code == 200
    assert c.get(f"/mentoring/studios/{s.id}/pairings/new").status_code == 200


def test_create_a_studio_through_the_page(login_as, mentor):
    from hr.core.db import db
    from hr.mentoring.models import Studio

    lead = mentor()
    c = login_as("officer")
    form = text(c.get("/mentoring/studios/new"))
    assert f'value="{lead.id}"' in form
    resp = c.post("/mentoring/studios/new", data={"name": "测试书记工作室", "street_id": str(lead.street_id),
                                                  "lead_id": str(lead.id), "founded": FOUNDED.isoformat(),
                                                  "active": "y", "intro": ""})
    assert resp.status_code == 302
    s = db.session.query(Studio).filter_by(name="测试书记工作室").one()
    assert s.street_id == lead.street_id
    bad = c.post("/mentoring/studios/new", data={"name": "测试书记工作室", "lead_id": str(lead.id),
                                                 "founded": FOUNDED.isoformat(), "street_id": ""})
    assert "本区已有同名工作室" in text(bad)
    resp = c.post(f"/mentoring/studios/{s.id}/edit", data={"name": "改名书记工作室", "street_id": "",
                                                           "lead_id": str(lead.id), "intro": "简介"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert (s.name, s.street_id, s.active) == ("改名书记工作室", None, False)


def test_members_cohorts_and_pairings_through_the_pages(login_as, studio, mentor, mentee):
    from hr.core.db import db
    from hr.mentoring.models import Cohort, Pairing, StudioMember

    lead, m = mentor(), mentor()
    s = studio(lead=lead, year=None)
    e = mentee()
    c = login_as("officer")
    resp = c.post(f"/mentoring/studios/{s.id}/members", data={"worker_id": str(m.id), "joined": FOUNDED.isoformat()},
                  follow_redirects=True)
    assert f"{m.name} 已加入工作室。" in text(resp)
    resp = c.post(f"/mentoring/studios/{s.id}/cohorts", data={"year": str(Y), "opened": START.isoformat()},
                  follow_redirects=True)
    assert f"已开设 {Y} 年届次。" in text(resp)
    assert db.session.query(Cohort).filter_by(studio_id=s.id, year=Y).count() == 1
    form = text(c.get(f"/mentoring/studios/{s.id}/pairings/new"))
    assert f'value="{e.id}"' in form and "入职未满 3 年" in form
    resp = c.post(f"/mentoring/studios/{s.id}/pairings/new", data={
        "year": str(Y), "mentor_id": str(m.id), "mentee_id": str(e.id), "start_on": START.isoformat(), "end_on": ""},
        follow_redirects=True)
    assert f"已建立结对：{m.name} 带教 {e.name}。" in text(resp)
    p = db.session.query(Pairing).one()
    # a refusal comes back on the form
    e2 = mentee()
    resp = c.post(f"/mentoring/studios/{s.id}/pairings/new", data={
        "year": str(Y), "mentor_id": str(m.id), "mentee_id": str(e2.id), "start_on": START.isoformat(),
        "end_on": START.isoformat()})
    assert "结束日期须晚于开始日期。" in text(resp)
    member = db.session.query(StudioMember).filter_by(studio_id=s.id, worker_id=m.id).one()
    resp = c.post(f"/mentoring/members/{member.id}/end", data={"left_on": START.isoformat()}, follow_redirects=True)
    assert "仍有进行中的结对" in text(resp)
    resp = c.post(f"/mentoring/pairings/{p.id}/close", data={"action": "graduate", "closed_on": START.isoformat(),
                                                             "evaluation": "优秀", "reason": ""}, follow_redirects=True)
    assert "已办理已结业。" in text(resp)
    resp = c.post(f"/mentoring/members/{member.id}/end", data={"left_on": START.isoformat()}, follow_redirects=True)
    assert f"{m.name} 已退出工作室。" in text(resp)


def test_pairing_page_close_refusals(login_as, studio, mentor, mentee, pair):
    m, e = mentor(), mentee()
    p = pair(m, e)
    c = login_as("officer")
    resp = c.post(f"/mentoring/pairings/{p.id}/close", data={"action": "terminate", "closed_on": START.isoformat(),
                                                             "evaluation": "", "reason": ""}, follow_redirects=True)
    assert "请填写提前终止的原因。" in text(resp)
    page = text(c.get(f"/mentoring/pairings/{p.id}"))
    assert m.name in page and e.name in page and "结业 / 提前终止" in page


def test_the_lead_post_in_the_selects_is_today(login_as, mentor, person):
    lead = mentor()
    staff = person(post="STAF", grade=4)
    former = mentor()
    give_post(former, "SUPV", 15, START, reason="岗位变动")
    c = login_as("officer")
    form = text(c.get("/mentoring/studios/new"))
    assert f'value="{lead.id}"' in form and f'value="{staff.id}"' not in form and f'value="{former.id}"' not in form
