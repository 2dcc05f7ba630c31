"""Pages about posts and grades: the overview, one worker's entry grade, post change, correction,
qualification grades and ratings, and the district settings. Assessments by committee and the
promotion run live in assessment_views.py and promotion_views.py (same blueprint)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from hr.accounts.scope import get_worker, require_write
from hr.core.errors import NotFound
from hr.core.timeutil import today
from hr.core.unit_of_work import unit_of_work
from hr.core.vocabulary import POST_NAMES, POST_RANGES, POSTS, RATINGS
from hr.grades import reports, rules, services
from hr.grades.forms import (
    CorrectionForm,
    EntryForm,
    PostChangeForm,
    QualificationForm,
    SettingsForm,
)
from hr.grades.models import QUALIFICATION_MODES
from hr.grades.queries import in_force, settings_for, timeline

bp = Blueprint("grades", __name__, url_prefix="/grades")


def year_arg(default: int | None = None) -> int:
    value = request.args.get("year", "")
    now = today().year
    if value.isdigit() and 1980 <= int(value) <= now + 1:
        return int(value)
    return default or now


@bp.route("/")
@login_required
def index():
    district = reports.chosen_district(request.args.get("district"))
    dist = reports.distribution(district, today())
    total_ungraded, ungraded = reports.ungraded(district)
    setting = settings_for(district.id) if district else None
    due = reports.qualifications_due(district) if district and setting and setting.qualification_mode == "grade" else []
    return render_template("grades/index.html", district=district, districts=reports.districts(),
                           dist=dist, posts=POST_NAMES, ranges=POST_RANGES, total_ungraded=total_ungraded,
                           ungraded=ungraded, setting=setting, due=due, year=today().year,
                           modes=QUALIFICATION_MODES, si_rounding=services.SI_ROUNDING)


@bp.route("/worker/<int:worker_id>/entry", methods=["GET", "POST"])
@login_required
def entry(worker_id: int):
    worker = get_worker(worker_id)
    require_write(worker.district_id)
    if timeline(worker.id):
        flash(f"{worker.name} 已定级；如需调整请使用“调整岗位”或“纠错”。", "info")
        return redirect(url_for("workers.detail", worker_id=worker.id))
    form = EntryForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            a = services.assign_entry(worker, form.post.data or "", form.grade.data, form.note.data or "")
        if work.ok:
            flash(f"已为 {worker.name} 入职定级：{a.post_name} {a.grade} 级（{a.effective.isoformat()} 起）。", "success")
            return redirect(url_for("workers.detail", worker_id=worker.id))
    return render_template("grades/entry.html", worker=worker, form=form,
                           proposals=services.proposals_for(worker), posts=POST_NAMES,
                           effective=rules.entry_effective(worker.hire_date))


@bp.route("/worker/<int:worker_id>/post", methods=["GET", "POST"])
@login_required
def change_post(worker_id: int):
    worker = get_worker(worker_id)
    require_write(worker.district_id)
    rows = timeline(worker.id)
    if not rows:
        flash("该职工尚未定级，请先入职定级。", "warning")
        return redirect(url_for("grades.entry", worker_id=worker.id))
    current = in_force(worker.id, today()) or rows[-1]
    form = PostChangeForm()
    if request.method == "GET":
        d = today()
        form.effective.data = d.replace(year=d.year + (d.month == 12), month=d.month % 12 + 1, day=1)
        form.post.data = next(p for p in POSTS if p != current.post)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            a = services.change_post(worker, form.post.data or "", form.effective.data, form.note.data or "")
        if work.ok:
            flash(f"已调整岗位：{a.post_name} {a.grade} 级（{a.effective.isoformat()} 起）。", "success")
            return redirect(url_for("workers.detail", worker_id=worker.id))
    clamps = {p: rules.clamp(p, current.grade) for p in POSTS}
    return render_template("grades/post.html", worker=worker, form=form, current=current, clamps=clamps,
                           ranges=POST_RANGES, posts=POST_NAMES)


@bp.route("/worker/<int:worker_id>/correct/<int:assignment_id>", methods=["GET", "POST"])
@login_required
def correct(worker_id: int, assignment_id: int):
    worker = get_worker(worker_id)
    require_write(worker.district_id)
    rows = timeline(worker.id)
    target = next((a for a in rows if a.id == assignment_id), None)
    if target is None:
        raise NotFound("记录不存在或不在您的管辖范围内。")
    form = CorrectionForm()
    if request.method == "GET":
        form.post.data, form.grade.data = target.post, target.grade
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            a = services.correct(worker, target.id, form.post.data or "", form.grade.data, form.note.data or "")
        if work.ok:
            flash(f"已更正：{a.post_name} {a.grade} 级（{a.effective.isoformat()} 起），原记录保留并标记为已更正。", "success")
            return redirect(url_for("workers.detail", worker_id=worker.id))
    return render_template("grades/correct.html", worker=worker, form=form, target=target)


@bp.route("/worker/<int:worker_id>/qualification", methods=["GET", "POST"])
@login_required
def qualification(worker_id: int):
    worker = get_worker(worker_id)
    require_write(worker.district_id)
    due = services.qualification_due(worker)
    form = QualificationForm()
    if request.method == "GET" and due:
        form.effective.data = due.effective
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            a = services.apply_qualification(worker, form.effective.data)
        if work.ok:
            flash(f"已资格晋级：{a.post_name} {a.grade} 级（{a.effective.isoformat()} 起）。", "success")
            return redirect(url_for("workers.detail", worker_id=worker.id))
    return render_template("grades/qualification.html", worker=worker, form=form, due=due,
                           mode=settings_for(worker.district_id).qualification_mode)


@bp.route("/worker/<int:worker_id>/ratings", methods=["GET", "POST"])
@login_required
def worker_ratings(worker_id: int):
    """All years of one worker on one page (the panel's 录入考核)."""
    worker = get_worker(worker_id)
    require_write(worker.district_id)
    now = today()
    last = min((worker.leave_date or now).year, now.year)
    years = list(range(last, max(worker.hire_date.year, last - 30) - 1, -1))
    existing = reports.ratings_of([worker.id])
    errors: dict[Any, str] = {}
    if request.method == "POST":
        items = []
        for y in years:
            value = request.form.get(f"y{y}", "")
            if rules.not_assessed_reason(y, worker.hire_date, worker.leave_date) and not value:
                continue
            items.append((worker, y, value or None))
        with unit_of_work(show=False) as work:
            counts = services.save_ratings(items)
        if work.error is not None:
            errors = getattr(work.error, "errors", None) or {"": work.error.message}
            flash("有错误，未保存任何结果。", "danger")
        else:
            flash(_saved(counts), "success")
            return redirect(url_for("workers.detail", worker_id=worker.id))
    rows = [{"year": y, "rating": request.form.get(f"y{y}") if request.method == "POST" else
             (existing[(worker.id, y)].rating if (worker.id, y) in existing else ""),
             "excluded": rules.not_assessed_reason(y, worker.hire_date, worker.leave_date),
             "error": errors.get((worker.id, y))} for y in years]
    return render_template("grades/worker_ratings.html", worker=worker, rows=rows, ratings=RATINGS)


def _saved(counts: dict[str, int]) -> str:
    changed = counts["created"] + counts["updated"] + counts["deleted"]
    if not changed:
        return "没有需要保存的修改。"
    return f"已保存：新增 {counts['created']} 条，修改 {counts['updated']} 条" + (
        f"，清除 {counts['deleted']} 条" if counts["deleted"] else "") + "。"


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    district = reports.chosen_district(request.args.get("district"))
    if district is None:
        return render_template("grades/pick_district.html", districts=reports.districts(),
                               endpoint="grades.settings", title="本区设置")
    current = settings_for(district.id)
    form = SettingsForm(obj=current)
    if request.method == "POST":
        require_write(district.id)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            changes = services.save_settings(district.id, {
                "qualification_mode": form.qualification_mode.data, "hf_rate_pct": form.hf_rate_pct.data,
                "si_rounding": form.si_rounding.data, "pay_day": form.pay_day.data})
        if work.ok:
            flash("已保存本区设置。" if changes else "没有需要保存的修改。", "success" if changes else "info")
            return redirect(url_for("grades.settings", district=district.code))
    return render_template("grades/settings.html", district=district, form=form, setting=current,
                           can_edit=current_user.can_write, modes=QUALIFICATION_MODES,
                           si_rounding=services.SI_ROUNDING)
