"""Mentoring rules (pay rules §7) as pure functions over plain values: no Flask, no database.

Readings of the rule book (copied into the README):

1. **Active.** A pairing is active while its status is 进行中, whatever its dates; the officer
   ends it with 结业 (with an evaluation) or 提前终止 (with a reason). Capacity and "one mentor at
   a time" count active pairings only.
2. **Mentor.** On the pairing's start date the mentor is in service, works in the studio's
   district, is a member of the studio (joined on or before, not left before that day) and is
   on the LEAD post (负责人). The **last rating** is the rating of the latest assessed year
   *before the start year* (a year's rating is known only after it ends; an unrated year is
   skipped, not failed); it must be 优秀 or 合格. No rating at all refuses.
3. **Capacity.** At most `limit` active mentees per mentor (setting MENTORING_MAX_MENTEES,
   default 5, counted over all studios the mentor belongs to).
4. **Mentee** (带教对象), on the start date: in service, in the studio's district, and at least
   one of: a *new secretary* (on the LEAD post, in the first 12 months of the current unbroken
   run on that post: start < post start + 1 year); a *young secretary* (on the LEAD post and
   under 35: start < 35th birthday); a reserve cadre (后备干部, the register's flag); in the
   *first 3 years of service* (start < hire date + 3 years). "Secretary" is read as the LEAD
   post, the only post the register can tell.
5. **Outranking.** Post order LEAD > SUPV > STAF. The mentor outranks the mentee when the
   mentor's post is higher, or the posts are equal and the mentor's grade is higher (posts and
   grades in force on the start date). A mentee with no post on the start date is refused.
6. **Dates.** The start date lies in the cohort's year; the end date defaults to one year
   (start + 1 year − 1 day, inclusive) and may be set to any later day within 3 years.
   Activities lie within [start, end], not after the 结业/终止 date nor after today; hours are
   0.5–24 with at most one decimal place.
7. **Anniversaries.** "n years after d" is the same day n years later; 29 February becomes
   1 March in a common year.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from hr.core.vocabulary import POST_NAMES, POST_SENIORITY, RATINGS

ACTIVE, GRADUATED, TERMINATED = "进行中", "已结业", "提前终止"
STATUSES = (ACTIVE, GRADUATED, TERMINATED)
EVALUATIONS = ("优秀", "合格", "不合格")
KINDS = ("带教", "研讨", "沙龙", "现场教学", "微课堂")

MAX_MENTEES = 5  # default of the MENTORING_MAX_MENTEES setting (assumed: Putuo ran 1:5)
MENTOR_RATINGS = RATINGS[:2]  # 优秀, 合格
NEW_LEAD_YEARS = 1
YOUNG_AGE = 35
NEW_WORKER_YEARS = 3
MAX_YEARS = 3  # longest pairing
MIN_TENTHS, MAX_TENTHS = 5, 240

TRANSITIONS = {(ACTIVE, "graduate"): GRADUATED, (ACTIVE, "terminate"): TERMINATED}
ACTION_NAMES = {"graduate": "结业", "terminate": "提前终止"}


def add_years(d: date, years: int) -> date:
    """The same day `years` later (29 February → 1 March in a common year)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return date(d.year + years, 3, 1)


def default_end(start: date) -> date:
    """One year, inclusive: 2026-03-01 → 2027-02-28."""
    return add_years(start, 1) - timedelta(days=1)


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Person:
    """A worker as the rules see them, read for one date `on` (post, grade, post_since and the
    last rating are those in force / known on that date)."""

    id: int
    name: str
    district_id: int
    street_id: int
    street_name: str
    birth_date: date
    hire_date: date
    leave_date: date | None = None
    reserve_cadre: bool = False
    post: str | None = None
    grade: int | None = None
    post_since: date | None = None  # first day of the current unbroken run on `post`
    last_rating: str | None = None
    last_rating_year: int | None = None

    @property
    def rank(self) -> tuple[int, int] | None:
        if self.post is None or self.grade is None:
            return None
        return POST_SENIORITY[self.post], self.grade

    @property
    def rank_name(self) -> str:
        return f"{POST_NAMES[self.post]} {self.grade} 级" if self.post else "无岗位等级记录"


# --- facts from the timeline ---------------------------------------------------------------

@dataclass(frozen=True)
class PostFact:
    post: str
    grade: int
    since: date


def post_on(entries: Iterable[tuple[date, int, str, int]], on: date) -> PostFact | None:
    """Post and grade in force on `on` from timeline entries (effective, id, post, grade), and
    since when the worker has held that post without a break. The entry in force on a date is
    the latest (effective, id); an entry overtaken on its own date was never in force."""
    by_date: dict[date, tuple[int, str, int]] = {}
    for effective, entry_id, post, grade in entries:
        if effective > on:
            continue
        kept = by_date.get(effective)
        if kept is None or entry_id > kept[0]:
            by_date[effective] = (entry_id, post, grade)
    if not by_date:
        return None
    days = sorted(by_date)
    _, post, grade = by_date[days[-1]]
    since = days[-1]
    for d in reversed(days[:-1]):
        if by_date[d][1] != post:
            break
        since = d
    return PostFact(post, grade, since)


def last_rating(ratings: Mapping[int, str], on: date) -> tuple[int, str] | None:
    """The rating of the latest assessed year before the year of `on` (reading 2)."""
    years = [y for y in ratings if y < on.year]
    if not years:
        return None
    y = max(years)
    return y, ratings[y]


# --- the rules -----------------------------------------------------------------------------

def in_service(p: Person, on: date) -> bool:
    return p.hire_date <= on and (p.leave_date is None or p.leave_date >= on)


def outranks(mentor: Person, mentee: Person) -> bool:
    """Reading 5: higher post, or the same post and a higher grade."""
    a, b = mentor.rank, mentee.rank
    return a is not None and b is not None and a > b


def mentee_grounds(p: Person, on: date) -> tuple[str, ...]:
    """Why `p` may be mentored on `on` (reading 4); empty when they may not."""
    grounds = []
    if p.post == "LEAD" and p.post_since is not None and on < add_years(p.post_since, NEW_LEAD_YEARS):
        grounds.append(f"新任书记（{p.post_since:%Y-%m} 起任负责人）")
    if p.post == "LEAD" and on < add_years(p.birth_date, YOUNG_AGE):
        grounds.append(f"青年书记（{age_on(p.birth_date, on)} 岁）")
    if p.reserve_cadre:
        grounds.append("后备干部")
    if p.hire_date <= on < add_years(p.hire_date, NEW_WORKER_YEARS):
        grounds.append(f"入职未满 3 年（{p.hire_date.isoformat()} 入职）")
    return tuple(grounds)


def mentor_refusal(m: Person, on: date, *, district_id: int, is_member: bool) -> str | None:
    """Why `m` may not mentor in a studio of `district_id` from `on` (reading 2), or None."""
    if not in_service(m, on):
        return f"{m.name} 在 {on.isoformat()} 不在职，不能担任导师。"
    if m.district_id != district_id:
        return f"{m.name} 不在工作室所在区，不能担任该工作室的导师。"
    if not is_member:
        return f"{m.name} 在 {on.isoformat()} 不是该工作室的成员，导师须为工作室成员。"
    if m.post != "LEAD":
        return f"{m.name} 在 {on.isoformat()} 的岗位为“{m.rank_name}”，导师须为负责人（书记）岗位。"
    if m.last_rating is None:
        return f"{m.name} 在 {on.year} 年以前没有年度考核结果，导师最近一次考核须为合格及以上。"
    if m.last_rating not in MENTOR_RATINGS:
        return (f"{m.name} 最近一次年度考核（{m.last_rating_year} 年）为“{m.last_rating}”，"
                f"导师最近一次考核须为合格及以上。")
    return None


def mentee_refusal(p: Person, on: date, *, district_id: int) -> str | None:
    """Why `p` may not be mentored in a studio of `district_id` from `on` (reading 4), or None."""
    if not in_service(p, on):
        return f"{p.name} 在 {on.isoformat()} 不在职，不能作为带教对象。"
    if p.district_id != district_id:
        return f"{p.name} 不在工作室所在区，不能作为该工作室的带教对象。"
    if not mentee_grounds(p, on):
        return (f"{p.name} 不是带教对象：带教对象须为新任（任负责人未满 12 个月）或青年（未满 35 周岁）书记、"
                "后备干部，或入职未满 3 年的社区工作者。")
    return None


def pair_refusal(mentor: Person, mentee: Person) -> str | None:
    """Self-pairing and outranking (reading 5)."""
    if mentor.id == mentee.id:
        return "不能与自己结对：导师和带教对象须为两个人。"
    if mentee.rank is None:
        return f"{mentee.name} 在开始日期没有岗位等级记录，无法确认导师的岗位等级高于带教对象。"
    if not outranks(mentor, mentee):
        return (f"导师的岗位等级须高于带教对象：{mentor.name} 为“{mentor.rank_name}”，"
                f"{mentee.name} 为“{mentee.rank_name}”（同为一个岗位时导师的等级须更高）。")
    return None


def capacity_refusal(mentor_name: str, load: int, limit: int) -> str | None:
    if load >= limit:
        return f"{mentor_name} 已有 {load} 名进行中的带教对象，每位导师同时最多带教 {limit} 人。"
    return None


def taken_refusal(mentee_name: str, current_mentor: str | None) -> str | None:
    if current_mentor is not None:
        return f"{mentee_name} 已有进行中的导师（{current_mentor}），同一时间只能有一名导师。"
    return None


def check_pairing(mentor: Person, mentee: Person, on: date, *, district_id: int, is_member: bool,
                  load: int, limit: int, current_mentor: str | None) -> str | None:
    """Every rule of a new pairing, in a fixed order; the first refusal, or None."""
    if mentor.id == mentee.id:
        return pair_refusal(mentor, mentee)
    return (mentor_refusal(mentor, on, district_id=district_id, is_member=is_member)
            or mentee_refusal(mentee, on, district_id=district_id)
            or taken_refusal(mentee.name, current_mentor)
            or pair_refusal(mentor, mentee)
            or capacity_refusal(mentor.name, load, limit))


def dates_refusal(start: date, end: date, year: int) -> str | None:
    if start.year != year:
        return f"开始日期须在 {year} 年内（与届次年度一致）。"
    if end <= start:
        return "结束日期须晚于开始日期。"
    if end > add_years(start, MAX_YEARS):
        return f"结对期限不能超过 {MAX_YEARS} 年。"
    return None


# --- closing and activities ----------------------------------------------------------------

def close_refusal(status: str, action: str, start: date, end: date, on: date, today: date, *,
                  evaluation: str | None = None, reason: str = "") -> str | None:
    """结业 (with an evaluation) or 提前终止 (with a reason) of a pairing, on `on`."""
    if (status, action) not in TRANSITIONS:
        if action not in ACTION_NAMES:
            return "不支持的操作。"
        return f"该结对当前为“{status}”，不能办理{ACTION_NAMES[action]}。"
    if on < start:
        return f"{ACTION_NAMES[action]}日期不能早于开始日期（{start.isoformat()}）。"
    if on > today:
        return f"{ACTION_NAMES[action]}日期不能晚于今天。"
    if action == "graduate" and evaluation not in EVALUATIONS:
        return f"结业评价须为 {'/'.join(EVALUATIONS)} 之一。"
    if action == "terminate":
        if not reason.strip():
            return "请填写提前终止的原因。"
        if len(reason.strip()) > 200:
            return "终止原因不能超过 200 字。"
        if on >= end:
            return f"提前终止日期须早于结束日期（{end.isoformat()}）；已到期的结对请办理结业。"
    return None


def parse_hours(value: object) -> Decimal:
    """Hours as entered ("1.5", Decimal, int) → Decimal with one place; ValueError in Chinese."""
    message = "学时须为 0.5–24 之间的数字，最多一位小数。"
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(message)
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(message) from None
    if not d.is_finite() or d != d.quantize(Decimal("0.1")) or not Decimal("0.5") <= d <= Decimal("24"):
        raise ValueError(message)
    return d.quantize(Decimal("0.1"))


def to_tenths(hours: Decimal) -> int:
    return int(hours * 10)


def activity_refusal(held_on: date, kind: str, start: date, end: date, closed_on: date | None,
                     today: date) -> str | None:
    if kind not in KINDS:
        return f"活动形式须为 {'/'.join(KINDS)} 之一。"
    if not start <= held_on <= end:
        return f"活动日期须在结对期间（{start.isoformat()} 至 {end.isoformat()}）内。"
    if closed_on is not None and held_on > closed_on:
        return f"活动日期不能晚于结对的结业/终止日期（{closed_on.isoformat()}）。"
    if held_on > today:
        return "活动日期不能晚于今天。"
    return None
