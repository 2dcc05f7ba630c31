"""Posts and grades: the timeline (assignments), annual ratings (assessments) and the
promotion run's proposals and their approval, through hr.grades.services and .promotion."""
from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select

from hr.accounts.scope import district_filter, get_in_scope, get_worker
from hr.api import bp
from hr.api.common import chosen_district
from hr.api.pagination import page_of, paginate, slice_page, with_paging
from hr.api.routing import route
from hr.core.db import db
from hr.core.errors import NotFound, ValidationError
from hr.core.timeutil import today
from hr.grades import promotion, services
from hr.grades.models import Assessment, Assignment
from hr.grades.schemas import (
    AssessmentQuerySchema,
    AssessmentSchema,
    AssignmentQuerySchema,
    AssignmentSchema,
    CorrectionSchema,
    EntryGradeSchema,
    PostChangeSchema,
    PromotionApproveSchema,
    PromotionLineSchema,
    PromotionQuerySchema,
    PromotionResultSchema,
    QualificationGradeSchema,
    RatingBatchSchema,
    RatingCountsSchema,
    RatingSchema,
)
from hr.workers.models import Worker

TAGS = ["grades"]


def _created(a: Assignment) -> Any:
    return AssignmentSchema().dump(a), 201, {"Location": url_for("api.assignment_get", assignment_id=a.id)}


# --- the timeline ---------------------------------------------------------------------------

@route(bp, "GET", "/assignments", summary="任职记录（岗位等级时间线）", tags=TAGS,
       query=with_paging(AssignmentQuerySchema), response=page_of(AssignmentSchema),
       description="按职工、生效日期排列。某日有效的是生效日期不晚于该日的最后一条（同日取 id 最大者）。")
def assignments_list(args: dict[str, Any]) -> Any:
    stmt = select(Assignment).where(district_filter(Assignment.district_id))
    for key, col in (("worker_id", Assignment.worker_id), ("district_id", Assignment.district_id),
                     ("post", Assignment.post), ("reason", Assignment.reason)):
        if args.get(key) is not None:
            stmt = stmt.where(col == args[key])
    if args.get("effective_from"):
        stmt = stmt.where(Assignment.effective >= args["effective_from"])
    if args.get("effective_to"):
        stmt = stmt.where(Assignment.effective <= args["effective_to"])
    stmt = stmt.order_by(Assignment.worker_id, Assignment.effective, Assignment.id)
    return paginate(stmt, args, AssignmentSchema())


@route(bp, "GET", "/assignments/<id:assignment_id>", summary="一条任职记录", tags=TAGS,
       response=AssignmentSchema)
def assignment_get(assignment_id: int) -> Any:
    return AssignmentSchema().dump(get_in_scope(Assignment, assignment_id))


@route(bp, "POST", "/workers/<id:worker_id>/assignments/entry", summary="入职定级", tags=TAGS,
       body=EntryGradeSchema, response=AssignmentSchema, status=201)
def assignment_entry(worker_id: int, data: dict[str, Any]) -> Any:
    worker = get_worker(worker_id)
    return _created(services.assign_entry(worker, data["post"], data["grade"], data["note"]))


@route(bp, "POST", "/workers/<id:worker_id>/assignments/post-change", summary="调整岗位", tags=TAGS,
       body=PostChangeSchema, response=AssignmentSchema, status=201)
def assignment_post_change(worker_id: int, data: dict[str, Any]) -> Any:
    worker = get_worker(worker_id)
    return _created(services.change_post(worker, data["post"], data["effective"], data["note"]))


@route(bp, "POST", "/workers/<id:worker_id>/assignments/<id:assignment_id>/correction", summary="纠错",
       tags=TAGS, body=CorrectionSchema, response=AssignmentSchema, status=201)
def assignment_correction(worker_id: int, assignment_id: int, data: dict[str, Any]) -> Any:
    worker = get_worker(worker_id)
    target = get_in_scope(Assignment, assignment_id)
    if target.worker_id != worker.id:
        raise NotFound("记录不存在或不在您的管辖范围内。")
    return _created(services.correct(worker, target.id, data["post"], data["grade"], data["note"]))


@route(bp, "POST", "/workers/<id:worker_id>/assignments/qualification", summary="职业资格晋级", tags=TAGS,
       body=QualificationGradeSchema, body_required=False, response=AssignmentSchema, status=201)
def assignment_qualification(worker_id: int, data: dict[str, Any]) -> Any:
    worker = get_worker(worker_id)
    return _created(services.apply_qualification(worker, data.get("effective")))


# --- annual ratings -----------------------------------------------------------------------------

@route(bp, "GET", "/assessments", summary="年度考核结果", tags=TAGS, query=with_paging(AssessmentQuerySchema),
       response=page_of(AssessmentSchema))
def assessments_list(args: dict[str, Any]) -> Any:
    stmt = select(Assessment).where(district_filter(Assessment.district_id))
    for key, col in (("worker_id", Assessment.worker_id), ("district_id", Assessment.district_id),
                     ("year", Assessment.year), ("rating", Assessment.rating)):
        if args.get(key) is not None:
            stmt = stmt.where(col == args[key])
    return paginate(stmt.order_by(Assessment.year.desc(), Assessment.worker_id), args, AssessmentSchema())


@route(bp, "GET", "/assessments/<id:assessment_id>", summary="一条年度考核结果", tags=TAGS,
       response=AssessmentSchema)
def assessment_get(assessment_id: int) -> Any:
    return AssessmentSchema().dump(get_in_scope(Assessment, assessment_id))


@route(bp, "PUT", "/workers/<id:worker_id>/assessments/<id:year>", summary="录入或清除一名职工某年度的考核结果",
       tags=TAGS, body=RatingSchema, response=RatingCountsSchema)
def assessment_put(worker_id: int, year: int, data: dict[str, Any]) -> Any:
    worker = get_worker(worker_id)
    return RatingCountsSchema().dump(services.save_ratings([(worker, year, data["rating"])]))


@route(bp, "POST", "/assessments/batch", summary="批量录入考核结果（全部成功或全部不保存）", tags=TAGS,
       body=RatingBatchSchema, response=RatingCountsSchema,
       description="rating 为 null 清除该年度结果。有错误时答复 400，errors 的键为 “职工id/年度”。")
def assessments_batch(data: dict[str, Any]) -> Any:
    ids = sorted({item["worker_id"] for item in data["items"]})
    workers: dict[int, Worker] = {}
    for i in range(0, len(ids), 900):
        workers.update({w.id: w for w in db.session.execute(
            select(Worker).where(Worker.id.in_(ids[i:i + 900]), district_filter(Worker.district_id))
        ).unique().scalars()})
    missing = [i for i in ids if i not in workers]
    if missing:
        raise NotFound(f"职工 {missing[0]} 不存在或不在您的管辖范围内。")
    items = [(workers[x["worker_id"]], x["year"], x["rating"]) for x in data["items"]]
    return RatingCountsSchema().dump(services.save_ratings(items))


# --- the promotion run ----------------------------------------------------------------------------

def _run_year() -> int:
    d = today()
    return d.year + 1 if d.month == 12 else d.year


@route(bp, "GET", "/promotions", summary="年度晋级建议", tags=TAGS, query=with_paging(PromotionQuerySchema),
       response=page_of(PromotionLineSchema),
       description="按规则为某区测算该年 1 月 1 日的晋级建议（含不晋级的说明），按街镇、居委会、姓名排列。")
def promotions_list(args: dict[str, Any]) -> Any:
    district = chosen_district(args.get("district_id"))
    year = args.get("year") or _run_year()
    lines = promotion.compute(district.id, year)
    filters = {k: str(args.get(k) or "") for k in ("kind", "post", "q")}
    filters["street"] = str(args.get("street_id") or "")
    return slice_page(promotion.filtered(lines, filters), args, PromotionLineSchema())


@route(bp, "POST", "/promotions/approve", summary="批准晋级", tags=TAGS, body=PromotionApproveSchema,
       response=PromotionResultSchema, approval=True,
       description="重新测算后写入所选职工（或全部可审批职工）的晋级记录，生效日期为该年 1 月 1 日。")
def promotions_approve(data: dict[str, Any]) -> Any:
    district = chosen_district(data.get("district_id"))
    year = data["year"]
    if year > today().year + 1:
        raise ValidationError(f"年度不能晚于 {today().year + 1} 年", "year")
    if data.get("all"):
        ids = [line.worker_id for line in promotion.compute(district.id, year) if line.approvable]
    else:
        ids = list(data["worker_ids"])
    n = promotion.approve(district.id, year, ids) if ids else 0
    return PromotionResultSchema().dump({"district_id": district.id, "year": year, "approved": n})
