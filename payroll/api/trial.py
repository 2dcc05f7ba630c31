"""The trial calculation (工资试算): `POST /api/v1/payroll/preview`, one case or a list of up to
500, answered month by month; nothing is stored, so a read-only account may call it too."""
from __future__ import annotations

from typing import Any

from hr.api.routing import json_body, route
from payroll.api import bp
from payroll.trial import service
from payroll.trial.schema import TrialCaseSchema, TrialResultSchema

CASE = {"$ref": "#/components/schemas/TrialCase"}
RESULT = {"$ref": "#/components/schemas/TrialResult"}


@route(bp, "POST", "/payroll/preview", summary="工资试算", tags=["payroll"], readonly=True,
       components=(TrialCaseSchema, TrialResultSchema),
       body_json={"oneOf": [CASE, {"type": "array", "items": CASE, "minItems": 1, "maxItems": 500}]},
       response_json={"oneOf": [RESULT, {"type": "array", "items": RESULT}]},
       description="请求体为一个试算案例，或由案例组成的数组（1–500 个），答复相应为一个结果或结果数组。"
                   "输入有误时答复 400：单个案例 errors 按字段列出；数组时按序号（\"0\"、\"1\"…）分组。")
def preview() -> Any:
    payload = json_body(required=True)
    return service.run(payload)
