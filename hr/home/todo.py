"""The home page's to-do list: what is left to do in each district, counted in a few grouped
queries, each line with the page that does it.

A provider is a callable `(districts, on) -> list[Todo]`; the people side's providers are below,
the payroll side adds its own to `PROVIDERS` in its `init_app` (the people side never imports
the money side). `Todo.counts` maps a district id to how many; a district user sees one line
per kind, the city one row per district."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import url_for
from sqlalchemy import exists, func, or_, select

from hr.core.db import db
from hr.grades.models import Assessment, Assignment, DistrictSetting
from hr.mentoring.models import Pairing
from hr.mentoring.rules import ACTIVE
from hr.org.models import District
from hr.workers.models import Worker

# Roles: officer and admin see everything; the reviewer what waits for approval; the auditor reads.
EVERYONE = frozenset({"admin", "officer", "auditor", "reviewer"})
APPROVERS = frozenset({"admin", "officer", "reviewer"})
EDITORS = frozenset({"admin", "officer", "auditor"})
SAMPLE = 30  # names listed under a line (the page that fixes it has them all)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Todo:
    """One kind of work. `text` has `{n}` for the count; `links(district)` are the pages that do
    it; `names` (district id → [(name, url)]) the first people concerned."""

    key: str
    label: str
    text: str
    counts: Mapping[int, int]
    links: Callable[[District], list[Link]]
    roles: frozenset[str] = EVERYONE
    names: Mapping[int, list[tuple[str, str]]] = field(default_factory=dict)
    level: str = "warn"  # "bad": blocks the month's pay
    names_label: str = "名单"

    def count(self, district_id: int) -> int:
        return self.counts.get(district_id, 0)

    def line(self, district_id: int) -> str:
        return self.text.format(n=f"{self.count(district_id):,}")


Provider = Callable[[Sequence[District], date], list[Todo]]
PROVIDERS: list[Provider] = []


def assessment_year(on: date) -> int:
    """The year whose ratings are due: this year in December (the bonus), else last year."""
    return on.year if on.month == 12 else on.year - 1


def _ids(districts: Sequence[District]) -> list[int]:
    return [d.id for d in districts]


def _in_service(districts: Sequence[District]) -> list[Any]:
    return [Worker.status == "在职", Worker.district_id.in_(_ids(districts))]


def _grouped(stmt: Any) -> dict[int, int]:
    return {did: n for did, n in db.session.execute(stmt)}


def _names(rows: Any, endpoint: str, arg: str) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for did, oid, name in rows:
        listed = out.setdefault(did, [])
        if len(listed) < SAMPLE:
            listed.append((name, url_for(endpoint, **{arg: oid})))
    return out


def ungraded(districts: Sequence[District], on: date) -> list[Todo]:
    """In-service workers without any post and grade (as the grades page counts them)."""
    cond = [*_in_service(districts), ~exists().where(Assignment.worker_id == Worker.id)]
    counts = _grouped(select(Worker.district_id, func.count(Worker.id)).where(*cond).group_by(Worker.district_id))
    names = _names(db.session.execute(
        select(Worker.district_id, Worker.id, Worker.name).where(*cond)
        .order_by(Worker.district_id, Worker.street_id, Worker.name).limit(SAMPLE * len(districts))),
        "grades.entry", "worker_id") if counts else {}
    return [Todo("ungraded", "未定级", "{n} 人未定级，工资无法计算", counts,
                 lambda d: [Link("去定级", url_for("grades.index", district=d.code))],
                 EDITORS, names, "bad")]


def ratings_missing(districts: Sequence[District], on: date) -> list[Todo]:
    """Workers to assess in the due year (hired by 30 September, not gone before 1 January)
    without a rating: the assessment page's 应考核 − 已录入."""
    year = assessment_year(on)
    cond = [Worker.hire_date <= date(year, 9, 30),
            or_(Worker.leave_date.is_(None), Worker.leave_date >= date(year, 1, 1)),
            Worker.district_id.in_(_ids(districts)),
            ~exists().where(Assessment.worker_id == Worker.id, Assessment.year == year)]
    counts = _grouped(select(Worker.district_id, func.count(Worker.id)).where(*cond).group_by(Worker.district_id))
    return [Todo("ratings", "缺考核", f"{{n}} 人缺少 {year} 年度考核结果", counts,
                 lambda d: [Link("录入考核", url_for("grades.assessments", district=d.code, year=year)),
                            Link("下载考核表", url_for("grades.ratings_sheet", district=d.code, year=year))],
                 EDITORS, {}, "bad" if on.month == 12 else "warn")]


def bank_missing(districts: Sequence[District], on: date) -> list[Todo]:
    """In-service workers paid from the 3×18 payroll without a bank account."""
    cond = [*_in_service(districts), Worker.shiye.is_(False), Worker.bank_account == ""]
    counts = _grouped(select(Worker.district_id, func.count(Worker.id)).where(*cond).group_by(Worker.district_id))
    names = _names(db.session.execute(
        select(Worker.district_id, Worker.id, Worker.name).where(*cond)
        .order_by(Worker.district_id, Worker.street_id, Worker.name)), "workers.edit", "worker_id") if counts else {}
    return [Todo("bank", "缺银行账号", "{n} 人没有银行账号，工资无法代发", counts,
                 lambda d: [], EDITORS, names, "bad")]


def qualifications(districts: Sequence[District], on: date) -> list[Todo]:
    """资格晋级 due in the districts that grant grades for qualifications."""
    from hr.grades.reports import qualifications_due

    modes = dict(db.session.execute(
        select(DistrictSetting.district_id, DistrictSetting.qualification_mode)
        .where(DistrictSetting.district_id.in_(_ids(districts)))).all())
    counts: dict[int, int] = {}
    names: dict[int, list[tuple[str, str]]] = {}
    for d in districts:
        if modes.get(d.id) != "grade":
            continue
        due = qualifications_due(d, limit=10**9)
        if due:
            counts[d.id] = len(due)
            names[d.id] = [(w.name, url_for("grades.qualification", worker_id=w.id)) for w, _ in due[:SAMPLE]]
    return [Todo("qualification", "待资格晋级", "{n} 人取得职业资格，待资格晋级", counts,
                 lambda d: [Link("去处理", url_for("grades.index", district=d.code))], EDITORS, names)]


def pairings_ending(districts: Sequence[District], on: date) -> list[Todo]:
    """Active mentoring pairings whose end date is past or within 30 days: to close (结业/终止)."""
    cond = [Pairing.status == ACTIVE, Pairing.end_on <= on + timedelta(days=30),
            Pairing.district_id.in_(_ids(districts))]
    counts = _grouped(select(Pairing.district_id, func.count(Pairing.id)).where(*cond).group_by(Pairing.district_id))
    names: dict[int, list[tuple[str, str]]] = {}
    if counts:
        mentee = select(Worker.name).where(Worker.id == Pairing.mentee_id).scalar_subquery()
        names = _names(db.session.execute(
            select(Pairing.district_id, Pairing.id, mentee).where(*cond)
            .order_by(Pairing.district_id, Pairing.end_on)), "mentoring.pairing", "pairing_id")
    return [Todo("pairings", "带教即将到期", "{n} 对带教已到期或 30 天内到期，待结业", counts,
                 lambda d: [Link("导师工作室", url_for("mentoring.index"))], EDITORS, names)]


def promotions_waiting(districts: Sequence[District], on: date) -> list[Todo]:
    """Rises of the next 1 January's promotion run (this January's until December) not yet
    approved. The run is computed per district and remembered until the data it reads changes."""
    from hr.home.promotions import waiting

    year = on.year + 1 if on.month == 12 else on.year
    counts = {d_id: n for d_id, n in waiting(_ids(districts), year).items() if n}
    return [Todo("promotions", "待批晋级", f"{{n}} 人符合 {year} 年 1 月 1 日晋级条件，待审批", counts,
                 lambda d: [Link("年度晋级", url_for("grades.promotion_run", district=d.code, year=year))],
                 APPROVERS)]


PEOPLE: list[Provider] = [ungraded, ratings_missing, bank_missing, qualifications, promotions_waiting,
                          pairings_ending]


def collect(districts: Sequence[District], on: date, role: str) -> list[Todo]:
    """Every provider's lines the role sees, payroll's first (they block the month)."""
    out: list[Todo] = []
    for provider in [*PROVIDERS, *PEOPLE]:
        out.extend(t for t in provider(districts, on) if role in t.roles)
    return out
