"""The promotion run page: proposals for 1 January of a year, filters, Excel export, approval."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from hr.accounts.scope import require_write
from hr.audit.services import record
from hr.core.db import db
from hr.core.timeutil import today
from hr.core.ui import Page
from hr.core.vocabulary import POST_NAMES
from hr.grades import excel, promotion, reports, rules
from hr.grades.forms import ApproveForm
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
        posts=POST_NAMES, streets=streets, form=form, can_edit=current_user.can_write,
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
    require_write(district.id)
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
    try:
        n = promotion.approve(district.id, year, ids)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("部分职工已在此期间被批准晋级，本次未写入任何记录。请刷新页面后重试。", "danger")
        return redirect(back)
    flash(f"已批准 {n} 人晋级（{year}-01-01 起）。" if n else "所选建议已不再需要审批（可能已被批准）。",
          "success" if n else "info")
    return redirect(back)
