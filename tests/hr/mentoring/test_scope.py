"""Scope: another district's studios, members, cohorts, files, pairings and activities are
missing (404) for an officer, on every mentoring URL; auditors read but never write (403)."""
import pytest
from werkzeug.routing import IntegerConverter

from tests.conftest import HONGKOU, PUDONG
from tests.helpers.mentoring import START, Y, cohort
from tests.helpers.web import text

ARGS = ("studio_id", "member_id", "cohort_id", "file_id", "pairing_id", "activity_id", "worker_id")
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(studio, mentor, mentee, pair):
    """One studio with everything in it, in the given district."""
    from hr.core.db import db
    from hr.mentoring import files, services
    from hr.mentoring.models import StudioMember

    def make(code):
        m, other = mentor(district=code), mentor(district=code)
        s = studio(lead=m, members=(other,))
        e = mentee(district=code)
        p = pair(m, e, in_studio=s)
        a = services.add_activity(p, START, "带教", "1.5", "跟班")
        f = files.store_file(cohort(s), "plan", "计划.pdf", PDF)
        db.session.commit()
        member = db.session.query(StudioMember).filter_by(studio_id=s.id, worker_id=other.id).one()
        return {"studio_id": s.id, "member_id": member.id, "cohort_id": cohort(s).id, "file_id": f.id,
                "pairing_id": p.id, "activity_id": a.id, "worker_id": e.id, "_names": (m.name, e.name, s.name)}

    return make


def _rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("mentoring.")]


def _object_rules(app):
    out = []
    for r in _rules(app):
        ids = [a for a in r.arguments if isinstance(r._converters[a], IntegerConverter)]
        if ids:
            assert set(ids) <= set(ARGS), r
            out.append(r)
    return out


def _url(app, rule, ids):
    return app.url_map.bind("localhost").build(rule.endpoint, {a: ids[a] for a in rule.arguments})


POST = {"name": "越权", "lead_id": "1", "worker_id": "1", "joined": START.isoformat(), "left_on": START.isoformat(),
        "year": str(Y), "opened": START.isoformat(), "plan": "x", "summary": "x", "kind": "plan",
        "mentor_id": "1", "mentee_id": "1", "start_on": START.isoformat(), "action": "graduate",
        "closed_on": START.isoformat(), "evaluation": "优秀", "held_on": START.isoformat(), "hours": "1"}


def _snapshot():
    from hr.core.db import db
    from hr.mentoring.models import Activity, Cohort, CohortFile, Pairing, Studio, StudioMember

    db.session.expire_all()
    return [sorted((r.id, str(vars(r).get("name", "")), str(vars(r).get("status", "")), str(vars(r).get("left_on", "")),
                    str(vars(r).get("plan", ""))) for r in db.session.query(m).all())
            for m in (Studio, StudioMember, Cohort, CohortFile, Pairing, Activity)]


def test_every_object_url_is_checked(app):
    endpoints = {r.endpoint for r in _object_rules(app)}
    assert {"mentoring.studio", "mentoring.studio_edit", "mentoring.member_add", "mentoring.member_end",
            "mentoring.cohort_new", "mentoring.cohort", "mentoring.file_upload", "mentoring.file_download",
            "mentoring.file_delete", "mentoring.pairing_new", "mentoring.pairing", "mentoring.pairing_close",
            "mentoring.activity_add", "mentoring.activity_delete"} <= endpoints


def test_officer_gets_404_for_every_url_of_another_district(app, world, login_as):
    ids = world(PUDONG)
    before = _snapshot()
    c = login_as("officer", HONGKOU)
    tried = 0
    for rule in _object_rules(app):
        url = _url(app, rule, ids)
        if "GET" in rule.methods:
            resp = c.get(url)
            assert resp.status_code == 404, ("GET", url, resp.status_code)
            assert not any(n in text(resp) for n in ids["_names"])
            tried += 1
        if "POST" in rule.methods:
            resp = c.post(url, data=POST)
            assert resp.status_code == 404, ("POST", url, resp.status_code)
            tried += 1
    assert tried >= 17
    assert _snapshot() == before
    # the lists show nothing of it either
    for path in ("/mentoring/", f"/mentoring/report?year={Y}", f"/mentoring/suggest?year={Y}"):
        page = text(c.get(path))
        assert not any(n in page for n in ids["_names"]), path
    # nor the worker page (404 for another district's worker) or the export
    assert c.get(f"/workers/{ids['worker_id']}").status_code == 404
    import io

    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(c.get("/mentoring/export.xlsx").data))["结对名单"].max_row == 1


def test_officer_cannot_accept_pairs_of_another_district(app, world, login_as, studio, mentor, mentee):
    from hr.core.db import db
    from hr.mentoring.models import Pairing, StudioMember

    ids = world(PUDONG)
    s = db.session.get(StudioMember, ids["member_id"])
    fresh = mentee(district=PUDONG)
    before = db.session.query(Pairing).count()
    c = login_as("officer", HONGKOU)
    resp = c.post("/mentoring/suggest/accept", follow_redirects=True, data={
        "district": PUDONG, "year": str(Y), "start": START.isoformat(),
        f"keep-{fresh.id}": "1", f"mentor-{fresh.id}": f"{s.worker_id}:{s.studio_id}"})
    assert "未建立任何结对" in text(resp)
    assert db.session.query(Pairing).count() == before
    # nor put a worker of another district into their own studio
    own = studio(lead=mentor(district=HONGKOU))
    resp = c.post(f"/mentoring/studios/{own.id}/pairings/new", data={
        "year": str(Y), "mentor_id": str(own.lead_id), "mentee_id": str(fresh.id), "start_on": START.isoformat()})
    assert db.session.query(Pairing).count() == before
    resp = c.post(f"/mentoring/studios/{own.id}/members", data={"worker_id": str(s.worker_id),
                                                               "joined": START.isoformat()}, follow_redirects=True)
    assert db.session.query(StudioMember).filter_by(studio_id=own.id).count() == 1


@pytest.mark.parametrize("district_code", [HONGKOU, None])
def test_auditors_read_but_every_write_is_403(app, world, login_as, district_code):
    from hr.audit.models import AuditEntry
    from hr.core.db import db

    ids = world(HONGKOU)
    before = _snapshot()
    writes = db.session.query(AuditEntry).filter(AuditEntry.action != "login").count()
    c = login_as("auditor", district_code)
    for rule in _object_rules(app):
        url = _url(app, rule, ids)
        writes_page = rule.endpoint in ("mentoring.studio_edit", "mentoring.pairing_new")
        if "GET" in rule.methods:
            assert c.get(url).status_code == (403 if writes_page else 200), url
        if "POST" in rule.methods:
            assert c.post(url, data=POST).status_code == 403, ("POST", url)
    q = "" if district_code else f"?district={HONGKOU}"
    assert c.get(f"/mentoring/studios/new{q}").status_code == 403
    assert c.post(f"/mentoring/studios/new{q}", data=POST).status_code == 403
    assert c.post("/mentoring/suggest/accept", data={"district": HONGKOU, "year": str(Y),
                                                     "start": START.isoformat()}).status_code == 403
    for path in ("/mentoring/", f"/mentoring/report{q}", f"/mentoring/suggest{q}", "/mentoring/export.xlsx"):
        assert c.get(path).status_code == 200, path
    page = text(c.get(f"/mentoring/studios/{ids['studio_id']}"))
    assert "/pairings/new" not in page and "/end\"" not in page and "/members\"" not in page
    assert "采纳所选建议" not in text(c.get(f"/mentoring/suggest{q}"))
    assert _snapshot() == before
    exports = db.session.query(AuditEntry).filter_by(action="export").count()
    assert db.session.query(AuditEntry).filter(AuditEntry.action != "login").count() == writes + exports
