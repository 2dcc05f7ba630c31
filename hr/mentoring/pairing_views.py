"""Pages of pairings and their activities, the suggestion, the reports and the export (routes
on the blueprint of views.py)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from hr.accounts.scope import get_in_scope, require_write
from hr.audit.services import record
from hr.core.db import db
from hr.core.forms import Form, choices
from hr.core.timeutil import today
from hr.core.unit_of_work import unit_of_work
from hr.mentoring import excel, queries, rules, services
from hr.mentoring.forms import ActivityForm, CloseForm, PairingForm
from hr.mentoring.models import Activity
from hr.mentoring.views import back_to_studio, bp, district_arg, districts_in_scope
from hr.workers.views import download

# --- pairings ------------------------------------------------------------------------------------

def _mentee_choices(district_id: int, on: date) -> list:
    people = queries.district_people(district_id, on)
    taken = queries.current_mentors(mentee_ids=list(people))
    out = [SelectChoice("", "请选择带教对象")]
    for p in sorted(people.values(), key=lambda p: (p.street_name, p.name, p.id)):
        grounds = rules.mentee_grounds(p, on)
        if grounds and p.id not in taken:
            out.append(SelectChoice(str(p.id), f"{p.name}（{p.rank_name}；{'、'.join(grounds)}）",
                                    optgroup=p.street_name))
    return out


@bp.route("/studios/<int:studio_id>/pairings/new", methods=["GET", "POST"])
@login_required
def pairing_new(studio_id: int):
    s = queries.get_studio(studio_id)
    require_write(s.district_id)
    cohorts = queries.cohorts_of(s.id)
    if not cohorts:
        flash("请先开设届次，再建立结对。", "warning")
        return back_to_studio(s.id, "#cohorts")
    form = PairingForm()
    if request.method == "GET":
        form.year.data = cohorts[0].year
        form.start_on.data = services.default_start(cohorts[0].year)
    form.year.choices = choices([(str(c.year), f"{c.year} 年") for c in cohorts])
    on = today()
    members = [m for m in queries.members_of(s.id) if m.left_on is None]
    form.mentor_id.choices = choices([("", "请选择导师")] + [(str(m.worker_id), m.worker.name) for m in members])
    form.mentee_id.choices = _mentee_choices(s.district_id, on)
    if form.validate_on_submit():
        cohort = next(c for c in cohorts if c.year == form.year.data)
        with unit_of_work(form) as work:
            p = services.create_pairing(cohort, form.mentor_id.data, form.mentee_id.data, form.start_on.data,
                                        form.end_on.data)
        if work.ok:
            flash(f"已建立结对：{p.mentor.name} 带教 {p.mentee.name}。", "success")
            return redirect(url_for("mentoring.pairing", pairing_id=p.id))
    return render_template("mentoring/pairing_form.html", form=form, studio=s,
                           limit=services.limit(), loads=queries.loads([m.worker_id for m in members]))


@bp.route("/pairings/<int:pairing_id>")
@login_required
def pairing(pairing_id: int):
    p = queries.get_pairing(pairing_id)
    activities = queries.activities_of(p.id)
    total = sum((a.hours for a in activities), start=Decimal("0.0"))
    close_form = CloseForm(formdata=None, closed_on=min(today(), p.end_on) if p.end_on >= p.start_on else today())
    activity_form = ActivityForm(formdata=None, held_on=min(today(), p.end_on), hours="2.0")
    return render_template("mentoring/pairing.html", pairing=p, activities=activities, total=total,
                           close_form=close_form, activity_form=activity_form, today=today())


@bp.route("/pairings/<int:pairing_id>/close", methods=["POST"])
@login_required
def pairing_close(pairing_id: int):
    p = queries.get_pairing(pairing_id)
    require_write(p.district_id)
    form = CloseForm()
    if not form.validate_on_submit():
        flash("；".join(sum(form.errors.values(), [])), "danger")
        return redirect(url_for("mentoring.pairing", pairing_id=p.id))
    with unit_of_work() as work:
        services.close_pairing(p, form.action.data or "", form.closed_on.data, form.evaluation.data or None,
                               form.reason.data or "")
    if work.ok:
        flash(f"已办理{p.status}。", "success")
    return redirect(url_for("mentoring.pairing", pairing_id=p.id))


@bp.route("/pairings/<int:pairing_id>/activities", methods=["POST"])
@login_required
def activity_add(pairing_id: int):
    p = queries.get_pairing(pairing_id)
    require_write(p.district_id)
    form = ActivityForm()
    if not form.validate_on_submit():
        flash("；".join(sum(form.errors.values(), [])), "danger")
        return redirect(url_for("mentoring.pairing", pairing_id=p.id) + "#activities")
    with unit_of_work() as work:
        a = services.add_activity(p, form.held_on.data, form.kind.data or "", form.hours.data or "",
                                  form.notes.data or "")
    if work.ok:
        flash(f"已记录 {a.held_on.isoformat()} {a.kind} {a.hours} 学时。", "success")
    return redirect(url_for("mentoring.pairing", pairing_id=p.id) + "#activities")


@bp.route("/activities/<int:activity_id>/delete", methods=["POST"])
@login_required
def activity_delete(activity_id: int):
    a = get_in_scope(Activity, activity_id)
    require_write(a.district_id)
    pairing_id = a.pairing_id
    services.delete_activity(a)
    db.session.commit()
    flash("已删除活动记录。", "success")
    return redirect(url_for("mentoring.pairing", pairing_id=pairing_id) + "#activities")


# --- suggestions ---------------------------------------------------------------------------------

def _year_arg(source: dict[str, str]) -> int:
    arg = (source.get("year") or "").strip()
    return int(arg) if arg.isdigit() and 2000 <= int(arg) <= 2100 else today().year


@bp.route("/suggest")
@login_required
def suggest():
    district = district_arg(request.args.get("district"))
    if district is None:
        return render_template("mentoring/pick_district.html", districts=districts_in_scope(),
                               endpoint="mentoring.suggest", title="结对建议")
    year = _year_arg(request.args)
    start = services.default_start(year)
    error = None
    if request.args.get("start"):
        try:
            start = date.fromisoformat(request.args["start"])
        except ValueError:
            error = "开始日期格式应为 YYYY-MM-DD。"
    if start.year != year:
        error, start = f"开始日期须在 {year} 年内，已改为 {services.default_start(year).isoformat()}。", \
            services.default_start(year)
    if error:
        flash(error, "warning")
    proposal = queries.proposal_for(district.id, year, start, services.limit())
    studios = queries.studios_with_cohort(district.id, year)
    return render_template("mentoring/suggest.html", district=district, year=year, start=start,
                           proposal=proposal, studios=studios)


@bp.route("/suggest/accept", methods=["POST"])
@login_required
def suggest_accept():
    district = district_arg(request.form.get("district"))
    if district is None:
        abort(404)
    require_write(district.id)
    if not Form().validate_on_submit():
        flash("页面已过期，请重新生成建议。", "danger")
        return redirect(url_for("mentoring.suggest"))
    try:
        year = int(request.form.get("year", ""))
        start = date.fromisoformat(request.form.get("start", ""))
    except ValueError:
        abort(400)
    which: dict[str, Any] = {"district": district.code} if current_user.district_id is None else {}
    back = url_for("mentoring.suggest", year=year, start=start.isoformat(), **which)
    picked = []
    for key in request.form:
        if not key.startswith("keep-"):
            continue
        mentee = key.removeprefix("keep-")
        value = request.form.get(f"mentor-{mentee}", "")
        mentor, _, studio = value.partition(":")
        if not (mentee.isdigit() and mentor.isdigit() and studio.isdigit()):
            flash("建议中有无效的导师选择，未建立任何结对。", "danger")
            return redirect(back)
        picked.append(services.Choice(int(mentee), int(mentor), int(studio)))
    picked.sort(key=lambda c: c.mentee_id)
    with unit_of_work() as work:
        made = services.accept(district.id, year, start, picked)
    if not work.ok:
        return redirect(back)
    flash(f"已建立 {len(made)} 对结对。", "success")
    return redirect(url_for("mentoring.report", year=year, **which))


# --- reports and export --------------------------------------------------------------------------

@bp.route("/report")
@login_required
def report():
    district = district_arg(request.args.get("district"))
    year = _year_arg(request.args)
    if district is None:
        return render_template("mentoring/pick_district.html", districts=districts_in_scope(),
                               endpoint="mentoring.report", title="带教统计")
    streets, total = queries.coverage(district.id, today())
    studios = [(s, queries.studio_report(s, year)) for s in queries.studios_in_scope(district.id)]
    return render_template("mentoring/report.html", district=district, year=year, streets=streets,
                           total=total, studios=studios, on=today())


@bp.route("/export.xlsx")
@login_required
def export():
    district = district_arg(request.args.get("district"))
    arg = request.args.get("year", "")
    year = int(arg) if arg.isdigit() else None
    rows = queries.export_rows(district.id if district else None, year)
    content = excel.export(*rows)
    scope = district.name if district else current_user.scope_label
    label = f"{year}年" if year else "全部年度"
    record("export", "pairing", None, district_id=district.id if district else current_user.district_id,
           summary=f"导出结对带教（{scope}，{label}）", changes={"year": year, "pairings": len(rows[0])})
    db.session.commit()
    return download(content, f"结对带教_{scope}_{label}_{today().isoformat()}.xlsx")
