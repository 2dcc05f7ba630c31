"""The promotion run for 1 January of a year, per district: three queries for the whole
district (workers, timelines, ratings), then the pure rule (`rules.propose`) per worker.
Nothing is written until the officer approves some or all of the rises."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select

from hr.core.db import db
from hr.core.errors import NotFound
from hr.core.vocabulary import POST_NAMES, POSTS
from hr.grades import rules
from hr.grades.models import Assessment, Assignment
from hr.grades.services import add_promotions
from hr.org.models import Committee, Street
from hr.workers.models import Worker

FILTER_KINDS = {
    "rise": "全部晋级",
    rules.REGULAR: "满3年晋1级",
    rules.EARLY_RISE: "提前晋级",
    rules.CEILING: "已达岗位最高级",
    rules.EARLY_USED: "提前晋级已满2次",
    rules.FAILED: "不合格年度不计",
}


@dataclass(frozen=True)
class Line:
    worker_id: int
    district_id: int
    name: str
    id_number: str
    street_id: int
    street: str
    committee_id: int
    committee: str
    proposal: rules.Proposal
    later_entry: date | None  # an entry after 1 January blocks approval (rule 9)

    @property
    def approvable(self) -> bool:
        return self.proposal.rises and self.later_entry is None

    @property
    def post_name(self) -> str:
        return POST_NAMES[self.proposal.post]


def run_workers(district_id: int, year: int) -> Any:
    """The district's workers covered by the run (rule 9), as a SELECT of their ids."""
    day = date(year, 1, 1)
    return select(Worker.id).where(
        Worker.district_id == district_id, Worker.hire_date <= day, Worker.shiye.is_(False),
        or_(Worker.leave_date.is_(None), Worker.leave_date >= day),
    )


def compute(district_id: int, year: int, progress: Callable[[int], None] | None = None) -> list[Line]:
    """Every line of the run (rises and explanations), ordered by street, committee, name."""
    ids = run_workers(district_id, year).subquery()
    workers = db.session.execute(
        select(Worker.id, Worker.name, Worker.id_number, Worker.hire_date, Worker.leave_date,
               Worker.street_id, Street.name, Worker.committee_id, Committee.name)
        .join(Street, Street.id == Worker.street_id).join(Committee, Committee.id == Worker.committee_id)
        .where(Worker.id.in_(select(ids.c.id)))
        .order_by(Street.code, Committee.code, Worker.name, Worker.id)
    ).all()
    entries: dict[int, list[rules.Entry]] = {}
    for row in db.session.execute(
        select(Assignment.worker_id, Assignment.id, Assignment.effective, Assignment.post,
               Assignment.grade, Assignment.reason, Assignment.corrects_id, Assignment.qualification)
        .where(Assignment.worker_id.in_(select(ids.c.id)))
    ):
        entries.setdefault(row[0], []).append(rules.Entry(*row[1:]))
    ratings: dict[int, dict[int, str]] = {}
    for wid, y, rating in db.session.execute(
        select(Assessment.worker_id, Assessment.year, Assessment.rating)
        .where(Assessment.worker_id.in_(select(ids.c.id)), Assessment.year < year)
    ):
        ratings.setdefault(wid, {})[y] = rating
    return list(_lines(district_id, year, workers, entries, ratings, progress))


def _lines(district_id: int, year: int, workers: Sequence[Any], entries: Mapping[int, list[rules.Entry]],
           ratings: Mapping[int, Mapping[int, str]], progress: Callable[[int], None] | None) -> Iterable[Line]:
    day = date(year, 1, 1)
    done = 0
    for i, (wid, name, number, hire, leave, sid, sname, cid, cname) in enumerate(workers, start=1):
        if progress and i % 100 == 0:
            progress(i - done)
            done = i
        mine = entries.get(wid, [])
        p = rules.propose(year, mine, ratings.get(wid, {}), hire, leave)
        if p is None:
            continue
        later = min((e.effective for e in mine if e.effective > day), default=None)
        yield Line(wid, district_id, name, number, sid, sname, cid, cname, p, later)
    if progress:
        progress(len(workers) - done)


def filtered(lines: Iterable[Line], args: Mapping[str, str]) -> list[Line]:
    """The filters of the run page and its export: kind, post, street, name or ID number."""
    kind = args.get("kind", "")
    post = args.get("post", "")
    street = args.get("street", "")
    q = (args.get("q") or "").strip()
    out = []
    for line in lines:
        p = line.proposal
        if kind == "rise" and not p.rises or kind in rules.KIND_NAMES and p.kind != kind:
            continue
        if post in POSTS and p.post != post:
            continue
        if street.isdigit() and line.street_id != int(street):
            continue
        if q and q not in line.name and not line.id_number.startswith(q.upper()):
            continue
        out.append(line)
    return out


def check_in_district(district_id: int, worker_ids: Iterable[int]) -> None:
    """Every id names a worker of the district: another district's worker, or none at all, is a
    404 (never silently skipped, never named)."""
    wanted = set(worker_ids)
    ours = set(db.session.execute(
        select(Worker.id).where(Worker.id.in_(sorted(wanted)), Worker.district_id == district_id)).scalars())
    if wanted - ours:
        raise NotFound("记录不存在或不在您的管辖范围内。")


def approve(district_id: int, year: int, worker_ids: Iterable[int] | None, user: Any = None) -> int:
    """Approve the rises of the given workers (all approvable ones when None). The run is
    computed afresh, so a stale page cannot approve what is no longer due."""
    wanted = None if worker_ids is None else set(worker_ids)
    if wanted:
        check_in_district(district_id, wanted)
    chosen = [(line.worker_id, line.district_id, line.proposal)
              for line in compute(district_id, year)
              if line.approvable and (wanted is None or line.worker_id in wanted)]
    return add_promotions(chosen, year, user) if chosen else 0


def summary(lines: Iterable[Line]) -> dict[str, int]:
    counts = {k: 0 for k in rules.KIND_NAMES}
    for line in lines:
        counts[line.proposal.kind] += 1
    return counts
