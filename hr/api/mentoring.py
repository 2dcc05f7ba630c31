"""Studios (with members and cohorts), pairings and their activities, through
hr.mentoring.services; every query is scoped by the studio's district."""
from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select

from hr.accounts.scope import district_filter, get_in_scope
from hr.api import bp
from hr.api.common import chosen_district
from hr.api.pagination import page_of, paginate, with_paging
from hr.api.routing import route
from hr.core.errors import DomainError
from hr.mentoring import queries, services
from hr.mentoring.models import Activity, Pairing, Studio
from hr.mentoring.schemas import (
    ActivityCreateSchema,
    ActivityQuerySchema,
    ActivitySchema,
    CohortCreateSchema,
    CohortSchema,
    MemberCreateSchema,
    PairingCloseSchema,
    PairingCreateSchema,
    PairingQuerySchema,
    PairingSchema,
    StudioCreateSchema,
    StudioDetailSchema,
    StudioMemberSchema,
    StudioQuerySchema,
    StudioSchema,
    StudioUpdateSchema,
)

TAGS = ["mentoring"]


def _studio_json(studio: Studio) -> dict[str, Any]:
    """StudioDetailSchema: the studio with its members and cohorts."""
    out: dict[str, Any] = StudioSchema().dump(studio)
    out["members"] = StudioMemberSchema(many=True).dump(queries.members_of(studio.id))
    out["cohorts"] = CohortSchema(many=True).dump(queries.cohorts_of(studio.id))
    return out


# --- studios ----------------------------------------------------------------------------------

@route(bp, "GET", "/studios", summary="优秀书记工作室", tags=TAGS, query=with_paging(StudioQuerySchema),
       response=page_of(StudioSchema))
def studios_list(args: dict[str, Any]) -> Any:
    stmt = select(Studio).where(district_filter(Studio.district_id))
    if args.get("district_id"):
        stmt = stmt.where(Studio.district_id == args["district_id"])
    if args.get("active") is not None:
        stmt = stmt.where(Studio.active.is_(args["active"]))
    return paginate(stmt.order_by(Studio.district_id, Studio.id), args, StudioSchema())


@route(bp, "GET", "/studios/<id:studio_id>", summary="一个工作室（含成员和届次）", tags=TAGS,
       response=StudioDetailSchema)
def studio_get(studio_id: int) -> Any:
    return _studio_json(queries.get_studio(studio_id))


@route(bp, "POST", "/studios", summary="新建工作室", tags=TAGS, body=StudioCreateSchema,
       response=StudioDetailSchema, status=201)
def studio_create(data: dict[str, Any]) -> Any:
    district = chosen_district(data.pop("district_id", None))
    studio = services.create_studio(district.id, data)
    return _studio_json(studio), 201, {"Location": url_for("api.studio_get", studio_id=studio.id)}


@route(bp, "PATCH", "/studios/<id:studio_id>", summary="修改工作室", tags=TAGS, body=StudioUpdateSchema,
       response=StudioDetailSchema)
def studio_update(studio_id: int, data: dict[str, Any]) -> Any:
    studio = queries.get_studio(studio_id)
    merged = {k: getattr(studio, k) for k in services.STUDIO_FIELDS} | data
    services.update_studio(studio, merged)
    return _studio_json(studio)


@route(bp, "POST", "/studios/<id:studio_id>/members", summary="导师加入工作室", tags=TAGS,
       body=MemberCreateSchema, response=StudioMemberSchema, status=201)
def studio_member_add(studio_id: int, data: dict[str, Any]) -> Any:
    member = services.add_member(queries.get_studio(studio_id), data["worker_id"], data["joined"])
    return StudioMemberSchema().dump(member), 201


@route(bp, "POST", "/studios/<id:studio_id>/cohorts", summary="开设年度届次", tags=TAGS,
       body=CohortCreateSchema, response=CohortSchema, status=201)
def studio_cohort_add(studio_id: int, data: dict[str, Any]) -> Any:
    cohort = services.create_cohort(queries.get_studio(studio_id), data["year"], data["opened"], data["plan"])
    return CohortSchema().dump(cohort), 201


# --- pairings ---------------------------------------------------------------------------------

@route(bp, "GET", "/pairings", summary="结对带教", tags=TAGS, query=with_paging(PairingQuerySchema),
       response=page_of(PairingSchema))
def pairings_list(args: dict[str, Any]) -> Any:
    stmt = queries.pairings_stmt(district_id=args.get("district_id"), year=args.get("year"),
                                 studio_id=args.get("studio_id"), status=args.get("status"))
    if args.get("mentor_id"):
        stmt = stmt.where(Pairing.mentor_id == args["mentor_id"])
    if args.get("mentee_id"):
        stmt = stmt.where(Pairing.mentee_id == args["mentee_id"])
    return paginate(stmt, args, PairingSchema())


@route(bp, "GET", "/pairings/<id:pairing_id>", summary="一对结对", tags=TAGS, response=PairingSchema)
def pairing_get(pairing_id: int) -> Any:
    return PairingSchema().dump(queries.get_pairing(pairing_id))


@route(bp, "POST", "/pairings", summary="建立结对", tags=TAGS, body=PairingCreateSchema, response=PairingSchema,
       status=201, description="按《薪酬规则》§7 检查导师资格、带教对象条件、导师名额等；不符合时答复 422 并说明原因。")
def pairing_create(data: dict[str, Any]) -> Any:
    studio = queries.get_studio(data["studio_id"])
    cohort = services.cohort_of(studio, data["year"])
    if cohort is None:
        raise DomainError(f"{studio.name} 尚未开设 {data['year']} 年届次，请先开设届次。", "year")
    p = services.create_pairing(cohort, data["mentor_id"], data["mentee_id"], data["start_on"], data["end_on"],
                                basis=data["basis"])
    return PairingSchema().dump(p), 201, {"Location": url_for("api.pairing_get", pairing_id=p.id)}


@route(bp, "POST", "/pairings/<id:pairing_id>/close", summary="结业或提前终止", tags=TAGS,
       body=PairingCloseSchema, response=PairingSchema)
def pairing_close(pairing_id: int, data: dict[str, Any]) -> Any:
    p = queries.get_pairing(pairing_id)
    services.close_pairing(p, data["action"], data["closed_on"], data["evaluation"], data["reason"])
    return PairingSchema().dump(p)


# --- activities -------------------------------------------------------------------------------

@route(bp, "GET", "/activities", summary="带教活动", tags=TAGS, query=with_paging(ActivityQuerySchema),
       response=page_of(ActivitySchema))
def activities_list(args: dict[str, Any]) -> Any:
    stmt = select(Activity).where(district_filter(Activity.district_id))
    for key, col in (("pairing_id", Activity.pairing_id), ("district_id", Activity.district_id),
                     ("kind", Activity.kind)):
        if args.get(key) is not None:
            stmt = stmt.where(col == args[key])
    if args.get("held_from"):
        stmt = stmt.where(Activity.held_on >= args["held_from"])
    if args.get("held_to"):
        stmt = stmt.where(Activity.held_on <= args["held_to"])
    return paginate(stmt.order_by(Activity.held_on.desc(), Activity.id.desc()), args, ActivitySchema())


@route(bp, "GET", "/activities/<id:activity_id>", summary="一次带教活动", tags=TAGS, response=ActivitySchema)
def activity_get(activity_id: int) -> Any:
    return ActivitySchema().dump(get_in_scope(Activity, activity_id))


@route(bp, "POST", "/activities", summary="登记带教活动", tags=TAGS, body=ActivityCreateSchema,
       response=ActivitySchema, status=201)
def activity_create(data: dict[str, Any]) -> Any:
    p = queries.get_pairing(data["pairing_id"])
    a = services.add_activity(p, data["held_on"], data["kind"], data["hours"], data["notes"])
    return ActivitySchema().dump(a), 201, {"Location": url_for("api.activity_get", activity_id=a.id)}


@route(bp, "DELETE", "/activities/<id:activity_id>", summary="删除带教活动", tags=TAGS, status=204)
def activity_delete(activity_id: int) -> Any:
    services.delete_activity(get_in_scope(Activity, activity_id))
    return None, 204
