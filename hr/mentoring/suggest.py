"""Suggested pairings for one district and cohort year: a pure, deterministic matching.

Inputs are plain dataclasses (mentor options of the district's studios, candidates), the start
date and the capacity; the output does not depend on the order of the inputs. The matching:

1. Mentor options are the (mentor, studio) pairs that pass the mentor rules; candidates are
   the workers that pass the mentee rules and have no active mentor. A candidate's options are
   the mentor options that outrank them (never themself).
2. **Same street first.** Candidates, fewest same-street options first (then by worker id), each
   take the same-street option (mentor working in the candidate's street) with the lowest load
   that has room (ties: mentor id, studio id).
3. **Then the district.** The remaining candidates, fewest options first, each take any option
   with room, lowest load first (same ties).

Guarantees (checked by property tests): every pair passes every rule of `rules.check_pairing`
but capacity, and no mentor ends above the limit (so accepting the pairs one by one passes
capacity too); a candidate appears at most once; a
cross-street pair only when every same-street option of that candidate is full at the end; an
unmatched candidate has no option with room at the end.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from hr.mentoring import rules
from hr.mentoring.rules import Person


@dataclass(frozen=True)
class MentorOption:
    """A mentor of one studio. `load` is the mentor's active mentees (all studios) before
    the proposal; `is_member` whether they are a member of that studio on the start date."""

    person: Person
    studio_id: int
    studio_name: str
    load: int = 0
    is_member: bool = True

    @property
    def key(self) -> tuple[int, int]:
        return self.person.id, self.studio_id


@dataclass(frozen=True)
class Candidate:
    person: Person
    current_mentor: str | None = None  # name of the active mentor, if any


@dataclass(frozen=True)
class Pair:
    mentor: Person
    studio_id: int
    studio_name: str
    mentee: Person
    grounds: tuple[str, ...]
    load_before: int  # the mentor's active mentees before the proposal
    load: int  # … and once the whole proposal is accepted

    @property
    def same_street(self) -> bool:
        return self.mentor.street_id == self.mentee.street_id

    @property
    def reason(self) -> str:
        return match_reason(self.mentor, self.mentee, self.load_before, self.load)


def match_reason(mentor: Person, mentee: Person, before: int, after: int) -> str:
    """E.g. 同街镇·欧阳路街道；导师带教 0→2 人."""
    where = f"同街镇·{mentee.street_name}" if mentor.street_id == mentee.street_id else "跨街镇·同区"
    return f"{where}；导师带教 {before}→{after} 人"


@dataclass(frozen=True)
class Unmatched:
    mentee: Person
    grounds: tuple[str, ...]
    why: str


NO_OPTION = "没有符合条件的导师（须为本区工作室成员、负责人岗位、最近考核合格及以上，且岗位等级高于带教对象）"
ALL_FULL = "符合条件的导师名额均已满"


@dataclass(frozen=True)
class Proposal:
    on: date
    limit: int
    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    # mentee id → the mentor options (mentor id, studio id) that pass every rule but capacity
    options: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    mentors: dict[tuple[int, int], MentorOption] = field(default_factory=dict)
    loads: dict[int, int] = field(default_factory=dict)  # mentor id → load once accepted


def eligible_mentors(mentors: Iterable[MentorOption], on: date, district_id: int) -> list[MentorOption]:
    seen: dict[tuple[int, int], MentorOption] = {}
    for m in sorted(mentors, key=lambda m: (m.key, m.load, m.is_member)):
        if m.key not in seen and rules.mentor_refusal(
                m.person, on, district_id=district_id, is_member=m.is_member) is None:
            seen[m.key] = m
    return [seen[k] for k in sorted(seen)]


def eligible_candidates(candidates: Iterable[Candidate], on: date, district_id: int) -> list[Candidate]:
    seen: dict[int, Candidate] = {}
    for c in sorted(candidates, key=lambda c: (c.person.id, c.current_mentor is None)):
        if c.person.id in seen:
            continue
        seen[c.person.id] = c
    return [c for _, c in sorted(seen.items())
            if c.current_mentor is None and rules.mentee_refusal(c.person, on, district_id=district_id) is None]


def propose(mentors: Iterable[MentorOption], candidates: Iterable[Candidate], on: date,
            district_id: int, limit: int = rules.MAX_MENTEES) -> Proposal:
    """The proposal (see the module docstring). Pure: same input, same output."""
    options_of_mentors = eligible_mentors(mentors, on, district_id)
    load: dict[int, int] = {}
    for m in options_of_mentors:
        load.setdefault(m.person.id, m.load)
    before = dict(load)
    pool = eligible_candidates(candidates, on, district_id)
    options: dict[int, list[MentorOption]] = {
        c.person.id: [m for m in options_of_mentors if rules.pair_refusal(m.person, c.person) is None]
        for c in pool
    }
    chosen: dict[int, MentorOption] = {}

    def take(c: Candidate, opts: list[MentorOption]) -> None:
        free = [m for m in opts if load[m.person.id] < limit]
        if not free:
            return
        best = min(free, key=lambda m: (load[m.person.id], m.person.id, m.studio_id))
        load[best.person.id] += 1
        chosen[c.person.id] = best

    def same_street(c: Candidate) -> list[MentorOption]:
        return [m for m in options[c.person.id] if m.person.street_id == c.person.street_id]

    for c in sorted(pool, key=lambda c: (len(same_street(c)), c.person.id)):
        take(c, same_street(c))
    for c in sorted(pool, key=lambda c: (len(options[c.person.id]), c.person.id)):
        if c.person.id not in chosen:
            take(c, options[c.person.id])

    pairs = []
    unmatched = []
    for c in sorted(pool, key=lambda c: (c.person.street_id, c.person.id)):
        grounds = rules.mentee_grounds(c.person, on)
        if c.person.id in chosen:
            m = chosen[c.person.id]
            pairs.append(Pair(m.person, m.studio_id, m.studio_name, c.person, grounds,
                              before[m.person.id], load[m.person.id]))
        else:
            unmatched.append(Unmatched(c.person, grounds, ALL_FULL if options[c.person.id] else NO_OPTION))
    return Proposal(on, limit, tuple(pairs), tuple(unmatched),
                    {k: tuple(m.key for m in v) for k, v in sorted(options.items())},
                    {m.key: m for m in options_of_mentors}, dict(sorted(load.items())))
