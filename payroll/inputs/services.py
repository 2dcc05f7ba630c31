"""Per-worker payroll inputs that are entered line by line (and imported from Excel): special
additional deduction declarations and 补发/补扣 adjustments. Services validate, flush, audit and
raise `InputInvalid` (errors by field, in Chinese); the view or the import commits once. The
standing choices (base, housing fund, tax options) are in options.py."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select

from hr.accounts.scope import require_write
from hr.audit.services import diff, record
from hr.core.db import db
from hr.core.errors import Conflict, DomainError
from hr.core.timeutil import today
from hr.workers.models import Worker
from payroll.calc.months import month_end
from payroll.calc.special import SpecialDeduction, validate_declarations
from payroll.inputs.models import DECLARATION_KINDS, Adjustment, Declaration
from payroll.reference.amounts import AmountError, parse_money
from payroll.runs.models import STATUSES, PayrollRun

PER_CHILD = ("子女教育", "3岁以下婴幼儿照护")
ADJUSTMENT_KINDS = ("补发", "补扣")
FIRST_PAY_YEAR = 2017
FIRST_DECLARATION_YEAR = 2019  # special additional deductions exist since 2019
CLOSED = ("approved", "locked")
CHILD_NAME = re.compile(r"^[\u3400-\u9fffA-Za-z·• ]{2,32}$")
LAST_MONTH = date(2099, 12, 1)


class InputInvalid(DomainError):
    """Several fields at fault: `errors` maps field to message."""

    status = 400

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(errors.values()))
        self.errors = errors


def username_of(user: Any) -> str:
    u = user if user is not None else (current_user if has_request_context() else None)
    return getattr(u, "username", "") or "system"


def last_year() -> int:
    """Inputs may be entered up to the end of next year."""
    return today().year + 1


def month_text(d: date | None) -> str:
    return "" if d is None else f"{d:%Y-%m}"


def _month(value: Any) -> date | None:
    return value.replace(day=1) if isinstance(value, date) else None


def text_of(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def worker_of(worker_id: int) -> Worker:
    worker = db.session.get(Worker, worker_id)
    assert worker is not None  # inputs reference their worker by a foreign key
    return worker


def closed_runs(district_id: int, months: Iterable[date]) -> dict[date, str]:
    """Months among `months` whose run for the district is approved or locked → status name."""
    wanted = sorted(set(months))
    if not wanted:
        return {}
    rows = db.session.execute(
        select(PayrollRun.month, PayrollRun.status).where(
            PayrollRun.district_id == district_id, PayrollRun.month.in_(wanted), PayrollRun.status.in_(CLOSED))
    )
    return {m: STATUSES[s] for m, s in rows}


# --- special additional deductions -------------------------------------------------------

def clean_declaration(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Field rules of one declaration. `data`: kind, dependent, monthly (text or Decimal),
    start_month and end_month (dates; the day is ignored). Returns model values and errors."""
    errors: dict[str, str] = {}
    kind = text_of(data.get("kind"))
    if kind not in DECLARATION_KINDS:
        errors["kind"] = "类型须为 " + "/".join(DECLARATION_KINDS) + " 之一"
    dependent = text_of(data.get("dependent"))
    if kind in PER_CHILD:
        if not dependent:
            errors["dependent"] = f"{kind}须填写子女姓名（每个子女一项申报）"
        elif not CHILD_NAME.match(dependent):
            errors["dependent"] = "子女姓名须为 2–32 个汉字或字母"
    elif dependent and kind in DECLARATION_KINDS:
        errors["dependent"] = "仅子女教育、3岁以下婴幼儿照护需填写子女姓名"
    monthly = None
    try:
        monthly = parse_money(data.get("monthly"), positive=True, what="每月金额")
    except AmountError as e:
        errors["monthly"] = str(e)
    start, end = _month(data.get("start_month")), _month(data.get("end_month"))
    if start is None:
        errors["start_month"] = "请填写起始月份"
    elif not FIRST_DECLARATION_YEAR <= start.year <= last_year():
        errors["start_month"] = f"起始月份须在 {FIRST_DECLARATION_YEAR} 年 1 月至 {last_year()} 年 12 月之间"
    if end is not None:
        if start is not None and end < start:
            errors["end_month"] = "结束月份不能早于起始月份"
        elif end > LAST_MONTH:
            errors["end_month"] = "结束月份超出合理范围"
    only_child = None
    if kind == ELDERLY_SUPPORT:
        only_child, problem = _only_child(data.get("only_child"))
        if problem:
            errors["only_child"] = problem
        elif only_child is False and monthly is not None and monthly > ELDERLY_SHARE_CAP:
            errors["monthly"] = f"非独生子女赡养老人每月分摊最多 {ELDERLY_SHARE_CAP} 元"
    values = {"kind": kind, "dependent": dependent, "monthly": monthly, "start_month": start, "end_month": end,
              "only_child": only_child}
    return values, errors


ELDERLY_SUPPORT = "赡养老人"
ELDERLY_SHARE_CAP = Decimal(1500)


def _only_child(value: Any) -> tuple[bool | None, str]:
    """独生子女 as given by a form (是/否), the API (true/false) or a sheet; None: not stated."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, bool):
        return value, ""
    text = str(value).strip()
    if text in ("是", "1", "true", "True"):
        return True, ""
    if text in ("否", "0", "false", "False"):
        return False, ""
    return None, "是否独生子女须填“是”或“否”"


def as_special(d: Any) -> SpecialDeduction:
    """A stored declaration (or anything with the same fields) for the calculation core."""
    return SpecialDeduction(kind=d.kind, monthly=d.monthly, start=d.start_month, end=d.end_month,
                            dependent=d.dependent or "", only_child=d.only_child)


def years_of(declarations: Iterable[SpecialDeduction]) -> set[int]:
    """Calendar years a set of declarations touches (an open end: up to next year)."""
    out: set[int] = set()
    for d in declarations:
        last = d.end.year if d.end is not None else max(d.start.year, last_year())
        out.update(range(d.start.year, min(last, d.start.year + 30) + 1))
    return out


def new_rule_breaks(before: Sequence[SpecialDeduction], after: Sequence[SpecialDeduction],
                    years: Iterable[int]) -> list[str]:
    """Messages of payroll.calc.special.validate_declarations that `after` has and `before`
    had not, first year only, each prefixed with its year."""
    out: list[str] = []
    seen: set[str] = set()
    for year in sorted(years):
        known = set(validate_declarations(before, year))
        for message in validate_declarations(after, year):
            if message not in known and message not in seen:
                seen.add(message)
                out.append(f"{year} 年：{message}")
    return out


def declarations_of(worker_id: int) -> list[Declaration]:
    return list(db.session.execute(
        select(Declaration).where(Declaration.worker_id == worker_id)
        .order_by(Declaration.start_month, Declaration.id)
    ).scalars())


def _declaration_snapshot(d: Declaration) -> dict[str, Any]:
    return {"kind": d.kind, "dependent": d.dependent, "monthly": d.monthly,
            "start_month": month_text(d.start_month), "end_month": month_text(d.end_month)}


def _declaration_label(d: Any) -> str:
    child = f"（{d.dependent}）" if d.dependent else ("（独生子女）" if getattr(d, "only_child", None) else "")
    return f"{d.kind}{child} {d.monthly} 元/月"


def add_declaration(worker: Worker, data: dict[str, Any], user: Any = None) -> Declaration:
    require_write(worker.district_id, user)
    values, errors = clean_declaration(data)
    if errors:
        raise InputInvalid(errors)
    existing = declarations_of(worker.id)
    same = [d for d in existing if (d.kind, d.dependent or "", d.start_month)
            == (values["kind"], values["dependent"], values["start_month"])]
    if same:
        raise InputInvalid({"kind": "该职工已有同一类型、同一子女、同一起始月份的申报；如需调整，请先结束或删除原申报"})
    before = [as_special(d) for d in existing]
    new = SpecialDeduction(kind=values["kind"], monthly=values["monthly"], start=values["start_month"],
                           end=values["end_month"], dependent=values["dependent"], only_child=values["only_child"])
    breaks = new_rule_breaks(before, before + [new], years_of([new]))
    if breaks:
        raise InputInvalid({"kind": "；".join(breaks)})
    decl = Declaration(worker_id=worker.id, district_id=worker.district_id, created_by=username_of(user), **values)
    db.session.add(decl)
    db.session.flush()
    record("create", "declaration", decl.id, district_id=worker.district_id, user=user,
           summary=f"{worker.name} 专项附加扣除：{_declaration_label(decl)}",
           changes=diff({}, _declaration_snapshot(decl)))
    return decl


def end_declaration(decl: Declaration, end_month: date | None, user: Any = None) -> dict[str, Any]:
    """Set (or change) the last month of a declaration."""
    require_write(decl.district_id, user)
    end = _month(end_month)
    if end is None:
        raise InputInvalid({"end_month": "请填写结束月份"})
    if end < decl.start_month:
        raise InputInvalid({"end_month": f"结束月份不能早于起始月份（{month_text(decl.start_month)}）"})
    if end > LAST_MONTH:
        raise InputInvalid({"end_month": "结束月份超出合理范围"})
    others = [as_special(d) for d in declarations_of(decl.worker_id) if d.id != decl.id]
    old = as_special(decl)
    new = SpecialDeduction(kind=old.kind, monthly=old.monthly, start=old.start, end=end, dependent=old.dependent,
                           only_child=old.only_child)
    breaks = new_rule_breaks(others + [old], others + [new], years_of([old, new]))
    if breaks:
        raise InputInvalid({"end_month": "；".join(breaks)})
    before = _declaration_snapshot(decl)
    decl.end_month = end
    changes = diff(before, _declaration_snapshot(decl))
    if changes:
        db.session.flush()
        worker = worker_of(decl.worker_id)
        record("update", "declaration", decl.id, district_id=decl.district_id, user=user,
               summary=f"{worker.name} 专项附加扣除结束于 {month_text(end)}：{_declaration_label(decl)}",
               changes=changes)
    return changes


def delete_declaration(decl: Declaration, user: Any = None) -> None:
    """Withdraw a declaration entered by mistake; the next calculated month takes back what
    it had deducted (cumulative withholding)."""
    require_write(decl.district_id, user)
    worker = worker_of(decl.worker_id)
    record("delete", "declaration", decl.id, district_id=decl.district_id, user=user,
           summary=f"{worker.name} 删除专项附加扣除：{_declaration_label(decl)}",
           changes=diff(_declaration_snapshot(decl), dict.fromkeys(_declaration_snapshot(decl))))
    db.session.delete(decl)
    db.session.flush()


# --- adjustments -------------------------------------------------------------------------

def clean_adjustment(worker: Worker, data: dict[str, Any],
                     closed: dict[date, str] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Field rules of one 补发/补扣. `data`: kind, amount (positive), pay_month, corrects_month,
    reason. `closed` (month → status name) spares a query per row in imports. The amount is
    returned signed: negative for 补扣."""
    errors: dict[str, str] = {}
    kind = text_of(data.get("kind"))
    if kind not in ADJUSTMENT_KINDS:
        errors["kind"] = "类型须为 补发 或 补扣"
    amount = None
    try:
        amount = parse_money(data.get("amount"), positive=True, what="金额")
    except AmountError as e:
        errors["amount"] = str(e) + ("（补扣也填正数）" if "负数" in str(e) else "")
    pay, corrects = _month(data.get("pay_month")), _month(data.get("corrects_month"))
    if pay is None:
        errors["pay_month"] = "请填写发放月份"
    elif not FIRST_PAY_YEAR <= pay.year <= last_year():
        errors["pay_month"] = f"发放月份须在 {FIRST_PAY_YEAR} 年至 {last_year()} 年之间"
    elif worker.hire_date > month_end(pay) or (worker.leave_date is not None and worker.leave_date < pay):
        errors["pay_month"] = "该职工在发放月份不在职，补发补扣无法随工资发放"
    else:
        status = (closed if closed is not None else closed_runs(worker.district_id, [pay])).get(pay)
        if status:
            errors["pay_month"] = f"{month_text(pay)} 的工资{status}，补发补扣只能计入尚未审批的月份"
    if corrects is None:
        errors["corrects_month"] = "请填写所属月份（更正的是哪个月）"
    elif pay is not None and corrects > pay:
        errors["corrects_month"] = "所属月份不能晚于发放月份"
    elif corrects < worker.hire_date.replace(day=1):
        errors["corrects_month"] = f"所属月份早于该职工入职月份（{month_text(worker.hire_date)}）"
    reason = text_of(data.get("reason"))
    if not reason:
        errors["reason"] = "请填写原因"
    elif len(reason) > 200:
        errors["reason"] = "原因不能超过 200 字"
    if worker.shiye:
        errors["worker"] = "该职工为事业待遇，不参加三岗十八级工资发放"
    signed = None if amount is None else (amount if kind == "补发" else -amount)
    return {"kind": kind, "amount": signed, "pay_month": pay, "corrects_month": corrects, "reason": reason}, errors


def _adjustment_label(a: Any) -> str:
    return f"{month_text(a.pay_month)} {a.kind} {abs(a.amount)} 元（所属 {month_text(a.corrects_month)}）：{a.reason}"


def add_adjustment(worker: Worker, data: dict[str, Any], user: Any = None) -> Adjustment:
    require_write(worker.district_id, user)
    values, errors = clean_adjustment(worker, data)
    if errors:
        raise InputInvalid(errors)
    adj = Adjustment(worker_id=worker.id, district_id=worker.district_id, created_by=username_of(user), **values)
    db.session.add(adj)
    db.session.flush()
    record("create", "adjustment", adj.id, district_id=worker.district_id, user=user,
           summary=f"{worker.name} {_adjustment_label(adj)}", changes=diff({}, adjustment_snapshot(adj)))
    return adj


def adjustment_snapshot(a: Adjustment) -> dict[str, Any]:
    return {"kind": a.kind, "amount": a.amount, "pay_month": month_text(a.pay_month),
            "corrects_month": month_text(a.corrects_month), "reason": a.reason}


def delete_adjustment(adj: Adjustment, user: Any = None) -> None:
    """Only while its month is open: a paid adjustment is corrected by an opposite one."""
    require_write(adj.district_id, user)
    if closed_runs(adj.district_id, [adj.pay_month]):
        raise Conflict("这笔补发补扣所在月份的工资已审批或锁定，不能删除；如需更正，请在尚未审批的月份录入一笔相反的补发/补扣。")
    worker = worker_of(adj.worker_id)
    record("delete", "adjustment", adj.id, district_id=adj.district_id, user=user,
           summary=f"{worker.name} 删除{_adjustment_label(adj)}", changes=diff(adjustment_snapshot(adj), dict.fromkeys(adjustment_snapshot(adj))))
    db.session.delete(adj)
    db.session.flush()
