"""The trial calculation (工资试算): cases in, months out, every amount a 2-decimal string."""
from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import ValidationError

from hr.core.errors import ValidationError as InputError
from payroll.calc.engine import Case, simulate, totals
from payroll.calc.payslip import PricingError
from payroll.calc.results import MonthResult
from payroll.reference.services import money_str, reference
from payroll.trial.schema import AMOUNTS, EMPLOYER, TrialCaseSchema

__all__ = ["AMOUNTS", "EMPLOYER", "TrialInvalid", "run"]


class TrialInvalid(InputError):
    """`errors` is {field: [messages]} (for a list: {"<index>": {field: [...]}})."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__("试算参数有误")
        self.errors = errors


def _month(r: MonthResult) -> dict[str, Any]:
    out: dict[str, Any] = {"month": f"{r.month:%Y-%m}"}
    out.update({k: money_str(getattr(r, k)) for k in AMOUNTS})
    out["employer"] = {k: money_str(getattr(r.employer, k)) for k in EMPLOYER}
    return out


def _one(case: Case) -> dict[str, Any]:
    ref = reference(date(case.year, case.to_month, 1))
    try:
        results = simulate(case, ref)
    except PricingError as e:
        raise TrialInvalid({e.field: [e.message]}) from None
    except ValueError as e:
        field = "scale_version" if "scale" in str(e) else "special_deductions"
        raise TrialInvalid({field: [str(e)]}) from None
    sums = totals(results)
    out_totals: dict[str, Any] = {k: money_str(sums[k]) for k in AMOUNTS}
    out_totals["employer"] = {k: money_str(sums[f"employer_{k}"]) for k in EMPLOYER}
    notes = [p.message for r in results for p in r.problems if p.code != "rating_missing"]
    return {"months": [_month(r) for r in results], "totals": out_totals, "notes": notes}


def run(payload: Any) -> dict[str, Any] | list[dict[str, Any]]:
    """Validate a case object or a list of them and calculate. Raises TrialInvalid."""
    schema = TrialCaseSchema()
    if isinstance(payload, list):
        if not payload:
            raise TrialInvalid({"_schema": ["至少需要一个试算案例"]})
        if len(payload) > 500:
            raise TrialInvalid({"_schema": ["一次最多 500 个试算案例"]})
        cases = []
        errors: dict[str, Any] = {}
        for i, item in enumerate(payload):
            try:
                cases.append(_load(schema, item))
            except TrialInvalid as e:
                errors[str(i)] = e.errors
        if errors:
            raise TrialInvalid(errors)
        out = []
        for i, c in enumerate(cases):
            try:
                out.append(_one(c))
            except TrialInvalid as e:
                raise TrialInvalid({str(i): e.errors}) from None
        return out
    return _one(_load(schema, payload))


def _load(schema: TrialCaseSchema, item: Any) -> Case:
    if not isinstance(item, dict):
        raise TrialInvalid({"_schema": ["每个试算案例须为 JSON 对象"]})
    try:
        return schema.load(item)
    except ValidationError as e:
        raise TrialInvalid(_stringify(e.messages)) from None


def _stringify(messages: Any) -> Any:
    if isinstance(messages, dict):
        return {str(k): _stringify(v) for k, v in messages.items()}
    if isinstance(messages, list):
        return [m if isinstance(m, str) else _stringify(m) for m in messages]
    return messages
