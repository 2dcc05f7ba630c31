"""`GET /api/v1/stats/workforce`: the figures of a year for the city, a district or a street, on
an API blueprint of its own (same /api/v1 prefix, same tokens, scope and errors)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hr.api import blueprint
from hr.api.routing import route
from hr.core.timeutil import today
from stats import service
from stats.schemas import WorkforceQuerySchema, WorkforceSchema

if TYPE_CHECKING:
    from flask import Flask

bp = blueprint("stats_api", __name__)


@route(bp, "GET", "/stats/workforce", summary="社区工作者队伍建设统计", tags=["stats"], query=WorkforceQuerySchema,
       response=WorkforceSchema, errors=(),
       description="年度在职人数、年龄、性别、学历、政治面貌、职业资格、岗位等级、工作年限、入职离职、"
                   "工资条实发数据、晋级和传帮带。区人事专员只能查询本区（其他区答复 404）；"
                   "市级账号缺省为全市，可按区、街镇查询。")
def workforce(args: dict[str, Any]) -> Any:
    report = service.workforce(args.get("year") or today().year, None, args.get("district_id"),
                               args.get("street_id"))
    return report.as_json()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
