"""The grades section of the worker page: post and grade in force, the whole timeline (corrected
entries marked), ratings by year, and the actions."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from hr.core.db import db
from hr.core.timeutil import today
from hr.grades import rules
from hr.grades.models import Assessment
from hr.grades.queries import settings_for, timeline
from hr.grades.services import qualification_due, to_entry


def worker_panel(worker: Any) -> tuple[str, dict[str, Any]]:
    rows = timeline(worker.id)
    entries = [to_entry(a) for a in rows]
    now = today()
    in_force_entry = rules.in_force(entries, now)
    current = next((a for a in rows if in_force_entry and a.id == in_force_entry.id), None)
    effective = {e.id for e in rules.effective_timeline(entries)}
    corrected_by = {a.corrects_id: a for a in rows if a.corrects_id is not None}
    ratings = {a.year: a for a in db.session.execute(
        select(Assessment).where(Assessment.worker_id == worker.id).order_by(Assessment.year)).scalars()}
    years = []
    last = (worker.leave_date or now).year
    for y in range(max(worker.hire_date.year, last - 30), min(last, now.year) + 1):
        a = ratings.get(y)
        years.append({
            "year": y, "rating": a.rating if a else None, "by": a.entered_by if a else "",
            "excluded": rules.not_assessed_reason(y, worker.hire_date, worker.leave_date),
            "whole": rules.served_whole_year(y, worker.hire_date, worker.leave_date),
        })
    outlook = None
    if entries:
        plain_ratings = {y: a.rating for y, a in ratings.items()}
        outlook = rules.propose(now.year + 1, entries, plain_ratings, worker.hire_date, worker.leave_date)
    mode = settings_for(worker.district_id).qualification_mode
    return "grades/_panel.html", {
        "worker": worker,
        "current": current,
        "future": current is None and bool(rows),
        "rows": list(reversed(rows)),
        "effective": effective,
        "corrected_by": corrected_by,
        "correctable": rules.correctable(entries),
        "years": list(reversed(years)),
        "outlook": outlook,
        "next_year": date(now.year + 1, 1, 1),
        "due": qualification_due(worker, entries, mode) if entries else None,
        "mode": mode,
    }
