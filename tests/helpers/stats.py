"""Helpers of the stats tests (plain functions and data; the fixtures are in tests/conftest.py and
the folder's conftest)."""
from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from hr.core.db import db
from hr.core.vocabulary import EDUCATIONS, POLITICAL_STATUSES, POST_RANGES, QUALIFICATIONS
from hr.grades.models import Assignment
from hr.mentoring import rules
from hr.mentoring.models import Activity, Cohort, Pairing, Studio
from hr.org.models import Committee, Street
from hr.workers.models import Worker
from payroll.runs.models import PayrollRun, Payslip
from stats.figures import AGE_BANDS, SERVICE_BANDS, Figures, PostPay, YearFlow
from stats.queries import HISTORY_YEARS
from tests.conftest import HONGKOU, PUDONG, district, valid_id

ZERO = Decimal("0.00")

SLIP_MONEY = ("grade_pay", "post_allowance", "performance", "qualification_allowance", "annual_bonus", "adjustments",
              "si_base", "hf_base", "pension", "medical", "unemployment", "housing_fund", "iit", "bonus_tax", "net",
              "employer_pension", "employer_medical", "employer_unemployment", "employer_injury",
              "employer_housing_fund", "special", "cum_wages", "cum_si_hf", "cum_special", "cum_basic", "cum_tax")


def _day(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randrange(max(1, (hi - lo).days + 1)))


def _committees(code: str, streets: int) -> list[Committee]:
    ids = db.session.execute(select(Street.id).where(Street.district_id == district(code).id)
                             .order_by(Street.code).limit(streets)).scalars().all()
    out = []
    for sid in ids:
        out += db.session.execute(select(Committee).where(Committee.street_id == sid)
                                  .order_by(Committee.code).limit(2)).unique().scalars().all()
    return out


def build_world(seed: int, n: int = 140) -> dict[str, Any]:
    """Rows for `n` workers over two districts (three streets of each), with slips this year
    (to this month) and two years ago, committed."""
    rng = random.Random(seed)
    now = date.today()
    committees = _committees(HONGKOU, 3) + _committees(PUDONG, 3)
    workers = []
    for i in range(n):
        c = rng.choice(committees)
        birth = _day(rng, date(1962, 1, 1), date(2004, 12, 31))
        if rng.random() < 0.04:
            birth = date(rng.choice((1980, 1984, 1988, 1992)), 2, 29)
        hire = _day(rng, max(birth + timedelta(days=18 * 366), date(2008, 1, 1)), now)
        leave = None
        if rng.random() < 0.3:
            leave = _day(rng, hire, now + timedelta(days=60))
        qual = rng.choice(QUALIFICATIONS)
        qdate = None if qual == "无" or rng.random() < 0.2 else _day(rng, date(2010, 1, 1), now + timedelta(days=200))
        gender = rng.choice(("男", "女"))
        workers.append({
            "name": f"工{i}", "id_number": valid_id(area=c.street.district.code, male=gender == "男"),
            "birth_date": birth, "gender": gender, "phone": "", "education": rng.choice(EDUCATIONS),
            "political_status": rng.choice(POLITICAL_STATUSES), "qualification": qual, "qualification_date": qdate,
            "hire_date": hire, "prior_years": rng.randrange(4), "committee_id": c.id, "street_id": c.street_id,
            "district_id": c.street.district_id, "status": "在职" if leave is None else rng.choice(("离职", "退休")),
            "leave_date": leave, "leave_reason": "", "shiye": rng.random() < 0.03,
            "reserve_cadre": rng.random() < 0.08, "bank_name": "", "bank_account": "", "version": 1})
    db.session.execute(insert(Worker), workers)
    rows = db.session.execute(select(Worker)).unique().scalars().all()
    assignments = []
    for w in rows:
        if rng.random() < 0.08:
            continue  # never graded
        effective = date(w.hire_date.year, w.hire_date.month, 1)
        for k in range(rng.randrange(1, 5)):
            post = rng.choice(("LEAD", "SUPV", "STAF", "STAF"))
            lo, hi = POST_RANGES[post]
            reason = "入职定级" if k == 0 else rng.choice(("年度晋级", "提前晋级", "岗位变动", "资格晋级", "纠错"))
            assignments.append({"worker_id": w.id, "district_id": w.district_id, "post": post,
                                "grade": rng.randint(lo, hi), "effective": effective, "reason": reason, "note": "",
                                "approved_by": "", "qualification": ""})
            if rng.random() < 0.5:  # the next entry on the same date overtakes this one
                effective = date(effective.year + rng.randrange(0, 4), rng.randint(1, 12), 1)
            if rng.random() < 0.3:
                effective = date(now.year - rng.randrange(0, 2), 1, 1)
    # Promotions: at most one per worker and date (a unique index).
    seen: set[tuple[int, date]] = set()
    kept = []
    for a in assignments:
        if a["reason"] in ("年度晋级", "提前晋级"):
            if (a["worker_id"], a["effective"]) in seen:
                a["reason"] = "岗位变动"
            seen.add((a["worker_id"], a["effective"]))
        kept.append(a)
    db.session.execute(insert(Assignment), kept)
    _slips(rng, rows, now.year, now)
    _slips(rng, rows, now.year - 2, now)
    _mentoring(rng, rows, now)
    db.session.commit()
    return {"now": now}


def _slips(rng: random.Random, workers: list[Worker], year: int, now: date) -> None:
    last = now.month if year == now.year else 12
    for did in sorted({w.district_id for w in workers}):
        for m in range(1, last + 1):
            month = date(year, m, 1)
            run = PayrollRun(district_id=did, month=month, status=rng.choice(("calculated", "approved", "locked")))
            db.session.add(run)
            db.session.flush()
            slips = []
            for w in workers:
                month_end = date(year + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
                if w.district_id != did or w.hire_date > month_end or (w.leave_date and w.leave_date < month):
                    continue
                if w.shiye or rng.random() < 0.05:
                    continue
                gross = Decimal(rng.randrange(300000, 1500000)).scaleb(-2)
                slips.append({"run_id": run.id, "worker_id": w.id, "district_id": did, "street_id": w.street_id,
                              "committee_id": w.committee_id, "month": month, "name": w.name, "post": "STAF",
                              "grade": 3, "scale_version": "test", "qualification": "无", "days_served": 1,
                              "days_in_month": 30, "gross": gross,
                              "employer_total": Decimal(rng.randrange(0, 500000)).scaleb(-2),
                              "tax_months": m, "change_reason": "", **dict.fromkeys(SLIP_MONEY, ZERO)})
            if slips:
                db.session.execute(insert(Payslip), slips)
            # The run's totals are the sums of its slips, as a calculation leaves them.
            run.headcount = len(slips)
            run.gross = sum((x["gross"] for x in slips), ZERO)
            run.employer_total = sum((x["employer_total"] for x in slips), ZERO)


def _mentoring(rng: random.Random, workers: list[Worker], now: date) -> None:
    taken: set[int] = set()  # mentees with an active pairing (one at most, a unique index)
    slots: dict[int, int] = {}  # a mentor's last slot (unique among their active pairings)
    for did in sorted({w.district_id for w in workers}):
        mine = [w for w in workers if w.district_id == did]
        studios = [Studio(name=f"工作室{did}-{k}", district_id=did, street_id=mine[0].street_id if k == 0 else None,
                          lead_id=mine[k].id, founded=date(now.year - 2 + k, 3, 1), active=k != 2)
                   for k in range(3)]
        db.session.add_all(studios)
        db.session.flush()
        for s in studios:
            cohort = Cohort(studio_id=s.id, district_id=did, year=now.year, opened=date(now.year, 1, 1))
            db.session.add(cohort)
            db.session.flush()
            for mentor in rng.sample(mine, 3):
                for mentee in rng.sample(mine, 4):
                    if mentee.id == mentor.id:
                        continue
                    start = _day(rng, date(now.year - 2, 1, 1), now)
                    status = rng.choice((rules.ACTIVE, rules.GRADUATED, rules.TERMINATED))
                    if status == rules.ACTIVE and mentee.id in taken:
                        status = rules.TERMINATED
                    closed = None if status == rules.ACTIVE else _day(rng, start, now)
                    if status == rules.ACTIVE:
                        taken.add(mentee.id)
                    slots[mentor.id] = slots.get(mentor.id, 0) + 1
                    p = Pairing(studio_id=s.id, cohort_id=cohort.id, district_id=did, year=now.year,
                                mentor_id=mentor.id, mentee_id=mentee.id, slot=slots[mentor.id], start_on=start,
                                end_on=start + timedelta(days=365), status=status,
                                evaluation="合格" if status == rules.GRADUATED else None,
                                end_reason="调动" if status == rules.TERMINATED else "", closed_on=closed)
                    db.session.add(p)
                    db.session.flush()
                    for _ in range(rng.randrange(3)):
                        db.session.add(Activity(pairing_id=p.id, district_id=did, held_on=_day(rng, start, now),
                                                kind="带教", tenths=rng.randrange(5, 40)))
            db.session.flush()


def _band(n: int, bands: tuple[tuple[str, int, int | None], ...]) -> str:
    return next(b for b, lo, hi in bands if n >= lo and (hi is None or n <= hi))


def _in_service(w: Worker, on: date) -> bool:
    return w.hire_date <= on and (w.leave_date is None or w.leave_date >= on)


def expected(year: int, on: date, unit: Callable[[Worker], Any], keep: Callable[[Worker], bool],
             slip_unit: Callable[[Payslip], Any], keep_slip: Callable[[Payslip], bool],
             studio_unit: Callable[[Studio], Any], keep_studio: Callable[[Studio], bool]) -> dict[Any, Figures]:
    """Every unit's figures, one row at a time."""
    out: dict[Any, Figures] = {}

    def fig(key: Any) -> Figures:
        return out.setdefault(key, Figures(key=key))

    workers = [w for w in db.session.execute(select(Worker)).unique().scalars() if keep(w)]
    entries: dict[int, list[tuple[date, int, str, int]]] = {}
    for a in db.session.execute(select(Assignment)).scalars():
        entries.setdefault(a.worker_id, []).append((a.effective, a.id, a.post, a.grade))
    pairings = db.session.execute(select(Pairing)).unique().scalars().all()

    def active_on(p: Pairing) -> bool:
        return p.start_on <= on and (p.status == rules.ACTIVE or (p.closed_on is not None and p.closed_on > on))

    paired = {p.mentee_id for p in pairings if active_on(p)}
    for w in workers:
        f = fig(unit(w))
        post = rules.post_on(entries.get(w.id, ()), on)
        if _in_service(w, on):
            f.headcount += 1
            age = rules.age_on(w.birth_date, on)
            service = rules.age_on(w.hire_date, on)
            f.age_sum += age
            f.service_sum += service
            f.age_gender[(_band(age, AGE_BANDS), w.gender)] += 1
            f.education[w.education] += 1
            f.political[w.political_status] += 1
            held = w.qualification != "无" and (w.qualification_date is None or w.qualification_date <= on)
            f.qualification[w.qualification if held else "无"] += 1
            f.service[_band(service, SERVICE_BANDS)] += 1
            if post is not None:
                f.post_grade[(post.post, post.grade)] += 1
            person = rules.Person(id=w.id, name=w.name, district_id=w.district_id, street_id=w.street_id,
                                  street_name="", birth_date=w.birth_date, hire_date=w.hire_date,
                                  leave_date=w.leave_date, reserve_cadre=w.reserve_cadre,
                                  post=post.post if post else None, grade=post.grade if post else None,
                                  post_since=post.since if post else None)
            if rules.mentee_grounds(person, on):
                f.eligible_mentees += 1
                f.paired_mentees += w.id in paired
        for y in range(year - HISTORY_YEARS + 1, year + 1):
            start, end = date(y, 1, 1), (on if y == year else date(y, 12, 31))
            flow = f.flows.setdefault(y, YearFlow(y))
            flow.start += _in_service(w, start)
            flow.end += _in_service(w, end)
            flow.joiners += start <= w.hire_date <= end
            flow.leavers += w.leave_date is not None and start <= w.leave_date <= end
    # Pay.
    first, last_month = date(year, 1, 1), date(year, on.month, 1)
    slips = [s for s in db.session.execute(select(Payslip)).scalars()
             if first <= s.month <= last_month and keep_slip(s)]
    by_worker: dict[int, Decimal] = {}
    for s in slips:
        f = fig(slip_unit(s))
        f.slips += 1
        f.total_gross += s.gross
        f.employer_total += s.employer_total
        by_worker[s.worker_id] = by_worker.get(s.worker_id, ZERO) + s.gross
    for w in workers:
        if w.id in by_worker and w.hire_date <= first and (w.leave_date is None or w.leave_date >= on):
            post = rules.post_on(entries.get(w.id, ()), on)
            pay = fig(unit(w)).pay_by_post.setdefault(post.post if post else "", PostPay())
            pay.workers += 1
            pay.gross += by_worker[w.id]
    # Promotions, pairings and activities.
    by_id = {w.id: w for w in workers}
    for a in db.session.execute(select(Assignment)).scalars():
        if a.worker_id in by_id and a.reason in ("年度晋级", "提前晋级", "资格晋级") and first <= a.effective <= on:
            fig(unit(by_id[a.worker_id])).promotions[a.reason] += 1
    for p in pairings:
        if p.mentee_id in by_id and active_on(p):
            fig(unit(by_id[p.mentee_id])).active_pairings += 1
    for act in db.session.execute(select(Activity)).unique().scalars():
        mentee = by_id.get(act.pairing.mentee_id)
        if mentee is not None and first <= act.held_on <= on:
            f = fig(unit(mentee))
            f.activities += 1
            f.activity_tenths += act.tenths
    for s in db.session.execute(select(Studio)).unique().scalars():
        if s.active and s.founded <= on and keep_studio(s):
            fig(studio_unit(s)).studios += 1
    return out
