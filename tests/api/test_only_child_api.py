"""赡养老人 declarations say whether the worker is an only child (§6b): 3,000 if so, else a share
of at most 1,500."""
from __future__ import annotations

from tests.api.test_workers_api import body


def test_only_child_flag_caps_the_elderly_support_share(api_as, world):
    c = api_as("officer")
    share = {"worker_id": world.hk.worker_id, "kind": "赡养老人", "monthly": "2000.00", "start_month": "2026-01",
             "only_child": False}
    refused = c.post("/api/v1/payroll/declarations", json=share)
    assert refused.status_code == 400 and "1500" in str(body(refused)["errors"]["monthly"])
    ok = c.post("/api/v1/payroll/declarations", json={**share, "monthly": "3000.00", "only_child": True})
    assert ok.status_code == 201, body(ok)
    assert body(ok)["only_child"] is True
