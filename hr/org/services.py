"""Organisation units: loading the reference files, adding and renaming streets and committees."""
from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import func, insert, select

from hr.audit.services import record
from hr.core.db import db
from hr.core.errors import DomainError, ValidationError
from hr.org.models import COMMITTEE_KINDS, STREET_KINDS, Committee, District, Street


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_reference(data_dir: Path, committee_streets: Iterable[str] | None = None) -> dict[str, int]:
    """Load districts, streets and committees from the seed files, adding what is missing.
    `committee_streets` limits the committees loaded to those streets (tests use a few)."""
    counts = {"districts": 0, "streets": 0, "committees": 0}
    have = set(db.session.execute(select(District.code)).scalars())
    rows = [r for r in read_csv(data_dir / "districts.csv") if r["code"] not in have]
    if rows:
        db.session.execute(insert(District), [{"code": r["code"], "name": r["name"], "pinyin": r["pinyin"]} for r in rows])
        counts["districts"] = len(rows)
    district_ids = {k: v for k, v in db.session.execute(select(District.code, District.id))}
    have = set(db.session.execute(select(Street.code)).scalars())
    rows = [r for r in read_csv(data_dir / "streets.csv") if r["code"] not in have]
    if rows:
        db.session.execute(insert(Street), [
            {"code": r["code"], "district_id": district_ids[r["district_code"]], "name": r["name"], "kind": r["kind"]}
            for r in rows
        ])
        counts["streets"] = len(rows)
    street_ids = {k: v for k, v in db.session.execute(select(Street.code, Street.id))}
    have = set(db.session.execute(select(Committee.code)).scalars())
    wanted = set(committee_streets) if committee_streets is not None else None
    rows = [
        r for r in read_csv(data_dir / "committees.csv")
        if r["code"] not in have and (wanted is None or r["street_code"] in wanted)
    ]
    if rows:
        db.session.execute(insert(Committee), [
            {"code": r["code"], "street_id": street_ids[r["street_code"]], "name": r["name"], "kind": r["kind"]}
            for r in rows
        ])
        counts["committees"] = len(rows)
    db.session.flush()
    return counts


def _clean_name(name: str, field: str = "name") -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("名称不能为空", field)
    if len(name) > 32:
        raise ValidationError("名称不能超过 32 个字", field)
    return name


def _next_code(prefix: str, existing: Iterable[str], start: int, width: int) -> str:
    used = {int(c[len(prefix):]) for c in existing if c.startswith(prefix) and c[len(prefix):].isdigit()}
    n = start
    while n in used:
        n += 1
    if n >= 10**width:
        raise DomainError("代码已用尽")
    return f"{prefix}{n:0{width}d}"


def add_street(district: District, name: str, kind: str) -> Street:
    name = _clean_name(name)
    if kind not in STREET_KINDS:
        raise ValidationError("类型须为 街道、镇 或 乡", "kind")
    if db.session.execute(select(Street.id).where(Street.district_id == district.id, Street.name == name)).first():
        raise DomainError(f"{district.name}已有名为“{name}”的街镇", "name")
    codes = db.session.execute(select(Street.code).where(Street.district_id == district.id)).scalars()
    start = {"街道": 1, "镇": 100, "乡": 200}[kind]
    street = Street(code=_next_code(district.code, codes, start, 3), district_id=district.id, name=name, kind=kind)
    db.session.add(street)
    db.session.flush()
    record("create", "street", street.id, district_id=district.id, summary=f"新增街镇 {name}")
    return street


def rename_street(street: Street, name: str) -> None:
    name = _clean_name(name)
    if name == street.name:
        return
    clash = db.session.execute(
        select(Street.id).where(Street.district_id == street.district_id, Street.name == name, Street.id != street.id)
    ).first()
    if clash:
        raise DomainError(f"本区已有名为“{name}”的街镇", "name")
    record("update", "street", street.id, district_id=street.district_id,
           summary=f"街镇更名 {street.name} → {name}", changes={"name": [street.name, name]})
    street.name = name


def add_committee(street: Street, name: str, kind: str) -> Committee:
    name = _clean_name(name)
    if kind not in COMMITTEE_KINDS:
        raise ValidationError("类型须为 居委会 或 村委会", "kind")
    if db.session.execute(select(Committee.id).where(Committee.street_id == street.id, Committee.name == name)).first():
        raise DomainError(f"{street.name}已有名为“{name}”的居村委", "name")
    codes = db.session.execute(select(Committee.code).where(Committee.street_id == street.id)).scalars()
    committee = Committee(
        code=_next_code(street.code, codes, 1 if kind == "居委会" else 200, 3),
        street_id=street.id, name=name, kind=kind,
    )
    db.session.add(committee)
    db.session.flush()
    record("create", "committee", committee.id, district_id=street.district_id, summary=f"新增居村委 {name}")
    return committee


def rename_committee(committee: Committee, name: str) -> None:
    name = _clean_name(name)
    if name == committee.name:
        return
    clash = db.session.execute(
        select(Committee.id).where(
            Committee.street_id == committee.street_id, Committee.name == name, Committee.id != committee.id
        )
    ).first()
    if clash:
        raise DomainError(f"本街镇已有名为“{name}”的居村委", "name")
    record("update", "committee", committee.id, district_id=committee.street.district_id,
           summary=f"居村委更名 {committee.name} → {name}", changes={"name": [committee.name, name]})
    committee.name = name


def street_counts() -> dict[int, int]:
    return {k: v for k, v in db.session.execute(select(Street.district_id, func.count()).group_by(Street.district_id))}
