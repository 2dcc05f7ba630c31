"""The staff register: validating, creating, editing and recording departures of workers."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from hr.accounts.scope import require_write
from hr.audit.services import diff, record
from hr.core.db import db
from hr.core.errors import Conflict, DomainError
from hr.core.timeutil import today
from hr.core.vocabulary import EDUCATIONS, POLITICAL_STATUSES, QUALIFICATIONS
from hr.org.models import Committee
from hr.workers import idcard
from hr.workers.models import QualificationRecord, Worker

# Han characters include the extension planes (生僻字 in names such as 𠮷); digits are ASCII.
NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134fA-Za-z·• ]{2,32}$")
PHONE = re.compile(r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")
ACCOUNT = re.compile(r"^[0-9]{10,30}$")


def _ascii(value: Any) -> str:
    """Full-width digits and letters, as Chinese input methods type them, as ASCII."""
    return unicodedata.normalize("NFKC", value or "").strip()

# Fields an officer edits; status and leave data change through record_departure only.
EDITABLE = (
    "name", "id_number", "phone", "education", "political_status", "qualification",
    "qualification_date", "hire_date", "prior_years", "committee_id", "shiye", "reserve_cadre",
    "bank_name", "bank_account", "first_job",
)


class WorkerInvalid(DomainError):
    """Several fields at fault: `errors` maps field to message."""

    status = 400

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(errors.values()))
        self.errors = errors


@dataclass
class Cleaned:
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)


def clean(data: dict[str, Any], *, today_: date | None = None) -> Cleaned:
    """Check a worker's fields against the register's rules. `data` holds parsed Python
    values (str, date, int, bool, committee_id). Returns normalised values and Chinese errors."""
    now = today_ or today()
    v: dict[str, Any] = {}
    err: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        err["name"] = "姓名不能为空"
    elif not NAME.match(name):
        err["name"] = "姓名须为 2–32 个汉字或字母"
    v["name"] = name
    birth = None
    try:
        info = idcard.parse(data.get("id_number") or "")
        v["id_number"], v["birth_date"], v["gender"] = info.number, info.birth_date, info.gender
        birth = info.birth_date
    except idcard.InvalidIdNumber as e:
        err["id_number"] = str(e)
    phone = _ascii(data.get("phone")).replace(" ", "")
    if phone and not PHONE.match(phone):
        err["phone"] = "手机号须为 11 位手机号码或带区号的固定电话"
    v["phone"] = phone
    for key, allowed, what in (
        ("education", EDUCATIONS, "学历"),
        ("political_status", POLITICAL_STATUSES, "政治面貌"),
        ("qualification", QUALIFICATIONS, "职业资格"),
    ):
        value = (data.get(key) or "").strip()
        if key == "qualification" and not value:
            value = "无"
        if value not in allowed:
            err[key] = f"{what}须为 {'/'.join(allowed)} 之一"
        v[key] = value
    qdate = data.get("qualification_date")
    if v.get("qualification") not in (None, "无"):
        if qdate is None:
            err["qualification_date"] = "有职业资格时须填写取得日期"
        elif qdate > now:
            err["qualification_date"] = "资格取得日期不能晚于今天"
    else:
        qdate = None
    v["qualification_date"] = qdate
    hire = data.get("hire_date")
    if hire is None:
        err["hire_date"] = "入职日期不能为空"
    elif hire.year < 1980 or hire > date(now.year + 1, now.month, 1):
        err["hire_date"] = "入职日期超出合理范围（1980 年至明年）"
    elif birth and (hire.year - birth.year) < 16:
        err["hire_date"] = "入职时未满 16 周岁，请核对入职日期或身份证号"
    v["hire_date"] = hire
    years = data.get("prior_years")
    if years is None:
        years = 0
    if not isinstance(years, int) or years < 0 or years > 45:
        err["prior_years"] = "社区工作年限须为 0–45 的整数"
    v["prior_years"] = years
    committee_id = data.get("committee_id")
    if not committee_id:
        err["committee_id"] = "请选择所属居委会"
    v["committee_id"] = committee_id
    v["shiye"] = bool(data.get("shiye"))
    v["reserve_cadre"] = bool(data.get("reserve_cadre"))
    v["first_job"] = bool(data.get("first_job"))
    bank_name = (data.get("bank_name") or "").strip()
    if len(bank_name) > 64:
        err["bank_name"] = "开户行不能超过 64 个字"
    v["bank_name"] = bank_name
    account = _ascii(data.get("bank_account")).replace(" ", "")
    if account and not ACCOUNT.match(account):
        err["bank_account"] = "银行账号须为 10–30 位数字"
    if account and not bank_name:
        err["bank_name"] = "填写银行账号时须填写开户行"
    v["bank_account"] = account
    return Cleaned(v, err)


def _committee(committee_id: int) -> Committee:
    committee = db.session.get(Committee, committee_id)
    if committee is None:
        raise WorkerInvalid({"committee_id": "居委会不存在"})
    return committee


def _check_unique_id(number: str, worker_id: int | None) -> None:
    other = db.session.execute(
        select(Worker.id).where(Worker.id_number == number, Worker.id != (worker_id or -1))
    ).first()
    if other:
        raise WorkerInvalid({"id_number": "该身份证号已登记（一个身份证号只能对应一名职工）"})


def _flush_or_conflict() -> None:
    """Write the worker: the UPDATE names the version read, so a save made in between by
    someone else (another request, another process) is refused instead of overwritten."""
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict("该职工信息已被他人修改，您的修改未保存。请刷新页面后重新编辑。") from None


def snapshot(worker: Worker) -> dict[str, Any]:
    return {k: getattr(worker, k) for k in EDITABLE + ("status", "leave_date", "leave_reason")}


def create_worker(data: dict[str, Any], user: Any = None) -> Worker:
    cleaned = clean(data)
    if cleaned.errors:
        raise WorkerInvalid(cleaned.errors)
    v = cleaned.values
    committee = _committee(v["committee_id"])
    require_write(committee.street.district_id, user)
    _check_unique_id(v["id_number"], None)
    worker = Worker(**v, street_id=committee.street_id, district_id=committee.street.district_id)
    db.session.add(worker)
    db.session.flush()
    _record_qualification(worker, user)
    record("create", "worker", worker.id, district_id=worker.district_id,
           summary=f"登记职工 {worker.name}", changes=diff({}, snapshot(worker)), user=user)
    return worker


def _record_qualification(worker: Worker, user: Any) -> None:
    """A dated row of the qualification history (payroll's back pay reads it)."""
    db.session.add(QualificationRecord(
        worker_id=worker.id, district_id=worker.district_id, qualification=worker.qualification,
        qualification_date=worker.qualification_date, recorded_by=getattr(user, "username", "") or "system"))


def update_worker(worker: Worker, data: dict[str, Any], expected_version: int | None, user: Any = None) -> dict[str, Any]:
    """Apply an edit. `expected_version` is the version the officer's form was built from: if
    someone saved in between, the edit is refused instead of silently overwriting theirs."""
    require_write(worker.district_id, user)
    if expected_version is not None and expected_version != worker.version:
        raise Conflict("该职工信息已被他人修改，您的修改未保存。请刷新页面，查看最新信息后重新编辑。")
    cleaned = clean(data)
    if cleaned.errors:
        raise WorkerInvalid(cleaned.errors)
    v = cleaned.values
    committee = _committee(v["committee_id"])
    require_write(committee.street.district_id, user)
    _check_unique_id(v["id_number"], worker.id)
    before = snapshot(worker)
    for k, value in v.items():
        setattr(worker, k, value)
    worker.street_id = committee.street_id
    worker.district_id = committee.street.district_id
    changes = diff(before, snapshot(worker))
    if not changes:
        return {}
    _flush_or_conflict()
    if "qualification" in changes or "qualification_date" in changes:
        _record_qualification(worker, user)
    record("update", "worker", worker.id, district_id=worker.district_id,
           summary=f"修改职工 {worker.name}", changes=changes, user=user)
    return changes


def record_departure(worker: Worker, status: str, leave_date: date, reason: str,
                     expected_version: int | None = None, user: Any = None) -> None:
    require_write(worker.district_id, user)
    if expected_version is not None and expected_version != worker.version:
        raise Conflict("该职工信息已被他人修改，请刷新页面后重试。")
    if status not in ("离职", "退休"):
        raise WorkerInvalid({"status": "状态须为 离职 或 退休"})
    if leave_date < worker.hire_date:
        raise WorkerInvalid({"leave_date": "离职日期不能早于入职日期"})
    if leave_date > date(today().year + 1, 12, 31):
        raise WorkerInvalid({"leave_date": "离职日期超出合理范围"})
    if len(reason) > 200:
        raise WorkerInvalid({"leave_reason": "原因不能超过 200 字"})
    before = snapshot(worker)
    worker.status, worker.leave_date, worker.leave_reason = status, leave_date, reason.strip()
    _flush_or_conflict()
    record("leave", "worker", worker.id, district_id=worker.district_id,
           summary=f"{worker.name} {status}", changes=diff(before, snapshot(worker)), user=user)


def reinstate(worker: Worker, user: Any = None) -> None:
    """Undo a departure recorded by mistake (the audit log keeps both)."""
    require_write(worker.district_id, user)
    if worker.in_service:
        raise Conflict(f"{worker.name} 已在职，无需恢复。")
    before = snapshot(worker)
    worker.status, worker.leave_date, worker.leave_reason = "在职", None, ""
    _flush_or_conflict()
    record("update", "worker", worker.id, district_id=worker.district_id,
           summary=f"{worker.name} 恢复在职", changes=diff(before, snapshot(worker)), user=user)
