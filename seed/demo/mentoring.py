"""Demo studios and mentoring: 2–4 excellent-secretary studios per district, each led by an
experienced secretary (LEAD post for 3 years or more, last rating 优秀/合格) and joined by a few
more, a cohort for the current year, pairings made by the suggestion and accepted in one step,
and a few activities. Everything goes through the mentoring services.

Run it after the grades step: it reads the posts and ratings the demo workforce already has
(and does nothing in a district with no experienced secretary)."""
from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from hr.core.timeutil import today
from hr.mentoring import queries, rules, services
from hr.mentoring.cli import cli_user
from hr.mentoring.rules import Person, add_years

TOPICS = {
    "带教": ("跟班学习居民区党组织日常工作", "陪同走访困难家庭", "指导撰写居民区年度工作计划"),
    "研讨": ("居民区党组织换届选举工作要点", "“美丽家园”小区综合治理难点研讨", "物业、业委会、居委会三方协调机制"),
    "沙龙": ("新任书记工作心得交流", "“一线工作法”经验分享", "青年社工成长沙龙"),
    "现场教学": ("加装电梯矛盾调解现场教学", "旧改征收群众工作现场教学", "垃圾分类定时定点现场指导"),
    "微课堂": ("如何开好居民议事会", "社区应急处置流程", "居民区“三会”制度实务"),
}
HOURS = ("1.0", "1.5", "2.0", "2.0", "3.0", "0.5", "4.0")


def _experienced(p: Person, on: date) -> bool:
    return (p.post == "LEAD" and p.post_since is not None and p.post_since <= add_years(on, -3)
            and p.last_rating in rules.MENTOR_RATINGS)


def _month_between(rng: random.Random, lo: date, hi: date) -> date:
    """A 1st of a month in [lo, hi] (lo itself when the span is shorter than a month)."""
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    first = lo if lo.day == 1 else (lo.replace(day=1) + timedelta(days=32)).replace(day=1)
    if months <= 0 or first > hi:
        return lo
    k = rng.randrange(months)
    y, m = divmod(first.month - 1 + k, 12)
    return min(hi, date(first.year + y, m + 1, 1))


def seed_mentoring(rng: random.Random, worker_ids: list[int], district: Any) -> None:
    on = today()
    year = on.year
    user = cli_user()
    wanted = set(worker_ids)
    people = {k: p for k, p in queries.district_people(district.id, on).items() if k in wanted}
    seniors = sorted((p for p in people.values() if _experienced(p, on)),
                     key=lambda p: (-(p.grade or 0), p.post_since, p.id))
    if not seniors:
        return
    leads: list[Person] = []
    streets: set[int] = set()
    for p in seniors:  # the most senior secretary of as many different streets as possible
        if p.street_id not in streets:
            leads.append(p)
            streets.add(p.street_id)
    leads = leads[:rng.randint(2, 4)]
    lead_ids = {p.id for p in leads}
    others = [p for p in seniors if p.id not in lead_ids]
    opened = date(year, 3, 1) if on >= date(year, 3, 1) else date(year, 1, 1)
    names: set[str] = set()
    for lead in leads:
        assert lead.post_since is not None
        founded = _month_between(rng, max(lead.post_since, lead.hire_date, date(year - 6, 1, 1)),
                                  date(year - 1, 12, 1))
        name = f"{lead.name}书记工作室"
        if name in names:
            name = f"{lead.street_name}{lead.name}书记工作室"
        names.add(name)
        studio = services.create_studio(district.id, {
            "name": name, "street_id": lead.street_id, "lead_id": lead.id, "founded": founded, "active": True,
            "intro": f"由{lead.street_name}{lead.name}领衔，以“传帮带”方式培养新任书记、后备干部和青年社工。",
        }, user)
        near = sorted(others, key=lambda p: (p.street_id != lead.street_id, rng.random(), p.id))
        for p in near[:rng.randint(2, 4)]:
            others.remove(p)
            assert p.post_since is not None
            services.add_member(studio, p.id, max(founded, p.post_since, p.hire_date), user)
        services.create_cohort(studio, year, opened, f"{year} 年度带教计划：每月至少开展一次带教活动，"
                                                     "围绕居民区党建、社区治理和群众工作开展研讨与现场教学。", user)
    proposal = queries.proposal_for(district.id, year, opened, services.limit())
    if not proposal.pairs:
        return
    choices = [services.Choice(p.mentee.id, p.mentor.id, p.studio_id) for p in proposal.pairs]
    made = services.accept(district.id, year, opened, choices, user)
    last = min(on, rules.default_end(opened))
    if opened > last:
        return
    span = (last - opened).days
    for pairing in made:
        for _ in range(rng.randint(0, 4)):
            kind = rng.choice(rules.KINDS)
            services.add_activity(pairing, opened + timedelta(days=rng.randint(0, span)), kind, rng.choice(HOURS),
                                  rng.choice(TOPICS[kind]), user)
