"""Filings through the JSON API: the files of a locked month with their rows and totals, each
file's download, and the withholding agents (read by everyone, written by the city admin)."""
from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask_login import current_user
from marshmallow import Schema, fields, validate

from hr.api import blueprint
from hr.api.routing import route
from hr.workers.views import download
from payroll.filings import agents, services
from payroll.filings.data import require_locked
from payroll.runs import queries

bp = blueprint("filings_api", __name__)
TAGS = ["filings"]


class FilingSchema(Schema):
    key = fields.String(metadata={"description": "kind-street id, for the download"})
    kind = fields.String()
    label = fields.String()
    street_id = fields.Integer()
    street_name = fields.String()
    filename = fields.String()
    rows = fields.Integer()
    total = fields.String(allow_none=True, metadata={"description": "yuan, two decimals"})
    total_label = fields.String()
    where = fields.String()
    url = fields.String()


class FilingListSchema(Schema):
    run_id = fields.Integer()
    district_code = fields.String()
    month = fields.String()
    files = fields.List(fields.Nested(FilingSchema))
    zip_url = fields.String()


class AgentSchema(Schema):
    street_id = fields.Integer()
    street_code = fields.String()
    street_name = fields.String()
    district_code = fields.String()
    district_name = fields.String()
    tax_name = fields.String()
    credit_code = fields.String()


class AgentQuerySchema(Schema):
    district = fields.String(validate=validate.Regexp(r"^[0-9]{6}$"))


class AgentListSchema(Schema):
    items = fields.List(fields.Nested(AgentSchema))


class AgentBodySchema(Schema):
    tax_name = fields.String(required=True, validate=validate.Length(max=64))
    credit_code = fields.String(required=True, validate=validate.Length(max=24))


@route(bp, "GET", "/payroll/runs/<id:run_id>/filings", summary="申报与报送文件清单（仅限已锁定月份）", tags=TAGS,
       response=FilingListSchema, errors=(409,))
def filings_list(run_id: int) -> Any:
    run = queries.get_run(run_id)
    require_locked(run)
    month, files = services.month_files(run, current_user)
    return {
        "run_id": run.id, "district_code": month.district_code, "month": month.label,
        "zip_url": url_for("filings.bundle", run_id=run.id),
        "files": [{"key": f.key, "kind": f.kind, "label": f.label, "street_id": f.street_id,
                   "street_name": f.street_name, "filename": f.filename, "rows": f.rows,
                   "total": f"{f.total:.2f}" if f.total is not None else None, "total_label": f.total_label,
                   "where": f.where, "url": url_for("filings_api.filing_file", run_id=run.id, key=f.key)}
                  for f in files],
    }


class FileQuerySchema(Schema):
    # Not validated here: the run's scope is checked first (another district's run is a 404
    # whatever the key), then an unknown key is a 404 too.
    key = fields.String(load_default="",
                        metadata={"description": "文件清单中的 key，如 wages-12"})


@route(bp, "GET", "/payroll/runs/<id:run_id>/filings/file", summary="下载一个申报文件", tags=TAGS,
       query=FileQuerySchema, errors=(403, 409), description="文件含完整身份证号：只读审计账号答复 403。")
def filing_file(run_id: int, args: dict[str, Any]) -> Response:
    run = queries.get_run(run_id)
    require_locked(run)
    doc = services.build_file(run, current_user, args["key"])
    return download(doc.content, doc.filename, doc.mimetype)


@route(bp, "GET", "/filings/agents", summary="扣缴义务人（街镇的登记名称与统一社会信用代码）", tags=TAGS,
       query=AgentQuerySchema, response=AgentListSchema)
def agents_list(args: dict[str, Any]) -> Any:
    return {"items": [a.__dict__ for a in agents.list_agents(args.get("district"))]}


@route(bp, "PUT", "/filings/agents/<id:street_id>", summary="登记扣缴义务人", tags=TAGS, body=AgentBodySchema,
       response=AgentSchema, admin=True, errors=(422,))
def agent_put(street_id: int, data: dict[str, Any]) -> Any:
    street = agents.get_street(street_id)
    return agents.set_agent(street, data["tax_name"], data["credit_code"], current_user).__dict__
