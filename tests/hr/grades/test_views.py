"""The worker-level pages: entry grade after registration, the panel, post change, correction,
qualification, ratings of one worker, the overview and the settings page."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from hr.core.db import db
from hr.grades.models import Assignment
from hr.grades.queries import timeline
from tests.conftest import PUDONG, committee_in
from tests.helpers.web import text


def test_registering_a_worker_leads_to_the_entry_grade(officer_client):
    from tests.helpers.register import form_data

    committee = committee_in("310109")
    resp = officer_client.post("/workers/new", data=form_data(committee_id=committee.id, education="本科",
                                                               prior_years=4, hire_date="2024-05-20"))
    assert resp.status_code == 302
    assert "/grades/worker/" in resp.headers["Location"] and resp.headers["Location"].endswith("/entry")
    page = officer_client.get(resp.headers["Location"])
    body = text(page)
    assert page.status_code == 200
    assert "1（工作人员起点） + 1（本科） + 1（认定年限 4 年 ÷ 3 取整） = 3" in body
    assert "7（负责人起点） + 1（本科） + 1（认定年限 4 年 ÷ 3 取整） = 9" in body
    assert "2024-05-01" in body


def test_entry_page_confirms_the_proposal(officer_client, graded):
    w = graded(None, education="硕士", prior_years=3, hire_date=date(2022, 8, 9))
    resp = officer_client.post(f"/grades/worker/{w.id}/entry", data={"post": "SUPV", "grade": "", "note": ""})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/workers/{w.id}")
    [a] = timeline(w.id)
    assert (a.post, a.grade, a.effective, a.approved_by) == ("SUPV", 7, date(2022, 8, 1), "hk")
    again = officer_client.get(f"/grades/worker/{w.id}/entry")
    assert again.status_code == 302  # already graded


def test_entry_override_needs_a_reason_on_the_page(officer_client, graded):
    w = graded(None)
    resp = officer_client.post(f"/grades/worker/{w.id}/entry", data={"post": "STAF", "grade": "6", "note": ""})
    assert resp.status_code == 200 and "请说明理由" in text(resp)
    assert timeline(w.id) == []
    resp = officer_client.post(f"/grades/worker/{w.id}/entry", data={"post": "STAF", "grade": "6", "note": "调入"})
    assert resp.status_code == 302 and timeline(w.id)[0].grade == 6


def test_form_refuses_a_grade_outside_the_post_range(officer_client, graded):
    w = graded(None)
    resp = officer_client.post(f"/grades/worker/{w.id}/entry", data={"post": "LEAD", "grade": "5", "note": "x"})
    assert resp.status_code == 200 and "负责人的等级须在 7–18 级之间" in text(resp)
    resp = officer_client.post(f"/grades/worker/{w.id}/entry", data={"post": "STAF", "grade": "13", "note": "x"})
    assert "工作人员的等级须在 1–12 级之间" in text(resp)
    assert timeline(w.id) == []


def test_ungraded_worker_page_says_so_with_a_link(officer_client, graded):
    w = graded(None)
    body = text(officer_client.get(f"/workers/{w.id}"))
    assert "未定级" in body and f"/grades/worker/{w.id}/entry" in body


def test_worker_page_shows_post_grade_timeline_and_ratings(officer_client, graded, rate, city_admin):
    from hr.grades import services

    w = graded("STAF", grade=3, note="定级", hire_date=date(2019, 1, 1))
    [old] = timeline(w.id)
    services.correct(w, old.id, "STAF", 4, "学历认定有误", city_admin)
    db.session.commit()
    rate(w, {2019: "优秀", 2020: "不合格"})
    body = text(officer_client.get(f"/workers/{w.id}"))
    assert "工作人员" in body and "<b>4 级</b>" in body
    assert "已更正" in body and "学历认定有误" in body and "<del>" in body
    assert "调整岗位/等级" in body and "录入考核" in body and "纠错" in body
    assert "不计（不合格）" in body and "优秀" in body


def test_post_change_page(officer_client, graded):
    w = graded("LEAD", grade=16, note="定级", hire_date=date(2018, 1, 1))
    page = officer_client.get(f"/grades/worker/{w.id}/post")
    assert page.status_code == 200 and "变动后等级" in text(page)
    resp = officer_client.post(f"/grades/worker/{w.id}/post", data={"post": "SUPV", "effective": "2022-03-15"})
    assert "1 日" in text(resp)
    resp = officer_client.post(f"/grades/worker/{w.id}/post", data={"post": "SUPV", "effective": "2022-03-01",
                                                                     "note": "转任副书记"})
    assert resp.status_code == 302
    assert (timeline(w.id)[-1].post, timeline(w.id)[-1].grade) == ("SUPV", 15)


def test_correction_page(officer_client, graded):
    w = graded("STAF", grade=3, note="定级")
    [old] = timeline(w.id)
    page = officer_client.get(f"/grades/worker/{w.id}/correct/{old.id}")
    assert page.status_code == 200 and "原记录" in text(page)
    resp = officer_client.post(f"/grades/worker/{w.id}/correct/{old.id}", data={"post": "STAF", "grade": "13", "note": "x"})
    assert "1–12" in text(resp)
    resp = officer_client.post(f"/grades/worker/{w.id}/correct/{old.id}", data={"post": "STAF", "grade": "5", "note": "更正"})
    assert resp.status_code == 302
    assert [(a.reason, a.grade) for a in timeline(w.id)] == [("入职定级", 3), ("纠错", 5)]
    resp = officer_client.get(f"/grades/worker/{w.id}/correct/999999")
    assert resp.status_code == 404


def test_qualification_page(officer_client, graded, city_admin):
    from hr.grades import services

    w = graded("STAF", grade=2, note="定级", hire_date=date(2019, 1, 1), qualification="社会工作师",
               qualification_date=date(2021, 4, 2))
    assert "津贴" in text(officer_client.get(f"/grades/worker/{w.id}/qualification"))
    services.save_settings(w.district_id, {"qualification_mode": "grade", "hf_rate_pct": 7,
                                           "si_rounding": "half_up", "pay_day": 15}, city_admin)
    db.session.commit()
    assert "资格晋级" in text(officer_client.get(f"/workers/{w.id}"))
    page = officer_client.get(f"/grades/worker/{w.id}/qualification")
    assert "+2 级" in text(page)
    resp = officer_client.post(f"/grades/worker/{w.id}/qualification", data={"effective": "2021-05-01"})
    assert resp.status_code == 302
    assert (timeline(w.id)[-1].grade, timeline(w.id)[-1].reason) == (4, "资格晋级")


def test_worker_ratings_page(officer_client, graded):
    w = graded("STAF", hire_date=date(2021, 10, 8))
    page = officer_client.get(f"/grades/worker/{w.id}/ratings")
    body = text(page)
    assert "不参加考核" in body and 'name="y2021"' not in body and 'name="y2022"' in body
    resp = officer_client.post(f"/grades/worker/{w.id}/ratings", data={"y2022": "优秀", "y2023": "合格"})
    assert resp.status_code == 302
    from hr.grades.reports import ratings_of

    assert {k[1]: v.rating for k, v in ratings_of([w.id]).items()} == {2022: "优秀", 2023: "合格"}
    resp = officer_client.post(f"/grades/worker/{w.id}/ratings", data={"y2022": "很好"})
    assert resp.status_code == 200 and "未保存" in text(resp)


def test_overview_counts_posts_by_grade_and_lists_ungraded(officer_client, graded):
    graded("STAF", grade=3, note="x")
    graded("STAF", grade=3, note="x")
    graded("LEAD", grade=9, note="x")
    graded("LEAD", grade=9, note="x", district_code=PUDONG)
    u = graded(None, name="待定级")
    body = text(officer_client.get("/grades/"))
    assert "待定级" in body and f"/grades/worker/{u.id}/entry" in body
    assert "尚无岗位等级：1 人" in body
    assert '<th class="num">3</th>' in body  # total in force: 2 STAF + 1 LEAD (Pudong not counted)


def test_nav_has_the_grades_entry(officer_client):
    assert "岗位等级" in text(officer_client.get("/"))


def test_settings_page_edit_and_audit(officer_client):
    from hr.audit.models import AuditEntry

    page = officer_client.get("/grades/settings")
    assert page.status_code == 200 and "发放职业资格津贴" in text(page)
    resp = officer_client.post("/grades/settings", data={"qualification_mode": "grade", "hf_rate_pct": "6",
                                                         "si_rounding": "jiao_up", "pay_day": "10"})
    assert resp.status_code == 302
    assert db.session.execute(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.object_type == "district_setting")).scalar() == 1
    resp = officer_client.post("/grades/settings", data={"qualification_mode": "grade", "hf_rate_pct": "8",
                                                         "si_rounding": "jiao_up", "pay_day": "40"})
    assert resp.status_code == 200 and "发薪日须为 1–28" in text(resp)


def test_city_admin_picks_a_district_for_settings(login_as):
    admin = login_as("admin", None)
    assert "请选择区" in text(admin.get("/grades/settings"))
    assert admin.get(f"/grades/settings?district={PUDONG}").status_code == 200
    resp = admin.post(f"/grades/settings?district={PUDONG}", data={
        "qualification_mode": "allowance", "hf_rate_pct": "5", "si_rounding": "half_up", "pay_day": "15"})
    assert resp.status_code == 302


def test_assignments_keep_the_approver(graded):
    graded("STAF")
    a = db.session.execute(sa.select(Assignment)).scalar_one()
    assert a.approved_by == "gradesadmin"
