"""Withholding agents (扣缴义务人): each street/town's name as registered with the tax office
and its unified social credit code (统一社会信用代码), checked with python-stdnum's GB 32100
validator. Kept by the city administrator; services flush, the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from hr.accounts.scope import require_admin
from hr.audit.services import record
from hr.core.db import db
from hr.core.errors import DomainError, NotFound
from hr.org.models import District, Street


class InvalidAgent(DomainError):
    """Bad name or credit code; `errors` maps field → Chinese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Agent:
    street_id: int
    street_code: str
    street_name: str
    district_code: str
    district_name: str
    tax_name: str
    credit_code: str

    @property
    def complete(self) -> bool:
        return bool(self.tax_name and self.credit_code)


def check_credit_code(raw: str) -> str:
    """The code in its compact form, or InvalidAgent saying what is wrong (GB 32100-2015)."""
    text = (raw or "").strip()
    try:
        return str(uscc.validate(text))
    except InvalidLength:
        message = f"统一社会信用代码应为 18 位，当前为 {len(uscc.compact(text))} 位"
    except InvalidChecksum:
        message = "统一社会信用代码校验位错误（GB 32100-2015）"
    except ValidationError:
        message = "统一社会信用代码格式错误：前 8 位为数字，其余为数字或大写字母（不含 I、O、Z、S、V）"
    raise InvalidAgent({"credit_code": message})


def _agent(s: Street) -> Agent:
    return Agent(s.id, s.code, s.name, s.district.code, s.district.name, s.tax_name or "", s.credit_code or "")


def list_agents(district_code: str | None = None) -> list[Agent]:
    stmt = select(Street).join(District).order_by(Street.code)
    if district_code:
        stmt = stmt.where(District.code == district_code)
    return [_agent(s) for s in db.session.execute(stmt).scalars()]


def get_street(street_id: int) -> Street:
    street = db.session.get(Street, street_id)
    if street is None:
        raise NotFound("街镇不存在。")
    return street


def set_agent(street: Street, tax_name: str, credit_code: str, user: Any = None) -> Agent:
    """Record a street's withholding agent (city administrators only)."""
    require_admin(user)
    errors: dict[str, str] = {}
    name = (tax_name or "").strip()
    if not name:
        errors["tax_name"] = "请填写扣缴义务人名称"
    elif len(name) > 64:
        errors["tax_name"] = "扣缴义务人名称不能超过 64 个字"
    code = ""
    try:
        code = check_credit_code(credit_code)
    except InvalidAgent as e:
        errors.update(e.errors)
    if not errors:
        other = db.session.execute(
            select(Street).where(Street.credit_code == code, Street.id != street.id)).scalar_one_or_none()
        if other is not None:
            errors["credit_code"] = f"该统一社会信用代码已用于{other.district.name}{other.name}"
    if errors:
        raise InvalidAgent(errors)
    before = {"tax_name": street.tax_name, "credit_code": street.credit_code}
    street.tax_name, street.credit_code = name, code
    db.session.flush()
    record("update", "street", street.id, district_id=street.district_id, user=user,
           summary=f"扣缴义务人 {street.district.name}{street.name}：{name}",
           changes={k: [v, getattr(street, k)] for k, v in before.items() if v != getattr(street, k)})
    return _agent(street)


def demo_credit_code(street_code: str, district_code: str) -> str:
    """A well-formed code for the demo: 11 (机关), the district's division code, an organisation
    code made from the street code with its GB 11714 check character, then the GB 32100 one."""
    org = street_code[-8:].rjust(8, "0")
    weighted = sum(int(c) * w for c, w in zip(org, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - weighted % 11
    body = "11" + district_code[:6] + org + {10: "X", 11: "0"}.get(check, str(check))
    return body + str(uscc.calc_check_digit(body))
