"""Recording a departure (离职 / 退休) and undoing one recorded by mistake."""
from datetime import date

import pytest

from tests.helpers.web import text


def _reload(worker_id):
    from hr.core.db import db
    from hr.workers.models import Worker

    db.session.expire_all()
    return db.session.get(Worker, worker_id)


def _version(client, worker_id):
    import re

    html = text(client.get(f"/workers/{worker_id}/leave"))
    return re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)


@pytest.mark.parametrize("status", ["离职", "退休"])
def test_departure_is_recorded_with_its_date(officer_client, make_worker, status):
    from hr.audit.models import AuditEntry
    from hr.core.db import db

    worker = make_worker()
    resp = officer_client.post(f"/workers/{worker.id}/leave", data={
        "status": status, "leave_date": "2024-06-30", "leave_reason": "个人原因",
        "version": _version(officer_client, worker.id)}, follow_redirects=True)
    assert f"已登记 张丽 {status}" in text(resp)
    saved = _reload(worker.id)
    assert (saved.status, saved.leave_date, saved.leave_reason) == (status, date(2024, 6, 30), "个人原因")
    assert db.session.query(AuditEntry).filter_by(action="leave", object_id=worker.id).count() == 1
    page = text(officer_client.get(f"/workers/{worker.id}"))
    assert "恢复在职" in page and "2024-06-30" in page
    assert "张丽" not in text(officer_client.get("/workers/")).split("<tbody>")[1]
    assert "张丽" in text(officer_client.get(f"/workers/?status={status}")).split("<tbody>")[1]


@pytest.mark.parametrize("data, message", [
    ({"status": "离职", "leave_date": ""}, "请输入日期"),
    ({"status": "离职", "leave_date": "2010-01-01"}, "离职日期不能早于入职日期"),
    ({"status": "离职", "leave_date": "2999-01-01"}, "离职日期超出合理范围"),
    ({"status": "开除", "leave_date": "2024-06-30"}, "不是有效的选择"),
])
def test_bad_departures_are_refused_beside_the_field(officer_client, make_worker, data, message):
    worker = make_worker()
    data = dict(data, version=_version(officer_client, worker.id))
    resp = officer_client.post(f"/workers/{worker.id}/leave", data=data)
    assert resp.status_code == 200
    assert message in text(resp)
    assert _reload(worker.id).status == "在职"


def test_stale_departure_is_refused(officer_client, make_worker):
    worker = make_worker()
    version = _version(officer_client, worker.id)
    officer_client.post(f"/workers/{worker.id}/leave", data={"status": "退休", "leave_date": "2024-05-31",
                                                           "version": version})
    officer_client.post(f"/workers/{worker.id}/reinstate")
    resp = officer_client.post(f"/workers/{worker.id}/leave", data={"status": "离职", "leave_date": "2024-06-30",
                                                                  "version": version})
    assert "已被他人修改" in text(resp)
    assert _reload(worker.id).status == "在职"


def test_reinstate_undoes_a_departure(officer_client, make_worker):
    from hr.audit.models import AuditEntry
    from hr.core.db import db

    worker = make_worker()
    officer_client.post(f"/workers/{worker.id}/leave", data={
        "status": "离职", "leave_date": "2024-06-30", "version": _version(officer_client, worker.id)})
    resp = officer_client.post(f"/workers/{worker.id}/reinstate", follow_redirects=True)
    assert "已恢复在职" in text(resp)
    saved = _reload(worker.id)
    assert (saved.status, saved.leave_date, saved.leave_reason) == ("在职", None, "")
    actions = [e.action for e in db.session.query(AuditEntry).filter_by(object_type="worker", object_id=worker.id)
               .order_by(AuditEntry.id)]
    assert actions == ["create", "leave", "update"]


def test_reinstating_a_worker_in_service_changes_nothing(officer_client, make_worker):
    from hr.audit.models import AuditEntry
    from hr.core.db import db

    worker = make_worker()
    resp = officer_client.post(f"/workers/{worker.id}/reinstate", follow_redirects=True)
    assert "已在职" in text(resp)
    assert db.session.query(AuditEntry).filter_by(action="update").count() == 0
