"""The home page's charts (hr.core.charts: server-side SVG, fine under the strict CSP and in
PDFs). A provider is `(districts, on) -> list[Chart]`; the payroll side adds its own."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy import func, select

from hr.core.charts import Chart, Series, bar_chart
from hr.core.db import db
from hr.core.vocabulary import LEAD, POST_NAMES, STAF, SUPV
from hr.grades.models import Assignment
from hr.org.models import District
from hr.workers.models import Worker

POST_COLOURS = {LEAD: "#0072B2", SUPV: "#E69F00", STAF: "#009E73"}

ChartProvider = Callable[[Sequence[District], date], list[Chart]]
CHARTS: list[ChartProvider] = []


def post_grade(districts: Sequence[District], on: date) -> list[Chart]:
    """In-service headcount by the post and grade in force today, one grouped query."""
    ranked = select(
        Assignment.worker_id, Assignment.post, Assignment.grade,
        func.row_number().over(partition_by=Assignment.worker_id,
                               order_by=(Assignment.effective.desc(), Assignment.id.desc())).label("rn"),
    ).where(Assignment.effective <= on, Assignment.district_id.in_([d.id for d in districts])).subquery()
    counts = {(p, g): n for p, g, n in db.session.execute(
        select(ranked.c.post, ranked.c.grade, func.count())
        .join(Worker, Worker.id == ranked.c.worker_id)
        .where(ranked.c.rn == 1, Worker.status == "在职")
        .group_by(ranked.c.post, ranked.c.grade))}
    if not counts:
        return []
    grades = range(1, 19)
    return [bar_chart("在职人数（按岗位和等级）", [f"{g}级" for g in grades],
                      [Series(name, tuple(counts.get((post, g), 0) for g in grades), POST_COLOURS[post])
                       for post, name in POST_NAMES.items()],
                      stacked=True, unit="人", category_label="等级", chart_id="home-post-grade")]


PEOPLE: list[ChartProvider] = [post_grade]


def collect(districts: Sequence[District], on: date) -> list[Chart]:
    return [c for provider in [*CHARTS, *PEOPLE] for c in provider(districts, on)]
