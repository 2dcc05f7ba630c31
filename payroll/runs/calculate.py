"""Calculating a run: every in-service worker of the district (事业待遇 excluded), priced by
the calculation core, written in bulk. The caller commits once: a failure leaves nothing."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete

from hr.core.db import db
from hr.core.vocabulary import POST_NAMES
from payroll.calc.money import ZERO, D
from payroll.calc.months import add_months
from payroll.calc.payslip import CarryOver, PricingError, WorkerMonth, price
from payroll.calc.reference import contribution_year_start
from payroll.calc.tax import TaxState
from payroll.runs.bulk import insert_rows
from payroll.runs.context import RunContext, WorkerRow, load
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
    """Price every worker of the run with ``payroll.calc.payslip.price``; no query here
    beyond the retroactive differences' loading (done once, before pricing)."""
    out = Outcome()
    month = ctx.month
    retro = retro_lines(ctx)
    done = 0
    for w in ctx.workers:
        a = ctx.assignments.get(w.id)
        if a is None:
            out.problem("ungraded", f"{w.name}：{month:%Y年%m月}没有有效的岗位等级，未计算工资", True, w)
        else:
            slip = _slip(ctx, w, a, retro.get(w.id, []), out)
            if slip is not None:
                out.slips.append(slip)
        done += 1
        if progress and done % 250 == 0:
            progress(250)
    if progress:
        progress(done % 250)
    return out


_FRACTIONS: dict[int, Decimal] = {}


def _fraction(pct: int) -> Decimal:
    """A whole percentage as a fraction (7 → 0.07), computed once per value."""
    try:
        return _FRACTIONS[pct]
    except KeyError:
        fraction = _FRACTIONS[pct] = D(pct) / 100
        return fraction


def facts_for(ctx: RunContext, w: WorkerRow, a: Any, adjustments: Decimal) -> WorkerMonth:
    """The worker's facts in force in the run's month, from the loaded context."""
    month = ctx.month
    option = ctx.options.get(w.id)
    profile = ctx.profiles.get(w.id)
    hf_pct = profile.hf_rate_pct if profile and profile.hf_rate_pct else ctx.settings.hf_rate_pct
    supp_pct = profile.hf_supp_pct if profile else 0
    base_assignment = ctx.base_assignments.get(w.id)
    return WorkerMonth(
        month=month, post=a.post, grade=a.grade, hire_date=w.hire_date, leave_date=w.leave_date,
        qualification=w.qualification, qualification_date=w.qualification_date,
        qualification_mode=ctx.settings.qualification_mode, first_job=w.first_job,
        rating=ctx.ratings.get(w.id) if month.month == 12 else None,
        declarations=tuple(ctx.declarations.get(w.id, ())), adjustments=adjustments,
        base_override=ctx.overrides.get(w.id),
        base_post=base_assignment[0] if base_assignment else None,
        base_grade=base_assignment[1] if base_assignment else None,
        hf_rate=_fraction(hf_pct), hf_supplementary_rate=_fraction(supp_pct),
        first_income_of_year=bool(option and option.first_income_of_year),
        prior_year_low_income=bool(option and option.prior_year_low_income),
        bonus_tax=option.bonus_tax if option else "merged",
    )


def carry_for(ctx: RunContext, w: WorkerRow) -> CarryOver:
    """The carry-over from the worker's latest earlier slip: cumulative sums when it lies in
    the same year at the same employer (street), the base when in the same contribution year."""
    month = ctx.month
    prev = ctx.prev.get(w.id)
    cy = contribution_year_start(month)
    continuing = prev is not None and prev.month.year == month.year and prev.street_id == w.street_id
    return CarryOver(
        tax=TaxState(prev.cum_wages, prev.cum_si_hf, prev.cum_special, prev.cum_tax)
        if continuing and prev else TaxState(),
        tax_months=prev.tax_months if continuing and prev else 0,
        base=prev.base if prev is not None and prev.month >= cy else None,
        base_year=cy,
        base_source="本缴费年度已核定",
        prior_year_grosses=tuple(ctx.prior_grosses.get(w.id, ())),
    )


def _slip(ctx: RunContext, w: WorkerRow, a: Any, retro: list[dict[str, Any]], out: Outcome) -> dict[str, Any] | None:
    month = ctx.month
    lines = [
        {"kind": adj.kind, "amount": str(adj.amount), "reason": adj.reason,
         "corrects_month": adj.corrects_month.isoformat() if adj.corrects_month else None, "auto": False}
        for adj in ctx.adjustments.get(w.id, [])
    ] + retro
    adjustments = sum((D(line["amount"]) for line in lines), ZERO)
    facts = facts_for(ctx, w, a, adjustments)
    try:
        r = price(facts, carry_for(ctx, w), ctx.ref, w.name)
    except PricingError as e:
        out.problem("refused", f"{w.name}：{e.message}", True, w)
        return None
    if r is None:
        return None
    for p in r.problems:
        out.problem(p.code, p.message, p.blocking, w)
    if not w.bank_account:
        out.problem("no_bank_account", f"{w.name}：没有银行账号，无法代发工资", True, w)
    change, reason = _change(ctx.prev.get(w.id), month, a, r.days_served, r.days_in_month, r.annual_bonus,
                             adjustments, r.special, r.net, r.si_base, w)
    inputs: dict[str, Any] = {
        "base": str(r.base), "base_source": r.base_source, "hf_rate_pct": int(facts.hf_rate * 100),
        "hf_supp_pct": int(facts.hf_supplementary_rate * 100), "bonus_tax": facts.bonus_tax,
        "first_income_of_year": facts.first_income_of_year, "prior_year_low_income": facts.prior_year_low_income,
        "declarations": [
            {"kind": d.kind, "monthly": str(d.monthly), "start": d.start.isoformat(),
             "end": d.end.isoformat() if d.end else None} for d in facts.declarations
        ],
        "rating": facts.rating,
        "qualification_mode": facts.qualification_mode,
        "bounds_start": r.bounds_start.isoformat() if r.bounds_start else None,
        "qualification_date": w.qualification_date.isoformat() if w.qualification_date else None,
        "hire_date": w.hire_date.isoformat(),
        "leave_date": w.leave_date.isoformat() if w.leave_date else None,
    }
    if facts.first_job:
        inputs["first_job"] = True
    employer = r.employer
    return {
        "run_id": ctx.run.id, "worker_id": w.id, "district_id": ctx.run.district_id, "street_id": w.street_id,
        "committee_id": w.committee_id, "month": month, "name": w.name, "post": a.post, "grade": a.grade,
        "scale_version": r.scale, "assignment_id": a.id, "qualification": w.qualification,
        "days_served": r.days_served, "days_in_month": r.days_in_month, "inputs": inputs,
        "grade_pay": r.grade_pay, "post_allowance": r.post_allowance, "performance": r.performance,
        "qualification_allowance": r.qualification_allowance, "annual_bonus": r.annual_bonus,
        "adjustments": r.adjustments, "adjustment_lines": lines, "gross": r.gross,
        "si_base": r.si_base, "hf_base": r.hf_base, "pension": r.pension, "medical": r.medical,
        "unemployment": r.unemployment, "housing_fund": r.housing_fund, "iit": r.iit, "bonus_tax": r.bonus_tax,
        "net": r.net,
        "employer_pension": employer.pension, "employer_medical": employer.medical,
        "employer_unemployment": employer.unemployment, "employer_injury": employer.work_injury,
        "employer_housing_fund": employer.housing_fund, "employer_total": employer.total,
        "tax_months": r.tax_months, "special": r.special, "cum_wages": r.tax_state.wages,
        "cum_si_hf": r.tax_state.si_hf, "cum_special": r.tax_state.special, "cum_basic": r.basic_cumulative,
        "cum_tax": r.tax_state.tax_withheld, "change": change, "change_reason": reason,
    }


def _change(prev: Any, month: date, a: Any, served: int, dim: int, bonus: Decimal, adjustments: Decimal,
            special: Decimal, net: Decimal, si_base: Decimal, w: WorkerRow) -> tuple[Decimal | None, str]:
    """Net pay's difference from the previous month, with the reasons an officer checks."""
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
    insert_rows(db.session, Payslip.__table__, out.slips)
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
