"""The trial calculation as a page and on the CLI (the API is payroll/api/trial.py)."""
from __future__ import annotations

import json
import sys
from typing import Any

import click
from flask import Blueprint, render_template, request
from flask_login import login_required

from payroll.trial import service

bp = Blueprint("trial", __name__)

EXAMPLE = {
    "year": 2026, "from_month": 1, "to_month": 12, "post": "STAF", "grade": 5,
    "qualification": "助理社会工作师", "qualification_date": "2020-06-01", "hire_date": "2019-03-01",
    "rating": "合格", "bonus_tax": "merged", "hf_rate": "0.07",
    "special_deductions": [{"kind": "子女教育", "monthly": "2000", "from": "2026-01", "to": None, "dependent": "长子"}],
}


@bp.route("/payroll/trial", methods=["GET", "POST"])
@login_required
def page():
    text = json.dumps(EXAMPLE, ensure_ascii=False, indent=2)
    result: Any = None
    errors: Any = None
    if request.method == "POST":
        text = request.form.get("case", "")
        try:
            result = service.run(json.loads(text))
        except json.JSONDecodeError as e:
            errors = {"_json": [f"JSON 格式错误：第 {e.lineno} 行第 {e.colno} 列"]}
        except service.TrialInvalid as e:
            errors = e.errors
    cases = result if isinstance(result, list) else ([result] if result else [])
    return render_template("payroll/trial.html", text=text, cases=cases, errors=errors, amounts=service.AMOUNTS)


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
