"""The register's 岗位 and 等级 columns (hr.workers.excel calls these).

Export: the post name and grade in force today. Import (both columns optional): for a new
worker, or a registered worker not yet graded, both values create the entry assignment (入职定级,
effective on the 1st of the hire month); for a graded worker the values must equal what is in
force (so that an export imports back unchanged): a different value is a row error, because a
post change or a correction is a decision an officer takes on the worker's page."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select

from hr.core.db import db
from hr.core.timeutil import today
from hr.core.vocabulary import POST_BY_NAME, POST_NAMES, POST_RANGES, POSTS
from hr.grades import rules
from hr.grades.models import Assignment
from hr.grades.queries import in_force_many

POST_LABEL, GRADE_LABEL = "岗位", "等级"


def with_grade_columns(workers: Iterable[Any], chunk: int = 500) -> Iterator[tuple[Any, list[Any]]]:
    """(worker, [post name, grade]) for each worker, one query per `chunk` workers."""
    on = today()
    batch: list[Any] = []

    def flush() -> Iterator[tuple[Any, list[Any]]]:
        found = in_force_many(on, worker_ids=[w.id for w in batch])
        for w in batch:
            a = found.get(w.id)
            yield w, ([POST_NAMES[a.post], a.grade] if a else ["", None])

    for w in workers:
        batch.append(w)
        if len(batch) >= chunk:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def _parse(post: Any, grade: Any) -> tuple[str | None, int | None, list[tuple[str, str]]]:
    post = (post or "").strip() if isinstance(post, str) else post
    grade = (grade or "").strip() if isinstance(grade, str) else grade
    if not post and grade in (None, ""):
        return None, None, []
    if not post or grade in (None, ""):
        return None, None, [(POST_LABEL if not post else GRADE_LABEL, "岗位和等级须同时填写或同时留空")]
    code = POST_BY_NAME.get(post) or (post if post in POSTS else None)
    if code is None:
        return None, None, [(POST_LABEL, "岗位须为 负责人/主管/工作人员 之一")]
    try:
        value = int(str(grade).removesuffix("级"))
    except ValueError:
        return None, None, [(GRADE_LABEL, "等级应为整数")]
    if not rules.in_range(code, value):
        lo, hi = POST_RANGES[code]
        return None, None, [(GRADE_LABEL, f"{POST_NAMES[code]}的等级须在 {lo}–{hi} 级之间")]
    return code, value, []


def check_grade_columns(plan: Any) -> None:
    """Check the 岗位/等级 values of a parsed register import (hr.workers.excel.ImportPlan) and
    note the entry assignments to create. Adds row errors to the plan; writes nothing."""
    from hr.workers.excel import RowError
    from hr.workers.models import Worker

    new_rows = {id(p) for p in plan.create}
    wanted: dict[str, Any] = {}
    for p in plan.rows:
        code, grade, errors = _parse(p.data.pop("post", None), p.data.pop("grade", None))
        for column, message in errors:
            plan.errors.append(RowError(p.row, column, message))
        if code is not None:
            p.data["post"], p.data["grade"] = code, grade
            if id(p) not in new_rows:
                wanted[str(p.data.get("id_number") or "").strip().upper()] = p
    if wanted:
        numbers = sorted(wanted)
        workers: dict[str, Any] = {}
        for i in range(0, len(numbers), 500):
            workers.update({w.id_number: w for w in db.session.execute(
                select(Worker).where(Worker.id_number.in_(numbers[i:i + 500]))).unique().scalars()})
        ids = [w.id for w in workers.values()]
        current = in_force_many(today(), worker_ids=ids) if ids else {}
        graded: set[int] = set()
        for i in range(0, len(ids), 900):
            graded.update(db.session.execute(select(Assignment.worker_id).where(
                Assignment.worker_id.in_(ids[i:i + 900]))).scalars())
        latest = _latest(graded - set(current))
        for number, p in wanted.items():
            w = workers.get(number)
            if w is None:
                continue  # the row has an error of its own
            if w.id not in graded:
                plan.grading.append((p, w))
                continue
            a = current.get(w.id) or latest.get(w.id)
            if a is not None and (a.post, a.grade) != (p.data["post"], p.data["grade"]):
                plan.errors.append(RowError(p.row, POST_LABEL, "岗位等级请在职工页面调整"
                                            f"（现为{POST_NAMES[a.post]} {a.grade} 级）"))
    plan.errors.sort(key=lambda e: (e.row, _order(e.column)))


def _order(column: str) -> int:
    from hr.workers.fields import HEADERS

    return HEADERS.index(column) if column in HEADERS else 99


def _latest(worker_ids: set[int]) -> dict[int, Assignment]:
    """The latest entry of workers graded only from a future date (hired next month)."""
    out: dict[int, Assignment] = {}
    if worker_ids:
        for a in db.session.execute(select(Assignment).where(Assignment.worker_id.in_(sorted(worker_ids)))
                                    .order_by(Assignment.effective, Assignment.id)).scalars():
            out[a.worker_id] = a
    return out


def apply_grade_columns(worker: Any, data: dict[str, Any], user: Any = None) -> None:
    """Create the entry assignment a register import row asks for (new or ungraded worker)."""
    if data.get("post") and data.get("grade") is not None:
        from hr.grades.services import assign_entry

        assign_entry(worker, data["post"], data["grade"], "Excel 导入定级", user)
