"""Editing a worker: the audit trail on the worker page, and two officers saving at once."""
import re

from tests.conftest import HONGKOU, committee_in
from tests.helpers.register import form_data
from tests.helpers.web import new_client, text


def _edit_form(client, worker_id):
    """The fields as the edit page fills them, including the hidden version."""
    html = text(client.get(f"/workers/{worker_id}/edit"))
    version = re.search(r'name="version"[^>]*value="(\d+)"', html) or re.search(r'value="(\d+)"[^>]*name="version"', html)
    assert version, "the edit form carries the version it was built from"
    return html, version.group(1)


def _data(worker, version, **changes):
    base = dict(name=worker.name, id_number=worker.id_number, phone=worker.phone, education=worker.education,
                political_status=worker.political_status, qualification=worker.qualification,
                qualification_date=worker.qualification_date, hire_date=worker.hire_date,
                prior_years=worker.prior_years, committee_id=worker.committee_id, shiye=worker.shiye,
                reserve_cadre=worker.reserve_cadre, bank_name=worker.bank_name, bank_account=worker.bank_account)
    base.update(changes)
    data = form_data(**base)
    data["version"] = version
    return data


def _reload(worker_id):
    from hr.core.db import db
    from hr.workers.models import Worker

    db.session.expire_all()
    return db.session.get(Worker, worker_id)


def test_edit_page_is_filled_with_the_worker(officer_client, make_worker):
    worker = make_worker(phone="13900001111")
    html, version = _edit_form(officer_client, worker.id)
    assert 'value="13900001111"' in html and version == str(worker.version)


def test_edit_is_saved_and_shown_as_before_and_after(officer_client, make_worker):
    from hr.audit.models import AuditEntry
    from hr.core.db import db

    worker = make_worker(phone="13900001111")
    _, version = _edit_form(officer_client, worker.id)
    new_committee = committee_in(HONGKOU, 3)
    resp = officer_client.post(f"/workers/{worker.id}/edit", data=_data(
        worker, version, phone="13900002222", education="硕士", committee_id=new_committee.id, reserve_cadre=True))
    assert resp.status_code == 302
    saved = _reload(worker.id)
    assert (saved.phone, saved.education, saved.committee_id, saved.reserve_cadre) == (
        "13900002222", "硕士", new_committee.id, True)
    entry = db.session.query(AuditEntry).filter_by(action="update", object_id=worker.id).one()
    assert entry.username == "hk"
    assert entry.changes["phone"] == ["13900001111", "13900002222"]
    page = text(officer_client.get(f"/workers/{worker.id}"))
    assert "13900001111 → 13900002222" in page
    assert "本科 → 硕士" in page
    assert "否 → 是" in page  # 后备干部, not "False → True"
    old_committee = committee_in(HONGKOU, 0)
    assert f"{old_committee.name} → {new_committee.name}" in page  # names, not ids


def test_saving_without_changes_writes_no_audit_entry(officer_client, make_worker):
    from hr.audit.models import AuditEntry
    from hr.core.db import db

    worker = make_worker()
    _, version = _edit_form(officer_client, worker.id)
    resp = officer_client.post(f"/workers/{worker.id}/edit", data=_data(worker, version), follow_redirects=True)
    assert "没有需要保存的修改" in text(resp)
    assert db.session.query(AuditEntry).filter_by(action="update").count() == 0
    assert _reload(worker.id).version == worker.version


def test_edit_refusal_is_shown_beside_the_field_and_nothing_changes(officer_client, make_worker):
    worker = make_worker()
    _, version = _edit_form(officer_client, worker.id)
    resp = officer_client.post(f"/workers/{worker.id}/edit", data=_data(worker, version, phone="555"))
    assert resp.status_code == 200 and "手机号须为" in text(resp)
    assert _reload(worker.id).phone == "13812345678"


def test_second_officer_saving_a_stale_form_is_refused(app, officer_client, make_user, make_worker):
    from hr.audit.models import AuditEntry
    from hr.core.db import db
    from tests.conftest import login

    worker = make_worker()
    make_user("officer", HONGKOU, username="hk2")
    second = new_client(app)
    login(second, "hk2")
    _, v1 = _edit_form(officer_client, worker.id)
    _, v2 = _edit_form(second, worker.id)
    assert v1 == v2
    first = officer_client.post(f"/workers/{worker.id}/edit", data=_data(worker, v1, phone="13911112222"))
    assert first.status_code == 302
    late = second.post(f"/workers/{worker.id}/edit", data=_data(worker, v2, phone="13933334444", education="硕士"))
    assert late.status_code == 409
    page = text(late)
    assert "已被他人修改" in page and "未保存" in page
    assert "载入最新信息重新编辑" in page
    saved = _reload(worker.id)
    assert (saved.phone, saved.education) == ("13911112222", "本科")
    assert db.session.query(AuditEntry).filter_by(action="update").count() == 1
    # After reloading the form, the second officer can save.
    _, v3 = _edit_form(second, worker.id)
    assert int(v3) > int(v2)
    again = second.post(f"/workers/{worker.id}/edit", data=_data(saved, v3, education="硕士"))
    assert again.status_code == 302
    assert _reload(worker.id).education == "硕士"


def test_a_departure_in_between_also_makes_the_edit_stale(officer_client, make_worker):
    worker = make_worker()
    _, version = _edit_form(officer_client, worker.id)
    resp = officer_client.post(f"/workers/{worker.id}/leave", data={
        "status": "离职", "leave_date": "2024-06-30", "version": version})
    assert resp.status_code == 302
    late = officer_client.post(f"/workers/{worker.id}/edit", data=_data(worker, version, phone="13933334444"))
    assert late.status_code == 409
    assert _reload(worker.id).phone == "13812345678"


def test_a_save_racing_past_the_version_check_is_still_refused(make_worker, make_user):
    """Both saves read version 1; the later UPDATE finds the row already at 2."""
    import pytest
    import sqlalchemy as sa

    from hr.core.db import db
    from hr.core.errors import Conflict
    from hr.workers.models import Worker
    from hr.workers.services import update_worker

    worker = make_worker()
    officer = make_user("officer", HONGKOU, username="racer")
    data = {k: getattr(worker, k) for k in ("name", "id_number", "phone", "education", "political_status",
                                             "qualification", "qualification_date", "hire_date", "prior_years",
                                             "committee_id", "shiye", "reserve_cadre", "bank_name", "bank_account")}
    with db.engine.begin() as other:
        other.execute(sa.update(Worker).where(Worker.id == worker.id)
                      .values(phone="13900009999", version=Worker.version + 1))
    with pytest.raises(Conflict):
        update_worker(worker, dict(data, phone="13900001111"), worker.version, officer)
    db.session.rollback()
    assert _reload(worker.id).phone == "13900009999"
