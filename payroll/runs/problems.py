"""The run page's problems, grouped: one line per kind with the count, the count by street,
the page that fixes it and the names (instead of one line per worker)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from sqlalchemy import select

from hr.core.db import db
from hr.org.models import Street
from hr.workers.models import Worker
from payroll.runs.models import PayrollRun


@dataclass
class Group:
    code: str
    text: str
    blocking: bool
    count: int = 0
    links: list[tuple[str, str]] = field(default_factory=list)
    streets: list[tuple[str, int]] = field(default_factory=list)
    names: list[tuple[str, str | None]] = field(default_factory=list)


def _kind(code: str, run: PayrollRun, items: list[dict[str, Any]]) -> tuple[str, list[tuple[str, str]]]:
    """The line's text and the pages that fix it."""
    n = len(items)
    district = run.district.code
    year = run.month.year
    month = f"{run.month.year}年{run.month.month}月"
    kinds: dict[str, tuple[str, list[tuple[str, str]]]] = {
        "rating_missing": (f"{n:,} 人缺少 {year} 年度考核结果，无法计算年度考核奖", [
            ("录入考核", url_for("grades.assessments", district=district, year=year)),
            ("下载考核表", url_for("grades.ratings_sheet", district=district, year=year)),
            ("导入考核表", url_for("grades.ratings_import"))]),
        "ungraded": (f"{n:,} 人在 {month} 没有有效的岗位等级，未计算工资", [
            ("去定级", url_for("grades.index", district=district))]),
        "no_bank_account": (f"{n:,} 人没有银行账号，无法代发工资（点姓名补录）", []),
    }
    if code in kinds:
        return kinds[code]
    # A kind without its own line: the message without the worker's name, when all agree.
    rests = {str(p.get("message", "")).split("：", 1)[-1] for p in items}
    return (f"{n:,} 人：{rests.pop()}" if len(rests) == 1 else f"{n:,} 个其他问题"), []


def grouped(run: PayrollRun) -> list[Group]:
    """The run's problems by kind (blocking kinds first), with streets and names, in two queries."""
    problems = run.problems or []
    if not problems:
        return []
    ids = sorted({p["worker_id"] for p in problems if p.get("worker_id")})
    where: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), 900):
        where.update({wid: (code, name) for wid, code, name in db.session.execute(
            select(Worker.id, Street.code, Street.name).join(Street, Street.id == Worker.street_id)
            .where(Worker.id.in_(ids[i:i + 900])))})
    by_code: dict[str, list[dict[str, Any]]] = {}
    for p in problems:
        by_code.setdefault(p.get("code") or "other", []).append(p)
    out = []
    for code, items in by_code.items():
        text, links = _kind(code, run, items)
        streets: dict[tuple[str, str], int] = {}
        for p in items:
            key = where.get(p.get("worker_id") or 0, ("", "（未知街镇）"))
            streets[key] = streets.get(key, 0) + 1
        fix = "workers.edit" if code == "no_bank_account" else "workers.detail"
        names = [(p.get("name") or p["message"], url_for(fix, worker_id=p["worker_id"]) if p.get("worker_id") else None)
                 for p in sorted(items, key=lambda p: (where.get(p.get("worker_id") or 0, ("", ""))[0],
                                                       p.get("name") or ""))]
        out.append(Group(code, text, any(p.get("blocking") for p in items), len(items), links,
                         [(name, n) for (_, name), n in sorted(streets.items())], names))
    out.sort(key=lambda g: (not g.blocking, -g.count))
    return out
