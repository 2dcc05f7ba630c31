"""Reports: per studio and per district, the Excel export, and the worker page's section."""
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from tests.conftest import HONGKOU, PUDONG
from tests.helpers.mentoring import START, Y
from tests.helpers.web import text


def _scene(studio, mentor, mentee, pair, person):
    from hr.core.db import db
    from hr.mentoring import services

    m1, m2 = mentor(), mentor()
    s = studio(lead=m1, members=(m2,), name="=HYPERLINK(\"x\")书记工作室")
    e1, e2, e3 = mentee(street=0), mentee(street=1), mentee(street=1)
    veteran = person(post="STAF", grade=6, hired=date(2012, 1, 1))
    p1, p2, p3 = pair(m1, e1, in_studio=s), pair(m1, e2, in_studio=s), pair(m2, e3, in_studio=s)
    services.add_activity(p1, START, "带教", "1.5", "=SUM(A1:A2)")
    services.add_activity(p1, START, "沙龙", "2")
    services.add_activity(p3, START, "微课堂", "0.5")
    services.close_pairing(p2, "graduate", START, evaluation="优秀")
    db.session.commit()
    uncovered = mentee(street=2)
    return {"s": s, "m1": m1, "m2": m2, "e": (e1, e2, e3), "p": (p1, p2, p3), "veteran": veteran,
            "uncovered": uncovered}


def test_studio_report(app, studio, mentor, mentee, pair, person, make_user):
    from flask_login import login_user

    from hr.mentoring import queries

    sc = _scene(studio, mentor, mentee, pair, person)
    with app.test_request_context():  # the report reads through the scope of the logged-in user
        login_user(make_user("officer", HONGKOU))
        r = queries.studio_report(sc["s"], Y)
        assert queries.studio_report(sc["s"], Y - 1).pairings == 0
    assert (r.pairings, r.active, r.mentees, r.activities, r.hours) == (3, 2, 3, 3, Decimal("4.0"))
    assert r.evaluations == {"优秀": 1, "合格": 0, "不合格": 0}
    lines = {line.worker.id: line for line in r.mentors}
    assert (lines[sc["m1"].id].active, lines[sc["m1"].id].total, lines[sc["m1"].id].hours) == (1, 2, Decimal("3.5"))
    assert lines[sc["m1"].id].evaluations["优秀"] == 1
    assert (lines[sc["m2"].id].active, lines[sc["m2"].id].hours) == (1, Decimal("0.5"))


def test_district_report_page(studio, mentor, mentee, pair, person, login_as):
    sc = _scene(studio, mentor, mentee, pair, person)
    c = login_as("officer")
    page = text(c.get(f"/mentoring/report?year={Y}"))
    # candidates: e1, e2, e3, uncovered (the veteran is none); covered: e1, e3 (e2 graduated)
    assert '<tfoot><tr><th>合计</th><th class="num">4</th><th class="num">2</th><th class="num">50%</th></tr></tfoot>' in page
    assert sc["s"].name.replace('"', "&#34;") in page
    city = login_as("admin", None)
    assert "请选择区" in text(city.get("/mentoring/report"))
    assert city.get(f"/mentoring/report?district={HONGKOU}").status_code == 200


def test_coverage_counts(studio, mentor, mentee, pair, person):
    from hr.core.timeutil import today
    from hr.mentoring import queries

    sc = _scene(studio, mentor, mentee, pair, person)
    streets, total = queries.coverage(sc["s"].district_id, today())
    assert (total.candidates, total.covered, total.share) == (4, 2, "50%")
    assert sum(s.candidates for s in streets) == 4 and [s.street_id for s in streets] == sorted(s.street_id for s in streets)


def test_excel_export(studio, mentor, mentee, pair, person, login_as):
    from hr.audit.models import AuditEntry
    from hr.core.db import db

    sc = _scene(studio, mentor, mentee, pair, person)
    c = login_as("officer")
    resp = c.get(f"/mentoring/export.xlsx?year={Y}")
    assert resp.status_code == 200
    assert "filename*=UTF-8''" in resp.headers["Content-Disposition"]
    assert "%E7%BB%93%E5%AF%B9%E5%B8%A6%E6%95%99" in resp.headers["Content-Disposition"]  # 结对带教
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb.sheetnames == ["结对名单", "带教活动"]
    rows = [[c.value for c in r] for r in wb["结对名单"].iter_rows()]
    assert rows[0][:6] == ["区", "工作室", "届次", "导师", "导师街镇", "带教对象"]
    assert len(rows) == 4
    by_mentee = {r[5]: r for r in rows[1:]}
    r1 = by_mentee[sc["e"][0].name]
    assert r1[1] == '=HYPERLINK("x")书记工作室' and r1[2] == Y and r1[3] == sc["m1"].name
    assert r1[9] == "进行中" and r1[14] == 2 and r1[15] == 3.5
    assert r1[7].date() == START
    assert by_mentee[sc["e"][1].name][10] == "优秀"
    for ws in wb.worksheets:  # names starting with '=' stayed text
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
    acts = [[c.value for c in r] for r in wb["带教活动"].iter_rows()]
    assert acts[0] == ["工作室", "届次", "导师", "带教对象", "日期", "形式", "学时", "内容"]
    assert sorted((a[6], a[5]) for a in acts[1:]) == [(0.5, "微课堂"), (1.5, "带教"), (2, "沙龙")]
    assert "=SUM(A1:A2)" in [a[7] for a in acts[1:]]
    entry = db.session.query(AuditEntry).filter_by(action="export", object_type="pairing").one()
    assert entry.changes["pairings"] == 3 and entry.district_id == sc["s"].district_id


def test_export_is_scoped(studio, mentor, mentee, pair, person, login_as):
    _scene(studio, mentor, mentee, pair, person)
    far = mentor(district=PUDONG)
    pair(far, mentee(district=PUDONG))
    wb = load_workbook(io.BytesIO(login_as("officer", PUDONG).get("/mentoring/export.xlsx").data))
    assert wb["结对名单"].max_row == 2
    wb = load_workbook(io.BytesIO(login_as("auditor", None).get("/mentoring/export.xlsx").data))
    assert wb["结对名单"].max_row == 5


def test_worker_page_shows_mentoring_history(studio, mentor, mentee, pair, person, login_as):
    sc = _scene(studio, mentor, mentee, pair, person)
    c = login_as("officer")
    page = text(c.get(f"/workers/{sc['m1'].id}"))
    assert "结对带教" in page and "担任导师" in page and sc["e"][0].name in page and "工作室成员" in page
    page = text(c.get(f"/workers/{sc['e'][1].id}"))
    assert "作为带教对象" in page and sc["m1"].name in page and "优秀" in page
    assert 'id="mentoring"' not in text(c.get(f"/workers/{sc['veteran'].id}"))
