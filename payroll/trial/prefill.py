"""A worker's case for the trial form, from the register: post and grade in force, qualification,
hire and leave dates, the year's rating, tax options, housing-fund rate and declarations.
"调级试算" adds one grade (within the post's range); "资格晋级试算" the next qualification level
(and its grades where the district grants grades for qualifications)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select

from hr.accounts.scope import get_worker
from hr.core.db import db
from hr.core.vocabulary import POST_NAMES, QUALIFICATIONS
from hr.grades import rules
from hr.grades.models import Assessment
from hr.grades.queries import in_force, settings_for
from hr.workers.models import Worker
from payroll.inputs.models import Declaration, PayProfile, TaxOption
from payroll.trial.forms import SPECIAL_FIELDS

MODES = {"": "工资试算", "raise": "调级试算", "qualification": "资格晋级试算"}


@dataclass
class Prefill:
    worker: Worker
    values: dict[str, Any]
    note: str  # what was changed from the register for the mode ("" for none)


def worker_case(worker_id: int, year: int, mode: str, on: date) -> Prefill:
    """The form's values for the worker (404 outside the user's district)."""
    w: Worker = get_worker(worker_id)
    a = in_force(w.id, min(on, date(year, 12, 31)))
    values: dict[str, Any] = {
        "year": str(year), "hire_date": w.hire_date, "leave_date": w.leave_date,
        "qualification": w.qualification, "qualification_date": w.qualification_date,
        "first_job": bool(w.first_job),
    }
    if a is not None:
        values.update(post=POST_NAMES[a.post], grade=str(a.grade))
    ratings = dict(db.session.execute(
        select(Assessment.year, Assessment.rating).where(Assessment.worker_id == w.id,
                                                         Assessment.year.in_((year, year - 1)))).all())
    rating = ratings.get(year) or ratings.get(year - 1)
    values["rating"] = rating or ""
    option = db.session.execute(
        select(TaxOption).where(TaxOption.worker_id == w.id, TaxOption.year == year)).scalar_one_or_none()
    if option is not None:
        values.update(bonus_tax=option.bonus_tax, first_income_of_year=option.first_income_of_year,
                      prior_year_low_income=option.prior_year_low_income)
    profile = db.session.get(PayProfile, w.id)
    pct = profile.hf_rate_pct if profile and profile.hf_rate_pct else settings_for(w.district_id).hf_rate_pct
    values["hf_rate"] = f"0.0{pct}"
    monthly: dict[str, Decimal] = {}
    for d in db.session.execute(select(Declaration).where(
            Declaration.worker_id == w.id, Declaration.start_month <= date(year, 12, 1),
            or_(Declaration.end_month.is_(None), Declaration.end_month >= date(year, 1, 1)))).scalars():
        monthly[d.kind] = monthly.get(d.kind, Decimal(0)) + d.monthly
        if d.kind == "赡养老人" and d.only_child is not None:
            values["only_child"] = bool(d.only_child)
    for name, kind in SPECIAL_FIELDS.items():
        if kind in monthly:
            values[name] = f"{monthly[kind]:f}"
    note = ""
    if mode == "raise" and a is not None:
        hi = rules.POST_RANGES[a.post][1]
        if a.grade < hi:
            values["grade"] = str(a.grade + 1)
            note = f"等级 {a.grade} → {a.grade + 1} 级（{year}年全年）"
        else:
            note = f"已达{POST_NAMES[a.post]}岗位最高级（{hi}级），无法再调级"
    elif mode == "qualification":
        level = QUALIFICATIONS.index(w.qualification) if w.qualification in QUALIFICATIONS else 0
        if level + 1 < len(QUALIFICATIONS):
            new = QUALIFICATIONS[level + 1]
            values.update(qualification=new, qualification_date=date(year, 1, 1))
            note = f"职业资格 {w.qualification if level else '未持证'} → {new}（{year}-01-01 取得）"
            if a is not None and settings_for(w.district_id).qualification_mode == "grade":
                new_grade = min(rules.POST_RANGES[a.post][1], a.grade + 1)
                values["grade"] = str(new_grade)
                note += f"，本区按资格晋升等级：{a.grade} → {new_grade} 级"
        else:
            note = "已持有最高一级职业资格"
    return Prefill(w, values, note)
