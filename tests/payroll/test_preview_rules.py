"""`flask payroll preview` applies the rules the run applies (§6b): no December bonus for a
hire after 30 September, the exclusive tax options, and the first-job housing fund."""
from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def _preview(runner: Any, case: dict[str, Any]) -> Any:
    return runner.invoke(args=["payroll", "preview", "--json", "-"], input=json.dumps(case))


def test_hire_after_30_september_gets_no_december_bonus(runner):
    out = _preview(runner, {"year": 2026, "from_month": 12, "to_month": 12, "post": "STAF", "grade": 5,
                            "hire_date": "2026-10-15", "rating": "合格"})
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    (december,) = result["months"]
    assert december["annual_bonus"] == "0.00"
    assert any("9月30日" in note for note in result["notes"])
    # Hired on 30 September the same worker is assessed: 10,370 × 1.5 × 4 / 12 = 5,185.
    out = _preview(runner, {"year": 2026, "from_month": 12, "to_month": 12, "post": "STAF", "grade": 5,
                            "hire_date": "2026-09-30", "rating": "合格"})
    assert json.loads(out.output)["months"][0]["annual_bonus"] == "5185.00"


def test_13_with_19_is_a_json_error_naming_the_field(runner):
    out = _preview(runner, {"year": 2026, "post": "STAF", "grade": 5, "hire_date": "2020-01-01",
                            "first_income_of_year": True, "prior_year_low_income": True})
    assert out.exit_code == 2
    errors = json.loads(out.stderr)["errors"]
    assert "13号" in errors["prior_year_low_income"][0] and "19号" in errors["prior_year_low_income"][0]


def test_19_is_refused_for_a_worker_hired_during_the_year_or_last_year(runner):
    for hire in ("2026-02-01", "2025-03-01"):
        out = _preview(runner, {"year": 2026, "post": "STAF", "grade": 5, "hire_date": hire,
                                "prior_year_low_income": True})
        assert out.exit_code == 2, hire
        assert "prior_year_low_income" in json.loads(out.stderr)["errors"]
    out = _preview(runner, {"year": 2026, "to_month": 1, "post": "STAF", "grade": 5, "hire_date": "2025-01-01",
                            "prior_year_low_income": True})
    assert out.exit_code == 0, out.output


def test_first_job_hire_pays_housing_fund_from_the_second_month(runner):
    case = {"year": 2026, "from_month": 3, "to_month": 4, "post": "STAF", "grade": 5, "hire_date": "2026-03-10",
            "first_job": True}
    march, april = json.loads(_preview(runner, case).output)["months"]
    assert march["housing_fund"] == "0.00" and march["employer"]["housing_fund"] == "0.00"
    # Base: March's standard gross on the 2025 scale, 10,370 + 1,556 performance = 11,926; 7%, to the yuan.
    normal = (Decimal("11926") * Decimal("0.07")).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    assert Decimal(april["housing_fund"]) == normal == Decimal("835")
    assert april["employer"]["housing_fund"] == april["housing_fund"]
    # Social insurance is due from the first month all the same.
    assert Decimal(march["pension"]) == Decimal(april["pension"]) > 0
    # Without the flag March pays the normal amount.
    again = json.loads(_preview(runner, {**case, "first_job": False}).output)["months"]
    assert Decimal(again[0]["housing_fund"]) == normal


def test_elderly_support_share_is_capped_unless_only_child(runner):
    base = {"year": 2026, "to_month": 1, "post": "STAF", "grade": 5, "hire_date": "2020-01-01"}
    share = {"kind": "赡养老人", "monthly": "3000", "from": "2026-01", "only_child": False}
    out = _preview(runner, {**base, "special_deductions": [share]})
    assert out.exit_code == 2 and "1500" in out.stderr
    assert _preview(runner, {**base, "special_deductions": [{**share, "only_child": True}]}).exit_code == 0
    assert _preview(runner, {**base, "special_deductions": [{**share, "monthly": "1500"}]}).exit_code == 0
