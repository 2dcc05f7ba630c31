"""A worker's standing payroll choices: the contribution base of a contribution year, the
housing-fund rates, and the yearly tax options. Same habits as services.py: validate, flush,
audit; the view commits."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from hr.accounts.scope import require_write
from hr.audit.services import diff, record
from hr.core.db import db
from hr.core.errors import Conflict
from hr.workers.models import Worker
from payroll.calc.payslip import PricingError, check_tax_options
from payroll.inputs.models import BaseOverride, PayProfile, TaxOption
from payroll.inputs.services import (
    FIRST_DECLARATION_YEAR,
    FIRST_PAY_YEAR,
    InputInvalid,
    closed_runs,
    last_year,
    text_of,
    username_of,
    worker_of,
)
from payroll.reference.amounts import AmountError, parse_money

BONUS_TAX_MODES = {"merged": "并入综合所得", "separate": "单独计税"}
SEPARATE_BONUS_UNTIL = 2027  # 财政部 税务总局公告2023年第30号


# --- contribution base override ----------------------------------------------------------

def set_base_override(worker: Worker, year: Any, base: Any, reason: Any, user: Any = None) -> BaseOverride:
    """The officer's contribution base for the contribution year starting 1 July `year`."""
    require_write(worker.district_id, user)
    errors: dict[str, str] = {}
    if not isinstance(year, int) or not FIRST_PAY_YEAR <= year <= last_year():
        errors["year"] = f"缴费年度须为 {FIRST_PAY_YEAR}–{last_year()} 年"
    amount = None
    try:
        amount = parse_money(base, positive=True, what="缴费基数")
    except AmountError as e:
        errors["base"] = str(e)
    why = text_of(reason)
    if not why:
        errors["reason"] = "请填写调整原因"
    elif len(why) > 200:
        errors["reason"] = "原因不能超过 200 字"
    if errors:
        raise InputInvalid(errors)
    assert amount is not None
    start = date(year, 7, 1)
    row = db.session.execute(
        select(BaseOverride).where(BaseOverride.worker_id == worker.id, BaseOverride.year_start == start)
    ).scalar_one_or_none()
    before = {} if row is None else {"base": row.base, "reason": row.reason}
    if row is None:
        row = BaseOverride(worker_id=worker.id, district_id=worker.district_id, year_start=start)
        db.session.add(row)
    row.base, row.reason, row.created_by = amount, why, username_of(user)
    changes = diff(before, {"base": row.base, "reason": row.reason})
    db.session.flush()
    if changes:
        record("update" if before else "create", "base_override", row.id, district_id=worker.district_id,
               user=user, summary=f"{worker.name} {year} 年度缴费基数设为 {amount} 元", changes=changes)
    return row


def delete_base_override(row: BaseOverride, user: Any = None) -> None:
    require_write(row.district_id, user)
    worker = worker_of(row.worker_id)
    record("delete", "base_override", row.id, district_id=row.district_id, user=user,
           summary=f"{worker.name} 取消 {row.year_start.year} 年度缴费基数调整（{row.base} 元）",
           changes={"base": [str(row.base), None], "reason": [row.reason, None]})
    db.session.delete(row)
    db.session.flush()


# --- housing fund ------------------------------------------------------------------------

def set_pay_profile(worker: Worker, hf_rate_pct: Any, hf_supp_pct: Any, user: Any = None) -> dict[str, Any]:
    """The worker's housing-fund rate (None: the district's) and supplementary rate, in whole percent."""
    require_write(worker.district_id, user)
    errors: dict[str, str] = {}
    if hf_rate_pct is not None and (isinstance(hf_rate_pct, bool) or hf_rate_pct not in (5, 6, 7)):
        errors["hf_rate_pct"] = "住房公积金比例须为 5%–7% 的整数，或留空使用区默认比例"
    if isinstance(hf_supp_pct, bool) or hf_supp_pct not in range(0, 6):
        errors["hf_supp_pct"] = "补充公积金比例须为 0%–5% 的整数"
    if errors:
        raise InputInvalid(errors)
    row = db.session.get(PayProfile, worker.id)
    before = {} if row is None else {"hf_rate_pct": row.hf_rate_pct, "hf_supp_pct": row.hf_supp_pct}
    if row is None:
        row = PayProfile(worker_id=worker.id, district_id=worker.district_id)
        db.session.add(row)
    row.hf_rate_pct, row.hf_supp_pct = hf_rate_pct, hf_supp_pct
    row.district_id = worker.district_id
    changes = diff(before or {"hf_rate_pct": None, "hf_supp_pct": 0},
                   {"hf_rate_pct": row.hf_rate_pct, "hf_supp_pct": row.hf_supp_pct})
    db.session.flush()
    if changes:
        rate = "区默认" if hf_rate_pct is None else f"{hf_rate_pct}%"
        record("update", "pay_profile", worker.id, district_id=worker.district_id, user=user,
               summary=f"{worker.name} 住房公积金比例 {rate}，补充公积金 {hf_supp_pct}%", changes=changes)
    return changes


# --- yearly tax options ------------------------------------------------------------------

def set_tax_option(worker: Worker, year: Any, bonus_tax: Any, first_income: bool, prior_low: bool,
                   user: Any = None) -> TaxOption:
    """Bonus tax mode and the 公告2020年第13号 / 第19号 cases of one calendar year."""
    require_write(worker.district_id, user)
    errors: dict[str, str] = {}
    if not isinstance(year, int) or not FIRST_DECLARATION_YEAR <= year <= last_year():
        errors["year"] = f"纳税年度须为 {FIRST_DECLARATION_YEAR}–{last_year()} 年"
    if bonus_tax not in BONUS_TAX_MODES:
        errors["bonus_tax"] = "年终奖计税方式须为 并入综合所得 或 单独计税"
    elif bonus_tax == "separate" and isinstance(year, int) and year > SEPARATE_BONUS_UNTIL:
        errors["bonus_tax"] = (f"全年一次性奖金单独计税政策执行至 {SEPARATE_BONUS_UNTIL} 年 12 月 31 日，"
                               f"{SEPARATE_BONUS_UNTIL + 1} 年起须并入当年综合所得计税")
    if isinstance(year, int):
        try:  # the rule of the calculation core: the run refuses the same (§6b)
            check_tax_options(year, worker.hire_date, bool(first_income), bool(prior_low))
        except PricingError as e:
            errors[e.field] = e.message
    if errors:
        raise InputInvalid(errors)
    row = db.session.execute(
        select(TaxOption).where(TaxOption.worker_id == worker.id, TaxOption.year == year)
    ).scalar_one_or_none()
    before = {} if row is None else _option_snapshot(row)
    if (row.bonus_tax if row else "merged") != bonus_tax:
        december = closed_runs(worker.district_id, [date(year, 12, 1)])
        if december:
            raise InputInvalid({"bonus_tax": f"{year} 年 12 月工资{next(iter(december.values()))}，年终奖计税方式不能再更改"})
    if row is None:
        row = TaxOption(worker_id=worker.id, district_id=worker.district_id, year=year)
        db.session.add(row)
    row.bonus_tax, row.first_income_of_year, row.prior_year_low_income = bonus_tax, bool(first_income), bool(prior_low)
    changes = diff(before or {"bonus_tax": "merged", "first_income_of_year": False, "prior_year_low_income": False},
                   _option_snapshot(row))
    db.session.flush()
    if changes:
        record("update" if before else "create", "tax_option", row.id, district_id=worker.district_id, user=user,
               summary=f"{worker.name} {year} 年个税选项：年终奖{BONUS_TAX_MODES[bonus_tax]}", changes=changes)
    return row


def _option_snapshot(row: TaxOption) -> dict[str, Any]:
    return {"bonus_tax": row.bonus_tax, "first_income_of_year": row.first_income_of_year,
            "prior_year_low_income": row.prior_year_low_income}


def delete_tax_option(row: TaxOption, user: Any = None) -> None:
    """Back to the defaults (merged bonus, neither case)."""
    require_write(row.district_id, user)
    if row.bonus_tax != "merged" and closed_runs(row.district_id, [date(row.year, 12, 1)]):
        raise Conflict(f"{row.year} 年 12 月工资已审批或锁定，年终奖计税方式不能再更改。")
    worker = worker_of(row.worker_id)
    record("delete", "tax_option", row.id, district_id=row.district_id, user=user,
           summary=f"{worker.name} 恢复 {row.year} 年个税选项为默认", changes=diff(_option_snapshot(row), dict.fromkeys(_option_snapshot(row))))
    db.session.delete(row)
    db.session.flush()
