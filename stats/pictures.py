"""The report's charts, drawn from a `Report` with the shared chart module (hr.core.charts):
the same list on the page and in the PDF."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hr.core.charts import (
    Chart,
    Number,
    Series,
    bar_chart,
    fmt_percent,
    line_chart,
    pyramid_chart,
    share_bar,
)
from hr.core.vocabulary import EDUCATIONS, POLITICAL_STATUSES, POST_NAMES, POSTS, QUALIFICATIONS
from stats.figures import AGE_BANDS, GRADES, SERVICE_BANDS, Report

POST_COLOURS = {"LEAD": "#0072B2", "SUPV": "#E69F00", "STAF": "#009E73"}


def yuan(value: Number) -> str:
    """Whole yuan, half up: 87123.50 → '87,124'."""
    return f"{Decimal(value).quantize(Decimal(1), ROUND_HALF_UP):,}"


def percent(value: Number) -> str:
    return fmt_percent(value)


def _share(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal(0)


def charts(report: Report) -> list[Chart]:
    """Every chart of the report, in the order of the page."""
    t = report.total
    out: list[Chart] = []
    if t.graded:
        out.append(bar_chart(
            "岗位等级分布（三岗十八级）", [f"{g}级" for g in GRADES],
            [Series(name, tuple(t.post_grade[(post, g)] for g in GRADES), POST_COLOURS[post])
             for post, name in POST_NAMES.items()],
            centred=True, unit="人", category_label="等级", chart_id="chart-post-grade"))
    bands = [b for b, _, _ in reversed(AGE_BANDS)]
    out.append(pyramid_chart(
        "年龄与性别", bands, Series("男", tuple(t.age_gender[(b, "男")] for b in bands)),
        Series("女", tuple(t.age_gender[(b, "女")] for b in bands)), unit="人", category_label="年龄",
        chart_id="chart-age"))
    out.append(share_bar("学历构成", [(e, t.education[e]) for e in EDUCATIONS], unit="人", category_label="学历",
                         chart_id="chart-education"))
    out.append(share_bar("政治面貌", [(p, t.political[p]) for p in POLITICAL_STATUSES], unit="人", category_label="政治面貌",
                         chart_id="chart-political"))
    out.append(share_bar("社会工作者职业资格", [(q if q != "无" else "未持证", t.qualification[q])
                                                for q in QUALIFICATIONS],
                         unit="人", category_label="职业资格", chart_id="chart-qualification"))
    out.append(bar_chart("工作年限", [b for b, _, _ in SERVICE_BANDS],
                         [Series("人数", tuple(t.service[b] for b, _, _ in SERVICE_BANDS))], unit="人",
                         category_label="工作年限", chart_id="chart-service"))
    paid = [(POST_NAMES.get(p, "未定岗"), pay.mean) for p, pay in sorted(
        t.pay_by_post.items(), key=lambda kv: POSTS.index(kv[0]) if kv[0] in POSTS else 9)
        if pay.mean is not None]
    if paid:
        out.append(bar_chart("人均年度应发（全年在职，按岗位）", [p for p, _ in paid],
                             [Series("人均应发（元）", tuple(v for _, v in paid if v is not None))],
                             horizontal=True, fmt=yuan, unit="元", category_label="岗位", chart_id="chart-pay"))
    years = [report.total.flows[y] for y in report.years]
    if years:
        labels = [str(y.year) for y in years]
        out.append(line_chart("年末在职人数", labels, [Series("在职人数", tuple(y.end for y in years))], unit="人",
                              category_label="年度", chart_id="chart-headcount"))
        out.append(bar_chart("入职与离职", labels, [Series("入职", tuple(y.joiners for y in years)),
                                                 Series("离职", tuple(y.leavers for y in years), "#D55E00")],
                             unit="人", category_label="年度", chart_id="chart-flows"))
        rates = [(str(y.year), y.turnover) for y in years if y.turnover is not None]
        if rates:
            out.append(line_chart("离职率", [r for r, _ in rates], [Series("离职率", tuple(v for _, v in rates if v is not None),
                                                                       "#D55E00")],
                                  fmt=percent, axis_fmt=lambda v: f"{float(v) * 100:.0f}%", category_label="年度",
                                  chart_id="chart-turnover"))
    units = [u for u in report.units if u.headcount]
    if len(units) > 1:
        names = [u.name for u in units]
        out.append(bar_chart(f"各{report.unit_label}在职人数", names, [Series("在职人数", tuple(u.headcount for u in units))],
                             horizontal=True, unit="人", category_label=report.unit_label, chart_id="chart-units"))
        out.append(bar_chart(
            f"各{report.unit_label}学历、党员与持证比例", names,
            [Series("大专及以上", tuple(_share(u.share_college) for u in units)),
             Series("党员", tuple(_share(u.share_party) for u in units), "#D55E00"),
             Series("持证", tuple(_share(u.share_qualified) for u in units), "#009E73")],
            horizontal=True, fmt=percent, axis_fmt=lambda v: f"{float(v) * 100:.0f}%",
            category_label=report.unit_label, chart_id="chart-unit-shares"))
        pay = [(u.name, u.mean_annual_gross) for u in units if u.mean_annual_gross is not None]
        if len(pay) > 1:
            out.append(bar_chart(f"各{report.unit_label}人均年度应发", [n for n, _ in pay],
                                 [Series("人均应发（元）", tuple(v for _, v in pay if v is not None))],
                                 horizontal=True, fmt=yuan, unit="元", category_label=report.unit_label,
                                 chart_id="chart-unit-pay"))
    return out
