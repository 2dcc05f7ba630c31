"""A worker's standing choices: contribution base override per contribution year, housing-fund
rates, and the yearly tax options."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.helpers.inputs import audit, field_errors, rows_of
from tests.helpers.web import text


def _overrides(worker_id):
    from payroll.inputs.models import BaseOverride

    return rows_of(BaseOverride, worker_id=worker_id)


def _options(worker_id):
    from payroll.inputs.models import TaxOption

    return rows_of(TaxOption, worker_id=worker_id)


def _profile(worker_id):
    from hr.core.db import db
    from payroll.inputs.models import PayProfile

    db.session.expire_all()
    return db.session.get(PayProfile, worker_id)


# Contribution base.

def test_base_override_per_contribution_year(officer_client, worker):
    html = text(officer_client.get(f"/payroll/inputs/workers/{worker.id}/base"))
    assert 'value="2026"' in html  # the contribution year of today (Nov 2026 → 2026-07)
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/base",
                               data={"year": "2025", "base": "9000.55", "reason": "社保中心核定"})
    assert resp.status_code == 302
    [o] = _overrides(worker.id)
    assert (o.year_start, o.base, o.reason) == (date(2025, 7, 1), Decimal("9000.55"), "社保中心核定")
    # the same year again replaces it
    officer_client.post(f"/payroll/inputs/workers/{worker.id}/base", data={"year": "2025", "base": "9100", "reason": "更正"})
    [o] = _overrides(worker.id)
    assert o.base == Decimal("9100.00") and o.reason == "更正"
    assert [e.action for e in audit("base_override")] == ["create", "update"]
    assert "2025-07 起" in text(officer_client.get(f"/workers/{worker.id}"))
    officer_client.post(f"/payroll/inputs/base/{o.id}/delete")
    assert _overrides(worker.id) == [] and audit("base_override", "delete")


@pytest.mark.parametrize("data, field, message", [
    ({"base": "0"}, "base", "须大于 0"),
    ({"base": "9000.123"}, "base", "最多 2 位小数"),
    ({"base": "-9000"}, "base", "不能为负数"),
    ({"reason": ""}, "reason", "请填写调整原因"),
    ({"year": "2010"}, "year", "缴费年度须为 2017"),
    ({"year": "明年"}, "year", "不是有效的整数"),
])
def test_base_override_refusals(officer_client, worker, data, field, message):
    post = {"year": "2025", "base": "9000", "reason": "核定", **data}
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/base", data=post)
    assert resp.status_code == 200
    assert any(message in e for e in field_errors(text(resp)).get(field, [])), field_errors(text(resp))
    assert _overrides(worker.id) == []


# Housing fund.

def test_housing_fund_rates(officer_client, worker):
    html = text(officer_client.get(f"/payroll/inputs/workers/{worker.id}/housing-fund"))
    assert "区默认（7%）" in html
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/housing-fund", data={"hf_rate_pct": "5", "hf_supp_pct": "3"})
    assert resp.status_code == 302
    p = _profile(worker.id)
    assert (p.hf_rate_pct, p.hf_supp_pct, p.district_id) == (5, 3, worker.district_id)
    officer_client.post(f"/payroll/inputs/workers/{worker.id}/housing-fund", data={"hf_rate_pct": "", "hf_supp_pct": "0"})
    p = _profile(worker.id)
    assert (p.hf_rate_pct, p.hf_supp_pct) == (None, 0)
    assert len(audit("pay_profile")) == 2


@pytest.mark.parametrize("data, field", [
    ({"hf_rate_pct": "8", "hf_supp_pct": "0"}, "hf_rate_pct"),
    ({"hf_rate_pct": "4", "hf_supp_pct": "0"}, "hf_rate_pct"),
    ({"hf_rate_pct": "7", "hf_supp_pct": "6"}, "hf_supp_pct"),
])
def test_housing_fund_refusals_on_the_page(officer_client, worker, data, field):
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/housing-fund", data=data)
    assert resp.status_code == 200 and field_errors(text(resp))[field]
    assert _profile(worker.id) is None


@pytest.mark.parametrize("rate, supp, field", [(8, 0, "hf_rate_pct"), (4, 0, "hf_rate_pct"), (None, 6, "hf_supp_pct"),
                                                (None, -1, "hf_supp_pct"), (True, 0, "hf_rate_pct")])
def test_housing_fund_refusals_in_the_service(worker, officer, rate, supp, field):
    from payroll.inputs.options import set_pay_profile
    from payroll.inputs.services import InputInvalid

    with pytest.raises(InputInvalid) as e:
        set_pay_profile(worker, rate, supp, officer)
    assert field in e.value.errors


# Tax options.

def test_tax_option_per_year(officer_client, worker):
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/tax-options",
                               data={"year": "2026", "bonus_tax": "separate", "first_income_of_year": "y"})
    assert resp.status_code == 302
    [o] = _options(worker.id)
    assert (o.year, o.bonus_tax, o.first_income_of_year, o.prior_year_low_income) == (2026, "separate", True, False)
    html = text(officer_client.get(f"/payroll/inputs/workers/{worker.id}/tax-options?year=2026"))
    assert 'value="separate" selected' in html or 'selected value="separate"' in html
    officer_client.post(f"/payroll/inputs/workers/{worker.id}/tax-options", data={"year": "2026", "bonus_tax": "merged"})
    [o] = _options(worker.id)
    assert (o.bonus_tax, o.first_income_of_year) == ("merged", False)
    officer_client.post(f"/payroll/inputs/tax-options/{o.id}/delete")
    assert _options(worker.id) == []
    assert [e.action for e in audit("tax_option")] == ["create", "update", "delete"]


@pytest.mark.parametrize("data, field, message", [
    ({"year": "2028", "bonus_tax": "separate"}, "bonus_tax", "执行至 2027 年 12 月 31 日"),
    ({"year": "2026", "bonus_tax": "merged", "first_income_of_year": "y", "prior_year_low_income": "y"},
     "prior_year_low_income", "不能同时适用"),
    ({"year": "2015", "bonus_tax": "merged"}, "year", "纳税年度须为 2019"),
    ({"year": "2026", "bonus_tax": "split"}, "bonus_tax", "不是有效的选择"),
])
def test_tax_option_refusals(officer_client, worker, data, field, message):
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/tax-options", data=data)
    assert resp.status_code == 200
    assert any(message in e for e in field_errors(text(resp)).get(field, [])), field_errors(text(resp))
    assert _options(worker.id) == []


def test_separate_bonus_is_allowed_through_2027(worker, officer):
    from payroll.inputs.options import set_tax_option

    assert set_tax_option(worker, 2027, "separate", False, False, officer).bonus_tax == "separate"


def test_bonus_mode_is_fixed_once_december_is_approved(officer_client, worker, make_run):
    make_run(date(2025, 12, 1), "approved")
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/tax-options",
                               data={"year": "2025", "bonus_tax": "separate"})
    assert any("2025 年 12 月工资已审批，年终奖计税方式不能再更改" in e for e in field_errors(text(resp))["bonus_tax"])
    # the 13号/19号 flags may still be recorded
    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/tax-options",
                               data={"year": "2025", "bonus_tax": "merged", "prior_year_low_income": "y"})
    assert resp.status_code == 302


def test_19_is_refused_for_a_worker_not_employed_all_of_last_year(make_worker, make_user):
    from payroll.inputs.options import set_tax_option
    from payroll.inputs.services import InputInvalid

    officer = make_user("officer", "310109", username="optioner")
    recent = make_worker(hire_date=date(2025, 6, 1))
    with pytest.raises(InputInvalid) as refused:
        set_tax_option(recent, 2026, "merged", False, True, officer)
    assert "2025年全年" in refused.value.errors["prior_year_low_income"]
    assert set_tax_option(recent, 2027, "merged", False, True, officer).prior_year_low_income is True
