"""Shared page helpers: pagination, template filters, navigation."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, request

from hr.core.timeutil import to_local


@dataclass
class Page:
    number: int
    size: int
    total: int

    @classmethod
    def from_request(cls, total: int, size: int | None = None) -> Page:
        size = size or current_app.config["PAGE_SIZE"]
        try:
            number = max(1, int(request.args.get("page", "1")))
        except ValueError:
            number = 1
        pages = max(1, math.ceil(total / size))
        return cls(number=min(number, pages), size=size, total=total)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    def url(self, number: int) -> str:
        args = {k: v for k, v in request.args.items() if k != "page"}
        args["page"] = str(number)
        return request.path + "?" + urlencode(args)


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = to_local(value)
        return local.strftime("%Y-%m-%d %H:%M") if local else ""
    return value.isoformat()


def fmt_money(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}"


def fmt_pct(value: Decimal | float | str | None) -> str:
    """A rate stored as a fraction, as a percentage: 0.005 → 0.5%, 0.16 → 16%."""
    if value is None or value == "":
        return ""
    pct = (Decimal(str(value)) * 100).normalize()
    text = f"{pct:f}"
    return f"{text}%"


def fmt_num(value: Decimal | int | str | None) -> str:
    """A whole number or an amount with thousands separators, keeping the decimals it was given
    (8790.00 → 8,790; 16000.50 → 16,000.50)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,}"


# Accounts that write data without a person behind them, as people read them.
ACTORS = {"seed": "系统初始数据", "system": "系统", "demo": "演示数据", "bench": "性能测试"}


def fmt_who(value: str | None) -> str:
    return ACTORS.get(value or "", value or "")


def qs(**changes: Any) -> str:
    """The current query string with some arguments changed (sorting links, filters)."""
    args = {k: v for k, v in request.args.items()}
    for k, v in changes.items():
        if v is None:
            args.pop(k, None)
        else:
            args[k] = str(v)
    args.pop("page", None)
    return request.path + ("?" + urlencode(args) if args else "")


NAV: list[tuple[str, str, str]] = []  # (endpoint, label, role requirement: ""/"admin")


def add_nav(endpoint: str, label: str, admin_only: bool = False) -> None:
    if not any(e == endpoint for e, _, _ in NAV):
        NAV.append((endpoint, label, "admin" if admin_only else ""))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date"] = fmt_date
    app.jinja_env.filters["money"] = fmt_money
    app.jinja_env.filters["pct"] = fmt_pct
    app.jinja_env.filters["num"] = fmt_num
    app.jinja_env.filters["who"] = fmt_who
    app.jinja_env.globals["qs"] = qs
    app.jinja_env.globals["nav_items"] = lambda: NAV
    app.jinja_env.globals["mask_id"] = _mask
    from hr.accounts.personal import shown

    app.jinja_env.globals["shown"] = shown
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def _mask(number: str) -> str:
    from hr.workers.idcard import mask

    return mask(number)
