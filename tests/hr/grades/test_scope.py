"""Scope: an officer of 虹口区 cannot see or change anything of 浦东新区 through the grades pages;
auditors read but never write."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from hr.audit.models import AuditEntry
from hr.core.db import db
from hr.grades.models import Assessment, Assignment, DistrictSetting
from hr.grades.queries import timeline
from tests.conftest import HONGKOU, PUDONG, committee_in
from tests.helpers.grades import ratings_xlsx, upload
from tests.helpers.web import text


def _grade_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("grades.")]


@pytest.fixture
def pudong(graded, rate):
    w = graded("STAF", grade=3, note="定级", hire_date=date(2018, 1, 1), name="浦东人",
               district_code=PUDONG, qualification="社会工作师", qualification_date=date(2020, 1, 5))
    rate(w, {2019: "合格", 2020: "合格", 2021: "合格"})
    return w


def _counts():
    return (db.session.execute(sa.select(sa.func.count(Assignment.id))).scalar(),
            db.session.execute(sa.select(sa.func.count(Assessment.id))).scalar(),
            db.session.execute(sa.select(sa.func.count()).select_from(DistrictSetting)).scalar())


def test_every_worker_url_of_another_district_is_404(app, officer_client, pudong):
    [entry] = timeline(pudong.id)
    before = _counts()
    worker_rules = [r for r in _grade_rules(app) if "worker_id" in r.arguments]
    assert {r.endpoint for r in worker_rules} >= {"grades.entry", "grades.change_post", "grades.correct",
                                                  "grades.qualification", "grades.worker_ratings"}
    post = {"post": "SUPV", "grade": "8", "note": "越权", "effective": "2024-01-01", "y2022": "优秀"}
    for rule in worker_rules:
        values = {"worker_id": pudong.id, "assignment_id": entry.id}
        url = app.url_map.bind("localhost").build(rule.endpoint, {k: values[k] for k in rule.arguments})
        for method in ("GET", "POST"):
            if method in rule.methods:
                resp = officer_client.open(url, method=method, data=post)
                assert resp.status_code == 404, (method, url, resp.status_code)
                assert "浦东人" not in text(resp)
    assert _counts() == before


def test_committee_promotion_settings_and_sheets_of_another_district_are_404(officer_client, pudong):
    before = _counts()
    pd_committee = committee_in(PUDONG).id
    for method, url, data in [
        ("GET", f"/grades/assessments/committee/{pd_committee}?year=2021", None),
        ("POST", f"/grades/assessments/committee/{pd_committee}?year=2022", {f"r{pudong.id}": "优秀"}),
        ("GET", f"/grades/assessments?district={PUDONG}", None),
        ("GET", f"/grades/assessments/sheet.xlsx?district={PUDONG}&year=2021", None),
        ("GET", f"/grades/?district={PUDONG}", None),
        ("GET", f"/grades/promotion?district={PUDONG}&year=2022", None),
        ("GET", f"/grades/promotion/export.xlsx?district={PUDONG}&year=2022", None),
        ("POST", "/grades/promotion/approve", {"year": "2022", "district": PUDONG, "scope": "all"}),
        ("POST", "/grades/promotion/approve", {"year": "2022", "district": PUDONG, "worker": str(pudong.id)}),
        ("GET", f"/grades/settings?district={PUDONG}", None),
        ("POST", f"/grades/settings?district={PUDONG}", {"qualification_mode": "grade", "hf_rate_pct": "5",
                                                         "si_rounding": "jiao_up", "pay_day": "1"}),
    ]:
        resp = officer_client.open(url, method=method, data=data)
        assert resp.status_code == 404, (method, url, resp.status_code)
        assert "浦东人" not in text(resp)
    assert _counts() == before


def test_own_lists_never_show_another_district(officer_client, pudong, graded):
    graded(None, name="虹口人")
    for url in ("/grades/", "/grades/promotion?year=2022", "/grades/assessments?year=2021"):
        body = text(officer_client.get(url))
        assert "浦东人" not in body, url
    proposals = text(officer_client.get("/grades/promotion?year=2022&kind=rise"))
    assert "没有晋级建议" in proposals
    # approving a Pudong worker's id through the own district's form does nothing
    officer_client.post("/grades/promotion/approve", data={"year": "2022", "district": HONGKOU,
                                                            "worker": str(pudong.id), "confirmed": "1"})
    assert len(timeline(pudong.id)) == 1


def test_rating_import_cannot_reach_another_district(officer_client, pudong):
    resp = upload(officer_client, "/grades/assessments/import",
                  ratings_xlsx([[pudong.id_number, "浦东人", 2022, "优秀"]]))
    assert "找不到该身份证号" in text(resp) and 'name="token"' not in text(resp)


def test_register_export_and_overview_of_pudong_officer(login_as, pudong):
    pd = login_as("officer", PUDONG)
    assert "浦东人" in text(pd.get(f"/workers/{pudong.id}"))
    assert pd.get("/grades/promotion?year=2022").status_code == 200
    assert "浦东人" in text(pd.get("/grades/promotion?year=2022"))


def test_auditor_reads_but_never_writes(app, login_as, pudong, graded):
    hk = graded("STAF", grade=3, note="定级", hire_date=date(2018, 1, 1), name="虹口人")
    [entry] = timeline(hk.id)
    auditor = login_as("auditor", None)
    for url in ("/grades/", f"/grades/?district={HONGKOU}", "/grades/assessments?year=2021",
                f"/grades/assessments/committee/{committee_in(HONGKOU).id}?year=2021",
                f"/grades/promotion?district={HONGKOU}&year=2022", f"/grades/settings?district={HONGKOU}",
                f"/workers/{hk.id}"):
        resp = auditor.get(url)
        assert resp.status_code == 200, url
    page = text(auditor.get(f"/grades/promotion?district={PUDONG}&year=2022"))
    assert "批准所选" not in page and 'name="worker"' not in page
    assert "纠错" not in text(auditor.get(f"/workers/{hk.id}"))
    before = _counts()
    audit_before = db.session.execute(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action != "login")).scalar()
    checks = [
        ("GET", f"/grades/worker/{hk.id}/entry", None),
        ("POST", f"/grades/worker/{hk.id}/entry", {"post": "STAF"}),
        ("GET", f"/grades/worker/{hk.id}/post", None),
        ("POST", f"/grades/worker/{hk.id}/post", {"post": "SUPV", "effective": "2024-01-01"}),
        ("GET", f"/grades/worker/{hk.id}/correct/{entry.id}", None),
        ("POST", f"/grades/worker/{hk.id}/correct/{entry.id}", {"post": "STAF", "grade": "5", "note": "x"}),
        ("GET", f"/grades/worker/{hk.id}/qualification", None),
        ("POST", f"/grades/worker/{hk.id}/qualification", {}),
        ("GET", f"/grades/worker/{hk.id}/ratings", None),
        ("POST", f"/grades/worker/{hk.id}/ratings", {"y2022": "优秀"}),
        ("POST", f"/grades/assessments/committee/{committee_in(HONGKOU).id}?year=2022", {f"r{hk.id}": "优秀"}),
        ("GET", "/grades/assessments/import", None),
        ("POST", "/grades/assessments/import", {}),
        ("POST", "/grades/assessments/import/confirm", {"token": "0" * 32}),
        ("POST", "/grades/promotion/approve", {"year": "2022", "district": PUDONG, "scope": "all"}),
        ("POST", f"/grades/settings?district={HONGKOU}", {"qualification_mode": "grade", "hf_rate_pct": "5",
                                                          "si_rounding": "jiao_up", "pay_day": "1"}),
    ]
    for method, url, data in checks:
        resp = auditor.open(url, method=method, data=data)
        assert resp.status_code == 403, (method, url, resp.status_code)
    assert _counts() == before
    assert db.session.execute(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action != "login")).scalar() == audit_before


def test_district_auditor_is_read_only_in_the_district(login_as, pudong):
    auditor = login_as("auditor", HONGKOU)
    assert auditor.get(f"/grades/promotion?district={PUDONG}&year=2022").status_code == 404
    assert auditor.post(f"/grades/settings?district={HONGKOU}", data={}).status_code == 403
