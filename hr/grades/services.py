"""Changing the post/grade timeline, the annual ratings and the district settings.

Services check the rules, add, flush and write the audit entry; the view or CLI command that
called them commits once (or rolls everything back). Every entry records who approved it."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select

from hr.accounts.scope import require_approve, require_write
from hr.audit.services import diff, record
from hr.core.db import db
from hr.core.errors import DomainError
from hr.core.timeutil import today
from hr.core.vocabulary import POST_NAMES, POST_RANGES, POSTS, QUALIFICATION_LEVELS, RATINGS
from hr.grades import rules
from hr.grades.models import QUALIFICATION_MODES, Assessment, Assignment, DistrictSetting
from hr.grades.queries import settings_for, timeline


class GradeInvalid(DomainError):
    """One or more inputs at fault: `errors` maps the field (or a row key) to a message."""

    status = 400

    def __init__(self, errors: dict[Any, str]) -> None:
        super().__init__("；".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class SystemActor:
    """The actor of command-line runs and the demo seed: city-wide, may write."""

    id: None = None
    username: str = "system"
    display_name: str = "系统（命令行）"
    district_id: None = None
    is_authenticated: bool = True
    can_write: bool = True
    can_approve: bool = True
    is_admin: bool = True


SYSTEM = SystemActor()


def actor(user: Any = None) -> Any:
    """The user a service acts for: the one given, else the logged-in user of the request,
    else (command line, seed) the system."""
    if user is not None:
        return user
    if has_request_context():
        return current_user
    return SYSTEM


def _approver(user: Any) -> tuple[int | None, str]:
    return getattr(user, "id", None), (getattr(user, "display_name", "") or user.username)[:64]


def to_entry(a: Assignment) -> rules.Entry:
    return rules.Entry(a.id, a.effective, a.post, a.grade, a.reason, a.corrects_id, a.qualification or "")


def entries_of(worker_id: int) -> list[rules.Entry]:
    return [to_entry(a) for a in timeline(worker_id)]


def check_post_grade(post: str | None, grade: int | None) -> None:
    if post not in POSTS:
        raise GradeInvalid({"post": "岗位须为 负责人/主管/工作人员 之一"})
    if grade is None or not rules.in_range(post, grade):
        lo, hi = POST_RANGES[post]
        raise GradeInvalid({"grade": f"{POST_NAMES[post]}的等级须在 {lo}–{hi} 级之间"})


def _add(worker: Any, post: str, grade: int, effective: date, reason: str, note: str, user: Any,
         *, corrects_id: int | None = None, qualification: str = "", audit: bool = True) -> Assignment:
    check_post_grade(post, grade)
    if effective.day != 1:
        raise GradeInvalid({"effective": "生效日期须为某月 1 日"})
    if len(note) > 200:
        raise GradeInvalid({"note": "说明不能超过 200 字"})
    approver_id, approver = _approver(user)
    a = Assignment(worker_id=worker.id, district_id=worker.district_id, post=post, grade=grade,
                   effective=effective, reason=reason, note=note.strip(), corrects_id=corrects_id,
                   qualification=qualification, approved_by_id=approver_id, approved_by=approver)
    db.session.add(a)
    if audit:
        record("update", "worker", worker.id, district_id=worker.district_id, user=user,
               summary=f"{reason}：{POST_NAMES[post]} {grade} 级（{effective.isoformat()} 起）",
               changes={"岗位": [None, POST_NAMES[post]], "等级": [None, grade],
                        "生效日期": [None, effective.isoformat()], "事由": [None, reason]})
    return a


# --- entry grade ----------------------------------------------------------------------

def counted_qualification(worker: Any, mode: str | None = None) -> str:
    """The qualification the entry grade includes (rule 10): only in mode 'grade', and only one
    held on the hire date."""
    mode = mode or settings_for(worker.district_id).qualification_mode
    if mode != "grade" or not worker.qualification_date or worker.qualification_date > worker.hire_date:
        return ""
    return worker.qualification if QUALIFICATION_LEVELS.get(worker.qualification, 0) else ""


def proposals_for(worker: Any) -> dict[str, rules.EntryGrade]:
    """The §2.1 proposal for each post, as the entry page shows them."""
    qual = counted_qualification(worker)
    return {p: rules.entry_grade(p, worker.education, worker.prior_years, qual) for p in POSTS}


def assign_entry(worker: Any, post: str, grade: int | None = None, note: str = "", user: Any = None) -> Assignment:
    """入职定级, effective on the 1st of the hire month. `grade` None takes the proposal; another
    grade is an override and needs a note."""
    user = actor(user)
    require_write(worker.district_id, user)
    if post not in POSTS:
        raise GradeInvalid({"post": "请选择岗位"})
    if db.session.execute(select(Assignment.id).where(Assignment.worker_id == worker.id).limit(1)).first():
        raise DomainError("该职工已定级；如需调整请使用“调整岗位”或“纠错”。")
    proposal = rules.entry_grade(post, worker.education, worker.prior_years, counted_qualification(worker))
    if grade is None:
        grade = proposal.grade
    check_post_grade(post, grade)
    note = (note or "").strip()
    if grade != proposal.grade and not note:
        raise GradeInvalid({"note": f"确定的等级与测算结果（{proposal.grade} 级）不同，请说明理由"})
    if not note:
        note = proposal.arithmetic
    a = _add(worker, post, grade, rules.entry_effective(worker.hire_date), rules.ENTRY, note[:200], user,
             qualification=proposal.qualification)
    db.session.flush()
    return a


# --- post change, correction, qualification ----------------------------------------------

def _latest(entries: Sequence[rules.Entry]) -> rules.Entry:
    if not entries:
        raise DomainError("该职工尚未定级，请先进行入职定级。")
    return max(entries, key=lambda e: (e.effective, e.id))


def change_post(worker: Any, post: str, effective: date, note: str = "", user: Any = None) -> Assignment:
    """岗位变动: the grade is kept, clamped into the new post's range."""
    user = actor(user)
    require_write(worker.district_id, user)
    entries = entries_of(worker.id)
    latest = _latest(entries)
    current = rules.in_force(entries, effective) or latest
    if post not in POSTS:
        raise GradeInvalid({"post": "请选择岗位"})
    if post == current.post:
        raise GradeInvalid({"post": f"该职工在该日期已是{POST_NAMES[post]}岗位"})
    if effective is None or effective.day != 1:
        raise GradeInvalid({"effective": "生效日期须为某月 1 日"})
    if effective <= latest.effective:
        raise GradeInvalid({"effective": f"生效日期须晚于最近一条记录的日期（{latest.effective.isoformat()}）；更正已有记录请用“纠错”"})
    if effective > date(today().year + 1, 12, 1):
        raise GradeInvalid({"effective": "生效日期超出合理范围"})
    a = _add(worker, post, rules.clamp(post, current.grade), effective, rules.POST_CHANGE, note or "", user)
    db.session.flush()
    return a


def correct(worker: Any, target_id: int, post: str, grade: int | None, note: str, user: Any = None) -> Assignment:
    """纠错: a new entry on the corrected entry's date; the corrected entry stays visible."""
    user = actor(user)
    require_write(worker.district_id, user)
    entries = entries_of(worker.id)
    target = next((e for e in entries if e.id == target_id), None)
    if target is None:
        raise DomainError("要更正的记录不存在。")
    if target_id not in rules.correctable(entries):
        raise DomainError("该记录已被更正或未曾生效，只能更正当前有效的记录。")
    check_post_grade(post, grade)
    if (post, grade) == (target.post, target.grade):
        raise GradeInvalid({"grade": "岗位和等级与原记录相同，无需更正"})
    if not (note or "").strip():
        raise GradeInvalid({"note": "请说明更正理由"})
    a = _add(worker, post, grade, target.effective, rules.CORRECTION, note, user,  # type: ignore[arg-type]
             corrects_id=target_id, qualification=target.qualification)
    db.session.flush()
    return a


@dataclass(frozen=True)
class QualificationDue:
    qualification: str
    levels: int  # grades the qualification grants beyond those already granted
    grade: int
    new_grade: int
    post: str
    effective: date


def qualification_due(worker: Any, entries: Sequence[rules.Entry] | None = None,
                      mode: str | None = None) -> QualificationDue | None:
    """The 资格晋级 the worker's recorded qualification calls for (rule 11), or None."""
    mode = mode or settings_for(worker.district_id).qualification_mode
    level = QUALIFICATION_LEVELS.get(worker.qualification, 0)
    if mode != "grade" or not level or worker.qualification_date is None:
        return None
    entries = entries_of(worker.id) if entries is None else entries
    if not entries:
        return None
    granted = rules.granted_qualification(entries)
    if level <= granted:
        return None
    latest = _latest(entries)
    q = worker.qualification_date
    effective = date(q.year + (q.month == 12), q.month % 12 + 1, 1)
    if effective <= latest.effective:
        d = latest.effective
        effective = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    current = rules.in_force(entries, effective) or latest
    new_grade = min(POST_RANGES[current.post][1], current.grade + level - granted)
    return QualificationDue(worker.qualification, level - granted, current.grade, new_grade, current.post, effective)


def apply_qualification(worker: Any, effective: date | None = None, user: Any = None) -> Assignment:
    """资格晋级 for the qualification recorded on the worker (district in mode 'grade').

    How it is triggered: the officer records the qualification on the worker form; the worker
    page (and the grades overview's 待资格晋级 list) then shows the grades due, and the officer
    applies them with one click. A qualification held on the hire date is part of the entry
    grade instead (rule 10)."""
    user = actor(user)
    require_write(worker.district_id, user)
    if settings_for(worker.district_id).qualification_mode != "grade":
        raise DomainError("本区职业资格按津贴发放（不晋升等级），可在“本区设置”中更改。")
    entries = entries_of(worker.id)
    due = qualification_due(worker, entries, "grade")
    if due is None:
        raise DomainError("该职工的职业资格已晋级，或尚无职业资格/尚未定级。")
    if effective is not None and effective != due.effective:
        latest = _latest(entries)
        if effective.day != 1 or effective <= latest.effective:
            raise GradeInvalid({"effective": f"生效日期须为某月 1 日，且晚于最近一条记录的日期（{latest.effective.isoformat()}）"})
        current = rules.in_force(entries, effective) or latest
        due = QualificationDue(due.qualification, due.levels, current.grade,
                               min(POST_RANGES[current.post][1], current.grade + due.levels),
                               current.post, effective)
    note = f"{due.qualification} +{due.levels} 级" + ("（已达岗位最高级）" if due.new_grade < due.grade + due.levels else "")
    a = _add(worker, due.post, due.new_grade, due.effective, rules.QUALIFY, note, user,
             qualification=due.qualification)
    db.session.flush()
    return a


# --- promotion --------------------------------------------------------------------------

def add_promotions(lines: Iterable[tuple[int, int, rules.Proposal]], year: int, user: Any = None) -> int:
    """Write the approved rises: one assignment effective 1 January of `year` and one audit
    entry per worker, in a single flush. `lines` are (worker id, district id, proposal)."""
    user = actor(user)
    approver_id, approver = _approver(user)
    effective = date(year, 1, 1)
    n = 0
    districts: set[int] = set()
    for worker_id, district_id, p in lines:
        if not p.rises or not rules.in_range(p.post, p.new_grade):
            raise DomainError("晋级建议不合规则，未写入任何记录。")
        if district_id not in districts:
            require_approve(district_id, user)
            districts.add(district_id)
        db.session.add(Assignment(
            worker_id=worker_id, district_id=district_id, post=p.post, grade=p.new_grade,
            effective=effective, reason=p.assignment_reason, note=(p.reason + "；" + p.detail)[:200],
            approved_by_id=approver_id, approved_by=approver))
        record("approve", "worker", worker_id, district_id=district_id, user=user,
               summary=f"{year}年{p.reason}：{POST_NAMES[p.post]} {p.grade}→{p.new_grade} 级",
               changes={"等级": [p.grade, p.new_grade], "事由": [None, p.assignment_reason]})
        n += 1
    for district_id in districts:
        record("approve", "promotion", year, district_id=district_id, user=user,
               summary=f"审批 {year} 年 1 月 1 日晋级", changes={"year": year, "approved": n})
    db.session.flush()
    return n


# --- ratings ----------------------------------------------------------------------------

def save_ratings(items: Iterable[tuple[Any, int, str | None]], user: Any = None) -> dict[str, int]:
    """Set ratings: (worker, year, rating), rating None removes one. Every item is checked
    first; one error refuses the whole batch (GradeInvalid keyed by (worker id, year))."""
    user = actor(user)
    items = list(items)
    for district_id in {w.district_id for w, _, _ in items}:
        require_write(district_id, user)
    keys = {(w.id, y) for w, y, _ in items}
    ids = sorted({k[0] for k in keys})
    years = sorted({k[1] for k in keys if isinstance(k[1], int)})
    existing: dict[tuple[int, int], Assessment] = {}
    for i in range(0, len(ids), 900):
        for a in db.session.execute(select(Assessment).where(
                Assessment.worker_id.in_(ids[i:i + 900]), Assessment.year.in_(years))).scalars():
            if (a.worker_id, a.year) in keys:
                existing[(a.worker_id, a.year)] = a
    errors: dict[Any, str] = {}
    now = today()
    seen: set[tuple[int, int]] = set()
    for w, year, rating in items:
        key = (w.id, year)
        if key in seen:
            errors[key] = f"{w.name} {year} 年度重复"
        seen.add(key)
        if rating is not None and rating not in RATINGS:
            errors[key] = f"考核结果须为 {'/'.join(RATINGS)} 之一"
        elif not isinstance(year, int) or year < 1980 or year > now.year:
            errors[key] = f"年度须在 1980–{now.year} 之间"
        elif rating is not None and (why := rules.not_assessed_reason(year, w.hire_date, w.leave_date)):
            errors[key] = f"{w.name}：{why}"
    if errors:
        raise GradeInvalid(errors)
    _, name = _approver(user)
    counts = {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0}
    for w, year, rating in items:
        old = existing.get((w.id, year))
        before = old.rating if old else None
        if before == rating:
            counts["unchanged"] += 1
            continue
        if old is None:
            db.session.add(Assessment(worker_id=w.id, district_id=w.district_id, year=year,
                                      rating=rating, entered_by=name))
            counts["created"] += 1
        elif rating is None:
            db.session.delete(old)
            counts["deleted"] += 1
        else:
            old.rating, old.entered_by = rating, name
            counts["updated"] += 1
        record("update", "worker", w.id, district_id=w.district_id, user=user,
               summary=f"{year} 年度考核：{rating or '（清除）'}",
               changes={f"{year}年度考核": [before, rating]})
    db.session.flush()
    return counts


# --- district settings -------------------------------------------------------------------

SETTING_LABELS = {
    "qualification_mode": "职业资格处理方式",
    "hf_rate_pct": "公积金缴存比例（%）",
    "si_rounding": "社保个人缴费舍入",
    "pay_day": "发薪日",
}
SI_ROUNDING = {"half_up": "四舍五入到分", "jiao_up": "见分进角"}


def save_settings(district_id: int, values: dict[str, Any], user: Any = None) -> dict[str, Any]:
    user = actor(user)
    require_write(district_id, user)
    errors = {}
    if values.get("qualification_mode") not in QUALIFICATION_MODES:
        errors["qualification_mode"] = "请选择职业资格处理方式"
    if values.get("hf_rate_pct") not in (5, 6, 7):
        errors["hf_rate_pct"] = "公积金缴存比例须为 5%–7% 的整数"
    if values.get("si_rounding") not in SI_ROUNDING:
        errors["si_rounding"] = "请选择舍入方式"
    pay_day = values.get("pay_day")
    if not isinstance(pay_day, int) or not 1 <= pay_day <= 28:
        errors["pay_day"] = "发薪日须为每月 1–28 日"
    if errors:
        raise GradeInvalid(errors)
    setting = db.session.get(DistrictSetting, district_id)
    current = settings_for(district_id)
    before = {k: getattr(current, k) for k in SETTING_LABELS}
    if setting is None:
        setting = DistrictSetting(district_id=district_id)
        db.session.add(setting)
    for k in SETTING_LABELS:
        setattr(setting, k, values[k])
    setting.updated_by = _approver(user)[1]
    changes = diff({SETTING_LABELS[k]: v for k, v in before.items()},
                   {SETTING_LABELS[k]: values[k] for k in SETTING_LABELS})
    if changes:
        record("update", "district_setting", district_id, district_id=district_id, user=user,
               summary="修改本区设置：" + "、".join(changes), changes=changes)
    db.session.flush()
    return changes
