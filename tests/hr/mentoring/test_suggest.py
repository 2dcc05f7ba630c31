"""Suggested pairings from the database: the proposal, accepting it in one step (all or
nothing) on the page and on the command line."""
import pytest

from hr.core.errors import DomainError
from tests.conftest import HONGKOU, PUDONG
from tests.helpers.mentoring import START, Y
from tests.helpers.web import text


@pytest.fixture
def scene(studio, mentor, mentee, app):
    """Two studios: 甲 (street 0: lead a1 and member a2) and 乙 (street 1: lead b1). Candidates:
    two in street 0, one in street 1, one in street 2 (no studio there), one veteran (not a
    candidate) and one already mentored. Limit 2."""
    from hr.core.db import db
    from hr.mentoring import services

    a1, a2, b1 = mentor(street=0, grade=16), mentor(street=0, grade=15), mentor(street=1, grade=14)
    sa = studio(lead=a1, members=(a2,), name="甲书记工作室")
    sb = studio(lead=b1, name="乙书记工作室")
    e = [mentee(street=0), mentee(street=0), mentee(street=1), mentee(street=2)]
    busy = mentee(street=1)
    services.create_pairing(services.cohort_of(sb, Y), b1.id, busy.id, START)
    db.session.commit()
    app.config["MENTORING_MAX_MENTEES"] = 2
    yield {"a1": a1, "a2": a2, "b1": b1, "sa": sa, "sb": sb, "e": e, "busy": busy}
    app.config["MENTORING_MAX_MENTEES"] = 5


def _proposal(district_id, start=START):
    from hr.mentoring import queries

    return queries.proposal_for(district_id, Y, start, 2)


def _pairs(district_id):
    from hr.core.db import db
    from hr.mentoring.models import Pairing

    db.session.expire_all()
    return {(p.mentee_id, p.mentor_id) for p in db.session.query(Pairing).filter_by(district_id=district_id,
                                                                                   status="进行中")}


def test_the_proposal_prefers_the_street_and_balances_load(scene):
    s = scene
    proposal = _proposal(s["sa"].district_id)
    got = {p.mentee.id: (p.mentor.id, p.reason) for p in proposal.pairs}
    street0 = s["e"][0].street.name
    street1 = s["e"][2].street.name
    # street 0: a1 and a2 both free → one each (lowest load first, then mentor id)
    assert got[s["e"][0].id] == (s["a1"].id, f"同街镇·{street0}；导师带教 0→2 人")
    assert got[s["e"][1].id] == (s["a2"].id, f"同街镇·{street0}；导师带教 0→1 人")
    # street 1: b1 already has 1 of 2
    assert got[s["e"][2].id] == (s["b1"].id, f"同街镇·{street1}；导师带教 1→2 人")
    # street 2 has no mentor: another street of the district, the least loaded mentor with room
    assert got[s["e"][3].id] == (s["a1"].id, "跨街镇·同区；导师带教 0→2 人")
    assert s["busy"].id not in got
    assert proposal == _proposal(s["sa"].district_id)


def test_accept_creates_every_pair_in_one_step(scene):
    from hr.audit.models import AuditEntry
    from hr.core.db import db
    from hr.mentoring import services
    from hr.mentoring.models import Pairing

    s = scene
    proposal = _proposal(s["sa"].district_id)
    made = services.accept(s["sa"].district_id, Y, START,
                           [services.Choice(p.mentee.id, p.mentor.id, p.studio_id) for p in proposal.pairs])
    db.session.commit()
    assert len(made) == 4
    assert {(p.mentee.id, p.mentor.id) for p in proposal.pairs} <= _pairs(s["sa"].district_id)
    first = db.session.query(Pairing).filter_by(mentee_id=s["e"][0].id).one()
    assert first.basis == f"同街镇·{s['e'][0].street.name}；入职未满 3 年（{Y - 1}-03-01 入职）"
    assert db.session.query(AuditEntry).filter(AuditEntry.summary.like(f"接受 {Y} 年结对建议：4 对%")).count() == 1
    assert _proposal(s["sa"].district_id).pairs == ()


def test_accept_is_all_or_nothing(scene):
    from hr.core.db import db
    from hr.mentoring import services

    s = scene
    before = _pairs(s["sa"].district_id)
    choices = [services.Choice(e.id, s["a1"].id, s["sa"].id) for e in s["e"][:3]]  # a third mentee for a1
    with pytest.raises(DomainError) as err:
        services.accept(s["sa"].district_id, Y, START, choices)
    db.session.rollback()
    assert err.value.message == (f"{s['e'][2].name}：{s['a1'].name} 已有 2 名进行中的带教对象，每位导师同时最多带教 2 人。"
                                 " 未建立任何结对。")
    assert _pairs(s["sa"].district_id) == before


def test_accept_refuses_a_mentor_of_another_studio_and_a_studio_without_cohort(scene, studio, mentor):
    from hr.core.db import db
    from hr.mentoring import services

    s = scene
    e = s["e"][0]
    with pytest.raises(DomainError, match=f"{s['b1'].name} 在 {START.isoformat()} 不是该工作室的成员"):
        services.accept(s["sa"].district_id, Y, START, [services.Choice(e.id, s["b1"].id, s["sa"].id)])
    db.session.rollback()
    lone = mentor()
    sc = studio(lead=lone, year=None, name="丙书记工作室")
    with pytest.raises(DomainError, match=f"丙书记工作室 尚未开设 {Y} 年届次"):
        services.accept(s["sa"].district_id, Y, START, [services.Choice(e.id, lone.id, sc.id)])
    db.session.rollback()
    with pytest.raises(DomainError, match="没有选中任何结对建议"):
        services.accept(s["sa"].district_id, Y, START, [])
    with pytest.raises(DomainError, match="出现了两次"):
        services.accept(s["sa"].district_id, Y, START, [services.Choice(e.id, s["a1"].id, s["sa"].id)] * 2)


def test_the_page_shows_reasons_and_accepts_an_edited_proposal(scene, login_as):
    s = scene
    c = login_as("officer")
    page = text(c.get(f"/mentoring/suggest?year={Y}&start={START.isoformat()}"))
    assert f"同街镇·{s['e'][0].street.name}" in page and "跨街镇·同区" in page
    assert f'name="mentor-{s["e"][0].id}"' in page and s["busy"].name not in page.split("未能匹配")[0]
    # keep e0 (with a2 instead of a1), e1 (with a1) and drop the others
    data = {"district": HONGKOU, "year": str(Y), "start": START.isoformat(),
            f"keep-{s['e'][0].id}": "1", f"mentor-{s['e'][0].id}": f"{s['a2'].id}:{s['sa'].id}",
            f"keep-{s['e'][1].id}": "1", f"mentor-{s['e'][1].id}": f"{s['a1'].id}:{s['sa'].id}",
            f"mentor-{s['e'][2].id}": f"{s['b1'].id}:{s['sb'].id}"}
    resp = c.post("/mentoring/suggest/accept", data=data, follow_redirects=True)
    assert "已建立 2 对结对。" in text(resp)
    assert _pairs(s["sa"].district_id) == {(s["e"][0].id, s["a2"].id), (s["e"][1].id, s["a1"].id),
                                           (s["busy"].id, s["b1"].id)}


def test_the_page_refuses_everything_when_one_pair_breaks_a_rule(scene, login_as):
    s = scene
    c = login_as("officer")
    before = _pairs(s["sa"].district_id)
    data = {"district": HONGKOU, "year": str(Y), "start": START.isoformat()}
    for e in s["e"][:3]:
        data[f"keep-{e.id}"] = "1"
        data[f"mentor-{e.id}"] = f"{s['a1'].id}:{s['sa'].id}"
    resp = c.post("/mentoring/suggest/accept", data=data, follow_redirects=True)
    assert "未建立任何结对" in text(resp)
    assert _pairs(s["sa"].district_id) == before
    bad = {"district": HONGKOU, "year": str(Y), "start": START.isoformat(), f"keep-{s['e'][0].id}": "1",
           f"mentor-{s['e'][0].id}": "x"}
    assert "无效的导师选择" in text(c.post("/mentoring/suggest/accept", data=bad, follow_redirects=True))


def test_cli_prints_one_line_per_pair_and_the_count(scene, runner):
    s = scene
    result = runner.invoke(args=["mentoring", "suggest", str(Y), "--district", HONGKOU, "--start", START.isoformat()])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "pairs: 4"
    assert len(lines) == 5
    first = lines[0].split("\t")
    assert len(first) == 3 and first[0].endswith("书记工作室）") and first[2].startswith(("同街镇·", "跨街镇·"))
    assert f"{s['a1'].name}（甲书记工作室）\t{s['e'][0].name}\t同街镇·{s['e'][0].street.name}；导师带教 0→2 人" in lines
    assert _pairs(s["sa"].district_id) == {(s["busy"].id, s["b1"].id)}


def test_cli_accept(scene, runner):
    s = scene
    result = runner.invoke(args=["mentoring", "suggest", str(Y), "--district", HONGKOU, "--start",
                                 START.isoformat(), "--accept"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-2:] == ["accepted: 4", "pairs: 4"]
    assert len(_pairs(s["sa"].district_id)) == 5
    again = runner.invoke(args=["mentoring", "suggest", str(Y), "--district", HONGKOU, "--start", START.isoformat()])
    assert again.output.strip().splitlines() == ["pairs: 0"]


def test_cli_errors(runner, app):
    assert "unknown district" in runner.invoke(args=["mentoring", "suggest", str(Y), "--district", "999999"]).output
    result = runner.invoke(args=["mentoring", "suggest", str(Y), "--district", PUDONG, "--start", f"{Y - 1}-05-01"])
    assert result.exit_code != 0 and "must lie in" in result.output
    empty = runner.invoke(args=["mentoring", "suggest", str(Y), "--district", PUDONG, "--start", START.isoformat()])
    assert empty.exit_code == 0 and empty.output.strip() == "pairs: 0"


def test_the_city_picks_a_district_first(login_as, scene):
    c = login_as("admin", None)
    assert "请选择区" in text(c.get("/mentoring/suggest"))
    page = text(c.get(f"/mentoring/suggest?district={HONGKOU}&year={Y}&start={START.isoformat()}"))
    assert "甲书记工作室" in page
    assert c.get("/mentoring/suggest?district=999999").status_code == 404


def test_a_start_outside_the_year_is_replaced(login_as, scene):
    c = login_as("officer")
    page = text(c.get(f"/mentoring/suggest?year={Y}&start={Y - 1}-06-01", follow_redirects=True))
    assert f"开始日期须在 {Y} 年内" in page
