"""The trial calculation as a page and on the CLI (the API is payroll/api/trial.py).

The page's form builds the API's JSON case and hands it to the same service, so the page and
`POST /api/v1/payroll/preview` give the same figures for the same case. A JSON case (or list)
can still be pasted in the page's advanced section."""
from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

import click
from flask import Blueprint, render_template, request
from flask_login import login_required
from sqlalchemy import or_, select

from hr.accounts.scope import district_filter
from hr.core.db import db
from hr.core.timeutil import today
from hr.workers.models import Worker
from payroll.trial import service
from payroll.trial.forms import SPECIAL_FIELDS, TrialForm
from payroll.trial.prefill import MODES, Prefill, worker_case

bp = Blueprint("trial", __name__)

EXAMPLE = {
    "year": 2026, "from_month": 1, "to_month": 12, "post": "工作人员", "grade": 5,
    "qualification": "助理社会工作师", "qualification_date": "2020-06-01", "hire_date": "2019-03-01",
    "rating": "合格", "bonus_tax": "merged", "hf_rate": "0.07",
    "special_deductions": [{"kind": "子女教育", "monthly": "2000", "from": "2026-01", "to": None, "dependent": "长子"}],
}
LINES = (("grade_pay", "岗位等级工资"), ("post_allowance", "岗位津贴"), ("performance", "月度绩效"),
         ("qualification_allowance", "职业资格津贴"), ("annual_bonus", "年度考核奖"), ("adjustments", "补发补扣"),
         ("gross", "应发合计"), ("pension", "养老保险"), ("medical", "医疗保险"), ("unemployment", "失业保险"),
         ("housing_fund", "住房公积金"), ("iit", "个人所得税"), ("net", "实发合计"))
EMPLOYER = (("pension", "养老"), ("medical", "医疗"), ("unemployment", "失业"), ("work_injury", "工伤"),
            ("housing_fund", "公积金"), ("total", "单位缴费合计"))


def _decimals(value: Any) -> Any:
    """The service's 2-decimal strings as Decimal, for the `money` filter (thousands separators)."""
    if isinstance(value, dict):
        return {k: (v if k == "month" else _decimals(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    if isinstance(value, str):
        return Decimal(value)
    return value


def _years() -> list[int]:
    now = today().year
    return list(range(now + 1, 2016, -1))


def _search(q: str) -> list[Worker]:
    q = q.strip()
    if not q:
        return []
    return list(db.session.execute(
        select(Worker).where(district_filter(Worker.district_id),
                             or_(Worker.name.like(f"%{q}%"), Worker.id_number.like(f"%{q.upper()}")))
        .order_by(Worker.status, Worker.name).limit(20)).unique().scalars())


def _form_errors(form: TrialForm, errors: dict[str, Any], case: dict[str, Any]) -> list[str]:
    """Put the service's errors beside the fields; what has no field is returned."""
    rest: list[str] = []
    kinds = [s["kind"] for s in case.get("special_deductions", [])]
    by_kind = {kind: name for name, kind in SPECIAL_FIELDS.items()}
    for key, messages in errors.items():
        if key == "special_deductions" and isinstance(messages, dict):
            for index, sub in messages.items():
                field = getattr(form, by_kind[kinds[int(index)]]) if str(index).isdigit() else None
                texts = [m for ms in sub.values() for m in ms] if isinstance(sub, dict) else list(sub)
                if field is not None:
                    field.errors = [*field.errors, *texts]
                else:
                    rest.extend(texts)
            continue
        texts = messages if isinstance(messages, list) else [json.dumps(messages, ensure_ascii=False)]
        field = getattr(form, key, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors), *texts]
        else:
            rest.extend(str(t) for t in texts)
    return rest


def _baseline(worker_id: int, year: int) -> dict[str, Decimal] | None:
    """The worker's totals as registered (no change), to show what a 调级/资格晋级 changes."""
    base = TrialForm(years=_years(), formdata=None, data=worker_case(worker_id, year, "", today()).values)
    try:
        totals = service.run(base.case())
    except service.TrialInvalid:
        return None
    assert isinstance(totals, dict)
    return {k: Decimal(totals["totals"][k]) for k in ("gross", "net")}


@bp.route("/payroll/trial", methods=["GET", "POST"])
@login_required
def page():
    mode = request.args.get("mode", "")
    mode = mode if mode in MODES else ""
    year = today().year
    prefill: Prefill | None = None
    worker_arg = request.args.get("worker", "")
    if worker_arg.isdigit():
        arg_year = request.args.get("year", "")
        if arg_year.isdigit() and int(arg_year) in _years():
            year = int(arg_year)
        prefill = worker_case(int(worker_arg), year, mode, today())
    form = TrialForm(years=_years(), data=prefill.values if prefill else {"year": str(year)})
    text = json.dumps(EXAMPLE, ensure_ascii=False, indent=2)
    result: Any = None
    errors: list[str] = []
    case: dict[str, Any] | None = None
    if request.method == "POST" and "case" in request.form:  # the advanced section: a JSON case or list
        text = request.form.get("case", "")
        try:
            result = service.run(json.loads(text))
        except json.JSONDecodeError as e:
            errors = [f"JSON 格式错误：第 {e.lineno} 行第 {e.colno} 列"]
        except service.TrialInvalid as e:
            errors = [f"{k}：{v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}"
                      for k, v in e.errors.items()]
    elif request.method == "POST" or prefill is not None:
        # A worker chosen from the register is calculated at once; a posted form after validation.
        if request.method == "GET" or form.validate_on_submit():
            case = form.case()
            try:
                result = service.run(case)
            except service.TrialInvalid as e:
                errors = _form_errors(form, e.errors, case)
        elif form.errors:
            errors = ["输入有误，请检查标红的项目。"]
    baseline = None
    if prefill is not None and mode and result and not isinstance(result, list):
        baseline = _baseline(prefill.worker.id, year)
    cases = result if isinstance(result, list) else ([result] if result else [])
    return render_template(
        "payroll/trial.html", form=form, text=text, cases=[_decimals(c) for c in cases], errors=errors,
        lines=LINES, employer=EMPLOYER, prefill=prefill, baseline=baseline, mode=mode, title=MODES[mode],
        case_json=json.dumps(case, ensure_ascii=False, indent=2) if case else "",
        found=_search(request.args.get("q", "")), q=request.args.get("q", ""))


@click.command("preview")
@click.option("--json", "path", required=True, type=click.Path(allow_dash=True), help="case file, or - for stdin")
def preview_cmd(path: str) -> None:
    """Trial calculation: a case object or a list of them, answered month by month as JSON."""
    raw = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    try:
        payload = json.loads(raw)
    except json.JSONDecodeError as e:
        raise click.ClickException(f"invalid JSON: line {e.lineno} column {e.colno}") from None
    try:
        result = service.run(payload)
    except service.TrialInvalid as e:
        click.echo(json.dumps({"errors": e.errors}, ensure_ascii=False, indent=2), err=True)
        raise SystemExit(2) from None
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))
