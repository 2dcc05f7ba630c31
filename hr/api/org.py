"""Districts, streets and committees. Readable within the user's district (an officer sees
only their own district's units, as with every other resource); added and renamed by the
city administrator through hr.org.services."""
from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select

from hr.accounts.scope import district_filter, get_in_scope, require_admin
from hr.api import bp
from hr.api.pagination import page_of, paginate, with_paging
from hr.api.routing import route
from hr.core.db import db
from hr.core.errors import NotFound
from hr.org import services
from hr.org.models import Committee, District, Street
from hr.org.schemas import (
    CommitteeCreateSchema,
    CommitteeQuerySchema,
    CommitteeSchema,
    DistrictSchema,
    OrgQuerySchema,
    RenameSchema,
    StreetCreateSchema,
    StreetQuerySchema,
    StreetSchema,
)

TAGS = ["org"]


def _named(stmt: Any, model: Any, args: dict[str, Any]) -> Any:
    if args.get("q"):
        stmt = stmt.where(model.name.contains(args["q"], autoescape=True))
    if args.get("code"):
        stmt = stmt.where(model.code.startswith(args["code"], autoescape=True))
    return stmt


def get_district(district_id: int) -> District:
    return get_in_scope(District, district_id, district_attr="id")


def get_street(street_id: int) -> Street:
    return get_in_scope(Street, street_id)


def get_committee(committee_id: int) -> Committee:
    c = db.session.execute(
        select(Committee).join(Committee.street)
        .where(Committee.id == committee_id, district_filter(Street.district_id))
    ).unique().scalar_one_or_none()
    if c is None:
        raise NotFound("记录不存在或不在您的管辖范围内。")
    return c


@route(bp, "GET", "/districts", summary="区列表", tags=TAGS, query=with_paging(OrgQuerySchema),
       response=page_of(DistrictSchema))
def districts_list(args: dict[str, Any]) -> Any:
    stmt = _named(select(District).where(district_filter(District.id)), District, args)
    return paginate(stmt.order_by(District.code), args, DistrictSchema())


@route(bp, "GET", "/districts/<id:district_id>", summary="一个区", tags=TAGS, response=DistrictSchema)
def district_get(district_id: int) -> Any:
    return DistrictSchema().dump(get_district(district_id))


@route(bp, "GET", "/streets", summary="街镇列表", tags=TAGS, query=with_paging(StreetQuerySchema),
       response=page_of(StreetSchema))
def streets_list(args: dict[str, Any]) -> Any:
    stmt = _named(select(Street).where(district_filter(Street.district_id)), Street, args)
    if args.get("district_id"):
        stmt = stmt.where(Street.district_id == args["district_id"])
    if args.get("kind"):
        stmt = stmt.where(Street.kind == args["kind"])
    return paginate(stmt.order_by(Street.code), args, StreetSchema())


@route(bp, "GET", "/streets/<id:street_id>", summary="一个街镇", tags=TAGS, response=StreetSchema)
def street_get(street_id: int) -> Any:
    return StreetSchema().dump(get_street(street_id))


@route(bp, "POST", "/streets", summary="新增街镇", tags=TAGS, body=StreetCreateSchema, response=StreetSchema,
       status=201, admin=True, description="代码按类型自动编排（街道 001 起、镇 100 起、乡 200 起）。")
def street_create(data: dict[str, Any]) -> Any:
    require_admin()
    street = services.add_street(get_district(data["district_id"]), data["name"], data["kind"])
    return StreetSchema().dump(street), 201, {"Location": url_for("api.street_get", street_id=street.id)}


@route(bp, "PATCH", "/streets/<id:street_id>", summary="街镇更名", tags=TAGS, body=RenameSchema,
       response=StreetSchema, admin=True)
def street_rename(street_id: int, data: dict[str, Any]) -> Any:
    require_admin()
    street = get_street(street_id)
    services.rename_street(street, data["name"])
    return StreetSchema().dump(street)


@route(bp, "GET", "/committees", summary="居村委列表", tags=TAGS, query=with_paging(CommitteeQuerySchema),
       response=page_of(CommitteeSchema))
def committees_list(args: dict[str, Any]) -> Any:
    stmt = _named(select(Committee).join(Committee.street).where(district_filter(Street.district_id)),
                  Committee, args)
    if args.get("district_id"):
        stmt = stmt.where(Street.district_id == args["district_id"])
    if args.get("street_id"):
        stmt = stmt.where(Committee.street_id == args["street_id"])
    if args.get("kind"):
        stmt = stmt.where(Committee.kind == args["kind"])
    return paginate(stmt.order_by(Committee.code), args, CommitteeSchema())


@route(bp, "GET", "/committees/<id:committee_id>", summary="一个居村委", tags=TAGS, response=CommitteeSchema)
def committee_get(committee_id: int) -> Any:
    return CommitteeSchema().dump(get_committee(committee_id))


@route(bp, "POST", "/committees", summary="新增居村委", tags=TAGS, body=CommitteeCreateSchema,
       response=CommitteeSchema, status=201, admin=True)
def committee_create(data: dict[str, Any]) -> Any:
    require_admin()
    committee = services.add_committee(get_street(data["street_id"]), data["name"], data["kind"])
    return (CommitteeSchema().dump(committee), 201,
            {"Location": url_for("api.committee_get", committee_id=committee.id)})


@route(bp, "PATCH", "/committees/<id:committee_id>", summary="居村委更名", tags=TAGS, body=RenameSchema,
       response=CommitteeSchema, admin=True)
def committee_rename(committee_id: int, data: dict[str, Any]) -> Any:
    require_admin()
    committee = get_committee(committee_id)
    services.rename_committee(committee, data["name"])
    return CommitteeSchema().dump(committee)
