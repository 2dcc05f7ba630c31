"""A refusal never names another district's worker nor gives away their dates: a foreign id gets
exactly the answer of an id that does not exist."""
from __future__ import annotations

import re
from datetime import date

from hr.core.db import db
from tests.helpers.api import Y, _worker, body
from tests.helpers.grades import give_post

MISSING = 2_000_000_000


def _names(*worker_ids: int) -> list[str]:
    from hr.workers.models import Worker

    return [db.session.get(Worker, i).name for i in worker_ids]


def test_a_foreign_mentor_or_mentee_reads_as_missing_whatever_the_start(api_as, world):
    c = api_as("officer")
    mentee2 = _worker(world.admin, "310109", hire_date=date(Y - 1, 5, 1), birth="19970101", qualification="无",
                      qualification_date=None)
    give_post(mentee2, "STAF", 3, date(Y - 1, 5, 1))
    foreign = _names(world.pd.lead_id, world.pd.mentee_id, world.pd.worker_id)
    for start in (f"{Y}-01-01", f"{Y}-02-01", f"{Y}-06-30", f"{Y - 1}-03-01"):
        for role, other in (("mentor_id", "mentee_id"), ("mentee_id", "mentor_id")):
            own = {"mentor_id": world.hk.lead_id, "mentee_id": mentee2.id}[other]
            answers = []
            for wid in (world.pd.lead_id, world.pd.mentee_id, world.pd.worker_id, MISSING):
                resp = c.post("/api/v1/pairings", json={"studio_id": world.hk.studio_id, "year": Y, role: wid,
                                                        other: own, "start_on": start})
                text = resp.get_data(as_text=True)
                assert not any(name in text for name in foreign), text
                answers.append((resp.status_code, body(resp)))
            assert all(a == answers[-1] for a in answers), answers


def test_suggestion_accept_does_not_name_foreign_workers(app, world, make_user):
    from tests.conftest import login
    from tests.helpers.web import new_client

    user = make_user("officer", "310109", username="hkaccept")
    c = new_client(app)
    login(c, user.username)
    foreign = _names(world.pd.lead_id, world.pd.mentee_id)
    answers = []
    for mentee in (world.pd.mentee_id, MISSING):
        resp = c.post("/mentoring/suggest/accept", follow_redirects=True, data={
            "district": "310109", "year": str(Y), "start": f"{Y}-02-01", f"keep-{mentee}": "1",
            f"mentor-{mentee}": f"{world.hk.lead_id}:{world.hk.studio_id}"})
        text = resp.get_data(as_text=True)
        assert resp.status_code == 200 and "未建立任何结对" in text
        assert not any(name in text for name in foreign)
        flashes = re.findall(r'class="flash[^"]*"[^>]*>(.*?)<', text, re.S)
        answers.append([m.replace(str(mentee), "ID") for m in flashes])  # the id the user sent
    for mentor in (world.pd.lead_id,):
        resp = c.post("/mentoring/suggest/accept", follow_redirects=True, data={
            "district": "310109", "year": str(Y), "start": f"{Y}-02-01", f"keep-{world.hk.worker_id}": "1",
            f"mentor-{world.hk.worker_id}": f"{mentor}:{world.hk.studio_id}"})
        assert not any(name in resp.get_data(as_text=True) for name in foreign)
    assert answers[0] == answers[1] and answers[0]
