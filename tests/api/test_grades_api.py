"""The post/grade timeline, annual ratings and the promotion run through the API."""
from __future__ import annotations

from sqlalchemy import select

from hr.core.db import db
from hr.grades.models import Assessment, Assignment
from hr.workers.models import Worker
from tests.helpers.api import body
from tests.helpers.grades import give_rating


def test_timeline_lists_and_details(api_as, world):
    c = api_as("officer")
    page = body(c.get(f"/api/v1/assignments?worker_id={world.hk.worker_id}"))
    assert page["total"] == 1
    (a,) = page["items"]
    assert (a["post"], a["post_name"], a["grade"], a["effective"], a["corrects_id"]) == (
        "STAF", "工作人员", 5, "2019-03-01", None)
    assert body(c.get(f"/api/v1/assignments/{a['id']}")) == a
    assert body(c.get("/api/v1/assignments?post=LEAD"))["total"] == 1
    assert body(c.get("/api/v1/assignments?effective_from=2020-01-01"))["total"] == 1  # the mentee's


def test_entry_grade_post_change_and_correction(api_as, world):
    c = api_as("officer")
    url = f"/api/v1/workers/{world.hk.ungraded_id}/assignments"
    bad = c.post(f"{url}/entry", json={"post": "STAF", "grade": 12})
    assert bad.status_code == 400 and "note" in body(bad)["errors"]
    resp = c.post(f"{url}/entry", json={"post": "STAF"})
    assert resp.status_code == 201, body(resp)
    entry = body(resp)
    assert entry["reason"] == "入职定级" and entry["effective"] == "2019-03-01"
    assert resp.headers["Location"].endswith(f"/api/v1/assignments/{entry['id']}")
    again = c.post(f"{url}/entry", json={"post": "STAF"})
    assert again.status_code == 422 and "已定级" in body(again)["error"]
    bad = c.post(f"{url}/post-change", json={"post": "SUPV", "effective": "2026-02-15"})
    assert bad.status_code == 400 and "effective" in body(bad)["errors"]
    change = c.post(f"{url}/post-change", json={"post": "SUPV", "effective": "2026-02-01", "note": "竞聘"})
    assert change.status_code == 201 and body(change)["post"] == "SUPV"
    fix = c.post(f"{url}/{body(change)['id']}/correction", json={"post": "SUPV", "grade": 6, "note": "录入有误"})
    assert fix.status_code == 201, body(fix)
    assert (body(fix)["reason"], body(fix)["corrects_id"]) == ("纠错", body(change)["id"])
    # An entry of another worker is not this worker's to correct.
    other = c.post(f"{url}/{world.hk.assignment_id}/correction", json={"post": "STAF", "grade": 6, "note": "x"})
    assert other.status_code == 404
    # The district grants allowances for qualifications, not grades.
    assert c.post(f"{url}/qualification").status_code == 422


def test_ratings_one_by_one_and_in_a_batch(api_as, world):
    c = api_as("officer")
    wid = world.hk.worker_id
    resp = c.put(f"/api/v1/workers/{wid}/assessments/2024", json={"rating": "优秀"})
    assert body(resp) == {"created": 1, "updated": 0, "deleted": 0, "unchanged": 0}
    assert body(c.put(f"/api/v1/workers/{wid}/assessments/2024", json={"rating": "合格"}))["updated"] == 1
    assert body(c.get(f"/api/v1/assessments?worker_id={wid}&year=2024"))["items"][0]["rating"] == "合格"
    bad = c.post("/api/v1/assessments/batch", json={"items": [
        {"worker_id": wid, "year": 2023, "rating": "合格"},
        {"worker_id": world.hk.mentee_id, "year": 2020, "rating": "合格"}]})  # before the mentee was hired
    assert bad.status_code == 400 and set(body(bad)["errors"]) == {f"{world.hk.mentee_id}/2020"}
    assert db.session.execute(select(Assessment).where(Assessment.year == 2023)).first() is None
    ok = c.post("/api/v1/assessments/batch", json={"items": [
        {"worker_id": wid, "year": 2023, "rating": "合格"}, {"worker_id": wid, "year": 2024, "rating": None}]})
    assert body(ok) == {"created": 1, "updated": 0, "deleted": 1, "unchanged": 0}
    other = c.post("/api/v1/assessments/batch", json={"items": [
        {"worker_id": world.pd.worker_id, "year": 2023, "rating": "合格"}]})
    assert other.status_code == 404
    aid = body(c.get(f"/api/v1/assessments?worker_id={wid}&year=2023"))["items"][0]["id"]
    assert body(c.get(f"/api/v1/assessments/{aid}"))["rating"] == "合格"


def test_promotion_proposals_and_approval(api_as, world):
    w = db.session.get(Worker, world.hk.worker_id)
    for year in (2022, 2023, 2024):
        give_rating(w, year, "合格")
    officer = api_as("officer")
    page = body(officer.get("/api/v1/promotions?year=2026"))
    (line,) = page["items"]
    assert (line["worker_id"], line["kind"], line["grade"], line["new_grade"], line["approvable"]) == (
        w.id, "regular", 5, 6, True)
    assert "*" in line["id_number"]
    assert body(officer.get("/api/v1/promotions?year=2026&kind=early"))["total"] == 0
    assert officer.get(f"/api/v1/promotions?district_id={world.pd.district_id}").status_code == 404
    admin = api_as("admin")
    need = admin.get("/api/v1/promotions")
    assert need.status_code == 400 and "district_id" in body(need)["errors"]
    assert body(admin.get(f"/api/v1/promotions?district_id={world.hk.district_id}&year=2026"))["total"] == 1
    both = officer.post("/api/v1/promotions/approve", json={"year": 2026, "worker_ids": [w.id], "all": True})
    assert both.status_code == 400
    assert officer.post("/api/v1/promotions/approve", json={"year": 2099, "all": True}).status_code == 400
    resp = officer.post("/api/v1/promotions/approve", json={"year": 2026, "worker_ids": [w.id]})
    assert body(resp) == {"district_id": world.hk.district_id, "year": 2026, "approved": 1}
    rise = db.session.execute(select(Assignment).where(Assignment.worker_id == w.id, Assignment.reason == "年度晋级")
                              ).scalar_one()
    assert (rise.grade, rise.effective.isoformat()) == (6, "2026-01-01")
    assert body(officer.post("/api/v1/promotions/approve", json={"year": 2026, "all": True}))["approved"] == 0
