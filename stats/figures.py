"""The figures of one unit (a district or a street/town) for one year, as plain values.

Every stored figure is a count or a sum, so that units add up: the city's figures are the sum
of its districts', a district's the sum of its streets'. Shares, means and rates are derived
from those sums (`share_college`, `mean_age`, `turnover`, …), never averaged across units.
Money is Decimal yuan; shares are Decimal fractions 0–1 rounded half up to 4 places."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hr.core.vocabulary import (
    EDUCATIONS,
    GENDERS,
    POLITICAL_STATUSES,
    POST_RANGES,
    POSTS,
    QUALIFICATIONS,
)

ZERO = Decimal("0.00")
COLLEGE = ("大专", "本科", "硕士", "博士")  # 大专 or higher
PARTY = ("中共党员", "中共预备党员")
HOLDERS = QUALIFICATIONS[1:]  # 助理社会工作师, 社会工作师, 高级社会工作师
PROMOTIONS = ("年度晋级", "提前晋级", "资格晋级")
# Completed years of age: (label, lowest age, highest age or None).
AGE_BANDS = (("29岁及以下", 0, 29), ("30–34岁", 30, 34), ("35–39岁", 35, 39), ("40–44岁", 40, 44),
             ("45–49岁", 45, 49), ("50–54岁", 50, 54), ("55岁及以上", 55, None))
# Completed years of service since the hire date.
SERVICE_BANDS = (("不满3年", 0, 2), ("3–5年", 3, 5), ("6–10年", 6, 10), ("11–15年", 11, 15),
                 ("16–20年", 16, 20), ("20年以上", 21, None))
GRADES = tuple(range(18, 0, -1))


def share(part: int, whole: int) -> Decimal | None:
    """part ÷ whole as a fraction with 4 places (half up); None when there is no whole."""
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def mean(total: Decimal | int, n: int, places: str = "0.01") -> Decimal | None:
    if n <= 0:
        return None
    return (Decimal(total) / Decimal(n)).quantize(Decimal(places), ROUND_HALF_UP)


@dataclass
class YearFlow:
    """Headcount at both ends of a year, and who joined and left in it."""

    year: int
    start: int = 0  # in service on 1 January
    end: int = 0  # in service on 31 December (or on the reference date of the current year)
    joiners: int = 0
    leavers: int = 0

    def add(self, other: YearFlow) -> None:
        self.start += other.start
        self.end += other.end
        self.joiners += other.joiners
        self.leavers += other.leavers

    @property
    def turnover(self) -> Decimal | None:
        """Leavers ÷ (headcount on 1 January + joiners): 离职率 as personnel offices count it."""
        return share(self.leavers, self.start + self.joiners)


@dataclass
class PostPay:
    """Workers of one post in service all year who were paid, and what they were paid."""

    workers: int = 0
    gross: Decimal = ZERO

    @property
    def mean(self) -> Decimal | None:
        return mean(self.gross, self.workers)


@dataclass
class Figures:
    """The additive figures of one unit. `key` is the unit's id (district or street), its
    `name` what the tables show."""

    key: int | None = None
    name: str = ""
    code: str = ""
    headcount: int = 0
    age_sum: int = 0
    service_sum: int = 0
    age_gender: Counter[tuple[str, str]] = field(default_factory=Counter)  # (age band, gender)
    education: Counter[str] = field(default_factory=Counter)
    political: Counter[str] = field(default_factory=Counter)
    qualification: Counter[str] = field(default_factory=Counter)  # held on the reference date
    service: Counter[str] = field(default_factory=Counter)
    post_grade: Counter[tuple[str, int]] = field(default_factory=Counter)
    flows: dict[int, YearFlow] = field(default_factory=dict)  # the year and those before it
    pay_by_post: dict[str, PostPay] = field(default_factory=dict)
    slips: int = 0
    total_gross: Decimal = ZERO
    employer_total: Decimal = ZERO
    promotions: Counter[str] = field(default_factory=Counter)
    studios: int = 0
    active_pairings: int = 0
    eligible_mentees: int = 0
    paired_mentees: int = 0
    activities: int = 0
    activity_tenths: int = 0

    def add(self, other: Figures) -> None:
        for name in ("headcount", "age_sum", "service_sum", "slips", "studios", "active_pairings",
                     "eligible_mentees", "paired_mentees", "activities", "activity_tenths"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.total_gross += other.total_gross
        self.employer_total += other.employer_total
        for name in ("age_gender", "education", "political", "qualification", "service", "post_grade", "promotions"):
            getattr(self, name).update(getattr(other, name))
        for year, flow in other.flows.items():
            self.flows.setdefault(year, YearFlow(year)).add(flow)
        for post, pay in other.pay_by_post.items():
            mine = self.pay_by_post.setdefault(post, PostPay())
            mine.workers += pay.workers
            mine.gross += pay.gross

    # --- derived ---------------------------------------------------------------------------

    @property
    def mean_age(self) -> Decimal | None:
        return mean(self.age_sum, self.headcount, "0.1")

    @property
    def mean_service(self) -> Decimal | None:
        return mean(self.service_sum, self.headcount, "0.1")

    @property
    def age_bands(self) -> dict[str, int]:
        return {band: sum(self.age_gender[(band, g)] for g in GENDERS) for band, _, _ in AGE_BANDS}

    @property
    def gender(self) -> dict[str, int]:
        return {g: sum(self.age_gender[(band, g)] for band, _, _ in AGE_BANDS) for g in GENDERS}

    @property
    def college(self) -> int:
        return sum(self.education[e] for e in COLLEGE)

    @property
    def party(self) -> int:
        return sum(self.political[p] for p in PARTY)

    @property
    def qualified(self) -> int:
        return sum(self.qualification[q] for q in HOLDERS)

    @property
    def share_college(self) -> Decimal | None:
        return share(self.college, self.headcount)

    @property
    def share_party(self) -> Decimal | None:
        return share(self.party, self.headcount)

    @property
    def share_qualified(self) -> Decimal | None:
        return share(self.qualified, self.headcount)

    @property
    def share_female(self) -> Decimal | None:
        return share(self.gender["女"], self.headcount)

    @property
    def graded(self) -> int:
        return sum(self.post_grade.values())

    @property
    def by_post(self) -> dict[str, int]:
        return {p: sum(n for (post, _), n in self.post_grade.items() if post == p) for p in POSTS}

    @property
    def full_year_paid(self) -> PostPay:
        """Every post together (workers without a post on the reference date included)."""
        out = PostPay()
        for pay in self.pay_by_post.values():
            out.workers += pay.workers
            out.gross += pay.gross
        return out

    @property
    def mean_annual_gross(self) -> Decimal | None:
        return self.full_year_paid.mean

    @property
    def total_cost(self) -> Decimal:
        """Gross pay and the employer's contributions on it."""
        return self.total_gross + self.employer_total

    @property
    def share_paired(self) -> Decimal | None:
        return share(self.paired_mentees, self.eligible_mentees)

    @property
    def activity_hours(self) -> Decimal:
        return Decimal(self.activity_tenths).scaleb(-1)


def grade_rows() -> list[tuple[int, dict[str, bool]]]:
    """Grades 18…1 and, for each, the posts whose range holds it."""
    return [(g, {p: lo <= g <= hi for p, (lo, hi) in POST_RANGES.items()}) for g in GRADES]


@dataclass
class Report:
    """The statistics of one scope and year: the scope's figures, those of its units side by
    side (districts for the city, streets for a district), and the facts the page states."""

    year: int
    on: date  # the reference date: 31 December, or today for the current year
    scope: str  # 全市, a district's name, or "district street"
    district_id: int | None
    street_id: int | None
    unit_label: str  # 区 or 街镇
    total: Figures
    units: list[Figures]
    pay_months: list[int]  # months of the year with slips in the scope
    open_months: list[int]  # those whose runs are not locked yet
    current: bool  # the year is the current one (figures as of today)
    generated_at: str = ""

    @property
    def years(self) -> list[int]:
        return sorted(self.total.flows)

    @property
    def flow(self) -> YearFlow:
        return self.total.flows.get(self.year, YearFlow(self.year))

    def as_json(self) -> dict[str, object]:
        """The figures the CLI and the API answer (numbers as JSON numbers; money as strings
        with two places, like the rest of the API)."""
        t, f = self.total, self.flow

        def num(d: Decimal | None) -> float | None:
            return None if d is None else float(d)

        def money(d: Decimal | None) -> str | None:
            return None if d is None else f"{d:.2f}"

        return {
            "year": self.year, "as_of": self.on.isoformat(), "scope": self.scope,
            "district_id": self.district_id, "street_id": self.street_id,
            "headcount": t.headcount, "mean_age": num(t.mean_age), "share_female": num(t.share_female),
            "share_college": num(t.share_college), "share_party": num(t.share_party),
            "share_qualified": num(t.share_qualified),
            "joiners": f.joiners, "leavers": f.leavers, "headcount_start": f.start, "turnover": num(f.turnover),
            "mean_annual_gross": money(t.mean_annual_gross), "full_year_paid_workers": t.full_year_paid.workers,
            "total_gross": money(t.total_gross), "employer_total": money(t.employer_total),
            "total_cost": money(t.total_cost), "pay_months": self.pay_months, "open_months": self.open_months,
            "mean_service_years": num(t.mean_service),
            "age_bands": t.age_bands, "gender": t.gender, "education": {e: t.education[e] for e in EDUCATIONS},
            "political_status": {p: t.political[p] for p in POLITICAL_STATUSES},
            "qualification": {q: t.qualification[q] for q in QUALIFICATIONS},
            "service_years": {b: t.service[b] for b, _, _ in SERVICE_BANDS},
            "posts": {p: n for p, n in t.by_post.items()}, "ungraded": t.headcount - t.graded,
            "post_grade": [{"post": p, "grade": g, "count": n} for (p, g), n in sorted(t.post_grade.items())],
            "mean_annual_gross_by_post": {p: money(t.pay_by_post[p].mean) for p in (*POSTS, "")
                                          if p in t.pay_by_post},
            "promotions": {r: t.promotions[r] for r in PROMOTIONS},
            "mentoring": {"studios": t.studios, "active_pairings": t.active_pairings,
                          "eligible_mentees": t.eligible_mentees, "paired_mentees": t.paired_mentees,
                          "share_paired": num(t.share_paired), "activities": t.activities,
                          "activity_hours": num(t.activity_hours)},
            "history": [{"year": y.year, "headcount_start": y.start, "headcount_end": y.end, "joiners": y.joiners,
                         "leavers": y.leavers, "turnover": num(y.turnover)}
                        for y in (t.flows[k] for k in self.years)],
            "units": [{"id": u.key, "code": u.code, "name": u.name, "headcount": u.headcount,
                       "mean_age": num(u.mean_age), "share_college": num(u.share_college),
                       "share_party": num(u.share_party), "share_qualified": num(u.share_qualified),
                       "joiners": u.flows.get(self.year, YearFlow(self.year)).joiners,
                       "leavers": u.flows.get(self.year, YearFlow(self.year)).leavers,
                       "mean_annual_gross": money(u.mean_annual_gross), "total_cost": money(u.total_cost)}
                      for u in self.units],
        }
