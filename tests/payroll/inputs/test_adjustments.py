"""补发/补扣 lines: positive for 补发, stored negative for 补扣, only into an open month."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.helpers.inputs import audit, field_errors, rows_of
from tests.helpers.web import text


def _adjs(worker_id):
    from payroll.inputs.models import Adjustment

    return rows_of(Adjustment, worker_id=worker_id)


def _post(**overrides):
    data = {"kind": "补发", "amount": "350.50", "pay_month": "2026-12", "corrects_month": "2026-09",
            "reason": "9 月岗位津贴漏发"}
    data.update(overrides)
    return data


def test_back_pay_is_positive_and_a_deduction_negative(officer_client, worker):
    assert officer_client.post(f"/payroll/inputs/workers/{worker.id}/adjustments/new", data=_post()).status_code == 302
    assert officer_client.post(f"/payroll/inputs/workers/{worker.id}/adjustments/new",
                               data=_post(kind="补扣", amount="0.01", reason="多发更正")).status_code == 302
    back, deduction = _adjs(worker.id)
    assert (back.kind, back.amount, back.pay_month, back.corrects_month) == (
        "补发", Decimal("350.50"), date(2026, 12, 1), date(2026, 9, 1))
    assert (deduction.kind, deduction.amount) == ("补扣", Decimal("-0.01"))
    assert deduction.district_id == worker.district_id and deduction.created_by == "hk"
    entries = audit("adjustment", "create")
    assert len(entries) == 2 and entries[1].changes["amount"] == [None, "-0.01"]
    page = text(officer_client.get(f"/workers/{worker.id}"))
    assert "350.50" in page and "-0.01" in page and "多发更正" in page


@pytest.mark.parametrize("overrides, field, message", [
    ({"kind": "奖励"}, "kind", "不是有效的选择"),
    ({"amount": "-100"}, "amount", "不能为负数（补扣也填正数）"),
    ({"amount": "0"}, "amount", "须大于 0"),
    ({"amount": "100.005"}, "amount", "最多 2 位小数"),
    ({"amount": "一百"}, "amount", "应为数字"),
    ({"amount": "2000000"}, "amount", "不能超过"),
    ({"pay_month": ""}, "pay_month", "请填写发放月份"),
    ({"pay_month": "2016-12", "corrects_month": "2016-11"}, "pay_month", "发放月份须在 2017 年"),
    ({"pay_month": "2019-01", "corrects_month": "2019-01"}, "pay_month", "不在职"),
    ({"corrects_month": ""}, "corrects_month", "请填写所属月份"),
    ({"corrects_month": "2027-01"}, "corrects_month", "所属月份不能晚于发放月份"),
    ({"corrects_month": "2019-02"}, "corrects_month", "早于该职工入职月份"),
    ({"reason": ""}, "reason", "请填写原因"),
    ({"reason": "长" * 201}, "reason", "原因不能超过 200 字"),
])
def test_each_refusal_is_shown_beside_its_field(officer_client, worker, overrides, field, message):
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/adjustments/new", data=_post(**overrides))
    assert resp.status_code == 200
    errors = field_errors(text(resp))
    assert any(message in e for e in errors.get(field, [])), errors
    assert _adjs(worker.id) == [] and audit("adjustment") == []


@pytest.mark.parametrize("status, refused", [("draft", False), ("calculated", False), ("approved", True), ("locked", True)])
def test_only_an_open_month_takes_adjustments(officer_client, worker, make_run, status, refused):
    make_run(date(2026, 12, 1), status)
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/adjustments/new", data=_post())
    if refused:
        name = {"approved": "已审批", "locked": "已锁定"}[status]
        assert any(f"2026-12 的工资{name}，补发补扣只能计入尚未审批的月份" in e
                   for e in field_errors(text(resp))["pay_month"])
        assert _adjs(worker.id) == []
    else:
        assert resp.status_code == 302 and len(_adjs(worker.id)) == 1


def test_another_districts_closed_month_does_not_matter(officer_client, worker, make_run):
    from tests.conftest import PUDONG

    make_run(date(2026, 12, 1), "locked", PUDONG)
    assert officer_client.post(f"/payroll/inputs/workers/{worker.id}/adjustments/new", data=_post()).status_code == 302


def test_a_worker_who_left_gets_no_adjustment_after_leaving(worker, officer):
    from hr.core.db import db
    from payroll.inputs.services import InputInvalid, add_adjustment

    worker.status, worker.leave_date = "离职", date(2026, 6, 15)
    db.session.commit()
    data = {"kind": "补发", "amount": "100", "pay_month": date(2026, 7, 1), "corrects_month": date(2026, 5, 1), "reason": "补发"}
    with pytest.raises(InputInvalid) as e:
        add_adjustment(worker, data, officer)
    assert "不在职" in e.value.errors["pay_month"]
    assert add_adjustment(worker, {**data, "pay_month": date(2026, 6, 1)}, officer).amount == Decimal("100.00")


def test_a_shiye_worker_is_not_on_this_payroll(make_worker, officer):
    from payroll.inputs.services import InputInvalid, add_adjustment

    w = make_worker(shiye=True)
    data = {"kind": "补发", "amount": "100", "pay_month": date(2026, 7, 1), "corrects_month": date(2026, 5, 1), "reason": "补发"}
    with pytest.raises(InputInvalid, match="事业待遇"):
        add_adjustment(w, data, officer)


def test_delete_only_while_the_month_is_open(officer_client, worker, make_run):
    officer_client.post(f"/payroll/inputs/workers/{worker.id}/adjustments/new", data=_post())
    officer_client.post(f"/payroll/inputs/workers/{worker.id}/adjustments/new", data=_post(pay_month="2026-11", corrects_month="2026-10"))
    december, november = (a.id for a in sorted(_adjs(worker.id), key=lambda a: a.pay_month, reverse=True))
    make_run(date(2026, 11, 1), "locked")
    resp = officer_client.post(f"/payroll/inputs/adjustments/{november}/delete", follow_redirects=True)
    assert "不能删除" in text(resp) and len(_adjs(worker.id)) == 2
    assert f"adjustments/{november}/delete" not in text(resp)  # no delete button for a closed month
    resp = officer_client.post(f"/payroll/inputs/adjustments/{december}/delete")
    assert resp.status_code == 302 and [a.id for a in _adjs(worker.id)] == [november]
    assert audit("adjustment", "delete")[0].object_id == december
