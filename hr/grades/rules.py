"""Posts, grades, assessment and promotion (pay rules §2) as pure functions: plain values in,
plain values out, no Flask and no database, so that they can be tested exhaustively.

Readings of the rule book (where it could be read two ways; copied into the README):

1. **Timeline.** Entries are never edited. On a date, the entry in force is the one with the
   latest (effective, id). An entry overtaken on its own effective date by a later one (a 纠错
   of it) was never in force. The *effective timeline* is the list of entries that were in
   force on their own effective date; every rule below reads that list.
2. **Corrections** (纠错) take the effective date of the entry they correct and so replace it
   from that date; the old entry stays in the list, marked as corrected. Only an entry of the
   effective timeline that has not been corrected yet can be corrected.
3. **Last grade change.** The effective date of the latest entry of the effective timeline
   whose grade differs from the entry before it; the first entry (入职定级) when no entry
   changed the grade. So a 岗位变动 or 纠错 that keeps the grade does not restart the counter;
   one that changes it (a clamp into a lower range, a corrected grade) does.
4. **Counting window.** The calendar years whose 1 January is on or after the last grade
   change and before the run's 1 January. A change on another day than 1 January (入职 in
   March, 资格晋级 in July) opens the window with the following calendar year.
5. **Qualifying year.** A window year counts when the worker served all of it (hired on or
   before 1 January, not left before 31 December) and was rated 优秀, 合格 or 基本合格. A 不合格
   year, an unrated year and a partly served year do not count; they do not reset the counter
   either ("since the last grade change", not "in a row").
6. **Regular rise** (年度晋级, 满3年晋1级): three or more counted years in the window → one
   grade on 1 January. One grade per run, however many years have accumulated; the new
   assignment is a grade change, so the counter restarts.
7. **Early rise** (提前晋级): two consecutive calendar years of the window, both counted and
   both rated 优秀 → one grade. At most twice in a career: the entries of the effective
   timeline that are 提前晋级 (or a correction of one) and raised the grade are counted. When a
   regular rise is due in the same run, the regular rise is proposed and the early allowance
   is kept.
8. **Ceiling.** A worker at the post ceiling whom rule 6 or 7 would raise gets the line
   已达岗位最高级 and no rise; with no grade change the counter is not restarted, so the line
   comes back every year until the post changes.
9. **Run scope.** A run for 1 January of a year reads the entries effective on or before that
   day and the ratings of earlier years; it covers the workers in service that day who are not
   on 事业待遇. A worker with an entry dated after that day is shown but cannot be approved
   (the later decision was taken on the old grade).
10. **Entry grade** (§2.1): post floor + education offset + floor(recognised years / 3), capped
    at the post ceiling; in qualification_mode ``grade`` a qualification held on the hire date
    adds its grades (+1/+2/+3) to the same arithmetic and is recorded on the entry. The entry is
    effective on the 1st of the hire month.
11. **资格晋级** (qualification_mode ``grade``): +level(new qualification) − level(already
    granted on the timeline), highest only, never above the post ceiling; effective the 1st of
    the month after the qualification date, or later if the timeline already has an entry on
    or after that day (an entry cannot be slipped under later decisions).
12. **Assessment.** One rating per worker and calendar year; a worker hired after 30 September
    is not assessed that year (不参加考核), nor in a year before hire or after leaving.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from hr.core.vocabulary import POST_NAMES, POST_RANGES, QUALIFICATION_LEVELS

EDUCATION_OFFSET = {"高中/中专": 0, "大专": 0, "本科": 1, "硕士": 2, "博士": 3}
COUNTING = ("优秀", "合格", "基本合格")
PERIOD = 3  # qualifying years per regular rise
EARLY_LIMIT = 2  # early rises per career

ENTRY, ANNUAL, EARLY, POST_CHANGE, QUALIFY, CORRECTION = (
    "入职定级", "年度晋级", "提前晋级", "岗位变动", "资格晋级", "纠错")


def in_range(post: str, grade: int) -> bool:
    lo, hi = POST_RANGES[post]
    return lo <= grade <= hi


def clamp(post: str, grade: int) -> int:
    """The grade moved into the post's range (a post change keeps the grade, clamped)."""
    lo, hi = POST_RANGES[post]
    return max(lo, min(hi, grade))


# --- entry grade -------------------------------------------------------------------------

@dataclass(frozen=True)
class EntryGrade:
    """The §2.1 proposal for one post, with every term of the arithmetic."""

    post: str
    floor: int
    ceiling: int
    education: str
    education_offset: int
    prior_years: int
    years_offset: int
    qualification: str  # counted qualification ('' when none is counted)
    qualification_offset: int
    raw: int
    grade: int

    @property
    def capped(self) -> bool:
        return self.raw > self.ceiling

    @property
    def arithmetic(self) -> str:
        parts = [f"{self.floor}（{POST_NAMES[self.post]}起点）",
                 f"{self.education_offset}（{self.education}）",
                 f"{self.years_offset}（认定年限 {self.prior_years} 年 ÷ 3 取整）"]
        if self.qualification:
            parts.append(f"{self.qualification_offset}（{self.qualification}）")
        text = " + ".join(parts) + f" = {self.raw}"
        if self.capped:
            text += f"，超过岗位最高级，按 {self.ceiling} 级"
        return text


def entry_grade(post: str, education: str, prior_years: int, qualification: str = "") -> EntryGrade:
    """§2.1. `qualification` is passed only when the district grants grades for it (rule 10)."""
    floor, ceiling = POST_RANGES[post]
    edu = EDUCATION_OFFSET.get(education, 0)
    years = max(0, prior_years) // 3
    qual = QUALIFICATION_LEVELS.get(qualification, 0)
    raw = floor + edu + years + qual
    return EntryGrade(post, floor, ceiling, education, edu, max(0, prior_years), years,
                      qualification if qual else "", qual, raw, min(raw, ceiling))


def entry_effective(hire_date: date) -> date:
    return hire_date.replace(day=1)


# --- the timeline ----------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One timeline entry as plain values."""

    id: int
    effective: date
    post: str
    grade: int
    reason: str
    corrects_id: int | None = None
    qualification: str = ""


def effective_timeline(entries: Iterable[Entry], until: date | None = None) -> list[Entry]:
    """The entries that were in force on their own effective date, oldest first (rule 1)."""
    by_date: dict[date, Entry] = {}
    for e in entries:
        if until is not None and e.effective > until:
            continue
        kept = by_date.get(e.effective)
        if kept is None or e.id > kept.id:
            by_date[e.effective] = e
    return [by_date[d] for d in sorted(by_date)]


def in_force(entries: Iterable[Entry], on: date) -> Entry | None:
    best = None
    for e in entries:
        if e.effective <= on and (best is None or (e.effective, e.id) > (best.effective, best.id)):
            best = e
    return best


def correctable(entries: Sequence[Entry]) -> set[int]:
    """Ids of the entries a correction may target (rule 2)."""
    corrected = {e.corrects_id for e in entries if e.corrects_id is not None}
    return {e.id for e in effective_timeline(entries) if e.id not in corrected}


def origin_reason(entry: Entry, by_id: Mapping[int, Entry]) -> str:
    """The reason of the decision an entry stands for: a 纠错 stands for the entry it corrects."""
    seen = set()
    while (entry.reason == CORRECTION and entry.corrects_id is not None and entry.corrects_id in by_id
           and entry.id not in seen):
        seen.add(entry.id)
        entry = by_id[entry.corrects_id]
    return entry.reason


def last_grade_change(timeline: Sequence[Entry]) -> date:
    """Rule 3, on an effective timeline (not empty)."""
    since = timeline[0].effective
    for prev, cur in zip(timeline, timeline[1:], strict=False):
        if cur.grade != prev.grade:
            since = cur.effective
    return since


def early_rises(entries: Sequence[Entry], until: date | None = None) -> int:
    """提前晋级 so far in the career (rule 7)."""
    by_id = {e.id: e for e in entries}
    timeline = effective_timeline(entries, until)
    n = 0
    for prev, cur in zip([None, *timeline], timeline, strict=False):
        if origin_reason(cur, by_id) == EARLY and (prev is None or cur.grade > prev.grade):
            n += 1
    return n


def granted_qualification(entries: Sequence[Entry]) -> int:
    """The highest qualification level whose grades the timeline already granted (rule 11)."""
    return max((QUALIFICATION_LEVELS.get(e.qualification, 0) for e in effective_timeline(entries)), default=0)


def served_whole_year(year: int, hire_date: date, leave_date: date | None) -> bool:
    return hire_date <= date(year, 1, 1) and (leave_date is None or leave_date >= date(year, 12, 31))


def not_assessed_reason(year: int, hire_date: date, leave_date: date | None = None) -> str | None:
    """None when the worker is assessed for `year`; otherwise why not (rule 12)."""
    if year < hire_date.year:
        return "该年度尚未入职"
    if hire_date > date(year, 9, 30):  # hired in `year` itself, after 30 September
        return "9月30日后入职，不参加该年度考核"
    if leave_date is not None and leave_date < date(year, 1, 1):
        return "该年度前已离职"
    return None


# --- promotion --------------------------------------------------------------------------

REGULAR, EARLY_RISE, CEILING, EARLY_USED, FAILED = "regular", "early", "ceiling", "early_used", "failed"
KIND_NAMES = {
    REGULAR: "满3年晋1级",
    EARLY_RISE: "连续两年优秀提前晋级",
    CEILING: "已达岗位最高级",
    EARLY_USED: "提前晋级已满2次",
    FAILED: "不合格年度不计",
}


@dataclass(frozen=True)
class Proposal:
    """What the run says about one worker on 1 January of `year`."""

    year: int
    kind: str
    post: str
    grade: int
    new_grade: int
    since: date
    counted: tuple[int, ...] = ()
    failed: tuple[int, ...] = ()
    early_no: int = 0  # for an early rise: the how-many-th (1 or 2)
    cause: str = ""  # for a ceiling line: the rise it blocks (REGULAR or EARLY_RISE)

    @property
    def rises(self) -> bool:
        return self.kind in (REGULAR, EARLY_RISE)

    @property
    def assignment_reason(self) -> str:
        return EARLY if self.kind == EARLY_RISE else ANNUAL

    @property
    def reason(self) -> str:
        if self.kind == EARLY_RISE:
            return f"连续两年优秀提前晋级(第{self.early_no}次)"
        return KIND_NAMES[self.kind]

    @property
    def detail(self) -> str:
        parts = [f"自 {self.since.isoformat()} 起计入 {len(self.counted)} 年"
                 + (f"（{'、'.join(str(y) for y in self.counted)}）" if self.counted else "")]
        if self.failed:
            parts.append("不合格不计：" + "、".join(str(y) for y in self.failed))
        if self.kind == CEILING:
            parts.append("本应" + KIND_NAMES[self.cause or REGULAR])
        return "；".join(parts)


def propose(year: int, entries: Sequence[Entry], ratings: Mapping[int, str], hire_date: date,
            leave_date: date | None = None, *, period: int = PERIOD,
            early_limit: int = EARLY_LIMIT) -> Proposal | None:
    """The proposal for one worker on 1 January of `year` (rules 3–9), or None when there is
    nothing to say (no timeline yet, or nothing due and no 不合格 year to explain)."""
    run_day = date(year, 1, 1)
    timeline = effective_timeline(entries, run_day)
    if not timeline:
        return None
    current = timeline[-1]
    since = last_grade_change(timeline)
    first = since.year if since == date(since.year, 1, 1) else since.year + 1
    window = range(first, year)
    counted = tuple(y for y in window
                    if ratings.get(y) in COUNTING and served_whole_year(y, hire_date, leave_date))
    failed = tuple(y for y in window if ratings.get(y) == "不合格")
    excellent = {y for y in counted if ratings.get(y) == "优秀"}
    pair = any(y in excellent and y + 1 in excellent for y in window)
    ceiling = POST_RANGES[current.post][1]

    def line(kind: str, new_grade: int | None = None, early_no: int = 0, cause: str = "") -> Proposal:
        return Proposal(year, kind, current.post, current.grade,
                        current.grade if new_grade is None else new_grade, since, counted, failed,
                        early_no, cause)

    if len(counted) >= period:
        if current.grade >= ceiling:
            return line(CEILING, cause=REGULAR)
        return line(REGULAR, current.grade + 1)
    if pair:
        used = early_rises(entries, run_day)
        if used >= early_limit:
            return line(EARLY_USED)
        if current.grade >= ceiling:
            return line(CEILING, cause=EARLY_RISE)
        return line(EARLY_RISE, current.grade + 1, early_no=used + 1)
    if failed:
        return line(FAILED)
    return None


@dataclass
class History:
    """A worker's timeline grown year by year by applying every proposed rise (used by the demo
    seed and by the property tests)."""

    entries: list[Entry]
    applied: list[Proposal] = field(default_factory=list)

    def run(self, year: int, ratings: Mapping[int, str], hire_date: date,
            leave_date: date | None = None) -> Proposal | None:
        p = propose(year, self.entries, ratings, hire_date, leave_date)
        if p is not None and p.rises:
            next_id = max(e.id for e in self.entries) + 1
            self.entries.append(Entry(next_id, date(year, 1, 1), p.post, p.new_grade, p.assignment_reason))
            self.applied.append(p)
        return p
