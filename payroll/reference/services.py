"""Reference data: loading the seed file, and building the calculation core's dataclasses
from the stored versions."""
from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import func, select

from hr.accounts.scope import require_admin
from hr.audit.services import diff, record
from hr.core.db import db
from hr.core.errors import Conflict, DomainError
from hr.core.timeutil import today
from hr.core.vocabulary import GRADES, HELD_QUALIFICATIONS, POSTS, RATINGS
from payroll.calc.money import D
from payroll.calc.payslip import Reference
from payroll.calc.reference import ContributionBounds, Rates, ScaleVersion, TaxBracket
from payroll.reference.amounts import (
    AmountError,
    money_text,
    parse_money,
    parse_rate,
    rate_text,
)
from payroll.reference.models import ContributionBoundsRow, PayScale, RateVersion, TaxTable

RATE_FIELDS = ("pension", "medical", "unemployment", "employer_pension", "employer_medical",
               "employer_unemployment", "work_injury")


def load_defaults(path: Path) -> dict[str, int]:
    """Add the versions of the seed file that are not stored yet (by name or start date)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {"pay_scales": 0, "bounds": 0, "rates": 0, "tax_tables": 0}
    names = set(db.session.execute(select(PayScale.name)).scalars())
    for s in data["scales"]:
        if s["name"] not in names:
            db.session.add(PayScale(
                name=s["name"], start=date.fromisoformat(s["start"]), grade_pay=s["grade_pay"],
                post_allowance=s["post_allowance"], performance_share=D(s["performance_share"]),
                qualification_allowance=s["qualification_allowance"], bonus_multiplier=s["bonus_multiplier"],
                updated_by="seed",
            ))
            counts["pay_scales"] += 1
    starts = set(db.session.execute(select(ContributionBoundsRow.start)).scalars())
    for b in data["bounds"]:
        start = date.fromisoformat(b["start"])
        if start not in starts:
            db.session.add(ContributionBoundsRow(
                start=start, **{k: D(b[k]) for k in ("si_floor", "si_ceiling", "hf_floor", "hf_ceiling")}, updated_by="seed"
            ))
            counts["bounds"] += 1
    starts = set(db.session.execute(select(RateVersion.start)).scalars())
    for r in data["rates"]:
        start = date.fromisoformat(r["start"])
        if start not in starts:
            db.session.add(RateVersion(start=start, **{k: D(r[k]) for k in RATE_FIELDS}, updated_by="seed"))
            counts["rates"] += 1
    have = {
        (k, s) for k, s in db.session.execute(select(TaxTable.kind, TaxTable.start))
    }
    for t in data["tax_tables"]:
        start = date.fromisoformat(t["start"])
        if (t["kind"], start) not in have:
            db.session.add(TaxTable(kind=t["kind"], start=start, brackets=t["brackets"], updated_by="seed"))
            counts["tax_tables"] += 1
    db.session.flush()
    return counts


def to_scale(row: PayScale) -> ScaleVersion:
    return ScaleVersion(
        name=row.name,
        start=row.start,
        grade_pay={int(k): D(v) for k, v in row.grade_pay.items()},
        post_allowance={k: D(v) for k, v in row.post_allowance.items()},
        performance_share=row.performance_share,
        qualification_allowance={k: D(v) for k, v in row.qualification_allowance.items()},
        bonus_multiplier={k: D(v) for k, v in row.bonus_multiplier.items()},
    )


def to_brackets(raw: list[Any]) -> list[TaxBracket]:
    return [TaxBracket(upper=None if u is None else D(u), rate=D(r), quick_deduction=D(q)) for u, r, q in raw]


def _in_force(rows: list[Any], on: date) -> Any:
    """The version in force on `on`; before the first version, the first one (a projection
    of 2017 pay uses today's rates and tables rather than none)."""
    if not rows:
        raise LookupError("reference data missing: run `flask seed reference`")
    eligible = [r for r in rows if r.start <= on]
    return max(eligible, key=lambda r: r.start) if eligible else min(rows, key=lambda r: r.start)


def reference(on: date, si_rounding: str = "half_up") -> Reference:
    """Everything the core needs, with the rates and tax tables in force on `on` and all
    scale versions and bounds rows (the core picks them by month)."""
    scales = [to_scale(r) for r in db.session.execute(select(PayScale).order_by(PayScale.start)).scalars()]
    bounds = [
        ContributionBounds(start=r.start, si_floor=r.si_floor, si_ceiling=r.si_ceiling, hf_floor=r.hf_floor, hf_ceiling=r.hf_ceiling)
        for r in db.session.execute(select(ContributionBoundsRow).order_by(ContributionBoundsRow.start)).scalars()
    ]
    rate_rows = list(db.session.execute(select(RateVersion)).scalars())
    rate_row = _in_force(rate_rows, on)
    rates = Rates(**{k: getattr(rate_row, k) for k in RATE_FIELDS}, si_rounding=si_rounding)
    history = tuple(sorted(
        ((r.start, Rates(**{k: getattr(r, k) for k in RATE_FIELDS}, si_rounding=si_rounding)) for r in rate_rows),
        key=lambda row: row[0]))
    tables = list(db.session.execute(select(TaxTable)).scalars())
    annual = _in_force([t for t in tables if t.kind == "annual"], on)
    bonus = _in_force([t for t in tables if t.kind == "bonus"], on)
    return Reference(scales=scales, bounds=bounds, rates=rates,
                     annual_table=to_brackets(annual.brackets), bonus_table=to_brackets(bonus.brackets),
                     rate_history=history)


def money_str(value: Decimal) -> str:
    return f"{value:.2f}"


# --- editing by the city administrator --------------------------------------------------------
# Every change: validated field by field (errors in Chinese keyed by form field), flushed and
# audited; the view commits. A version is named by what it governs (a year, a start date), so
# edits change amounts only, never the name or the start.

MAX_MULTIPLIER = Decimal("12")
EARLIEST_YEAR = 2000


class ReferenceInvalid(DomainError):
    """Several fields at fault: `errors` maps form field name to message."""

    status = 400

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(errors.values()))
        self.errors = errors


def admin_name(user: Any) -> str:
    """Raise unless the user is the city administrator; the name to stamp on the row."""
    require_admin(user)
    u = user if user is not None else (current_user if has_request_context() else None)
    return getattr(u, "username", "") or "system"


def fingerprint(obj: Any) -> str:
    """A short digest of a row's editable values: the edit form carries it, so a save based
    on values someone else has changed since is refused instead of overwriting theirs."""
    if isinstance(obj, PayScale):
        data: Any = [obj.grade_pay, obj.post_allowance, str(obj.performance_share),
                     obj.qualification_allowance, obj.bonus_multiplier]
    elif isinstance(obj, ContributionBoundsRow):
        data = [str(getattr(obj, f)) for f in ("si_floor", "si_ceiling", "hf_floor", "hf_ceiling")]
    elif isinstance(obj, RateVersion):
        data = [str(getattr(obj, f)) for f in RATE_FIELDS]
    else:
        data = obj.brackets
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def check_fresh(obj: Any, expected: str | None) -> None:
    if expected and expected != fingerprint(obj):
        raise Conflict("该标准已被他人修改，您的修改未保存。请刷新页面，查看最新数值后重新编辑。")


def field_text(raw: dict[str, Any], key: str) -> Any:
    """A raw form value, stripped when it is text."""
    value = raw.get(key)
    return value.strip() if isinstance(value, str) else value


def parse_year(value: Any, field: str, errors: dict[str, str]) -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = "请填写四位年份，如 2027"
        return None
    if not EARLIEST_YEAR <= year <= today().year + 5:
        errors[field] = f"年份须在 {EARLIEST_YEAR}–{today().year + 5} 之间"
        return None
    return year


# Pay scales.

def clean_scale(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Check a scale's amounts. `raw` maps form fields (grade_1..grade_18, post_LEAD..,
    performance_share, qual_1..qual_3, bonus_1..bonus_4) to typed text. Returns model values
    (JSON tables of decimal strings) and errors by field."""
    errors: dict[str, str] = {}
    grade_pay: dict[int, Decimal] = {}
    for g in GRADES:
        try:
            grade_pay[g] = parse_money(field_text(raw, f"grade_{g}"), positive=True, what=f"{g} 级工资")
        except AmountError as e:
            errors[f"grade_{g}"] = str(e)
    for g in GRADES[1:]:
        if g in grade_pay and g - 1 in grade_pay and grade_pay[g] <= grade_pay[g - 1]:
            errors[f"grade_{g}"] = f"{g} 级工资须高于 {g - 1} 级（{grade_pay[g - 1]} 元）"
    posts: dict[str, Decimal] = {}
    for code in POSTS:
        try:
            posts[code] = parse_money(field_text(raw, f"post_{code}"), what="岗位津贴")
        except AmountError as e:
            errors[f"post_{code}"] = str(e)
    share = None
    try:
        share = parse_rate(field_text(raw, "performance_share"), what="绩效比例")
    except AmountError as e:
        errors["performance_share"] = str(e)
    quals: dict[str, Decimal] = {}
    for i, key in enumerate(HELD_QUALIFICATIONS, start=1):
        try:
            quals[key] = parse_money(field_text(raw, f"qual_{i}"), what="资格津贴")
        except AmountError as e:
            errors[f"qual_{i}"] = str(e)
    multipliers: dict[str, Decimal] = {}
    for i, key in enumerate(RATINGS, start=1):
        try:
            multipliers[key] = parse_rate(field_text(raw, f"bonus_{i}"), below_one=False,
                                          maximum=MAX_MULTIPLIER, what="倍数")
        except AmountError as e:
            errors[f"bonus_{i}"] = str(e)
    values = {
        "grade_pay": {str(g): money_text(v) for g, v in grade_pay.items()},
        "post_allowance": {k: money_text(v) for k, v in posts.items()},
        "performance_share": None if share is None else Decimal(rate_text(share)),
        "qualification_allowance": {k: money_text(v) for k, v in quals.items()},
        "bonus_multiplier": {k: rate_text(v) for k, v in multipliers.items()},
    }
    return values, errors


def scale_locked_months(name: str) -> list[date]:
    """Months of locked runs whose slips were priced with scale version `name`."""
    from payroll.runs.models import PayrollRun, Payslip

    return list(db.session.execute(
        select(PayrollRun.month).where(
            PayrollRun.status == "locked",
            PayrollRun.id.in_(select(Payslip.run_id).where(Payslip.scale_version == name)),
        ).distinct().order_by(PayrollRun.month)
    ).scalars())


def latest_scale() -> PayScale | None:
    return db.session.execute(select(PayScale).order_by(PayScale.start.desc()).limit(1)).scalar_one_or_none()


def _scale_snapshot(s: PayScale) -> dict[str, Any]:
    """The stored tables in canonical text ("4600" and "4600.00" are the same amount)."""
    return {
        "grade_pay": {k: money_text(D(v)) for k, v in s.grade_pay.items()},
        "post_allowance": {k: money_text(D(v)) for k, v in s.post_allowance.items()},
        "performance_share": rate_text(s.performance_share),
        "qualification_allowance": {k: money_text(D(v)) for k, v in s.qualification_allowance.items()},
        "bonus_multiplier": {k: rate_text(D(v)) for k, v in s.bonus_multiplier.items()},
    }


def create_scale(year_text: Any, raw: dict[str, Any], user: Any = None) -> PayScale:
    """A new version named by its year, in force from 1 January of that year. Refused when
    it would govern a month that is already locked (that month's slips were priced with an
    older version: a new version applies from the next open year)."""
    from payroll.runs.models import PayrollRun

    username = admin_name(user)
    errors: dict[str, str] = {}
    year = parse_year(year_text, "year", errors)
    values, field_errors = clean_scale(raw)
    errors.update(field_errors)
    if year is not None:
        start = date(year, 1, 1)
        if db.session.execute(select(PayScale.id).where(PayScale.name == str(year))).first():
            errors["year"] = f"已有 {year} 版本，请直接编辑该版本或选择其他年份"
        else:
            later = db.session.execute(
                select(func.min(PayScale.start)).where(PayScale.start > start)).scalar_one_or_none()
            stmt = select(func.max(PayrollRun.month)).where(
                PayrollRun.status == "locked", PayrollRun.month >= start)
            if later is not None:
                stmt = stmt.where(PayrollRun.month < later)
            locked = db.session.execute(stmt).scalar_one_or_none()
            if locked is not None:
                errors["year"] = (f"{locked.year} 年 {locked.month} 月的工资已锁定，新版本不能从已锁定的月份之前开始执行；"
                                  f"请从 {locked.year + 1} 年起新建版本")
    if errors:
        raise ReferenceInvalid(errors)
    assert year is not None
    scale = PayScale(name=str(year), start=date(year, 1, 1), updated_by=username, **values)
    db.session.add(scale)
    db.session.flush()
    record("create", "pay_scale", scale.id, district_id=None, user=user,
           summary=f"新建薪酬标准 {scale.name} 版（{scale.start} 起执行）",
           changes=diff({}, {"name": scale.name, "start": scale.start, **_scale_snapshot(scale)}))
    return scale


def update_scale(scale: PayScale, raw: dict[str, Any], expected: str | None = None,
                 user: Any = None) -> dict[str, Any]:
    """Change a version's amounts. Refused once a locked run used them: locked slips must
    stay explainable by the version they name, so the admin creates a new version instead."""
    admin_name(user)  # refuses a non-administrator before anything else
    locked = scale_locked_months(scale.name)
    if locked:
        raise Conflict(
            f"{scale.name} 版标准已用于已锁定的工资月份（{locked[-1]:%Y-%m} 等），不能修改。"
            f"如需调整标准，请新建一个版本（自下一年 1 月 1 日起执行）。")
    return apply_edit(scale, raw, expected, clean_scale, _scale_snapshot, "pay_scale",
                      f"修改薪酬标准 {scale.name} 版", user)


def apply_edit(row: Any, raw: dict[str, Any], expected: str | None, clean: Any, snapshot: Any,
               object_type: str, summary: str, user: Any) -> dict[str, Any]:
    """Edit a dated reference row: refuse a stale form, validate, apply, audit what changed.
    Returns {field: [before, after]} (empty when nothing changed). Flushes."""
    username = admin_name(user)
    check_fresh(row, expected)
    values, errors = clean(raw)
    if errors:
        raise ReferenceInvalid(errors)
    before = snapshot(row)
    for k, v in values.items():
        setattr(row, k, v)
    changes = diff(before, snapshot(row))
    if not changes:
        return {}
    row.updated_by = username
    db.session.flush()
    record("update", object_type, row.id, district_id=None, user=user, summary=summary, changes=changes)
    return changes


def scale_form_values(scale: PayScale) -> dict[str, str]:
    """A stored version as form fields (to edit it, or to prefill a new one)."""
    out = {f"grade_{g}": scale.grade_pay.get(str(g), "") for g in GRADES}
    out.update({f"post_{c}": scale.post_allowance.get(c, "") for c in POSTS})
    out["performance_share"] = str(scale.performance_share)
    out.update({f"qual_{i}": scale.qualification_allowance.get(k, "")
                for i, k in enumerate(HELD_QUALIFICATIONS, start=1)})
    out.update({f"bonus_{i}": scale.bonus_multiplier.get(k, "") for i, k in enumerate(RATINGS, start=1)})
    return {k: str(v) for k, v in out.items()}
