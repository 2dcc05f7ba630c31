"""Studios, members, cohorts and their files, pairings (one by one or a whole accepted
suggestion) and activities. Services check the rules, add, flush and write the audit entry;
the view or CLI command that called them commits once, or rolls everything back."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hr.accounts.scope import district_filter, require_write
from hr.audit.services import diff, record
from hr.core.db import db
from hr.core.errors import Conflict, DomainError
from hr.core.timeutil import today
from hr.grades.services import actor
from hr.mentoring import queries, rules, suggest
from hr.mentoring.models import (
    Activity,
    Cohort,
    Pairing,
    Studio,
    StudioMember,
)
from hr.org.models import Street
from hr.workers.models import Worker


class MentoringInvalid(DomainError):
    """One or more inputs at fault: `errors` maps the field to a message."""

    status = 400

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(errors.values()))
        self.errors = errors


class Refused(DomainError):
    """A rule of §7 refuses the pairing; the message says which and why."""


def limit() -> int:
    """Active mentees per mentor (setting MENTORING_MAX_MENTEES)."""
    return int(current_app.config.get("MENTORING_MAX_MENTEES", rules.MAX_MENTEES))


def actor_name(user: Any) -> str:
    """The name recorded as the author of a row (created_by, uploaded_by)."""
    return (getattr(user, "display_name", "") or getattr(user, "username", "") or "system")[:64]


def _worker(worker_id: Any, district_id: int, what: str, field: str) -> Worker:
    """A worker of the district (another district's worker is as good as missing)."""
    w = db.session.get(Worker, worker_id) if isinstance(worker_id, int) else None
    if w is None or w.district_id != district_id:
        raise MentoringInvalid({field: f"请选择本区的{what}"})
    return w


def _visible_worker(worker_id: Any, user: Any) -> Worker | None:
    """The worker if the user may see them: another district's worker is as good as missing, so
    that no refusal can name them or give away their dates."""
    if not isinstance(worker_id, int) or isinstance(worker_id, bool):
        return None
    return db.session.execute(
        select(Worker).where(Worker.id == worker_id, district_filter(Worker.district_id, user))
    ).unique().scalar_one_or_none()


def _visible_ids(worker_ids: Sequence[int], user: Any) -> set[int]:
    """The ids among `worker_ids` that the user may see."""
    ids = sorted({i for i in worker_ids if isinstance(i, int)})
    if not ids:
        return set()
    return set(db.session.execute(
        select(Worker.id).where(Worker.id.in_(ids), district_filter(Worker.district_id, user))).scalars())


def _flush(conflict: str) -> None:
    """Flush in a savepoint: a constraint hit by a concurrent change becomes a Conflict and the
    caller's transaction stays usable (it is rolled back by the view anyway)."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise Conflict(conflict) from None


# --- studios ---------------------------------------------------------------------------------

NAME = re.compile(r"^\S.{0,62}\S$")
STUDIO_FIELDS = ("name", "street_id", "lead_id", "founded", "active", "intro")


def _snapshot(studio: Studio) -> dict[str, Any]:
    return {k: getattr(studio, k) for k in STUDIO_FIELDS}


def _check_studio(district_id: int, data: dict[str, Any], studio: Studio | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not NAME.match(name):
        errors["name"] = "工作室名称须为 2–64 个字"
    elif db.session.execute(select(Studio.id).where(
            Studio.district_id == district_id, Studio.name == name,
            Studio.id != (studio.id if studio else -1))).first():
        errors["name"] = "本区已有同名工作室"
    street_id = data.get("street_id")
    if street_id is not None:
        street = db.session.get(Street, street_id)
        if street is None or street.district_id != district_id:
            errors["street_id"] = "所选街镇不属于本区"
    founded = data.get("founded") if studio is None else studio.founded
    if founded is None:
        errors["founded"] = "请输入成立日期"
    elif not date(1990, 1, 1) <= founded <= today():
        errors["founded"] = "成立日期须在 1990 年至今天之间"
    intro = (data.get("intro") or "").strip()
    if len(intro) > 2000:
        errors["intro"] = "简介不能超过 2000 字"
    if errors:
        raise MentoringInvalid(errors)
    return {"name": name, "street_id": street_id, "founded": founded, "intro": intro,
            "active": bool(data.get("active", True))}


def _check_lead(worker: Worker, on: date) -> None:
    p = queries.person(worker.id, on)
    if p is None or not rules.in_service(p, on):
        raise MentoringInvalid({"lead_id": f"{worker.name} 在 {on.isoformat()} 不在职，不能担任领衔人"})
    if p.post != "LEAD":
        raise MentoringInvalid({"lead_id": f"{worker.name} 在 {on.isoformat()} 的岗位为“{p.rank_name}”，"
                                           "领衔人须为负责人（书记）岗位"})


def create_studio(district_id: int, data: dict[str, Any], user: Any = None) -> Studio:
    """A studio with its lead as its first member (joined on the founding date)."""
    user = actor(user)
    require_write(district_id, user)
    values = _check_studio(district_id, data, None)
    lead = _worker(data.get("lead_id"), district_id, "职工作为领衔人", "lead_id")
    _check_lead(lead, values["founded"])
    studio = Studio(district_id=district_id, lead_id=lead.id, **values)
    db.session.add(studio)
    _flush("本区已有同名工作室。")
    db.session.add(StudioMember(studio_id=studio.id, worker_id=lead.id, district_id=district_id,
                                joined=values["founded"]))
    db.session.flush()
    record("create", "studio", studio.id, district_id=district_id, user=user,
           summary=f"新建工作室 {studio.name}（领衔人 {lead.name}）", changes=diff({}, _snapshot(studio)))
    return studio


def update_studio(studio: Studio, data: dict[str, Any], user: Any = None) -> dict[str, Any]:
    """Name, street, introduction, active flag and lead. A new lead must be on the LEAD post
    today and becomes a member today if they are not one."""
    user = actor(user)
    require_write(studio.district_id, user)
    values = _check_studio(studio.district_id, data, studio)
    before = _snapshot(studio)
    lead_id = data.get("lead_id", studio.lead_id)
    if lead_id != studio.lead_id:
        lead = _worker(lead_id, studio.district_id, "职工作为领衔人", "lead_id")
        now = today()
        _check_lead(lead, now)
        if not queries.is_member(studio.id, lead.id, now):
            db.session.add(StudioMember(studio_id=studio.id, worker_id=lead.id,
                                        district_id=studio.district_id, joined=now))
        studio.lead_id = lead.id
    for k in ("name", "street_id", "intro", "active"):
        setattr(studio, k, values[k])
    changes = diff(before, _snapshot(studio))
    if changes:
        _flush("本区已有同名工作室。")
        db.session.refresh(studio)
        record("update", "studio", studio.id, district_id=studio.district_id, user=user,
               summary=f"修改工作室 {studio.name}", changes=changes)
    return changes


def add_member(studio: Studio, worker_id: Any, joined: date | None, user: Any = None) -> StudioMember:
    """A mentor joins: in service and on the LEAD post on the joining day."""
    user = actor(user)
    require_write(studio.district_id, user)
    worker = _worker(worker_id, studio.district_id, "职工", "worker_id")
    if joined is None:
        raise MentoringInvalid({"joined": "请输入加入日期"})
    if joined < studio.founded or joined > today():
        raise MentoringInvalid({"joined": f"加入日期须在工作室成立日期（{studio.founded.isoformat()}）至今天之间"})
    p = queries.person(worker.id, joined)
    if p is None or not rules.in_service(p, joined):
        raise MentoringInvalid({"worker_id": f"{worker.name} 在 {joined.isoformat()} 不在职"})
    if p.post != "LEAD":
        raise MentoringInvalid({"worker_id": f"{worker.name} 在 {joined.isoformat()} 的岗位为“{p.rank_name}”，"
                                             "工作室成员（导师）须为负责人（书记）岗位"})
    if db.session.execute(select(StudioMember.id).where(
            StudioMember.studio_id == studio.id, StudioMember.worker_id == worker.id,
            StudioMember.left_on.is_(None))).first():
        raise MentoringInvalid({"worker_id": f"{worker.name} 已是该工作室成员"})
    member = StudioMember(studio_id=studio.id, worker_id=worker.id, district_id=studio.district_id, joined=joined)
    db.session.add(member)
    _flush(f"{worker.name} 已是该工作室成员。")
    record("create", "studio_member", member.id, district_id=studio.district_id, user=user,
           summary=f"{worker.name} 加入 {studio.name}", changes={"加入日期": [None, joined.isoformat()]})
    return member


def end_member(member: StudioMember, left_on: date | None, user: Any = None) -> None:
    user = actor(user)
    require_write(member.district_id, user)
    name = member.worker.name
    if member.left_on is not None:
        raise Conflict(f"{name} 已于 {member.left_on.isoformat()} 退出该工作室。")
    if member.worker_id == member.studio.lead_id:
        raise DomainError(f"{name} 是领衔人，不能退出工作室；请先更换领衔人。")
    if left_on is None or left_on < member.joined or left_on > today():
        raise MentoringInvalid({"left_on": f"退出日期须在加入日期（{member.joined.isoformat()}）至今天之间"})
    active = db.session.execute(select(Pairing.id).where(
        Pairing.studio_id == member.studio_id, Pairing.mentor_id == member.worker_id,
        Pairing.status == rules.ACTIVE)).first()
    if active:
        raise DomainError(f"{name} 在该工作室仍有进行中的结对，请先办理结业或提前终止。")
    member.left_on = left_on
    db.session.flush()
    record("update", "studio_member", member.id, district_id=member.district_id, user=user,
           summary=f"{name} 退出 {member.studio.name}", changes={"退出日期": [None, left_on.isoformat()]})


# --- cohorts ----------------------------------------------------------------------------------------

def create_cohort(studio: Studio, year: Any, opened: date | None, plan: str = "", user: Any = None) -> Cohort:
    user = actor(user)
    require_write(studio.district_id, user)
    errors = {}
    if not studio.active:
        raise DomainError("工作室已停用，不能开设新的届次。")
    if not isinstance(year, int) or not 2000 <= year <= today().year + 1:
        errors["year"] = f"年度须在 2000–{today().year + 1} 之间"
    elif opened is None or opened.year != year:
        errors["opened"] = "开班日期须在该年度内"
    elif opened < studio.founded:
        errors["opened"] = f"开班日期不能早于工作室成立日期（{studio.founded.isoformat()}）"
    elif db.session.execute(select(Cohort.id).where(Cohort.studio_id == studio.id, Cohort.year == year)).first():
        errors["year"] = f"该工作室已有 {year} 年届次"
    if len(plan or "") > 5000:
        errors["plan"] = "带教计划不能超过 5000 字"
    if errors or opened is None:  # opened is None only with an error
        raise MentoringInvalid(errors)
    cohort = Cohort(studio_id=studio.id, district_id=studio.district_id, year=year, opened=opened,
                    plan=(plan or "").strip())
    db.session.add(cohort)
    _flush(f"该工作室已有 {year} 年届次。")
    record("create", "cohort", cohort.id, district_id=studio.district_id, user=user,
           summary=f"{studio.name} 开设 {year} 年届次", changes={"开班日期": [None, opened.isoformat()]})
    return cohort


def update_cohort(cohort: Cohort, opened: date | None, plan: str, summary: str, user: Any = None) -> dict[str, Any]:
    user = actor(user)
    require_write(cohort.district_id, user)
    errors = {}
    if opened is None or opened.year != cohort.year:
        errors["opened"] = "开班日期须在该年度内"
    elif opened < cohort.studio.founded:
        errors["opened"] = f"开班日期不能早于工作室成立日期（{cohort.studio.founded.isoformat()}）"
    if len(plan or "") > 5000:
        errors["plan"] = "带教计划不能超过 5000 字"
    if len(summary or "") > 5000:
        errors["summary"] = "年度总结不能超过 5000 字"
    if errors or opened is None:  # opened is None only with an error
        raise MentoringInvalid(errors)
    before = {"开班日期": cohort.opened, "带教计划": cohort.plan, "年度总结": cohort.summary}
    cohort.opened, cohort.plan, cohort.summary = opened, (plan or "").strip(), (summary or "").strip()
    changes = diff(before, {"开班日期": cohort.opened, "带教计划": cohort.plan, "年度总结": cohort.summary})
    if changes:
        db.session.flush()
        record("update", "cohort", cohort.id, district_id=cohort.district_id, user=user,
               summary=f"{cohort.studio.name} {cohort.year} 年届次：修改" + "、".join(changes),
               changes={k: ["…", "…"] if k != "开班日期" else v for k, v in changes.items()})
    return changes


# --- pairings -----------------------------------------------------------------------------------

def cohort_of(studio: Studio, year: int) -> Cohort | None:
    return db.session.execute(
        select(Cohort).where(Cohort.studio_id == studio.id, Cohort.year == year)).unique().scalar_one_or_none()


def create_pairing(cohort: Cohort, mentor_id: Any, mentee_id: Any, start: date | None, end: date | None = None,
                   basis: str = "", user: Any = None) -> Pairing:
    """Pair a mentor with a mentee in a cohort, after every rule of §7 (`rules.check_pairing`).
    The end date defaults to one year. `basis` records why (the suggestion's reason)."""
    user = actor(user)
    studio = cohort.studio
    require_write(cohort.district_id, user)
    if not studio.active:
        raise Refused("工作室已停用，不能新建结对。")
    if start is None:
        raise MentoringInvalid({"start_on": "请输入开始日期"})
    end = end or rules.default_end(start)
    why = rules.dates_refusal(start, end, cohort.year)
    if why:
        raise Refused(why, "start_on" if "开始" in why else "end_on")
    mentor = _visible_worker(mentor_id, user)
    mentee = _visible_worker(mentee_id, user)
    if mentor is None:
        raise MentoringInvalid({"mentor_id": "请选择导师"})
    if mentee is None:
        raise MentoringInvalid({"mentee_id": "请选择带教对象"})
    facts = queries.people([mentor.id, mentee.id], start)
    n = limit()
    why = rules.check_pairing(
        facts[mentor.id], facts[mentee.id], start, district_id=cohort.district_id,
        is_member=queries.is_member(studio.id, mentor.id, start),
        load=queries.loads([mentor.id]).get(mentor.id, 0), limit=n,
        current_mentor=queries.current_mentors([mentee.id]).get(mentee.id))
    if why:
        raise Refused(why)
    slot = queries.free_slot(mentor.id, n)
    if slot is None:  # a smaller limit than the places taken: still full
        raise Refused(rules.capacity_refusal(mentor.name, n, n) or "")
    grounds = "、".join(rules.mentee_grounds(facts[mentee.id], start))
    pairing = Pairing(studio_id=studio.id, cohort_id=cohort.id, district_id=cohort.district_id, year=cohort.year,
                      mentor_id=mentor.id, mentee_id=mentee.id, slot=slot, start_on=start, end_on=end,
                      basis=(basis or grounds)[:200], created_by=actor_name(user))
    db.session.add(pairing)
    _flush(f"{mentee.name} 或导师 {mentor.name} 的结对刚被他人修改，请刷新页面后重试。")
    record("create", "pairing", pairing.id, district_id=cohort.district_id, user=user,
           summary=f"结对：{mentor.name} 带教 {mentee.name}（{studio.name} {cohort.year} 年）",
           changes={"导师": [None, mentor.name], "带教对象": [None, mentee.name],
                    "期间": [None, f"{start.isoformat()} 至 {end.isoformat()}"], "依据": [None, pairing.basis]})
    return pairing


def close_pairing(pairing: Pairing, action: str, on: date | None, evaluation: str | None = None,
                  reason: str = "", user: Any = None) -> None:
    """结业 with an evaluation, or 提前终止 with a reason (the one transition table in rules)."""
    user = actor(user)
    require_write(pairing.district_id, user)
    if on is None:
        raise MentoringInvalid({"closed_on": "请输入日期"})
    why = rules.close_refusal(pairing.status, action, pairing.start_on, pairing.end_on, on, today(),
                              evaluation=evaluation, reason=reason or "")
    if why:
        if pairing.status != rules.ACTIVE:
            raise Conflict(why)
        raise Refused(why)
    before = {"状态": pairing.status, "评价": pairing.evaluation, "原因": pairing.end_reason}
    pairing.status = rules.TRANSITIONS[(pairing.status, action)]
    pairing.closed_on = on
    if action == "graduate":
        pairing.evaluation = evaluation
    else:
        pairing.end_reason = reason.strip()
    db.session.flush()
    record("update", "pairing", pairing.id, district_id=pairing.district_id, user=user,
           summary=f"{pairing.mentor.name} 带教 {pairing.mentee.name}：{pairing.status}"
                   + (f"（{evaluation}）" if action == "graduate" else f"（{reason.strip()}）"),
           changes=diff(before, {"状态": pairing.status, "评价": pairing.evaluation, "原因": pairing.end_reason}))


def add_activity(pairing: Pairing, held_on: date | None, kind: str, hours: Any, notes: str = "",
                 user: Any = None) -> Activity:
    user = actor(user)
    require_write(pairing.district_id, user)
    errors = {}
    try:
        value = rules.parse_hours(hours)
    except ValueError as e:
        errors["hours"] = str(e)
    if held_on is None:
        errors["held_on"] = "请输入活动日期"
    elif why := rules.activity_refusal(held_on, kind, pairing.start_on, pairing.end_on, pairing.closed_on, today()):
        errors["kind" if "形式" in why else "held_on"] = why
    if len(notes or "") > 500:
        errors["notes"] = "活动内容不能超过 500 字"
    if errors or held_on is None:  # held_on is None only with an error
        raise MentoringInvalid(errors)
    activity = Activity(pairing_id=pairing.id, district_id=pairing.district_id, held_on=held_on, kind=kind,
                        tenths=rules.to_tenths(value), notes=(notes or "").strip(), created_by=actor_name(user))
    db.session.add(activity)
    db.session.flush()
    record("create", "mentoring_activity", activity.id, district_id=pairing.district_id, user=user,
           summary=f"{pairing.mentor.name} 带教 {pairing.mentee.name}：{held_on.isoformat()} {kind} {value} 学时",
           changes={"日期": [None, held_on.isoformat()], "形式": [None, kind], "学时": [None, str(value)]})
    return activity


def delete_activity(activity: Activity, user: Any = None) -> None:
    user = actor(user)
    require_write(activity.district_id, user)
    p = activity.pairing
    record("delete", "mentoring_activity", activity.id, district_id=activity.district_id, user=user,
           summary=f"{p.mentor.name} 带教 {p.mentee.name}：删除 {activity.held_on.isoformat()} {activity.kind}",
           changes={"日期": [activity.held_on.isoformat(), None], "学时": [str(activity.hours), None]})
    db.session.delete(activity)
    db.session.flush()


# --- suggestions ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    """One accepted line of a suggestion: the mentee and the mentor (of a studio) chosen."""

    mentee_id: int
    mentor_id: int
    studio_id: int


def default_start(year: int, now: date | None = None) -> date:
    now = now or today()
    return now if now.year == year else date(year, 1, 1)


def accept(district_id: int, year: int, start: date, choices: Sequence[Choice], user: Any = None) -> list[Pairing]:
    """Create every chosen pairing, or none: the first refusal raises (naming the mentee) and
    the caller rolls the whole transaction back."""
    user = actor(user)
    require_write(district_id, user)
    if not choices:
        raise DomainError("没有选中任何结对建议。")
    seen: set[int] = set()
    for c in choices:
        if c.mentee_id in seen:
            raise DomainError("同一名带教对象在建议中出现了两次，未建立任何结对。")
        seen.add(c.mentee_id)
    # Only workers the user may see are looked up: a foreign id reads as missing (no name).
    visible = _visible_ids([x for c in choices for x in (c.mentee_id, c.mentor_id)], user)
    facts = queries.people(sorted(visible), start)
    made = []
    for c in choices:
        mentee = facts.get(c.mentee_id)
        who = mentee.name if mentee else f"#{c.mentee_id}"
        try:
            studio = db.session.get(Studio, c.studio_id)
            if studio is None or studio.district_id != district_id:
                raise Refused("所选工作室不存在或不在本区。")
            cohort = cohort_of(studio, year)
            if cohort is None:
                raise Refused(f"{studio.name} 尚未开设 {year} 年届次。")
            mentor = facts.get(c.mentor_id)
            basis = ""
            if mentor and mentee:
                where = suggest.match_reason(mentor, mentee, 0, 0).split("；")[0]
                basis = where + "；" + "、".join(rules.mentee_grounds(mentee, start))
            made.append(create_pairing(cohort, c.mentor_id, c.mentee_id, start, basis=basis, user=user))
        except Conflict as e:
            raise Conflict(f"{who}：{e.message} 未建立任何结对。") from None
        except DomainError as e:
            raise Refused(f"{who}：{e.message} 未建立任何结对。") from None
    record("create", "pairing", None, district_id=district_id, user=user,
           summary=f"接受 {year} 年结对建议：{len(made)} 对（{start.isoformat()} 起）",
           changes={"year": year, "start": start.isoformat(), "pairs": len(made)})
    return made
