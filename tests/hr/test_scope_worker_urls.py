"""Every page about one worker refuses another district's worker as if it did not exist."""
from werkzeug.routing import IntegerConverter

from tests.conftest import PUDONG
from tests.helpers.register import form_data


def _worker_rules(app):
    return [r for r in app.url_map.iter_rules() if "worker_id" in r.arguments
            and isinstance(r._converters["worker_id"], IntegerConverter)]


def _url(app, rule, worker_id):
    values = {}
    for name in rule.arguments:
        if name == "worker_id":
            values[name] = worker_id
        elif isinstance(rule._converters[name], IntegerConverter):
            values[name] = 1
        else:
            values[name] = "1"
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def test_there_are_worker_pages_to_check(app):
    endpoints = {r.endpoint for r in _worker_rules(app)}
    assert {"workers.detail", "workers.edit", "workers.leave", "workers.reinstate"} <= endpoints


WRITES = ("POST", "PUT", "PATCH", "DELETE")


def test_officer_gets_404_for_every_worker_url_of_another_district(app, officer_client, make_worker):
    """Pages: GET and POST answer 404. The JSON API may check the body before the worker (400):
    then the answer must be the same as for a worker that does not exist at all."""
    from hr.core.db import db
    from hr.workers.models import Worker

    other = make_worker(PUDONG)
    other.status, other.leave_date = "离职", other.hire_date
    db.session.commit()
    post = form_data(committee_id=other.committee_id, name="越权修改")
    post.update({"status": "离职", "leave_date": "2024-06-30", "version": str(other.version)})
    tried = []
    for rule in _worker_rules(app):
        url = _url(app, rule, other.id)
        api = url.startswith("/api/")
        for method in sorted(rule.methods & {"GET", *WRITES}):
            if method != "GET" and not api and method != "POST":
                continue
            kwargs = {} if method == "GET" else ({"json": post} if api else {"data": post})
            resp = officer_client.open(url, method=method, **kwargs)
            body = resp.get_data(as_text=True)
            assert "张丽" not in body and other.id_number not in body, (method, url)
            if api and method != "GET" and resp.status_code != 404:
                missing = officer_client.open(_url(app, rule, 999999), method=method, **kwargs)
                assert resp.status_code == missing.status_code, (method, url, resp.status_code)
                assert resp.status_code < 500, (method, url, resp.status_code)
            else:
                assert resp.status_code == 404, (method, url, resp.status_code)
            tried.append((method, url))
    assert len(tried) >= 6
    db.session.expire_all()
    worker = db.session.get(Worker, other.id)
    assert worker.name == "张丽" and worker.status == "离职"


def test_missing_worker_gets_the_same_404(officer_client):
    resp = officer_client.get("/workers/999999")
    assert resp.status_code == 404
    assert "不存在" in resp.get_data(as_text=True)


def test_officer_cannot_move_a_worker_into_another_district(officer_client, make_worker):
    from hr.core.db import db
    from hr.workers.models import Worker
    from tests.conftest import committee_in

    mine = make_worker()
    foreign = committee_in(PUDONG)
    data = form_data(committee_id=foreign.id, id_number=mine.id_number, version=str(mine.version))
    resp = officer_client.post(f"/workers/{mine.id}/edit", data=data)
    assert resp.status_code in (200, 400, 403, 404)
    db.session.expire_all()
    assert db.session.get(Worker, mine.id).committee_id == mine.committee_id


def test_officer_cannot_register_a_worker_in_another_district(officer_client):
    from hr.core.db import db
    from hr.workers.models import Worker
    from tests.conftest import committee_in

    resp = officer_client.post("/workers/new", data=form_data(committee_id=committee_in(PUDONG).id))
    assert resp.status_code in (200, 400, 403, 404)
    assert db.session.query(Worker).count() == 0
