"""Pages of studios, their members, cohorts and documents; the blueprint and the helpers the
other page module (pairing_views.py) shares."""
from __future__ import annotations

import os
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from hr.accounts.scope import district_filter, get_in_scope, require_write
from hr.audit.services import record
from hr.core.db import db
from hr.core.forms import choices
from hr.core.timeutil import today
from hr.core.unit_of_work import unit_of_work
from hr.grades.queries import in_force_many
from hr.mentoring import files, queries, services
from hr.mentoring.forms import (
    CohortEditForm,
    CohortForm,
    FileForm,
    LeaveForm,
    MemberForm,
    StudioForm,
)
from hr.mentoring.models import Cohort, CohortFile, StudioMember
from hr.org.models import District, Street
from hr.workers.models import Worker
from hr.workers.views import download

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring")


def districts_in_scope() -> list[District]:
    return list(db.session.execute(
        select(District).where(district_filter(District.id)).order_by(District.code)).scalars())


def district_arg(code: str | None) -> District | None:
    """The officer's own district; for the city, the one named by ?district=CODE (or None)."""
    if current_user.district_id is not None:
        return current_user.district
    if not code:
        return None
    d = db.session.execute(select(District).where(District.code == code)).scalar_one_or_none()
    if d is None:
        abort(404)
    return d


def _lead_choices(district_id: int, on: date, placeholder: str) -> list:
    """In-service workers of the district on the LEAD post on `on`, by street and name."""
    posts = in_force_many(on, district_id=district_id)
    rows = db.session.execute(
        select(Worker.id, Worker.name, Street.name).join(Street, Street.id == Worker.street_id)
        .where(Worker.district_id == district_id, Worker.status == "在职")
        .order_by(Street.code, Worker.name, Worker.id)).all()
    out = [SelectChoice("", placeholder)]
    for wid, name, street in rows:
        a = posts.get(wid)
        if a is not None and a.post == "LEAD":
            out.append(SelectChoice(str(wid), f"{name}（{a.grade} 级）", optgroup=street))
    return out


def _street_choices(district_id: int) -> list:
    streets = db.session.execute(
        select(Street.id, Street.name).where(Street.district_id == district_id).order_by(Street.code)).all()
    return choices([("", "全区（不限街镇）")] + [(str(i), n) for i, n in streets])


# --- studios --------------------------------------------------------------------------------

@bp.route("/")
@login_required
def index():
    studios = queries.studios_in_scope()
    year = today().year
    stats = queries.studio_stats([s.id for s in studios], year)
    return render_template("mentoring/index.html", studios=studios, stats=stats, year=year,
                           districts=districts_in_scope())


@bp.route("/studios/new", methods=["GET", "POST"])
@login_required
def studio_new():
    district = district_arg(request.args.get("district"))
    if district is None:
        return render_template("mentoring/pick_district.html", districts=districts_in_scope(),
                               endpoint="mentoring.studio_new", title="新建工作室")
    require_write(district.id)
    form = StudioForm()
    form.street_id.choices = _street_choices(district.id)
    form.lead_id.choices = _lead_choices(district.id, today(), "请选择领衔人")
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            studio = services.create_studio(district.id, form.data_for_service())
        if work.ok:
            flash(f"已新建 {studio.name}。", "success")
            return redirect(url_for("mentoring.studio", studio_id=studio.id))
    return render_template("mentoring/studio_form.html", form=form, studio=None, district=district)


@bp.route("/studios/<int:studio_id>")
@login_required
def studio(studio_id: int):
    s = queries.get_studio(studio_id)
    arg = request.args.get("year", "")
    year = int(arg) if arg.isdigit() else None
    cohorts = queries.cohorts_of(s.id)
    members = queries.members_of(s.id)
    pairings = queries.pairings(studio_id=s.id, year=year)
    hours = queries.hours_by_pairing([p.id for p in pairings])
    report = queries.studio_report(s, year)
    forms = {}
    if current_user.can_write:
        forms["member"] = MemberForm(formdata=None, joined=today())
        forms["member"].worker_id.choices = _lead_choices(s.district_id, today(), "请选择导师")
        forms["cohort"] = CohortForm(formdata=None, year=today().year, opened=today())
        forms["leave"] = LeaveForm(formdata=None, left_on=today())
    lines = {line.worker.id: line for line in report.mentors}
    return render_template("mentoring/studio.html", studio=s, cohorts=cohorts, members=members,
                           pairings=pairings, hours=hours, report=report, lines=lines, year=year,
                           forms=forms, today=today())


@bp.route("/studios/<int:studio_id>/edit", methods=["GET", "POST"])
@login_required
def studio_edit(studio_id: int):
    s = queries.get_studio(studio_id)
    require_write(s.district_id)
    form = StudioForm(obj=s)
    del form.founded  # fixed at creation: the lead's and the members' dates hang on it
    form.street_id.choices = _street_choices(s.district_id)
    form.lead_id.choices = _lead_choices(s.district_id, today(), "请选择领衔人")
    if not any(c.value == str(s.lead_id) for c in form.lead_id.choices):
            form.lead_id.choices.append(SelectChoice(str(s.lead_id), f"{s.lead.name}（现任领衔人）"))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            changes = services.update_studio(s, form.data_for_service())
        if work.ok:
            flash("已保存。" if changes else "没有需要保存的修改。", "success" if changes else "info")
            return redirect(url_for("mentoring.studio", studio_id=s.id))
    return render_template("mentoring/studio_form.html", form=form, studio=s, district=s.district)


def back_to_studio(studio_id: int, anchor: str = ""):
    return redirect(url_for("mentoring.studio", studio_id=studio_id) + anchor)


@bp.route("/studios/<int:studio_id>/members", methods=["POST"])
@login_required
def member_add(studio_id: int):
    s = queries.get_studio(studio_id)
    require_write(s.district_id)
    form = MemberForm()
    form.worker_id.choices = _lead_choices(s.district_id, today(), "请选择导师")
    if not form.validate_on_submit():
        flash("；".join(sum(form.errors.values(), [])), "danger")
        return back_to_studio(s.id, "#members")
    with unit_of_work() as work:
        m = services.add_member(s, form.worker_id.data, form.joined.data)
    if work.ok:
        flash(f"{m.worker.name} 已加入工作室。", "success")
    return back_to_studio(s.id, "#members")


@bp.route("/members/<int:member_id>/end", methods=["POST"])
@login_required
def member_end(member_id: int):
    m = get_in_scope(StudioMember, member_id)
    require_write(m.district_id)
    form = LeaveForm()
    if not form.validate_on_submit():
        flash("；".join(sum(form.errors.values(), [])), "danger")
        return back_to_studio(m.studio_id, "#members")
    with unit_of_work() as work:
        services.end_member(m, form.left_on.data)
    if work.ok:
        flash(f"{m.worker.name} 已退出工作室。", "success")
    return back_to_studio(m.studio_id, "#members")


# --- cohorts and files ------------------------------------------------------------------------

@bp.route("/studios/<int:studio_id>/cohorts", methods=["POST"])
@login_required
def cohort_new(studio_id: int):
    s = queries.get_studio(studio_id)
    require_write(s.district_id)
    form = CohortForm()
    if not form.validate_on_submit():
        flash("；".join(sum(form.errors.values(), [])), "danger")
        return back_to_studio(s.id, "#cohorts")
    with unit_of_work() as work:
        c = services.create_cohort(s, form.year.data, form.opened.data, form.plan.data or "")
    if not work.ok:
        return back_to_studio(s.id, "#cohorts")
    flash(f"已开设 {c.year} 年届次。", "success")
    return redirect(url_for("mentoring.cohort", cohort_id=c.id))


@bp.route("/cohorts/<int:cohort_id>", methods=["GET", "POST"])
@login_required
def cohort(cohort_id: int):
    c = get_in_scope(Cohort, cohort_id)
    form = CohortEditForm(obj=c)
    if request.method == "POST":
        require_write(c.district_id)
        if form.validate_on_submit():
            with unit_of_work(form) as work:
                changes = services.update_cohort(c, form.opened.data, form.plan.data or "", form.summary.data or "")
            if work.ok:
                flash("已保存。" if changes else "没有需要保存的修改。", "success" if changes else "info")
                return redirect(url_for("mentoring.cohort", cohort_id=c.id))
    pairings = queries.pairings(studio_id=c.studio_id, year=c.year)
    return render_template("mentoring/cohort.html", cohort=c, form=form, file_form=FileForm(formdata=None),
                           files=queries.files_of(c.id), pairings=pairings,
                           hours=queries.hours_by_pairing([p.id for p in pairings]), today=today(),
                           max_mb=files.max_upload() // (1024 * 1024))


@bp.route("/cohorts/<int:cohort_id>/files", methods=["POST"])
@login_required
def file_upload(cohort_id: int):
    c = get_in_scope(Cohort, cohort_id)
    require_write(c.district_id)
    form = FileForm()
    if not form.validate_on_submit():
        flash("；".join(sum(form.errors.values(), [])), "danger")
        return redirect(url_for("mentoring.cohort", cohort_id=c.id))
    upload = form.file.data
    content = upload.read(files.max_upload() + 1)
    with unit_of_work() as work:
        f = files.store_file(c, form.kind.data or "", upload.filename or "", content)
        path = files.file_path(f)
        work.on_rollback(lambda: files.remove_stored(path))
    if work.ok:
        flash(f"已上传 {f.filename}。", "success")
    return redirect(url_for("mentoring.cohort", cohort_id=c.id))


@bp.route("/files/<int:file_id>")
@login_required
def file_download(file_id: int):
    f = get_in_scope(CohortFile, file_id)
    path = files.file_path(f)
    if not os.path.isfile(path):
        current_app.logger.error("mentoring file %s missing at %s", f.id, path)
        abort(404)
    with open(path, "rb") as fh:
        content = fh.read()
    record("export", "cohort_file", f.id, district_id=f.district_id,
           summary=f"下载 {f.cohort.studio.name} {f.cohort.year} 年{f.kind_name}：{f.filename}",
           changes={"file": f.filename})
    db.session.commit()
    return download(content, f.filename, f.mimetype)


@bp.route("/files/<int:file_id>/delete", methods=["POST"])
@login_required
def file_delete(file_id: int):
    f = get_in_scope(CohortFile, file_id)
    require_write(f.district_id)
    cohort_id = f.cohort_id
    path = files.delete_file(f)
    db.session.commit()
    files.remove_stored(path)
    flash("已删除附件。", "success")
    return redirect(url_for("mentoring.cohort", cohort_id=cohort_id))
