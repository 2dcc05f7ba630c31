"""The timeline services and the database's own guards."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from hr.core.db import db
from hr.core.errors import DomainError
from hr.grades import services
from hr.grades.models import Assessment, Assignment
from hr.grades.queries import in_force, in_force_many, settings_for, timeline
from hr.grades.services import GradeInvalid


def _set_mode(admin, worker, mode="grade"):
    services.save_settings(worker.district_id, {"qualification_mode": mode, "hf_rate_pct": 7,
                                                "si_rounding": "half_up", "pay_day": 15}, admin)
    db.session.commit()


# --- entry grade ----------------------------------------------------------------------

def test_entry_takes_the_proposal_and_the_first_of_the_hire_month(graded):
    w = graded("SUPV", education="硕士", prior_years=6, hire_date=date(2021, 3, 15))
    [a] = timeline(w.id)
    assert (a.post, a.grade, a.reason, a.effective) == ("SUPV", 8, "入职定级", date(2021, 3, 1))
    assert "4（主管起点） + 2（硕士） + 2（认定年限 6 年 ÷ 3 取整） = 8" in a.note
    assert a.approved_by == "gradesadmin" and a.approved_by_id is not None


def test_entry_override_needs_a_reason(graded, city_admin):
    w = graded(None, education="本科", prior_years=0)
    with pytest.raises(GradeInvalid) as e:
        services.assign_entry(w, "STAF", 5, "", city_admin)
    assert "note" in e.value.errors
    db.session.rollback()
    a = services.assign_entry(w, "STAF", 5, "原单位同级调入", city_admin)
    assert a.grade == 5 and a.note == "原单位同级调入"


def test_entry_only_once(graded, city_admin):
    w = graded("STAF")
    with pytest.raises(DomainError, match="已定级"):
        services.assign_entry(w, "LEAD", None, "", city_admin)


def test_entry_in_grade_mode_counts_a_qualification_held_at_hire(graded, make_worker, city_admin):
    w = make_worker(education="本科", prior_years=0, qualification="社会工作师",
                    qualification_date=date(2018, 6, 1), hire_date=date(2019, 3, 1))
    _set_mode(city_admin, w)
    a = services.assign_entry(w, "STAF", None, "", city_admin)
    assert (a.grade, a.qualification) == (4, "社会工作师")  # 1 + 1 + 0 + 2
    assert services.qualification_due(w) is None
    later = make_worker(education="本科", prior_years=0, qualification="社会工作师",
                        qualification_date=date(2020, 6, 1), hire_date=date(2019, 3, 1))
    b = services.assign_entry(later, "STAF", None, "", city_admin)
    assert (b.grade, b.qualification) == (2, "")  # obtained after hire: a 资格晋级, not the entry


# --- range: form (see test_views), service and database ---------------------------------

@pytest.mark.parametrize("post, grade", [("STAF", 13), ("SUPV", 3), ("LEAD", 6), ("LEAD", 19), ("STAF", 0)])
def test_service_refuses_a_grade_outside_the_post_range(graded, city_admin, post, grade):
    w = graded(None)
    with pytest.raises(GradeInvalid) as e:
        services.assign_entry(w, post, grade, "越界", city_admin)
    assert "grade" in e.value.errors
    db.session.rollback()
    assert timeline(w.id) == []


@pytest.mark.parametrize("post, grade", [("STAF", 13), ("SUPV", 16), ("LEAD", 6), ("XXXX", 5)])
def test_database_refuses_a_grade_outside_the_post_range(graded, post, grade):
    w = graded(None)
    with pytest.raises(IntegrityError):
        db.session.execute(sa.insert(Assignment).values(
            worker_id=w.id, district_id=w.district_id, post=post, grade=grade, effective=date(2020, 1, 1),
            reason="纠错", note="", approved_by="", qualification=""))
        db.session.flush()
    db.session.rollback()


def test_database_refuses_two_promotions_on_one_day(graded):
    w = graded("STAF", grade=3)
    values = dict(worker_id=w.id, district_id=w.district_id, post="STAF", grade=4, effective=date(2023, 1, 1),
                  reason="年度晋级", note="", approved_by="", qualification="")
    db.session.execute(sa.insert(Assignment).values(**values))
    with pytest.raises(IntegrityError):
        db.session.execute(sa.insert(Assignment).values(**{**values, "reason": "提前晋级"}))
        db.session.flush()
    db.session.rollback()


def test_database_refuses_a_second_rating_for_a_year(graded, rate):
    w = graded("STAF")
    rate(w, {2022: "合格"})
    with pytest.raises(IntegrityError):
        db.session.execute(sa.insert(Assessment).values(worker_id=w.id, district_id=w.district_id, year=2022,
                                                        rating="优秀", entered_by=""))
        db.session.flush()
    db.session.rollback()


# --- post change ------------------------------------------------------------------------

def test_post_change_keeps_the_grade_clamped(graded, city_admin):
    w = graded("LEAD", grade=15, note="定级", hire_date=date(2018, 1, 1))
    a = services.change_post(w, "STAF", date(2021, 7, 1), "改任干事", city_admin)
    assert (a.post, a.grade, a.reason) == ("STAF", 12, "岗位变动")
    b = services.change_post(w, "SUPV", date(2022, 2, 1), "", city_admin)
    assert (b.post, b.grade) == ("SUPV", 12)
    assert in_force(w.id, date(2021, 12, 31)).id == a.id
    assert in_force(w.id, date(2021, 6, 30)).grade == 15


@pytest.mark.parametrize("effective, message", [
    (date(2021, 7, 15), "1 日"),
    (date(2018, 1, 1), "晚于"),
    (date(2017, 6, 1), "晚于"),
])
def test_post_change_dates(graded, city_admin, effective, message):
    w = graded("STAF", hire_date=date(2018, 1, 1))
    with pytest.raises(GradeInvalid, match=message):
        services.change_post(w, "SUPV", effective, "", city_admin)


def test_post_change_needs_another_post_and_an_entry(graded, city_admin):
    w = graded("STAF")
    with pytest.raises(GradeInvalid, match="已是"):
        services.change_post(w, "STAF", date(2022, 1, 1), "", city_admin)
    ungraded = graded(None)
    with pytest.raises(DomainError, match="尚未定级"):
        services.change_post(ungraded, "STAF", date(2022, 1, 1), "", city_admin)


# --- correction ---------------------------------------------------------------------------

def test_correction_is_a_new_entry_and_the_old_one_stays(graded, city_admin):
    w = graded("STAF", grade=3, note="定级", hire_date=date(2019, 3, 1))
    [old] = timeline(w.id)
    fix = services.correct(w, old.id, "STAF", 4, "学历认定有误", city_admin)
    db.session.commit()
    rows = timeline(w.id)
    assert [r.id for r in rows] == [old.id, fix.id]
    assert (fix.reason, fix.corrects_id, fix.effective) == ("纠错", old.id, old.effective)
    assert in_force(w.id, date(2020, 1, 1)).grade == 4
    with pytest.raises(DomainError, match="已被更正"):
        services.correct(w, old.id, "STAF", 5, "再改", city_admin)
    with pytest.raises(GradeInvalid):
        services.correct(w, fix.id, "STAF", 13, "越界", city_admin)
    with pytest.raises(GradeInvalid, match="理由"):
        services.correct(w, fix.id, "STAF", 5, " ", city_admin)
    with pytest.raises(GradeInvalid, match="相同"):
        services.correct(w, fix.id, "STAF", 4, "无变化", city_admin)


# --- qualification grades ------------------------------------------------------------------

def test_qualification_grades_highest_only_without_stacking(graded, city_admin):
    w = graded("STAF", grade=3, note="定级", hire_date=date(2019, 1, 1))
    with pytest.raises(DomainError, match="津贴"):
        services.apply_qualification(w, None, city_admin)
    _set_mode(city_admin, w)
    from hr.workers.services import EDITABLE, update_worker

    def qualify(name, on):
        update_worker(w, {**{k: getattr(w, k) for k in EDITABLE}, "qualification": name,
                          "qualification_date": on}, None, city_admin)

    qualify("助理社会工作师", date(2020, 5, 20))
    due = services.qualification_due(w)
    assert (due.levels, due.grade, due.new_grade, due.effective) == (1, 3, 4, date(2020, 6, 1))
    a = services.apply_qualification(w, None, city_admin)
    assert (a.reason, a.grade, a.qualification, a.effective) == ("资格晋级", 4, "助理社会工作师", date(2020, 6, 1))
    assert services.qualification_due(w) is None
    with pytest.raises(DomainError):
        services.apply_qualification(w, None, city_admin)
    qualify("高级社会工作师", date(2022, 12, 3))
    b = services.apply_qualification(w, None, city_admin)
    assert (b.grade, b.effective, b.note) == (6, date(2023, 1, 1), "高级社会工作师 +2 级")  # 3 in all, not 1 + 3


def test_qualification_grades_stay_within_the_post_range(graded, city_admin):
    w = graded("STAF", grade=11, note="定级", qualification="高级社会工作师",
               qualification_date=date(2021, 3, 1), hire_date=date(2019, 1, 1))
    _set_mode(city_admin, w)
    a = services.apply_qualification(w, None, city_admin)
    assert a.grade == 12 and "最高级" in a.note


# --- ratings -----------------------------------------------------------------------------

def test_ratings_one_per_year_updated_and_removed(graded, city_admin):
    w = graded("STAF", hire_date=date(2019, 1, 1))
    c = services.save_ratings([(w, 2020, "合格"), (w, 2021, "优秀")], city_admin)
    assert c["created"] == 2
    c = services.save_ratings([(w, 2020, "合格"), (w, 2021, "合格"), (w, 2019, None)], city_admin)
    assert (c["unchanged"], c["updated"]) == (2, 1)
    c = services.save_ratings([(w, 2021, None)], city_admin)
    assert c["deleted"] == 1
    assert db.session.execute(sa.select(sa.func.count(Assessment.id))).scalar() == 1


def test_rating_refused_for_a_worker_hired_after_30_september(graded, city_admin):
    w = graded("STAF", hire_date=date(2023, 10, 8))
    with pytest.raises(GradeInvalid, match="9月30日后入职"):
        services.save_ratings([(w, 2023, "合格")], city_admin)
    db.session.rollback()
    assert services.save_ratings([(w, 2024, "合格")], city_admin)["created"] == 1


def test_one_bad_rating_refuses_the_batch(graded, city_admin):
    a, b = graded("STAF"), graded("STAF")
    with pytest.raises(GradeInvalid) as e:
        services.save_ratings([(a, 2022, "合格"), (b, 2022, "很好"), (b, 2099, "合格")], city_admin)
    assert set(e.value.errors) == {(b.id, 2022), (b.id, 2099)}
    db.session.rollback()
    assert db.session.execute(sa.select(sa.func.count(Assessment.id))).scalar() == 0


# --- settings and audit ----------------------------------------------------------------------

def test_settings_defaults_change_and_audit(graded, city_admin):
    from hr.audit.models import AuditEntry

    w = graded("STAF")
    s = settings_for(w.district_id)
    assert (s.qualification_mode, s.hf_rate_pct, s.si_rounding, s.pay_day) == ("allowance", 7, "half_up", 15)
    changes = services.save_settings(w.district_id, {"qualification_mode": "grade", "hf_rate_pct": 5,
                                                     "si_rounding": "jiao_up", "pay_day": 10}, city_admin)
    db.session.commit()
    assert changes["公积金缴存比例（%）"] == [7, 5]
    s = settings_for(w.district_id)
    assert (s.qualification_mode, s.hf_rate_pct, s.si_rounding, s.pay_day) == ("grade", 5, "jiao_up", 10)
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.object_type == "district_setting")).scalar_one()
    assert entry.district_id == w.district_id and "职业资格处理方式" in entry.changes
    for bad in ({"hf_rate_pct": 8}, {"si_rounding": "down"}, {"pay_day": 31}, {"qualification_mode": "x"}):
        values = {"qualification_mode": "grade", "hf_rate_pct": 5, "si_rounding": "jiao_up", "pay_day": 10, **bad}
        with pytest.raises(GradeInvalid):
            services.save_settings(w.district_id, values, city_admin)


def test_every_timeline_change_is_audited_on_the_worker(graded, city_admin):
    from hr.audit.models import AuditEntry

    w = graded("STAF", grade=3, note="定级", hire_date=date(2019, 1, 1))
    services.change_post(w, "SUPV", date(2020, 1, 1), "", city_admin)
    db.session.commit()
    summaries = db.session.execute(sa.select(AuditEntry.summary).where(
        AuditEntry.object_type == "worker", AuditEntry.object_id == w.id).order_by(AuditEntry.id)).scalars().all()
    assert any(s.startswith("入职定级") for s in summaries) and any(s.startswith("岗位变动") for s in summaries)


def test_in_force_many_reads_a_district_in_one_query(graded):
    a = graded("STAF", grade=2, note="x")
    b = graded("LEAD", grade=9, note="x")
    got = in_force_many(date.today(), a.district_id)
    assert (got[a.id].grade, got[b.id].post) == (2, "LEAD")
