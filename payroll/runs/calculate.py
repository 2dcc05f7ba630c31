"""Calculating a run: every in-service worker of the district (事业待遇 excluded), priced by
the calculation core, written in bulk. The caller commits once: a failure leaves nothing."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert

from hr.core.db import db
from hr.core.vocabulary import POST_NAMES
from payroll.calc.contributions import (
    clamp_bases,
    contribution_base,
    employee_contributions,
    employer_contributions,
)
from payroll.calc.earnings import (
    annual_bonus,
    days_in_service,
    month_earnings,
    months_in_service,
    qualification_allowance,
    standard_monthly,
)
from payroll.calc.money import ZERO, D
from payroll.calc.reference import bounds_for, contribution_year_start, scale_in_force
from payroll.calc.special import special_due
from payroll.calc.tax import TaxState, basic_deduction, monthly_tax, separate_bonus_tax
from payroll.runs.context import RunContext, WorkerRow, assignments_on, load
from payroll.runs.models import TOTAL_FIELDS, Payslip
from payroll.runs.retro import retro_lines

Progress = Callable[[int], None]


@dataclass
class Outcome:
    slips: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    def problem(self, code: str, message: str, blocking: bool, worker: WorkerRow | None = None) -> None:
        self.problems.append({
            "code": code, "message": message, "blocking": blocking,
            "worker_id": worker.id if worker else None, "name": worker.name if worker else "",
        })


def calculate(ctx: RunContext, progress: Progress | None = None) -> Outcome:
    out = Outcome()
    month = ctx.month
    first_month_std = _first_month_standard(ctx)
    retro = retro_lines(ctx)
    done = 0
    for w in ctx.workers:
        a = ctx.assignments.get(w.id)
        if a is None:
            out.problem("ungraded", f"{w.name}：{month:%Y年%m月}没有有效的岗位等级，未计算工资", True, w)
        else:
            slip = _slip(ctx, w, a, first_month_std.get(w.id), retro.get(w.id, []), out)
            if slip is not None:
                out.slips.append(slip)
        done += 1
        if progress and done % 250 == 0:
            progress(250)
    if progress:
        progress(done % 250)
    return out


def _qual_allowance(ctx: RunContext, scale: Any, w: WorkerRow, month: date) -> Decimal:
    if ctx.settings.qualification_mode == "grade":
        return ZERO
    return qualification_allowance(scale, w.qualification, w.qualification_date, month.year, month.month)


def _first_month_standard(ctx: RunContext) -> dict[int, tuple[Decimal, date]]:
    """Standard monthly gross of each worker's first month in service in the contribution
    year, for workers whose base comes neither from an override, an earlier slip of this
    contribution year, nor last year's pay (§4 and §6a)."""
    cy = contribution_year_start(ctx.month)
    wanted: dict[date, list[WorkerRow]] = {}
    for w in ctx.workers:
        if w.id in ctx.overrides or w.id in ctx.prior_grosses:
            continue
        prev = ctx.prev.get(w.id)
        if prev is not None and prev.month >= cy:
            continue
        first = max(cy, w.hire_date.replace(day=1))
        wanted.setdefault(first, []).append(w)
    out: dict[int, tuple[Decimal, date]] = {}
    for first, workers in wanted.items():
        if first == ctx.month:
            found = {w.id: ctx.assignments[w.id] for w in workers if w.id in ctx.assignments}
        else:
            found = assignments_on([w.id for w in workers], first)
        scale = scale_in_force(ctx.ref.scales, first)
        for w in workers:
            a = found.get(w.id) or ctx.assignments.get(w.id)
            if a is None:
                continue
            qa = _qual_allowance(ctx, scale, w, first)
            out[w.id] = (standard_monthly(scale, a.post, a.grade, qa).gross, first)
    return out


def _slip(ctx: RunContext, w: WorkerRow, a: Any, first_std: tuple[Decimal, date] | None,
          retro: list[dict[str, Any]], out: Outcome) -> dict[str, Any] | None:
    month = ctx.month
    ref = ctx.ref
    scale = scale_in_force(ref.scales, month)
    served, dim = days_in_service(month.year, month.month, w.hire_date, w.leave_date)
    qa = _qual_allowance(ctx, scale, w, month)
    earn = month_earnings(scale, a.post, a.grade, qa, served, dim)

    bonus = ZERO
    option = ctx.options.get(w.id)
    separate = bool(option and option.bonus_tax == "separate")
    if month.month == 12:
        if w.hire_date > date(month.year, 9, 30):
            pass  # not assessed this year: no bonus
        elif w.id in ctx.ratings:
            mult = scale.bonus_multiplier[ctx.ratings[w.id]]
            bonus = annual_bonus(scale.grade_pay[a.grade], mult, months_in_service(month.year, w.hire_date, w.leave_date))
        else:
            out.problem("rating_missing", f"{w.name}：缺少{month.year}年度考核结果，无法计算年度考核奖", True, w)

    lines = [
        {"kind": adj.kind, "amount": str(adj.amount), "reason": adj.reason,
         "corrects_month": adj.corrects_month.isoformat() if adj.corrects_month else None, "auto": False}
        for adj in ctx.adjustments.get(w.id, [])
    ] + retro
    adjustments = sum((D(line["amount"]) for line in lines), ZERO)
    gross = earn.gross + bonus + adjustments

    # Contribution base: override, else fixed from an earlier slip of this contribution year,
    # else last year's average, else the standard gross of the first month in service.
    cy = contribution_year_start(month)
    prev = ctx.prev.get(w.id)
    bounds = bounds_for(ref.bounds, month)
    base_source = ""
    if w.id in ctx.overrides:
        base = ctx.overrides[w.id]
        base_source = "人工核定"
        si_base, hf_base = clamp_bases(base, bounds)
    elif prev is not None and prev.month >= cy and prev.base is not None:
        # Fixed for the contribution year; clamped again so that bounds published late apply.
        base = prev.base
        base_source = "本缴费年度已核定"
        si_base, hf_base = clamp_bases(base, bounds)
    elif w.id in ctx.prior_grosses:
        base = contribution_base(ctx.prior_grosses[w.id], ZERO)
        base_source = f"{cy.year - 1}年月平均工资"
        si_base, hf_base = clamp_bases(base, bounds)
    elif first_std is not None:
        base = first_std[0]
        base_source = f"{first_std[1]:%Y-%m} 标准月薪"
        si_base, hf_base = clamp_bases(base, bounds)
    else:
        base = earn.gross
        base_source = "本月标准月薪"
        si_base, hf_base = clamp_bases(base, bounds)

    profile = ctx.profiles.get(w.id)
    hf_pct = (profile.hf_rate_pct if profile and profile.hf_rate_pct else ctx.settings.hf_rate_pct)
    supp_pct = profile.hf_supp_pct if profile else 0
    emp = employee_contributions(si_base, hf_base, ref.rates, D(hf_pct) / 100, D(supp_pct) / 100)
    housing_fund = emp.housing_fund + emp.housing_fund_supplementary
    employer = employer_contributions(si_base, housing_fund, ref.rates)

    # Cumulative withholding, per employer (street) and calendar year.
    continuing = prev is not None and prev.month.year == month.year and prev.street_id == w.street_id
    tax_months = prev.tax_months + 1 if continuing and prev else 1
    state = TaxState(prev.cum_wages, prev.cum_si_hf, prev.cum_special, prev.cum_tax) if continuing and prev else TaxState()
    first_month_no = month.month - tax_months + 1
    cum_basic = basic_deduction(
        month.month, first_month_no,
        bool(option and option.first_income_of_year), bool(option and option.prior_year_low_income),
    )
    declarations = ctx.declarations.get(w.id, [])
    special = special_due(declarations, date(month.year, first_month_no, 1), month, state.special) if declarations else ZERO
    si_hf = emp.pension + emp.medical + emp.unemployment + housing_fund
    taxable_wages = gross - bonus if separate else gross
    wage_tax, after = monthly_tax(state, taxable_wages, si_hf, special, cum_basic, ref.annual_table)
    bonus_tax = separate_bonus_tax(bonus, ref.bonus_table) if separate and bonus > 0 else ZERO
    iit = wage_tax + bonus_tax
    net = gross - si_hf - iit

    change, reason = _change(prev, month, a, served, dim, bonus, adjustments, special, net, si_base, w)
    if not w.bank_account:
        out.problem("no_bank_account", f"{w.name}：没有银行账号，无法代发工资", True, w)
    return {
        "run_id": ctx.run.id, "worker_id": w.id, "district_id": ctx.run.district_id, "street_id": w.street_id,
        "committee_id": w.committee_id, "month": month, "name": w.name, "post": a.post, "grade": a.grade,
        "scale_version": scale.name, "assignment_id": a.id, "qualification": w.qualification,
        "days_served": served, "days_in_month": dim,
        "inputs": {
            "base": str(base), "base_source": base_source, "hf_rate_pct": hf_pct, "hf_supp_pct": supp_pct,
            "bonus_tax": "separate" if separate else "merged",
            "first_income_of_year": bool(option and option.first_income_of_year),
            "prior_year_low_income": bool(option and option.prior_year_low_income),
            "declarations": [
                {"kind": d.kind, "monthly": str(d.monthly), "start": d.start.isoformat(),
                 "end": d.end.isoformat() if d.end else None} for d in declarations
            ],
            "rating": ctx.ratings.get(w.id) if month.month == 12 else None,
            "qualification_mode": ctx.settings.qualification_mode,
            "bounds_start": bounds.start.isoformat(),
        },
        "grade_pay": earn.grade_pay, "post_allowance": earn.post_allowance, "performance": earn.performance,
        "qualification_allowance": earn.qualification_allowance, "annual_bonus": bonus,
        "adjustments": adjustments, "adjustment_lines": lines, "gross": gross,
        "si_base": si_base, "hf_base": hf_base, "pension": emp.pension, "medical": emp.medical,
        "unemployment": emp.unemployment, "housing_fund": housing_fund, "iit": iit, "bonus_tax": bonus_tax,
        "net": net,
        "employer_pension": employer.pension, "employer_medical": employer.medical,
        "employer_unemployment": employer.unemployment, "employer_injury": employer.work_injury,
        "employer_housing_fund": employer.housing_fund, "employer_total": employer.total,
        "tax_months": tax_months, "special": special, "cum_wages": after.wages, "cum_si_hf": after.si_hf,
        "cum_special": after.special, "cum_basic": cum_basic, "cum_tax": after.tax_withheld,
        "change": change, "change_reason": reason,
    }


def _change(prev: Any, month: date, a: Any, served: int, dim: int, bonus: Decimal, adjustments: Decimal,
            special: Decimal, net: Decimal, si_base: Decimal, w: WorkerRow) -> tuple[Decimal | None, str]:
    """Net pay's difference from the previous month, with the reasons an officer checks."""
    from payroll.runs.context import add_months

    if prev is None or prev.month != add_months(month, -1):
        return None, "本月新发放" if w.hire_date.replace(day=1) == month else "上月无工资记录"
    reasons = []
    if (prev.post, prev.grade) != (a.post, a.grade):
        reasons.append(f"岗位等级 {POST_NAMES[prev.post]}{prev.grade}级→{POST_NAMES[a.post]}{a.grade}级")
    if served != dim:
        reasons.append(f"本月在岗 {served}/{dim} 天")
    elif prev.days_served != prev.days_in_month:
        reasons.append("上月不足整月")
    if bonus:
        reasons.append("年度考核奖")
    if prev.annual_bonus:
        reasons.append("上月含年度考核奖")
    if adjustments != prev.adjustments:
        reasons.append("补发补扣变化")
    if si_base != prev.si_base:
        reasons.append("缴费基数调整")
    if special != prev.special:
        reasons.append("专项附加扣除变化")
    change = net - prev.net
    if change and not reasons:
        reasons.append("累计预扣个税变化")
    return change, "；".join(reasons)


def write(ctx: RunContext, out: Outcome) -> dict[str, Any]:
    """Replace the run's slips and totals. Flushes; the caller commits."""
    run = ctx.run
    db.session.execute(delete(Payslip).where(Payslip.run_id == run.id))
    if out.slips:
        db.session.execute(insert(Payslip), out.slips)
    totals = {f: sum((s[f] for s in out.slips), ZERO) for f in TOTAL_FIELDS}
    for f, v in totals.items():
        setattr(run, f, v)
    run.headcount = len(out.slips)
    run.problems = out.problems
    return totals


def run_calculation(run: Any, progress: Progress | None = None) -> tuple[RunContext, Outcome]:
    ctx = load(run)
    out = calculate(ctx, progress)
    write(ctx, out)
    return ctx, out
