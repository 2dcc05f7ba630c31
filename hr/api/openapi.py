"""The OpenAPI 3 document, generated from the routes (routing.Operation) and their marshmallow
schemas by apispec: nothing about a resource's shape is written twice."""
from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema, fields
from werkzeug.routing import Rule

from hr.api import PREFIX
from hr.api.routing import BODY_METHODS, IdConverter, Operation
from hr.core.schema import MAX_ID

ERRORS = {
    400: ("BadRequest", "输入有误：errors 按字段列出问题（JSON 格式错误、字段校验失败、CSRF 校验失败）"),
    401: ("Unauthorized", "缺少令牌，或令牌无效、已过期、已撤销"),
    403: ("Forbidden", "角色无权执行此操作（只读审计账号不能写入；部分操作仅限市级管理员）"),
    404: ("NotFound", "记录不存在，或不在您的管辖范围内（两者不作区分）"),
    409: ("Conflict", "与当前状态冲突：数据已被他人修改（version 过期）、月份已锁定、状态不允许此操作"),
    413: ("PayloadTooLarge", "请求体过大"),
    415: ("UnsupportedMediaType", "请求体须为 application/json"),
    422: ("UnprocessableEntity", "业务规则拒绝（error 说明原因）"),
}
ALWAYS = (400, 401, 404)
WRITES = (403, 409, 413, 415, 422)

DESCRIPTION = """社区工作者人事薪酬系统的 JSON API。

**认证**：在“我的账号”页面（或 `flask users token 用户名`）创建个人 API 令牌，请求时携带
`Authorization: Bearer <令牌>`。令牌与其账号的角色和管辖范围相同：区人事专员只能看到和修改本区的数据，
其他区的记录一律答复 404；只读审计账号的写操作答复 403。浏览器登录会话也可用于 GET 请求；
会话下的写操作须携带 `X-CSRFToken` 头。

**列表**：`page`、`per_page`（≤ 200）分页，返回 `{"items": [...], "page", "per_page", "total"}`。

**格式**：金额为两位小数的字符串（如 `"9811.50"`），日期为 `YYYY-MM-DD`，月份为 `YYYY-MM`，
时间为带时区的 ISO 8601。列表中的身份证号脱敏（前 6 位和后 4 位）。

**错误**：`{"error": "说明"}`，输入有误时另有 `"errors": {"字段": ["问题", ...]}`。"""


class ErrorSchema(Schema):
    error = fields.String(required=True, metadata={"description": "错误说明（中文）"})
    errors = fields.Dict(metadata={"description": "按字段列出的问题：{字段: [问题, ...]}；批量输入按序号或键嵌套"})
    field = fields.String(metadata={"description": "出错的字段（如有）"})


def _schema_name(schema: Any) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    if not isinstance(schema, type) and (schema.only or schema.exclude or schema.partial):
        raise ValueError(f"{cls.__name__}: give the API a schema class, not a modified instance")
    return name


def _path_and_params(rule: Rule) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for name, conv in rule._converters.items():
        if isinstance(conv, IdConverter):
            schema: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        else:
            schema = {"type": "string"}
        params.append({"in": "path", "name": name, "required": True, "schema": schema})
    path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
    return path, params


def _operation(endpoint: str, op: Operation, path_params: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operationId": endpoint.split(".", 1)[-1],
        "summary": op.summary,
        "tags": op.tags,
        "parameters": list(path_params),
    }
    description = op.description
    if op.admin:
        description = (description + "\n\n" if description else "") + "仅限市级管理员。"
    if description:
        out["description"] = description
    if op.query is not None:
        out["parameters"].append({"in": "query", "schema": op.query})
    body = op.body_json or op.body
    if body is not None:
        out["requestBody"] = {"required": op.body_required,
                              "content": {"application/json": {"schema": body}}}
    responses: dict[str, Any] = {}
    for code in (op.status, *op.also):
        success: dict[str, Any] = {"description": "无内容" if code == 204 else "成功"}
        response = op.response_json or op.response
        if response is not None:
            success["content"] = {"application/json": {"schema": response}}
        responses[str(code)] = success
    codes = set(ALWAYS) | set(op.errors)
    if op.method in BODY_METHODS or op.method == "DELETE":
        codes |= {413, 415} | (set() if op.readonly else set(WRITES))
    for code in sorted(codes):
        responses[str(code)] = ERRORS[code][0]
    out["responses"] = responses
    return out


def _self_described(self: Any, field: fields.Field, ret: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A custom field (payroll's MoneyText, MonthText) says what it accepts via `openapi()`."""
    describe = getattr(field, "openapi", None)
    return describe() if callable(describe) else {}


def build(app: Flask) -> dict[str, Any]:
    plugin = MarshmallowPlugin(schema_name_resolver=_schema_name)
    spec = APISpec(
        title="社区工作者人事薪酬系统 API", version="1.0.0", openapi_version="3.0.3",
        plugins=[plugin], info={"description": DESCRIPTION},
    )
    assert plugin.converter is not None
    plugin.converter.add_attribute_function(_self_described)
    spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer",
        "description": "个人 API 令牌（shq_ 开头），在“我的账号”页面或用 `flask users token` 创建"})
    spec.components.schema("Error", schema=ErrorSchema)
    for code, (name, text) in ERRORS.items():
        spec.components.response(name, {
            "description": f"{code}：{text}",
            "content": {"application/json": {"schema": "Error"}}})
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        op = getattr(app.view_functions.get(rule.endpoint), "api_operation", None)
        if op is None:
            continue
        for component in op.components:
            name = _schema_name(component)
            if name not in spec.components.schemas:
                spec.components.schema(name, schema=component)
        path, params = _path_and_params(rule)
        paths.setdefault(path, {})[op.method.lower()] = _operation(rule.endpoint, op, params)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    doc = spec.to_dict()
    doc["security"] = [{"bearerAuth": []}]
    doc["tags"] = [{"name": name, "description": text} for name, text in TAGS.items()]
    return doc


TAGS = {
    "org": "组织机构：区、街镇、居村委",
    "workers": "社工名册",
    "grades": "岗位等级：任职记录、年度考核、年度晋级",
    "mentoring": "优秀书记工作室与结对带教",
    "payroll": "工资发放：月度工资、工资条、试算",
    "meta": "API 说明文档",
}


def spec_for(app: Flask) -> dict[str, Any]:
    """Built once per application (the routes do not change after start-up)."""
    if "api_openapi" not in app.extensions:
        app.extensions["api_openapi"] = build(app)
    return app.extensions["api_openapi"]
