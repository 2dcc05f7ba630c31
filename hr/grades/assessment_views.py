"""Annual assessment pages: committees of a year, the bulk page of one committee, and the
Excel import with its all-or-nothing preview."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from hr.accounts.scope import require_write
from hr.audit.services import record
from hr.core.db import db
from hr.core.timeutil import today
from hr.core.unit_of_work import unit_of_work
from hr.core.vocabulary import RATINGS
from hr.grades import excel, reports, rules, services
from hr.grades.forms import ConfirmForm, RatingImportForm
from hr.grades.views import _saved, bp, year_arg
from hr.workers import imports
from hr.workers.confirm import apply_confirmed
from hr.workers.excel import ImportFileError
from hr.workers.views import download


def _last_year() -> int:
    """The year usually being assessed: last year until the end of November, then this year."""
    d = today()
    return d.year if d.month == 12 else d.year - 1


@bp.route("/assessments")
@login_required
def assessments():
    district = reports.chosen_district(request.args.get("district"))
    year = year_arg(_last_year())
    rows = reports.committees(district, year)
    street = request.args.get("street", "")
    streets = sorted({(r["street_id"], r["street"]) for r in rows}, key=lambda s: s[0])
    progress = _street_progress(rows)
    if street.isdigit():
        rows = [r for r in rows if r["street_id"] == int(street)]
    totals = {"workers": sum(r["workers"] for r in rows), "rated": sum(r["rated"] for r in rows)}
    todo = request.args.get("todo") == "1"
    if todo:
        rows = [r for r in rows if r["rated"] < r["workers"]]
    return render_template("grades/assessments.html", district=district, districts=reports.districts(),
                           year=year, rows=rows, streets=streets, street=street, totals=totals,
                           progress=progress, todo=todo,
                           years=list(range(today().year, today().year - 8, -1)))


def _street_progress(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per street: workers to assess, rated, and committees still unfinished."""
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        s = out.setdefault(r["street_id"], {"id": r["street_id"], "name": r["street"], "workers": 0, "rated": 0, "open": 0})
        s["workers"] += r["workers"]
        s["rated"] += r["rated"]
        s["open"] += 1 if r["rated"] < r["workers"] else 0
    return list(out.values())


def _next_committee(committee_id: int, district_id: int, year: int) -> int | None:
    """The next committee of the district, in street and committee order, that still has
    workers without a rating (wrapping round to the start); None when all are done."""
    from hr.org.models import District

    district = db.session.get(District, district_id)
    rows = reports.committees(district, year)
    ids = [r["id"] for r in rows]
    start = ids.index(committee_id) + 1 if committee_id in ids else 0
    for r in rows[start:] + rows[:start]:
        if r["id"] != committee_id and r["rated"] < r["workers"]:
            return int(r["id"])
    return None


@bp.route("/assessments/committee/<int:committee_id>", methods=["GET", "POST"])
@login_required
def committee_ratings(committee_id: int):
    committee = reports.committee_in_scope(committee_id)
    year = year_arg(_last_year())
    if year > today().year:
        year = today().year
    workers = reports.committee_workers(committee, year)
    existing = reports.ratings_of([w.id for w in workers], year)
    errors: dict[Any, str] = {}
    if request.method == "POST":
        require_write(committee.street.district_id)
        items: list[tuple[Any, int, str | None]] = []
        # 其余设为合格: every assessable worker left without a rating gets 合格.
        rest = "合格" if request.form.get("rest") == "1" else ""
        for w in workers:
            if f"r{w.id}" not in request.form:
                continue  # not on the submitted form: left as it is (only an empty field clears)
            value = request.form.get(f"r{w.id}", "")
            if rules.not_assessed_reason(year, w.hire_date, w.leave_date):
                if not value:
                    continue
                items.append((w, year, value))
            else:
                items.append((w, year, value or rest or None))
        with unit_of_work(show=False) as work:
            counts = services.save_ratings(items)
        if work.error is not None:
            errors = getattr(work.error, "errors", None) or {"": work.error.message}
            flash("有错误，未保存任何结果：" + "；".join(errors.values()), "danger")
        else:
            flash(_saved(counts), "success")
            if request.form.get("next") == "1":
                following = _next_committee(committee.id, committee.street.district_id, year)
                if following is None:
                    flash(f"{year} 年度考核已全部录入。", "success")
                    return redirect(url_for("grades.assessments", year=year))
                return redirect(url_for("grades.committee_ratings", committee_id=following, year=year))
            return redirect(url_for("grades.committee_ratings", committee_id=committee.id, year=year))
    rows = []
    for w in workers:
        a = existing.get((w.id, year))
        value = request.form.get(f"r{w.id}", "") if request.method == "POST" else (a.rating if a else "")
        rows.append({"worker": w, "rating": value, "excluded": rules.not_assessed_reason(year, w.hire_date, w.leave_date),
                     "error": errors.get((w.id, year)), "by": a.entered_by if a else ""})
    counts = {r: sum(1 for x in rows if x["rating"] == r) for r in RATINGS}
    following = _next_committee(committee.id, committee.street.district_id, year)
    return render_template("grades/committee_ratings.html", committee=committee, year=year, rows=rows,
                           following=following,
                           ratings=RATINGS, counts=counts, can_edit=current_user.can_write,
                           years=list(range(today().year, today().year - 8, -1)))


@bp.route("/assessments/sheet.xlsx")
@login_required
def ratings_sheet():
    district = reports.chosen_district(request.args.get("district"))
    year = year_arg(_last_year())
    content = excel.ratings_sheet(reports.sheet_rows(district, year))
    scope = district.name if district else current_user.scope_label
    record("export", "assessment", None, district_id=district.id if district else current_user.district_id,
           summary=f"导出 {year} 年度考核表（{scope}）", changes={"year": year})
    db.session.commit()
    return download(content, f"年度考核_{scope}_{year}.xlsx")


@bp.route("/assessments/import", methods=["GET", "POST"])
@login_required
def ratings_import():
    require_write(current_user.district_id)
    form = RatingImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = upload.filename or "upload.xlsx"
        if not filename.lower().endswith(".xlsx"):
            form.file.errors = ["只接受 .xlsx 格式的 Excel 文件。"]
            return render_template("grades/import.html", form=form, year=_last_year())
        content = upload.read()
        try:
            plan = excel.parse_ratings(content)
        except ImportFileError as e:
            form.file.errors = [str(e)]
            return render_template("grades/import.html", form=form, year=_last_year())
        confirm = None
        if plan.ok and (plan.create or plan.update):
            confirm = ConfirmForm(token=imports.stash(content, current_user.id), filename=filename)
        return render_template("grades/import_preview.html", plan=plan, confirm=confirm, filename=filename)
    return render_template("grades/import.html", form=form, year=_last_year())


@bp.route("/assessments/import/confirm", methods=["POST"])
@login_required
def ratings_import_confirm():
    require_write(current_user.district_id)
    counts = apply_confirmed(
        ConfirmForm(), excel.parse_ratings,
        lambda plan, filename: excel.apply_ratings(plan, current_user.district_id, filename=filename))
    if counts is None:
        return redirect(url_for("grades.ratings_import"))
    flash(f"导入完成：新增 {counts['created']} 条，更新 {counts['updated']} 条，未变 {counts['unchanged']} 条。", "success")
    return redirect(url_for("grades.assessments"))
