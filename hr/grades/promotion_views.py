"""The promotion run page: proposals for 1 January of a year, filters, Excel export, approval."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from hr.accounts.scope import require_approve
from hr.audit.services import record
from hr.core.db import db
from hr.core.timeutil import today
from hr.core.ui import Page, fmt_date
from hr.core.unit_of_work import unit_of_work
from hr.core.vocabulary import POST_NAMES
from hr.grades import excel, grounds, promotion, reports, rules
from hr.grades import promotion_history as history
from hr.grades.forms import ApproveForm, ConfirmUndoForm
from hr.grades.views import bp, year_arg
from hr.workers.views import download

FILTERS = ("kind", "post", "street", "q")


def _run_year() -> int:
    d = today()
    return d.year + 1 if d.month == 12 else d.year


@bp.route("/promotion")
@login_required
def promotion_run():
    district = reports.chosen_district(request.args.get("district"))
    if district is None:
        return render_template("grades/pick_district.html", districts=reports.districts(),
                               endpoint="grades.promotion_run", title="年度晋级")
    year = year_arg(_run_year())
    lines = promotion.compute(district.id, year)
    args = {k: request.args.get(k, "") for k in FILTERS}
    shown = promotion.filtered(lines, args)
    page = Page.from_request(len(shown))
    streets = sorted({(line.street_id, line.street) for line in lines})
    form = ApproveForm(year=str(year), district=district.code)
    return render_template(
        "grades/promotion.html", district=district, year=year, lines=shown[page.offset:page.offset + page.size],
        page=page, counts=promotion.summary(lines), shown=len(shown),
        approvable=sum(1 for line in shown if line.approvable), args=args, kinds=promotion.FILTER_KINDS,
        active={k: v for k, v in args.items() if v},
        posts=POST_NAMES, streets=streets, form=form, can_edit=current_user.can_approve,
        changed_grounds=grounds.changed_grounds(district.id, year),
        kind_names=rules.KIND_NAMES, run_day=date(year, 1, 1))


@bp.route("/promotion/export.xlsx")
@login_required
def promotion_export():
    district = reports.chosen_district(request.args.get("district"))
    if district is None:
        abort(404)
    year = year_arg(_run_year())
    args = {k: request.args.get(k, "") for k in FILTERS}
    lines = promotion.filtered(promotion.compute(district.id, year), args)
    content = excel.export_proposals(lines)
    record("export", "promotion", year, district_id=district.id,
           summary=f"导出 {year} 年晋级建议（{district.name}，{len(lines)} 条）", changes={"filters": args})
    db.session.commit()
    return download(content, f"晋级建议_{district.name}_{year}.xlsx")


@bp.route("/promotion/approve", methods=["POST"])
@login_required
def promotion_approve():
    district = reports.chosen_district(request.form.get("district"))
    if district is None:
        abort(404)
    require_approve(district.id)  # officers and the district's reviewer
    form = ApproveForm()
    year_text = form.year.data or ""
    if not form.validate_on_submit() or not year_text.isdigit() or not 1981 <= int(year_text) <= today().year + 1:
        flash("请求无效，请刷新页面后重试。", "danger")
        return redirect(url_for("grades.promotion_run", district=district.code))
    year = int(year_text)
    args = {k: request.form.get(k, "") for k in FILTERS}
    if request.form.get("scope") == "all":
        ids = [line.worker_id for line in promotion.filtered(promotion.compute(district.id, year), args)
               if line.approvable]
    else:
        ids = [int(v) for v in request.form.getlist("worker") if v.isdigit()]
    filters: dict[str, Any] = {k: v for k, v in args.items() if v}
    back = url_for("grades.promotion_run", district=district.code, year=year, **filters)
    if not ids:
        flash("没有选择要批准的晋级建议。", "warning")
        return redirect(back)
    promotion.check_in_district(district.id, ids)
    if request.form.get("confirmed") != "1":
        # Every approval passes through a page that lists what will be written.
        wanted = set(ids)
        chosen = [line for line in promotion.compute(district.id, year) if line.approvable and line.worker_id in wanted]
        return render_template("grades/promotion_confirm.html", district=district, year=year, lines=chosen,
                               form=form, args=args, back=back, run_day=date(year, 1, 1))
    try:  # a concurrent approval (unique index) has its own message; the unit of work has rolled back
        with unit_of_work(show=False) as work:
            n = promotion.approve(district.id, year, ids)
    except IntegrityError:
        flash("部分职工已在此期间被批准晋级，本次未写入任何记录。请刷新页面后重试。", "danger")
        return redirect(back)
    if work.error is not None:
        raise work.error
    flash(f"已批准 {n} 人晋级（{year}-01-01 起）。" if n else "所选建议已不再需要审批（可能已被批准）。",
          "success" if n else "info")
    return redirect(back)


def _history_year() -> int:
    return year_arg(_run_year())


@bp.route("/promotion/history")
@login_required
def promotion_history():
    district = reports.chosen_district(request.args.get("district"))
    if district is None:
        return render_template("grades/pick_district.html", districts=reports.districts(),
                               endpoint="grades.promotion_history", title="晋级记录")
    year = _history_year()
    committee = request.args.get("committee", "")
    rows = promotion_history_rows(district.id, year)
    committees = sorted({(r.committee_id, r.street, r.committee) for r in rows}, key=lambda c: (c[1], c[2]))
    shown = [r for r in rows if not committee.isdigit() or r.committee_id == int(committee)]
    by_approver: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r.approved_by, fmt_date(r.approved_at))
        by_approver[key] = by_approver.get(key, 0) + 1
    return render_template("grades/promotion_history.html", district=district, year=year, rows=shown,
                           committees=committees, committee=committee, by_approver=by_approver,
                           can_edit=current_user.can_write, run_day=date(year, 1, 1),
                           years=list(range(_run_year(), _run_year() - 8, -1)))


def promotion_history_rows(district_id: int, year: int) -> list[history.Approved]:
    return history.approved(district_id, year)


@bp.route("/promotion/undo/<int:assignment_id>", methods=["GET", "POST"])
@login_required
def promotion_undo(assignment_id: int):
    from hr.org.models import District

    a = history.get_approved(assignment_id)
    require_approve(a.district_id)
    district = db.session.get(District, a.district_id)
    assert district is not None
    back = url_for("grades.promotion_history", district=district.code, year=a.effective.year)
    if request.method == "POST":
        form = ConfirmUndoForm()
        if not form.validate_on_submit():
            flash("请求无效，请刷新页面后重试。", "danger")
            return redirect(back)
        with unit_of_work(show=False) as work:
            history.undo(a)
        if work.error is not None:
            flash(work.error.message, "danger")
            return redirect(back)
        flash("已撤销该晋级。", "success")
        return redirect(back)
    line = next((r for r in history.approved(district.id, a.effective.year) if r.assignment_id == a.id), None)
    return render_template("grades/promotion_undo.html", district=district, line=line, form=ConfirmUndoForm(),
                           back=back)


@bp.route("/promotion/notice.pdf")
@login_required
def promotion_notice():
    """晋级通知 of one committee (or the whole district), one page per worker, as PDF."""
    from flask import current_app

    district = reports.chosen_district(request.args.get("district"))
    if district is None:
        abort(404)
    year = _history_year()
    committee = request.args.get("committee", "")
    committee_id = int(committee) if committee.isdigit() else None
    if committee_id is not None:
        reports.committee_in_scope(committee_id)
    rows = history.approved(district.id, year, committee_id)
    if not rows:
        flash("没有可打印的晋级通知。", "warning")
        return redirect(url_for("grades.promotion_history", district=district.code, year=year))
    render = current_app.extensions.get("html_to_pdf")
    if render is None:
        abort(404)
    html = render_template("grades/promotion_notice.html", district=district, year=year, rows=rows,
                           issued=today())
    content = render(html, str(current_app.static_folder))
    scope = rows[0].committee if committee_id is not None else district.name
    record("print", "promotion", year, district_id=district.id,
           summary=f"打印 {year} 年晋级通知（{scope}，{len(rows)} 人）", changes={"committee": committee_id})
    db.session.commit()
    return download(content, f"晋级通知_{scope}_{year}.pdf", mimetype="application/pdf")
