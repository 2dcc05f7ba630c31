"""The home page's payroll charts: the last 12 months' headcount and net pay, and the cost of
the latest calculated month by street (by district for the city). Sums are taken in the
database in fen (Money columns), so the charts agree with the run pages to the fen."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from hr.core.charts import Chart, Number, Series, bar_chart, line_chart
from hr.core.db import db
from hr.org.models import District, Street
from payroll.runs.models import PayrollRun, Payslip


def yuan(value: Number) -> str:
    """Whole yuan, half up, with thousands separators."""
    return f"{Decimal(value).quantize(Decimal(1), ROUND_HALF_UP):,}"


def _months_back(on: date, n: int) -> list[date]:
    first = on.replace(day=1)
    out = []
    for i in range(n - 1, -1, -1):
        y, m = divmod(first.year * 12 + first.month - 1 - i, 12)
        out.append(date(y, m + 1, 1))
    return out


def payroll_charts(districts: Sequence[District], on: date) -> list[Chart]:
    ids = [d.id for d in districts]
    months = _months_back(on, 12)
    rows = {m: (n, net) for m, n, net in db.session.execute(
        select(PayrollRun.month, func.sum(PayrollRun.headcount), func.sum(PayrollRun.net))
        .where(PayrollRun.district_id.in_(ids), PayrollRun.status != "draft",
               PayrollRun.month >= months[0], PayrollRun.month <= months[-1])
        .group_by(PayrollRun.month))}
    if not rows:
        return []
    months = months[months.index(min(rows)):]  # from the first month paid in the window
    labels = [f"{m.month}月" for m in months]  # short, to fit a phone; the title names the years
    span = f"{months[0].year}年{months[0].month}月–{months[-1].year}年{months[-1].month}月"
    out = [
        line_chart(f"发薪人数（{span}）", labels, [Series("人数", tuple(int(rows.get(m, (0, 0))[0] or 0) for m in months))],
                   unit="人", category_label="月份", chart_id="home-headcount"),
        bar_chart(f"实发合计（{span}）", labels,
                  [Series("实发（元）", tuple(Decimal(rows[m][1]) if m in rows else Decimal(0) for m in months))],
                  fmt=yuan, unit="元", category_label="月份", chart_id="home-net",
                  axis_fmt=lambda v: f"{float(v) / 10000:,.0f}万"),
    ]
    latest = max(rows)
    if len(ids) > 1:
        parts = [(name, gross + employer) for name, gross, employer in db.session.execute(
            select(District.name, func.sum(PayrollRun.gross), func.sum(PayrollRun.employer_total)).join(District, District.id == PayrollRun.district_id)
            .where(PayrollRun.district_id.in_(ids), PayrollRun.month == latest, PayrollRun.status != "draft")
            .group_by(District.code, District.name).order_by(District.code))]
        by = "区"
    else:
        parts = [(name, gross + employer) for name, gross, employer in db.session.execute(
            select(Street.name, func.sum(Payslip.gross), func.sum(Payslip.employer_total)).join(Street, Street.id == Payslip.street_id)
            .join(PayrollRun, PayrollRun.id == Payslip.run_id)
            .where(PayrollRun.district_id.in_(ids), PayrollRun.month == latest, PayrollRun.status != "draft")
            .group_by(Street.code, Street.name).order_by(Street.code))]
        by = "街镇"
    if parts:
        out.append(bar_chart(
            f"{latest.year}年{latest.month}月用人成本（应发＋单位缴费，按{by}）", [p for p, _ in parts],
            [Series("成本（元）", tuple(Decimal(v or 0) for _, v in parts))], horizontal=True, fmt=yuan,
            unit="元", category_label=by, chart_id="home-cost"))
    return out
