"""The personal-data policy (hr.accounts.personal): the auditor never receives a full ID number,
bank account or phone, in the register export, the payroll workbook, the worker page's change
history or the API; the officer and the administrator do where the policy says so."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from hr.core.db import db
from tests.conftest import login
from tests.helpers.api import body
from tests.helpers.web import new_client


def _client(app, make_user, role, district="310109"):
    user = make_user(role, district, username=f"pol{role}{district or 'city'}")
    c = new_client(app)
    assert login(c, user.username).status_code == 302
    return c


def _personal(worker_id):
    from hr.workers.models import Worker

    w = db.session.get(Worker, worker_id)
    return w.id_number, w.bank_account, w.phone


def _cells(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row)


@pytest.mark.parametrize("role, district, full", [("auditor", None, False), ("auditor", "310109", False),
                                                  ("officer", "310109", True), ("admin", None, True)])
def test_register_export_and_payroll_workbook(app, world, make_user, role, district, full):
    c = _client(app, make_user, role, district)
    id_number, bank, phone = _personal(world.hk.worker_id)
    export = c.get("/workers/export.xlsx?status=all")
    assert export.status_code == 200
    cells = _cells(export.data)
    assert (id_number in cells, bank in cells, phone in cells) == (full, full, full)
    assert (id_number[:6] + "********" + id_number[-4:]) in cells or full
    workbook = c.post(f"/payroll/documents/runs/{world.hk.run_id}/payroll.xlsx")
    assert workbook.status_code == 200, workbook.get_data(as_text=True)[-300:]
    cells = _cells(workbook.data)
    assert (id_number in cells, bank in cells) == (full, full)
    assert bank[:6] in cells  # the masked account is still there, to tell rows apart


@pytest.mark.parametrize("role, full", [("auditor", False), ("officer", True)])
def test_change_history_and_api(app, world, make_user, role, full):
    from hr.workers.models import Worker
    from hr.workers.services import snapshot, update_worker

    w = db.session.get(Worker, world.hk.worker_id)
    old_bank = w.bank_account
    data = snapshot(w)
    data["bank_account"] = "6228480012345678901"
    data["phone"] = "13700001111"
    update_worker(w, data, w.version, world.admin)
    db.session.commit()
    c = _client(app, make_user, role)
    page = c.get(f"/workers/{world.hk.worker_id}").get_data(as_text=True)
    for secret in (old_bank, "6228480012345678901", "13700001111"):
        assert (secret in page) == full, secret
    assert "622848*********8901" in page or full
    from hr.accounts.models import User
    from tests.helpers.api import make_token
    user = db.session.execute(db.select(User).where(User.username == f"pol{role}310109")).scalar_one()
    token = make_token(user)
    resp = new_client(app).get(f"/api/v1/workers/{world.hk.worker_id}", headers={"Authorization": f"Bearer {token}"})
    got = body(resp)
    assert (got["bank_account"] == "6228480012345678901", got["phone"] == "13700001111",
            got["id_number"] == w.id_number) == (full, full, full)
