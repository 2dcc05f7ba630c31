"""The promotion run: proposals per district, approval, idempotence, export and the CLI."""
from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from hr.audit.models import AuditEntry
from hr.core.db import db
from hr.grades import promotion
from hr.grades.models import Assignment
from hr.grades.queries import timeline
from tests.conftest import HONGKOU, PUDONG, district
from tests.helpers.web import text

HIRE = date(2018, 1, 1)


@pytest.fixture
def cohort(graded, rate):
    """Five Hongkou workers whose 2019–2021 histories cover the rule cases, and one in Pudong."""
    made = {}

    def make(key, post, grade, ratings, **kw):
        w = graded(post, grade=grade, note="定级", hire_date=kw.pop("hire_date", HIRE), name=key, **kw)
        rate(w, ratings)
        made[key] = w

    three = {2019: "合格", 2020: "基本合格", 2021: "合格"}
    make("满三年", "STAF", 3, three)
    make("两年优秀", "SUPV", 6, {2020: "优秀", 2021: "优秀"}, hire_date=date(2019, 6, 1))
    make("最高级", "STAF", 12, three)
    make("不合格", "STAF", 5, {2019: "合格", 2020: "不合格", 2021: "合格"})
    make("未满", "LEAD", 9, {2020: "合格", 2021: "合格"}, hire_date=date(2019, 6, 1))
    make("事业", "LEAD", 10, three, shiye=True)
    make("浦东人", "STAF", 3, three, district_code=PUDONG)
    return made


def _kinds(lines):
    return {line.name: line.proposal.kind for line in lines}


def test_run_proposes_with_a_reason_per_line(cohort):
    lines = promotion.compute(district(HONGKOU).id, 2022)
    assert _kinds(lines) == {"满三年": "regular", "两年优秀": "early", "最高级": "ceiling", "不合格": "failed"}
    by_name = {line.name: line for line in lines}
    assert by_name["两年优秀"].proposal.reason == "连续两年优秀提前晋级(第1次)"
    assert by_name["满三年"].proposal.new_grade == 4
    assert not by_name["最高级"].approvable and by_name["最高级"].proposal.reason == "已达岗位最高级"


def test_run_is_set_based(cohort, graded, rate):
    statements = []

    def count(*_args):  # type: ignore[no-untyped-def]
        statements.append(1)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        promotion.compute(district(HONGKOU).id, 2022)
        few = len(statements)
        for _ in range(15):
            w = graded("STAF", grade=2, note="x", hire_date=HIRE, name="加班人")
            rate(w, {2019: "合格", 2020: "合格", 2021: "合格"})
        statements.clear()
        lines = promotion.compute(district(HONGKOU).id, 2022)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == few <= 4
    assert sum(1 for line in lines if line.approvable) == 17


def test_approval_writes_dated_assignments_and_audit(cohort, city_admin):
    hk = district(HONGKOU).id
    n = promotion.approve(hk, 2022, None, city_admin)
    db.session.commit()
    assert n == 2
    a = timeline(cohort["满三年"].id)[-1]
    assert (a.effective, a.reason, a.grade, a.approved_by) == (date(2022, 1, 1), "年度晋级", 4, "gradesadmin")
    b = timeline(cohort["两年优秀"].id)[-1]
    assert (b.reason, b.grade) == ("提前晋级", 7)
    assert len(timeline(cohort["最高级"].id)) == 1
    audits = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "approve")).scalars().all()
    assert {e.object_id for e in audits if e.object_type == "worker"} == {cohort["满三年"].id, cohort["两年优秀"].id}
    assert any(e.object_type == "promotion" for e in audits)
    again = promotion.compute(hk, 2022)
    assert not [line for line in again if line.proposal.rises]
    assert promotion.approve(hk, 2022, None, city_admin) == 0


def test_shiye_and_other_districts_stay_out(cohort):
    names = {line.name for line in promotion.compute(district(HONGKOU).id, 2022)}
    assert "事业" not in names and "浦东人" not in names
    assert {line.name for line in promotion.compute(district(PUDONG).id, 2022)} == {"浦东人"}


def test_workers_left_before_the_run_day_stay_out(cohort):
    w = cohort["满三年"]
    w.status, w.leave_date = "离职", date(2021, 12, 31)
    db.session.commit()
    assert "满三年" not in {line.name for line in promotion.compute(district(HONGKOU).id, 2022)}


def test_a_later_entry_blocks_approval(cohort, city_admin):
    from hr.grades.services import change_post

    change_post(cohort["满三年"], "SUPV", date(2022, 6, 1), "", city_admin)
    db.session.commit()
    line = next(x for x in promotion.compute(district(HONGKOU).id, 2022) if x.name == "满三年")
    assert line.proposal.rises and not line.approvable and line.later_entry == date(2022, 6, 1)


def test_page_filters_and_approves_some(cohort, officer_client):
    page = officer_client.get("/grades/promotion?year=2022")
    body = text(page)
    assert page.status_code == 200
    for name in ("满三年", "两年优秀", "最高级", "不合格"):
        assert name in body
    assert "浦东人" not in body
    only = text(officer_client.get("/grades/promotion?year=2022&kind=ceiling"))
    assert "最高级" in only and "满三年" not in only
    selected = {"year": "2022", "district": HONGKOU, "scope": "selected", "worker": [str(cohort["满三年"].id)]}
    confirm = officer_client.post("/grades/promotion/approve", data=selected)
    assert confirm.status_code == 200  # a page that lists what will be written, nothing written yet
    assert "确认批准 1 人晋级" in text(confirm) and "满三年" in text(confirm)
    assert len(timeline(cohort["满三年"].id)) == 1
    resp = officer_client.post("/grades/promotion/approve", data={**selected, "confirmed": "1"})
    assert resp.status_code == 302
    assert timeline(cohort["满三年"].id)[-1].reason == "年度晋级"
    assert len(timeline(cohort["两年优秀"].id)) == 1
    resp = officer_client.post("/grades/promotion/approve", data={"year": "2022", "district": HONGKOU, "scope": "all",
                                                                  "confirmed": "1"}, follow_redirects=True)
    assert "已批准 1 人晋级" in text(resp)
    assert timeline(cohort["两年优秀"].id)[-1].reason == "提前晋级"
    resp = officer_client.post("/grades/promotion/approve", data={"year": "2022", "district": HONGKOU, "scope": "all"},
                               follow_redirects=True)
    assert "没有选择" in text(resp)


def test_page_approves_only_what_the_filter_shows(cohort, officer_client):
    officer_client.post("/grades/promotion/approve", data={"year": "2022", "district": HONGKOU, "scope": "all",
                                                          "kind": "early", "confirmed": "1"})
    assert len(timeline(cohort["满三年"].id)) == 1
    assert timeline(cohort["两年优秀"].id)[-1].reason == "提前晋级"


def test_export_to_excel(cohort, officer_client):
    resp = officer_client.get("/grades/promotion/export.xlsx?year=2022")
    assert resp.status_code == 200 and "filename*=UTF-8''" in resp.headers["Content-Disposition"]
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(resp.data)).worksheets[0].iter_rows()]
    assert rows[0][:8] == ["街镇", "居委会", "姓名", "身份证号", "岗位", "现等级", "建议等级", "原因"]
    by_name = {r[2]: r for r in rows[1:]}
    assert by_name["满三年"][5:8] == [3, 4, "满3年晋1级"]
    assert by_name["最高级"][6] is None
    filtered = officer_client.get("/grades/promotion/export.xlsx?year=2022&kind=failed")
    names = [r[2] for r in list(load_workbook(io.BytesIO(filtered.data)).worksheets[0].iter_rows(values_only=True))[1:]]
    assert names == ["不合格"]


def test_city_admin_picks_a_district(cohort, login_as):
    admin = login_as("admin", None)
    assert "请选择区" in text(admin.get("/grades/promotion"))
    body = text(admin.get(f"/grades/promotion?district={PUDONG}&year=2022"))
    assert "浦东人" in body and "满三年" not in body


def test_cli_promote(cohort, runner):
    result = runner.invoke(args=["grades", "promote", "2022", "--district", HONGKOU])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "proposals: 2, approved: 0"
    assert db.session.execute(sa.select(sa.func.count(Assignment.id))).scalar() == 7
    result = runner.invoke(args=["grades", "promote", "2022", "--district", HONGKOU, "--approve"])
    assert result.output.strip().splitlines()[-1] == "proposals: 2, approved: 2"
    db.session.expire_all()
    a = timeline(cohort["满三年"].id)[-1]
    assert (a.reason, a.approved_by) == ("年度晋级", "系统（命令行）")
    result = runner.invoke(args=["grades", "promote", "2022", "--district", HONGKOU, "--approve"])
    assert result.output.strip().splitlines()[-1] == "proposals: 0, approved: 0"


def test_cli_unknown_district(runner):
    result = runner.invoke(args=["grades", "promote", "2022", "--district", "999999"])
    assert result.exit_code != 0 and "unknown district" in result.output


def test_approving_another_districts_worker_is_404_and_writes_nothing(cohort, officer_client):
    from hr.workers.models import Worker

    foreign = db.session.query(Worker).filter_by(name="浦东人").one()
    before = len(timeline(cohort["满三年"].id))
    resp = officer_client.post("/grades/promotion/approve", data={
        "year": "2022", "district": HONGKOU, "scope": "selected",
        "worker": [str(cohort["满三年"].id), str(foreign.id)]})
    assert resp.status_code == 404
    assert len(timeline(cohort["满三年"].id)) == before


def test_an_approved_rise_whose_rating_changed_is_listed_for_the_officer(cohort, city_admin, rate, make_user,
                                                                         client):
    from hr.grades.grounds import changed_grounds
    from tests.conftest import login

    hk = district(HONGKOU).id
    assert promotion.approve(hk, 2022, None, city_admin) == 2
    db.session.commit()
    assert changed_grounds(hk, 2022) == []
    rate(cohort["满三年"], {2020: "不合格"})  # a ground of the 2022 rise, changed after approval
    (g,) = changed_grounds(hk, 2022)
    assert (g.name, g.year, g.rating, g.effective) == ("满三年", 2020, "不合格", date(2022, 1, 1))
    assert not g.before_effective and "纠错" in g.advice
    reviewer = make_user("reviewer", HONGKOU, username="gradesreview")
    login(client, reviewer.username)
    page = text(client.get(f"/grades/promotion?district={HONGKOU}&year=2022"))
    assert "其依据的考核结果在批准后有变更" in page and "满三年" in page


def test_a_reviewer_approves_the_promotion_list(cohort, make_user):
    reviewer = make_user("reviewer", HONGKOU, username="gradesreview2")
    assert promotion.approve(district(HONGKOU).id, 2022, None, reviewer) == 2
    assert timeline(cohort["满三年"].id)[-1].approved_by == "gradesreview2"
