"""Read side of mentoring: the rules' facts about workers on a date, loads, scoped lists,
the suggestion's inputs and the reports. Every list goes through the scoping helper."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select

from hr.accounts.scope import district_filter, get_in_scope
from hr.core.db import db
from hr.grades.models import Assessment, Assignment
from hr.mentoring import rules, suggest
from hr.mentoring.models import Activity, Cohort, CohortFile, Pairing, Studio, StudioMember
from hr.mentoring.rules import ACTIVE, Person
from hr.org.models import Street
from hr.workers.models import Worker

CHUNK = 900


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    ids = list(ids)
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


# --- facts for the rules -----------------------------------------------------------------

def _people(worker_filter: Any, on: date, only_in_service: bool) -> dict[int, Person]:
    """Person facts on `on` for the workers selected by `worker_filter` (a condition on Worker)."""
    stmt = (select(Worker.id, Worker.name, Worker.district_id, Worker.street_id, Street.name,
                   Worker.birth_date, Worker.hire_date, Worker.leave_date, Worker.reserve_cadre)
            .join(Street, Street.id == Worker.street_id).where(worker_filter))
    if only_in_service:
        stmt = stmt.where(Worker.hire_date <= on, or_(Worker.leave_date.is_(None), Worker.leave_date >= on))
    rows = db.session.execute(stmt).all()
    if not rows:
        return {}
    ids = [r[0] for r in rows]
    entries: dict[int, list[tuple[date, int, str, int]]] = defaultdict(list)
    ratings: dict[int, dict[int, str]] = defaultdict(dict)
    for chunk in _chunks(ids):
        for wid, effective, aid, post, grade in db.session.execute(
                select(Assignment.worker_id, Assignment.effective, Assignment.id, Assignment.post,
                       Assignment.grade).where(Assignment.worker_id.in_(chunk), Assignment.effective <= on)):
            entries[wid].append((effective, aid, post, grade))
        for wid, year, rating in db.session.execute(
                select(Assessment.worker_id, Assessment.year, Assessment.rating)
                .where(Assessment.worker_id.in_(chunk), Assessment.year < on.year)):
            ratings[wid][year] = rating
    out = {}
    for wid, name, district_id, street_id, street_name, birth, hire, leave, reserve in rows:
        fact = rules.post_on(entries.get(wid, ()), on)
        last = rules.last_rating(ratings.get(wid, {}), on)
        out[wid] = Person(
            id=wid, name=name, district_id=district_id, street_id=street_id, street_name=street_name,
            birth_date=birth, hire_date=hire, leave_date=leave, reserve_cadre=reserve,
            post=fact.post if fact else None, grade=fact.grade if fact else None,
            post_since=fact.since if fact else None,
            last_rating=last[1] if last else None, last_rating_year=last[0] if last else None)
    return out


def person(worker_id: int, on: date) -> Person | None:
    return _people(Worker.id == worker_id, on, only_in_service=False).get(worker_id)


def people(worker_ids: Sequence[int], on: date) -> dict[int, Person]:
    out: dict[int, Person] = {}
    for chunk in _chunks(sorted(set(worker_ids))):
        out.update(_people(Worker.id.in_(chunk), on, only_in_service=False))
    return out


def district_people(district_id: int, on: date) -> dict[int, Person]:
    """Every worker of the district in service on `on`."""
    return _people(Worker.district_id == district_id, on, only_in_service=True)


def loads(mentor_ids: Iterable[int] | None = None, district_id: int | None = None) -> dict[int, int]:
    """mentor id → active mentees (over every studio)."""
    stmt = select(Pairing.mentor_id, func.count()).where(Pairing.status == ACTIVE).group_by(Pairing.mentor_id)
    if district_id is not None:
        stmt = stmt.where(Pairing.district_id == district_id)
    if mentor_ids is None:
        return dict(db.session.execute(stmt).all())
    out: dict[int, int] = {}
    for chunk in _chunks(sorted(set(mentor_ids))):
        out.update(dict(db.session.execute(stmt.where(Pairing.mentor_id.in_(chunk))).all()))
    return out


def current_mentors(mentee_ids: Iterable[int] | None = None, district_id: int | None = None) -> dict[int, str]:
    """mentee id → the name of their active mentor."""
    stmt = (select(Pairing.mentee_id, Worker.name).join(Worker, Worker.id == Pairing.mentor_id)
            .where(Pairing.status == ACTIVE))
    if district_id is not None:
        stmt = stmt.where(Pairing.district_id == district_id)
    if mentee_ids is None:
        return dict(db.session.execute(stmt).all())
    out: dict[int, str] = {}
    for chunk in _chunks(sorted(set(mentee_ids))):
        out.update(dict(db.session.execute(stmt.where(Pairing.mentee_id.in_(chunk))).all()))
    return out


def is_member(studio_id: int, worker_id: int, on: date) -> bool:
    return db.session.execute(select(StudioMember.id).where(
        StudioMember.studio_id == studio_id, StudioMember.worker_id == worker_id,
        StudioMember.joined <= on, or_(StudioMember.left_on.is_(None), StudioMember.left_on >= on),
    ).limit(1)).first() is not None


def free_slot(mentor_id: int, limit: int) -> int | None:
    taken = set(db.session.execute(select(Pairing.slot).where(
        Pairing.mentor_id == mentor_id, Pairing.status == ACTIVE)).scalars())
    return next((s for s in range(1, limit + 1) if s not in taken), None)


# --- the suggestion's inputs ---------------------------------------------------------------

def studios_with_cohort(district_id: int, year: int) -> list[Studio]:
    return list(db.session.execute(
        select(Studio).join(Cohort, and_(Cohort.studio_id == Studio.id, Cohort.year == year))
        .where(Studio.district_id == district_id, Studio.active.is_(True)).order_by(Studio.id)
    ).unique().scalars())


def proposal_for(district_id: int, year: int, on: date, limit: int) -> suggest.Proposal:
    """Build the pure matching's inputs from the database and run it."""
    studios = studios_with_cohort(district_id, year)
    members = db.session.execute(
        select(StudioMember.studio_id, StudioMember.worker_id).where(
            StudioMember.studio_id.in_([s.id for s in studios] or [-1]),
            StudioMember.joined <= on,
            or_(StudioMember.left_on.is_(None), StudioMember.left_on >= on))
    ).all()
    everyone = district_people(district_id, on)
    load = loads(district_id=None, mentor_ids=[w for _, w in members])
    names = {s.id: s.name for s in studios}
    mentors = [suggest.MentorOption(everyone[w], sid, names[sid], load.get(w, 0))
               for sid, w in members if w in everyone]
    taken = current_mentors(district_id=None, mentee_ids=list(everyone))
    candidates = [suggest.Candidate(p, taken.get(p.id)) for p in everyone.values()
                  if rules.mentee_grounds(p, on)]
    return suggest.propose(mentors, candidates, on, district_id, limit)


# --- scoped lists ----------------------------------------------------------------------------

def get_studio(studio_id: int) -> Studio:
    return get_in_scope(Studio, studio_id)


def get_pairing(pairing_id: int) -> Pairing:
    return get_in_scope(Pairing, pairing_id)


def studios_in_scope(district_id: int | None = None) -> list[Studio]:
    stmt = select(Studio).where(district_filter(Studio.district_id))
    if district_id is not None:
        stmt = stmt.where(Studio.district_id == district_id)
    return list(db.session.execute(stmt.order_by(Studio.district_id, Studio.active.desc(), Studio.id))
                .unique().scalars())


def members_of(studio_id: int) -> list[StudioMember]:
    return list(db.session.execute(
        select(StudioMember).where(StudioMember.studio_id == studio_id)
        .order_by(StudioMember.left_on.is_not(None), StudioMember.joined, StudioMember.id)
    ).unique().scalars())


def cohorts_of(studio_id: int) -> list[Cohort]:
    return list(db.session.execute(
        select(Cohort).where(Cohort.studio_id == studio_id).order_by(Cohort.year.desc())).unique().scalars())


def pairings_stmt(district_id: int | None = None, year: int | None = None, studio_id: int | None = None,
                  status: str | None = None) -> Select[Any]:
    stmt = select(Pairing).where(district_filter(Pairing.district_id))
    for col, value in ((Pairing.district_id, district_id), (Pairing.year, year),
                       (Pairing.studio_id, studio_id), (Pairing.status, status)):
        if value is not None:
            stmt = stmt.where(col == value)
    return stmt.order_by(Pairing.year.desc(), Pairing.studio_id, Pairing.mentor_id, Pairing.start_on, Pairing.id)


def pairings(**filters: Any) -> list[Pairing]:
    return list(db.session.execute(pairings_stmt(**filters)).unique().scalars())


def activities_of(pairing_id: int) -> list[Activity]:
    return list(db.session.execute(
        select(Activity).where(Activity.pairing_id == pairing_id).order_by(Activity.held_on, Activity.id)
    ).unique().scalars())


def hours_by_pairing(pairing_ids: Iterable[int]) -> dict[int, tuple[int, Decimal]]:
    """pairing id → (number of activities, hours)."""
    out: dict[int, tuple[int, Decimal]] = {}
    for chunk in _chunks(sorted(set(pairing_ids))):
        for pid, n, tenths in db.session.execute(
                select(Activity.pairing_id, func.count(), func.sum(Activity.tenths))
                .where(Activity.pairing_id.in_(chunk)).group_by(Activity.pairing_id)):
            out[pid] = (n, Decimal(int(tenths or 0)).scaleb(-1))
    return out


def files_of(cohort_id: int) -> list[CohortFile]:
    return list(db.session.execute(
        select(CohortFile).where(CohortFile.cohort_id == cohort_id).order_by(CohortFile.kind, CohortFile.id)
    ).unique().scalars())


def worker_history(worker: Worker) -> dict[str, Any]:
    """The worker page's mentoring section: pairings as mentor and as mentee, memberships."""
    involved = db.session.execute(select(
        exists().where(or_(Pairing.mentor_id == worker.id, Pairing.mentee_id == worker.id))
        | exists().where(StudioMember.worker_id == worker.id)
    )).scalar()
    if not involved:  # most workers: skip the eager-loading queries
        return {"as_mentor": [], "as_mentee": [], "memberships": [], "hours": {}}
    base = select(Pairing).where(district_filter(Pairing.district_id))
    order = (Pairing.start_on.desc(), Pairing.id.desc())
    as_mentor = list(db.session.execute(base.where(Pairing.mentor_id == worker.id).order_by(*order)).unique().scalars())
    as_mentee = list(db.session.execute(base.where(Pairing.mentee_id == worker.id).order_by(*order)).unique().scalars())
    memberships = list(db.session.execute(
        select(StudioMember).where(StudioMember.worker_id == worker.id, district_filter(StudioMember.district_id))
        .order_by(StudioMember.joined.desc())).unique().scalars())
    hours = hours_by_pairing([p.id for p in as_mentor + as_mentee])
    return {"as_mentor": as_mentor, "as_mentee": as_mentee, "memberships": memberships, "hours": hours}


# --- reports ---------------------------------------------------------------------------------

@dataclass
class MentorLine:
    worker: Worker
    active: int = 0
    total: int = 0
    activities: int = 0
    hours: Decimal = Decimal("0.0")
    evaluations: dict[str, int] = field(default_factory=lambda: {e: 0 for e in rules.EVALUATIONS})


@dataclass
class StudioReport:
    mentors: list[MentorLine]
    pairings: int
    active: int
    mentees: int
    activities: int
    hours: Decimal
    statuses: dict[str, int]
    evaluations: dict[str, int]


def studio_report(studio: Studio, year: int | None = None) -> StudioReport:
    """Mentors (members and anyone who mentored here), mentees, hours and evaluations."""
    ps = pairings(studio_id=studio.id, year=year)
    hours = hours_by_pairing([p.id for p in ps])
    lines: dict[int, MentorLine] = {}
    for m in members_of(studio.id):
        lines.setdefault(m.worker_id, MentorLine(m.worker))
    statuses = {s: 0 for s in rules.STATUSES}
    evaluations = {e: 0 for e in rules.EVALUATIONS}
    total_n, total_h = 0, Decimal("0.0")
    for p in ps:
        line = lines.setdefault(p.mentor_id, MentorLine(p.mentor))
        line.total += 1
        line.active += p.active
        n, h = hours.get(p.id, (0, Decimal("0.0")))
        line.activities += n
        line.hours += h
        total_n += n
        total_h += h
        statuses[p.status] += 1
        if p.evaluation:
            line.evaluations[p.evaluation] += 1
            evaluations[p.evaluation] += 1
    ordered = sorted(lines.values(), key=lambda x: (-x.active, -x.total, x.worker.name, x.worker.id))
    return StudioReport(ordered, len(ps), statuses[ACTIVE], len({p.mentee_id for p in ps}), total_n,
                        total_h, statuses, evaluations)


@dataclass
class CoverageLine:
    street_id: int
    street: str
    candidates: int = 0
    covered: int = 0

    @property
    def share(self) -> str:
        return f"{self.covered * 100 / self.candidates:.0f}%" if self.candidates else "—"


def coverage(district_id: int, on: date) -> tuple[list[CoverageLine], CoverageLine]:
    """Candidates (带教对象 on `on`) per street, and how many of them have an active mentor."""
    everyone = district_people(district_id, on)
    taken = current_mentors(mentee_ids=list(everyone))
    lines: dict[int, CoverageLine] = {}
    total = CoverageLine(0, "合计")
    for p in everyone.values():
        if not rules.mentee_grounds(p, on):
            continue
        line = lines.setdefault(p.street_id, CoverageLine(p.street_id, p.street_name))
        for x in (line, total):
            x.candidates += 1
            x.covered += p.id in taken
    return [lines[k] for k in sorted(lines)], total


@dataclass
class StudioStats:
    members: int = 0
    active: int = 0
    cohort: bool = False


def studio_stats(studio_ids: Sequence[int], year: int) -> dict[int, StudioStats]:
    """Current members, active pairings and whether a cohort of `year` exists, per studio."""
    out = {sid: StudioStats() for sid in studio_ids}
    if not studio_ids:
        return out
    ids = list(studio_ids)
    for sid, n in db.session.execute(
            select(StudioMember.studio_id, func.count()).where(
                StudioMember.studio_id.in_(ids), StudioMember.left_on.is_(None)).group_by(StudioMember.studio_id)):
        out[sid].members = n
    for sid, n in db.session.execute(
            select(Pairing.studio_id, func.count()).where(
                Pairing.studio_id.in_(ids), Pairing.status == ACTIVE).group_by(Pairing.studio_id)):
        out[sid].active = n
    for sid in db.session.execute(select(Cohort.studio_id).where(Cohort.studio_id.in_(ids), Cohort.year == year)).scalars():
        out[sid].cohort = True
    return out


@dataclass(frozen=True)
class PairingRow:
    """One pairing as plain values, for the Excel export."""

    district: str
    studio: str
    year: int
    mentor: str
    mentor_street: str
    mentee: str
    mentee_street: str
    start_on: date
    end_on: date
    status: str
    evaluation: str
    closed_on: date | None
    end_reason: str
    basis: str
    activities: int
    hours: Decimal


@dataclass(frozen=True)
class ActivityRow:
    studio: str
    year: int
    mentor: str
    mentee: str
    held_on: date
    kind: str
    hours: Decimal
    notes: str


def export_rows(district_id: int | None, year: int | None) -> tuple[list[PairingRow], list[ActivityRow]]:
    """The pairings (and their activities) in scope, optionally of one district and year."""
    ps = pairings(district_id=district_id, year=year)
    hours = hours_by_pairing([p.id for p in ps])
    rows = []
    for p in ps:
        n, h = hours.get(p.id, (0, Decimal("0.0")))
        rows.append(PairingRow(
            p.studio.district.name, p.studio.name, p.year, p.mentor.name, p.mentor.street.name, p.mentee.name,
            p.mentee.street.name, p.start_on, p.end_on, p.status, p.evaluation or "", p.closed_on,
            p.end_reason, p.basis, n, h))
    acts = []
    by_id = {p.id: p for p in ps}
    for chunk in _chunks(sorted(by_id)):
        for a in db.session.execute(
                select(Activity).where(Activity.pairing_id.in_(chunk)).order_by(Activity.held_on, Activity.id)
        ).unique().scalars():
            p = by_id[a.pairing_id]
            acts.append(ActivityRow(p.studio.name, p.year, p.mentor.name, p.mentee.name, a.held_on, a.kind,
                                    a.hours, a.notes))
    acts.sort(key=lambda a: (a.studio, a.year, a.mentor, a.mentee, a.held_on))
    return rows, acts
