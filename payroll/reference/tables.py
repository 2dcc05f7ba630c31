"""Editing contribution-year bounds, contribution rates and tax tables (city administrator
only). Same habits as the scale versions in services.py: validate field by field, flush, audit;
the view commits."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hr.audit.services import diff, record
from hr.core.db import db
from hr.core.errors import NotFound
from hr.core.timeutil import today
from payroll.calc.money import round_fen
from payroll.reference.amounts import (
    MAX_TABLE,
    AmountError,
    money_text,
    parse_money,
    parse_rate,
    rate_text,
)
from payroll.reference.models import ContributionBoundsRow, RateVersion, TaxTable
from payroll.reference.services import (
    EARLIEST_YEAR,
    RATE_FIELDS,
    ReferenceInvalid,
    admin_name,
    apply_edit,
    check_fresh,
    field_text,
    parse_year,
    to_brackets,
)

BOUND_FIELDS = ("si_floor", "si_ceiling", "hf_floor", "hf_ceiling")
MAX_BRACKETS = 12  # rows of the bracket form


# Contribution-year bounds.

def clean_bounds(raw: dict[str, Any]) -> tuple[dict[str, Decimal], dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict[str, Decimal] = {}
    for f in BOUND_FIELDS:
        try:
            values[f] = parse_money(field_text(raw, f), positive=True, what="基数")
        except AmountError as e:
            errors[f] = str(e)
    for kind in ("si", "hf"):
        lo, hi = values.get(f"{kind}_floor"), values.get(f"{kind}_ceiling")
        if lo is not None and hi is not None and lo > hi:
            errors[f"{kind}_ceiling"] = f"上限不能低于下限（{lo} 元）"
    return values, errors


def _bounds_snapshot(row: ContributionBoundsRow) -> dict[str, Any]:
    return {f: getattr(row, f) for f in BOUND_FIELDS}


def create_bounds(year_text: Any, raw: dict[str, Any], user: Any = None) -> ContributionBoundsRow:
    """The bounds of the contribution year that starts on 1 July of `year`."""
    username = admin_name(user)
    errors: dict[str, str] = {}
    year = parse_year(year_text, "year", errors)
    values, field_errors = clean_bounds(raw)
    errors.update(field_errors)
    if year is not None and db.session.execute(
            select(ContributionBoundsRow.id).where(ContributionBoundsRow.start == date(year, 7, 1))).first():
        errors["year"] = f"{year} 年度（{year}-07-01 起）的上下限已存在，请直接编辑"
    if errors:
        raise ReferenceInvalid(errors)
    assert year is not None
    row = ContributionBoundsRow(start=date(year, 7, 1), updated_by=username, **values)
    db.session.add(row)
    db.session.flush()
    record("create", "contribution_bounds", row.id, district_id=None, user=user,
           summary=f"新增缴费基数上下限 {year} 年度（{row.start} 起）",
           changes=diff({}, {"start": row.start, **_bounds_snapshot(row)}))
    return row


def update_bounds(row: ContributionBoundsRow, raw: dict[str, Any], expected: str | None = None,
                  user: Any = None) -> dict[str, Any]:
    return apply_edit(row, raw, expected, clean_bounds, _bounds_snapshot, "contribution_bounds", f"修改缴费基数上下限 {row.start.year} 年度", user)


# Contribution rates.

def clean_rates(raw: dict[str, Any]) -> tuple[dict[str, Decimal], dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict[str, Decimal] = {}
    for f in RATE_FIELDS:
        try:
            values[f] = Decimal(rate_text(parse_rate(field_text(raw, f), what="费率")))
        except AmountError as e:
            errors[f] = str(e)
    return values, errors


def _first_of_month(value: Any, field: str, errors: dict[str, str]) -> date | None:
    if not isinstance(value, date):
        errors[field] = "请填写执行日期，如 2027-01-01"
        return None
    if value.day != 1:
        errors[field] = "执行日期须为某月 1 日"
        return None
    if not EARLIEST_YEAR <= value.year <= today().year + 5:
        errors[field] = f"执行日期须在 {EARLIEST_YEAR}–{today().year + 5} 年之间"
        return None
    return value


def create_rates(start: Any, raw: dict[str, Any], user: Any = None) -> RateVersion:
    username = admin_name(user)
    errors: dict[str, str] = {}
    start = _first_of_month(start, "start", errors)
    values, field_errors = clean_rates(raw)
    errors.update(field_errors)
    if start is not None and db.session.execute(select(RateVersion.id).where(RateVersion.start == start)).first():
        errors["start"] = f"{start} 起执行的费率已存在，请直接编辑"
    if errors:
        raise ReferenceInvalid(errors)
    row = RateVersion(start=start, updated_by=username, **values)
    db.session.add(row)
    db.session.flush()
    record("create", "rate_version", row.id, district_id=None, user=user,
           summary=f"新增缴费费率（{row.start} 起执行）",
           changes=diff({}, {"start": row.start, **{f: getattr(row, f) for f in RATE_FIELDS}}))
    return row


def update_rates(row: RateVersion, raw: dict[str, Any], expected: str | None = None,
                 user: Any = None) -> dict[str, Any]:
    return apply_edit(row, raw, expected, clean_rates, _rates_snapshot, "rate_version", f"修改缴费费率（{row.start} 起执行）", user)


def _rates_snapshot(row: RateVersion) -> dict[str, Any]:
    return {f: getattr(row, f) for f in RATE_FIELDS}


# Tax tables.

TAX_KINDS = {"annual": "综合所得年度税率表（累计预扣）", "bonus": "按月换算税率表（年终奖单独计税）"}


def clean_brackets(rows: list[dict[str, Any]]) -> tuple[list[list[str | None]], dict[str, str]]:
    """One dict per form row (upper, rate, quick). Empty rows are skipped. The limits must
    increase, the last bracket has no limit, rates increase, and each quick deduction is the
    one that keeps the tax continuous: previous quick + previous limit × rate difference."""
    errors: dict[str, str] = {}
    filled = [(i, r) for i, r in enumerate(rows)
              if any(field_text(r, k) not in (None, "") for k in ("upper", "rate", "quick"))]
    if not filled:
        errors["brackets-0-rate"] = "请至少填写一档税率"
        return [], errors
    parsed: list[tuple[int, Decimal | None, Decimal | None, Decimal | None]] = []
    last = len(filled) - 1
    for n, (i, r) in enumerate(filled):
        upper = rate = quick = None
        text = field_text(r, "upper")
        if n == last:
            if text not in (None, ""):
                errors[f"brackets-{i}-upper"] = "最后一档的上限须为空（不封顶）"
        elif text in (None, ""):
            errors[f"brackets-{i}-upper"] = "只有最后一档的上限可以为空"
        else:
            try:
                upper = parse_money(text, positive=True, maximum=MAX_TABLE, what="上限")
            except AmountError as e:
                errors[f"brackets-{i}-upper"] = str(e)
        try:
            rate = parse_rate(field_text(r, "rate"), what="税率")
        except AmountError as e:
            errors[f"brackets-{i}-rate"] = str(e)
        try:
            quick = parse_money(field_text(r, "quick"), maximum=MAX_TABLE, what="速算扣除数")
        except AmountError as e:
            errors[f"brackets-{i}-quick"] = str(e)
        parsed.append((i, upper, rate, quick))
    for (_, pu, pr, pq), (i, upper, rate, quick) in zip(parsed, parsed[1:], strict=False):
        if pu is not None and upper is not None and upper <= pu:
            errors.setdefault(f"brackets-{i}-upper", f"上限须高于上一档（{pu} 元）")
        if pr is not None and rate is not None and rate <= pr:
            errors.setdefault(f"brackets-{i}-rate", f"税率须高于上一档（{pr}）")
        elif None not in (pu, pr, pq, rate, quick):
            assert pu is not None and pr is not None and pq is not None and rate is not None
            expected = round_fen(pq + pu * (rate - pr))
            if quick != expected:
                errors.setdefault(f"brackets-{i}-quick",
                                  f"速算扣除数应为 {expected}（上一档速算扣除数 + 上一档上限 × 税率差）")
    if errors:
        return [], errors
    out: list[list[str | None]] = []
    for _, upper, rate, quick in parsed:
        assert rate is not None and quick is not None
        out.append([None if upper is None else money_text(upper), rate_text(rate), money_text(quick)])
    return out, errors


def create_tax_table(kind: str, start: Any, rows: list[dict[str, Any]], user: Any = None) -> TaxTable:
    username = admin_name(user)
    if kind not in TAX_KINDS:
        raise NotFound("税率表类型不存在。")
    errors: dict[str, str] = {}
    start = _first_of_month(start, "start", errors)
    brackets, field_errors = clean_brackets(rows)
    errors.update(field_errors)
    if start is not None and db.session.execute(
            select(TaxTable.id).where(TaxTable.kind == kind, TaxTable.start == start)).first():
        errors["start"] = f"{start} 起执行的该税率表已存在，请直接编辑"
    if errors:
        raise ReferenceInvalid(errors)
    table = TaxTable(kind=kind, start=start, brackets=brackets, updated_by=username)
    db.session.add(table)
    db.session.flush()
    record("create", "tax_table", table.id, district_id=None, user=user,
           summary=f"新增{TAX_KINDS[kind]}（{table.start} 起执行）",
           changes={"kind": kind, "start": table.start.isoformat(), "brackets": brackets})
    return table


def update_tax_table(table: TaxTable, rows: list[dict[str, Any]], expected: str | None = None,
                     user: Any = None) -> dict[str, Any]:
    username = admin_name(user)
    check_fresh(table, expected)
    brackets, errors = clean_brackets(rows)
    if errors:
        raise ReferenceInvalid(errors)
    if to_brackets(brackets) == to_brackets(table.brackets):
        return {}
    changes = {"brackets": [table.brackets, brackets]}
    table.brackets = brackets
    table.updated_by = username
    db.session.flush()
    record("update", "tax_table", table.id, district_id=None, user=user,
           summary=f"修改{TAX_KINDS[table.kind]}（{table.start} 起执行）", changes=changes)
    return changes
