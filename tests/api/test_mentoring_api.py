"""Studios, pairings and activities through the API (the §7 rules are the service's)."""
from __future__ import annotations

from datetime import date

from tests.helpers.api import Y, _worker, body
from tests.helpers.grades import give_post, give_rating


def test_studio_lists_detail_and_changes(api_as, world):
    c = api_as("officer")
    page = body(c.get("/api/v1/studios"))
    assert page["total"] == 1 and page["items"][0]["id"] == world.hk.studio_id
    assert body(c.get("/api/v1/studios?active=false"))["total"] == 0
    detail = body(c.get(f"/api/v1/studios/{world.hk.studio_id}"))
    assert detail["lead_id"] == world.hk.lead_id and detail["place"] == "虹口区（全区）"
    assert [m["worker_id"] for m in detail["members"]] == [world.hk.lead_id]
    assert [co["year"] for co in detail["cohorts"]] == [Y]
    resp = c.patch(f"/api/v1/studios/{world.hk.studio_id}", json={"intro": "带教新任书记", "street_id": world.hk.street_id})
    assert resp.status_code == 200, body(resp)
    assert (body(resp)["intro"], body(resp)["street_id"]) == ("带教新任书记", world.hk.street_id)
    bad = c.patch(f"/api/v1/studios/{world.hk.studio_id}", json={"lead_id": world.hk.mentee_id})
    assert bad.status_code == 400 and "lead_id" in body(bad)["errors"]
    assert c.post(f"/api/v1/studios/{world.hk.studio_id}/cohorts",
                  json={"year": Y, "opened": f"{Y}-02-01"}).status_code == 400  # the year exists
    resp = c.post(f"/api/v1/studios/{world.hk.studio_id}/cohorts", json={"year": Y - 1, "opened": f"{Y - 1}-02-01"})
    assert resp.status_code == 201 and body(resp)["year"] == Y - 1


def test_create_a_studio_and_add_a_member(api_as, world):
    lead2 = _worker(world.admin, "310109", hire_date=date(2012, 3, 1), birth="19760101", qualification="无",
                    qualification_date=None)
    give_post(lead2, "LEAD", 12, date(2016, 1, 1))
    give_rating(lead2, Y - 1, "合格")
    c = api_as("officer")
    resp = c.post("/api/v1/studios", json={"name": "第二工作室", "lead_id": lead2.id, "founded": f"{Y - 1}-01-01"})
    assert resp.status_code == 201, body(resp)
    studio = body(resp)
    assert studio["district_id"] == world.hk.district_id and studio["members"][0]["worker_id"] == lead2.id
    member = c.post(f"/api/v1/studios/{studio['id']}/members", json={"worker_id": world.hk.lead_id,
                                                                     "joined": f"{Y - 1}-06-01"})
    assert member.status_code == 201 and body(member)["worker_id"] == world.hk.lead_id
    again = c.post(f"/api/v1/studios/{studio['id']}/members", json={"worker_id": world.hk.lead_id,
                                                                    "joined": f"{Y - 1}-06-01"})
    assert again.status_code == 400
    admin = api_as("admin")
    need = admin.post("/api/v1/studios", json={"name": "第三工作室", "lead_id": lead2.id, "founded": f"{Y - 1}-01-01"})
    assert need.status_code == 400 and "district_id" in body(need)["errors"]


def test_pairings_and_their_rules(api_as, world):
    c = api_as("officer")
    page = body(c.get(f"/api/v1/pairings?year={Y}&status=进行中"))
    assert [p["id"] for p in page["items"]] == [world.hk.pairing_id]
    p = page["items"][0]
    assert (p["mentor_id"], p["mentee_id"], p["status"], p["evaluation"]) == (
        world.hk.lead_id, world.hk.mentee_id, "进行中", None)
    # The mentee already has a mentor: refused by the rules (422), nothing written.
    mentee2 = _worker(world.admin, "310109", hire_date=date(Y - 1, 5, 1), birth="19970101", qualification="无",
                      qualification_date=None)
    give_post(mentee2, "STAF", 3, date(Y - 1, 5, 1))
    again = c.post("/api/v1/pairings", json={"studio_id": world.hk.studio_id, "year": Y, "mentor_id": world.hk.lead_id,
                                             "mentee_id": world.hk.mentee_id, "start_on": f"{Y}-02-01"})
    assert again.status_code == 422, body(again)
    no_cohort = c.post("/api/v1/pairings", json={"studio_id": world.hk.studio_id, "year": Y - 1,
                                                 "mentor_id": world.hk.lead_id, "mentee_id": mentee2.id,
                                                 "start_on": f"{Y - 1}-06-01"})
    assert no_cohort.status_code == 422 and "尚未开设" in body(no_cohort)["error"]
    resp = c.post("/api/v1/pairings", json={"studio_id": world.hk.studio_id, "year": Y, "mentor_id": world.hk.lead_id,
                                            "mentee_id": mentee2.id, "start_on": f"{Y}-02-01"})
    assert resp.status_code == 201, body(resp)
    new = body(resp)
    assert new["start_on"] == f"{Y}-02-01" and new["end_on"] > new["start_on"]
    assert resp.headers["Location"].endswith(f"/api/v1/pairings/{new['id']}")
    bad = c.post(f"/api/v1/pairings/{new['id']}/close", json={"action": "graduate", "closed_on": f"{Y}-03-01"})
    assert bad.status_code in (400, 422)
    done = c.post(f"/api/v1/pairings/{new['id']}/close", json={"action": "terminate", "closed_on": f"{Y}-03-01",
                                                               "reason": "调离"})
    assert done.status_code == 200, body(done)
    assert (body(done)["status"], body(done)["end_reason"]) == ("提前终止", "调离")
    closed = c.post(f"/api/v1/pairings/{new['id']}/close", json={"action": "terminate", "closed_on": f"{Y}-03-01",
                                                                 "reason": "再次"})
    assert closed.status_code == 409


def test_activities(api_as, world):
    c = api_as("officer")
    page = body(c.get(f"/api/v1/activities?pairing_id={world.hk.pairing_id}"))
    assert [(a["kind"], a["hours"]) for a in page["items"]] == [("带教", "2.0")]
    resp = c.post("/api/v1/activities", json={"pairing_id": world.hk.pairing_id, "held_on": f"{Y}-02-10",
                                              "kind": "研讨", "hours": "1.5", "notes": "案例研讨"})
    assert resp.status_code == 201, body(resp)
    a = body(resp)
    assert (a["hours"], a["kind"], a["district_id"]) == ("1.5", "研讨", world.hk.district_id)
    for hours in ("0.3", "25", "1.55", "abc"):
        bad = c.post("/api/v1/activities", json={"pairing_id": world.hk.pairing_id, "held_on": f"{Y}-02-10",
                                                 "kind": "研讨", "hours": hours})
        assert bad.status_code == 400 and "hours" in body(bad)["errors"], hours
    outside = c.post("/api/v1/activities", json={"pairing_id": world.hk.pairing_id, "held_on": f"{Y - 1}-02-10",
                                                 "kind": "研讨", "hours": "1"})
    assert outside.status_code == 400 and "held_on" in body(outside)["errors"]
    assert body(c.get(f"/api/v1/activities?held_from={Y}-02-01&kind=研讨"))["total"] == 1
    assert c.delete(f"/api/v1/activities/{a['id']}").status_code == 204
    assert c.get(f"/api/v1/activities/{a['id']}").status_code == 404
