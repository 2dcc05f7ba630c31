"""Special additional deduction declarations: the page, every refusal beside its field (the
rule book's caps through payroll.calc.special.validate_declarations), ending and deleting."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.helpers.inputs import audit, field_errors, rows_of
from tests.helpers.web import text


def _decls(worker_id):
    from payroll.inputs.models import Declaration

    return rows_of(Declaration, worker_id=worker_id)


def _post(**overrides):
    data = {"kind": "子女教育", "dependent": "王小明", "monthly": "2000", "start_month": "2025-01", "end_month": ""}
    data.update(overrides)
    return data


def _add(worker, user, **data):
    from hr.core.db import db
    from payroll.inputs.services import add_declaration

    values = {"kind": "住房租金", "dependent": "", "monthly": "1500", "start_month": date(2025, 1, 1), "end_month": None}
    values.update(data)
    d = add_declaration(worker, values, user)
    db.session.commit()
    return d


def test_officer_declares_a_child_education_deduction(officer_client, worker):
    page = text(officer_client.get(f"/workers/{worker.id}"))
    assert "个税与薪酬录入" in page and "未申报专项附加扣除" in page
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/declarations/new", data=_post())
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/workers/{worker.id}#pay-inputs")
    [d] = _decls(worker.id)
    assert (d.kind, d.dependent, d.monthly, d.start_month, d.end_month) == (
        "子女教育", "王小明", Decimal("2000.00"), date(2025, 1, 1), None)
    assert d.district_id == worker.district_id and d.created_by == "hk"
    entry = audit("declaration", "create")[0]
    assert entry.object_id == d.id and entry.district_id == worker.district_id
    page = text(officer_client.get(f"/workers/{worker.id}"))
    assert "王小明" in page and "2,000.00" in page and "2025-01" in page


def test_two_children_each_get_their_own_declaration(officer_client, worker):
    for child in ("王小明", "王小红"):
        officer_client.post(f"/payroll/inputs/workers/{worker.id}/declarations/new", data=_post(dependent=child))
    assert sorted(d.dependent for d in _decls(worker.id)) == ["王小明", "王小红"]


@pytest.mark.parametrize("overrides, field, message", [
    ({"kind": "大病医疗"}, "kind", "不是有效的选择"),
    ({"dependent": ""}, "dependent", "须填写子女姓名"),
    ({"dependent": "小"}, "dependent", "子女姓名须为 2–32 个汉字或字母"),
    ({"kind": "住房租金", "monthly": "1500", "dependent": "王小明"}, "dependent", "仅子女教育、3岁以下婴幼儿照护需填写子女姓名"),
    ({"monthly": "1000.001"}, "monthly", "最多 2 位小数"),
    ({"monthly": "0"}, "monthly", "须大于 0"),
    ({"monthly": ""}, "monthly", "请填写每月金额"),
    ({"monthly": "两千"}, "monthly", "应为数字"),
    ({"start_month": ""}, "start_month", "请填写起始月份"),
    ({"start_month": "2025-13"}, "start_month", "不是有效的月份"),
    ({"start_month": "2018-12"}, "start_month", "起始月份须在 2019 年 1 月"),
    ({"end_month": "2024-12"}, "end_month", "结束月份不能早于起始月份"),
    ({"monthly": "2500"}, "kind", "每个子女每月最多2000元"),
    ({"kind": "赡养老人", "dependent": "", "monthly": "3500"}, "kind", "赡养老人：每月合计最多3000元"),
    ({"kind": "住房贷款利息", "dependent": "", "monthly": "1200"}, "kind", "住房贷款利息：每月合计最多1000元"),
    ({"kind": "继续教育", "dependent": "", "monthly": "1000"}, "kind", "继续教育：学历教育每月最多400元"),
])
def test_each_refusal_is_shown_beside_its_field(officer_client, worker, overrides, field, message):
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/declarations/new", data=_post(**overrides))
    assert resp.status_code == 200
    errors = field_errors(text(resp))
    assert any(message in e for e in errors.get(field, [])), errors
    assert not {k: v for k, v in errors.items() if v and k != field}, errors
    assert _decls(worker.id) == [] and audit("declaration") == []


def test_rent_and_mortgage_interest_cannot_share_a_year(officer_client, worker, officer):
    _add(worker, officer, kind="住房租金", monthly="1500", start_month=date(2025, 1, 1), end_month=date(2025, 6, 1))
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/declarations/new",
                               data=_post(kind="住房贷款利息", dependent="", monthly="1000", start_month="2025-09"))
    assert any("2025 年：住房租金与住房贷款利息不能在同一年度同时扣除" in e for e in field_errors(text(resp))["kind"])
    # the next year is fine
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/declarations/new",
                               data=_post(kind="住房贷款利息", dependent="", monthly="1000", start_month="2026-01"))
    assert resp.status_code == 302 and len(_decls(worker.id)) == 2


def test_one_declaration_per_child(officer_client, worker, officer):
    _add(worker, officer, kind="子女教育", dependent="王小明", monthly="1000", start_month=date(2025, 1, 1))
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/declarations/new",
                               data=_post(monthly="1000", start_month="2025-06"))
    assert any("同一子女（王小明）只能有一项申报" in e for e in field_errors(text(resp))["kind"])
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/declarations/new",
                               data=_post(monthly="1000", start_month="2025-01"))
    assert any("已有同一类型、同一子女、同一起始月份的申报" in e for e in field_errors(text(resp))["kind"])
    assert len(_decls(worker.id)) == 1


def test_elderly_support_shares_add_up_to_the_cap(worker, officer):
    from payroll.inputs.services import InputInvalid

    _add(worker, officer, kind="赡养老人", monthly="1500", start_month=date(2025, 1, 1))
    _add(worker, officer, kind="赡养老人", monthly="1500", start_month=date(2025, 2, 1))
    with pytest.raises(InputInvalid, match="赡养老人：每月合计最多3000元"):
        _add(worker, officer, kind="赡养老人", monthly="100", start_month=date(2025, 3, 1))


def test_a_continuing_education_certificate_is_once_a_year(worker, officer):
    from payroll.inputs.services import InputInvalid

    _add(worker, officer, kind="继续教育", monthly="3600", start_month=date(2025, 5, 1), end_month=date(2025, 5, 1))
    with pytest.raises(InputInvalid, match="每年只能一次"):
        _add(worker, officer, kind="继续教育", monthly="3600", start_month=date(2025, 9, 1), end_month=date(2025, 9, 1))


def test_an_open_declaration_is_checked_in_later_years(worker, officer):
    from payroll.inputs.services import InputInvalid

    _add(worker, officer, kind="住房贷款利息", monthly="1000", start_month=date(2026, 1, 1))
    with pytest.raises(InputInvalid, match="2026 年：住房租金与住房贷款利息"):
        _add(worker, officer, kind="住房租金", monthly="1500", start_month=date(2025, 1, 1))


def test_end_a_declaration(officer_client, worker, officer):
    d = _add(worker, officer)
    html = text(officer_client.get(f"/payroll/inputs/declarations/{d.id}/end"))
    assert "住房租金" in html
    resp = officer_client.post(f"/payroll/inputs/declarations/{d.id}/end", data={"end_month": "2025-12"})
    assert resp.status_code == 302
    assert _decls(worker.id)[0].end_month == date(2025, 12, 1)
    assert audit("declaration", "update")[0].changes == {"end_month": ["", "2025-12"]}
    resp = officer_client.post(f"/payroll/inputs/declarations/{d.id}/end", data={"end_month": "2024-12"})
    assert any("结束月份不能早于起始月份" in e for e in field_errors(text(resp))["end_month"])
    resp = officer_client.post(f"/payroll/inputs/declarations/{d.id}/end", data={"end_month": ""})
    assert any("请填写结束月份" in e for e in field_errors(text(resp))["end_month"])
    assert _decls(worker.id)[0].end_month == date(2025, 12, 1)


def test_extending_a_declaration_into_a_conflict_is_refused(worker, officer):
    from payroll.inputs.services import InputInvalid, end_declaration

    rent = _add(worker, officer, kind="住房租金", monthly="1500", start_month=date(2025, 1, 1), end_month=date(2025, 12, 1))
    _add(worker, officer, kind="住房贷款利息", monthly="1000", start_month=date(2026, 1, 1))
    with pytest.raises(InputInvalid, match="2026 年：住房租金与住房贷款利息"):
        end_declaration(rent, date(2026, 3, 1), officer)


def test_delete_a_declaration(officer_client, worker, officer):
    d_id = _add(worker, officer).id
    resp = officer_client.post(f"/payroll/inputs/declarations/{d_id}/delete")
    assert resp.status_code == 302 and _decls(worker.id) == []
    entry = audit("declaration", "delete")[0]
    assert entry.object_id == d_id and entry.changes["kind"] == ["住房租金", None]


def test_the_run_reads_what_is_stored(worker, officer):
    """The stored declaration is what payroll.runs.context hands to the calculation core."""
    from payroll.inputs.services import as_special

    d = _add(worker, officer, kind="子女教育", dependent="王小明", monthly="1000.50", start_month=date(2025, 3, 1))
    s = as_special(_decls(worker.id)[0])
    assert (s.kind, s.monthly, s.start, s.end, s.dependent) == ("子女教育", Decimal("1000.50"), date(2025, 3, 1), None, "王小明")
    assert d.monthly == Decimal("1000.50")
