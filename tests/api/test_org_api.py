"""Districts, streets and committees: read within the district, added and renamed by the city
administrator only."""
from __future__ import annotations

from tests.conftest import HONGKOU, PUDONG
from tests.helpers.api import body


def test_lists_and_filters(api_as, world):
    admin = api_as("admin")
    districts = body(admin.get("/api/v1/districts?per_page=200"))
    assert districts["total"] == 16 and {HONGKOU, PUDONG} <= {d["code"] for d in districts["items"]}
    assert body(admin.get("/api/v1/districts?q=虹口"))["items"][0]["code"] == HONGKOU
    streets = body(admin.get(f"/api/v1/streets?district_id={world.hk.district_id}&per_page=200"))
    assert streets["total"] > 0 and {s["district_id"] for s in streets["items"]} == {world.hk.district_id}
    assert body(admin.get("/api/v1/streets?kind=镇&code=310109"))["total"] == 0
    committees = body(admin.get(f"/api/v1/committees?street_id={world.hk.street_id}"))
    assert committees["total"] > 0
    assert {c["district_id"] for c in committees["items"]} == {world.hk.district_id}
    one = body(admin.get(f"/api/v1/committees/{world.hk.committee_id}"))
    assert one["street_id"] == world.hk.street_id


def test_admin_adds_and_renames(api_as, world):
    admin = api_as("admin")
    resp = admin.post("/api/v1/streets", json={"district_id": world.hk.district_id, "name": "新港街道",
                                               "kind": "街道"})
    assert resp.status_code == 201, body(resp)
    street = body(resp)
    assert street["code"].startswith(HONGKOU) and resp.headers["Location"].endswith(f"/streets/{street['id']}")
    dup = admin.post("/api/v1/streets", json={"district_id": world.hk.district_id, "name": "新港街道", "kind": "街道"})
    assert dup.status_code == 422 and "已有" in body(dup)["error"]
    renamed = admin.patch(f"/api/v1/streets/{street['id']}", json={"name": "新港路街道"})
    assert renamed.status_code == 200 and body(renamed)["name"] == "新港路街道"
    resp = admin.post("/api/v1/committees", json={"street_id": street["id"], "name": "一号居委会", "kind": "居委会"})
    assert resp.status_code == 201 and body(resp)["district_id"] == world.hk.district_id
    cid = body(resp)["id"]
    assert body(admin.patch(f"/api/v1/committees/{cid}", json={"name": "二号居委会"}))["name"] == "二号居委会"
    bad = admin.post("/api/v1/committees", json={"street_id": street["id"], "name": "x", "kind": "村"})
    assert bad.status_code == 400 and "kind" in body(bad)["errors"]
    assert admin.post("/api/v1/streets", json={"district_id": 999999, "name": "某街道", "kind": "街道"}).status_code == 404


def test_officers_and_auditors_cannot_change_the_organisation(api_as, world):
    for c in (api_as("officer"), api_as("auditor")):
        resp = c.post("/api/v1/streets", json={"district_id": world.hk.district_id, "name": "新港街道", "kind": "街道"})
        assert resp.status_code == 403
        assert c.patch(f"/api/v1/committees/{world.hk.committee_id}", json={"name": "改名"}).status_code == 403
