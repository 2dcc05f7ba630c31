"""The first-job flag (首次参加工作, §6b) through the API."""
from __future__ import annotations

from sqlalchemy import select

from hr.core.db import db
from hr.workers.models import Worker
from tests.api.test_workers_api import body, new_worker_json
from tests.conftest import valid_id


def _worker(number: str) -> Worker:
    db.session.expire_all()
    return db.session.execute(select(Worker).where(Worker.id_number == number)).unique().scalar_one()


def test_api_sets_and_shows_the_flag(api_as, world):
    c = api_as("officer")
    number = valid_id()
    resp = c.post("/api/v1/workers", json={**new_worker_json(world.hk.committee_id, id_number=number),
                                           "first_job": True})
    assert resp.status_code == 201, body(resp)
    assert body(resp)["first_job"] is True and _worker(number).first_job is True
    other = c.post("/api/v1/workers", json=new_worker_json(world.hk.committee_id, id_number=valid_id()))
    assert body(other)["first_job"] is False
