"""The report's tables as plain data: one definition for the page, the PDF and the workbook.

A column has a kind that says how its values print (and which Excel number format they get):
whole numbers, money (Decimal yuan, two places), shares (Decimal 0–1, shown as a percentage),
one-decimal numbers (ages, years) or text. A cell given as `Cell(value, kind)` overrides its
column's kind (the overview mixes them)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from hr.core.vocabulary import (
    EDUCATIONS,
    GENDERS,
    POLITICAL_STATUSES,
    POST_NAMES,
    POST_RANGES,
    POSTS,
    QUALIFICATIONS,
)
from stats.figures import (
    AGE_BANDS,
    GRADES,
    PROMOTIONS,
    SERVICE_BANDS,
    Figures,
    Report,
    YearFlow,
    share,
)

TEXT, INT, MONEY, SHARE, ONE = "text", "int", "money", "share", "one"
Value = str | int | Decimal | None


@dataclass(frozen=True)
class Cell:
    value: Value
    kind: str


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    key: str  # the workbook's sheet name
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value | Cell, ...], ...]
    total: tuple[Value | Cell, ...] | None = None
    note: str = ""


def fmt(value: Value | Cell, kind: str) -> str:
    """A value as the page and the PDF print it ('—' for no value)."""
    v: Value = value.value if isinstance(value, Cell) else value
    k = value.kind if isinstance(value, Cell) else kind
    if v is None:
        return "—"
    if k == INT and isinstance(v, int):
        return f"{v:,}"
    if k == MONEY and isinstance(v, Decimal):
        return f"{v.quantize(Decimal('0.01'), ROUND_HALF_UP):,}"
    if k == SHARE and isinstance(v, Decimal):
        return f"{(v * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    if k == ONE and isinstance(v, Decimal):
        return f"{v.quantize(Decimal('0.1'), ROUND_HALF_UP)}"
    return str(v)


def _counts(key: str, title: str, label: str, counts: dict[str, int], headcount: int, note: str = "") -> Table:
    rows = tuple((name, n, share(n, headcount)) for name, n in counts.items())
    return Table(key, title, (Column(label), Column("人数", INT), Column("占比", SHARE)), rows,
                 ("合计", sum(counts.values()), share(sum(counts.values()), headcount)), note)


def overview(r: Report) -> Table:
    t, f = r.total, r.flow
    rows: list[tuple[Value | Cell, ...]] = [
        ("在职人数", Cell(t.headcount, INT)),
        ("平均年龄（周岁）", Cell(t.mean_age, ONE)),
        ("女性比例", Cell(t.share_female, SHARE)),
        ("大专及以上学历比例", Cell(t.share_college, SHARE)),
        ("中共党员（含预备党员）比例", Cell(t.share_party, SHARE)),
        ("社会工作者职业资格持证率", Cell(t.share_qualified, SHARE)),
        ("平均工作年限（年）", Cell(t.mean_service, ONE)),
        ("年初在职人数", Cell(f.start, INT)),
        ("本年入职", Cell(f.joiners, INT)),
        ("本年离职", Cell(f.leavers, INT)),
        ("离职率", Cell(f.turnover, SHARE)),
        ("全年在职且领薪人数", Cell(t.full_year_paid.workers, INT)),
        ("人均年度应发（元）", Cell(t.mean_annual_gross, MONEY)),
        ("应发合计（元）", Cell(t.total_gross, MONEY)),
        ("单位缴费合计（元）", Cell(t.employer_total, MONEY)),
        ("人力成本合计（元）", Cell(t.total_cost, MONEY)),
        ("本年晋级（人次）", Cell(sum(t.promotions[p] for p in PROMOTIONS), INT)),
        ("优秀书记工作室", Cell(t.studios, INT)),
        ("进行中的结对", Cell(t.active_pairings, INT)),
        ("带教对象结对率", Cell(t.share_paired, SHARE)),
        ("带教活动学时", Cell(t.activity_hours, ONE)),
    ]
    return Table("主要指标", "主要指标", (Column("指标"), Column("数值")), tuple(rows), None, pay_note(r))


def pay_note(r: Report) -> str:
    if not r.pay_months:
        return f"{r.year} 年没有工资条，薪酬指标为空。"
    months = "、".join(str(m) for m in r.pay_months)
    note = f"薪酬指标取自 {r.year} 年 {months} 月的工资条"
    if r.open_months:
        note += f"（其中 {'、'.join(str(m) for m in r.open_months)} 月尚未锁定）"
    return note + "；人均年度应发按统计时点的岗位分组，只计 1 月 1 日至统计时点一直在职且领取工资的人员。"


def units(r: Report) -> Table:
    cols = (Column(r.unit_label), Column("在职人数", INT), Column("平均年龄", ONE), Column("女性", SHARE),
            Column("大专及以上", SHARE), Column("党员", SHARE), Column("持证", SHARE), Column("入职", INT),
            Column("离职", INT), Column("离职率", SHARE), Column("人均年度应发", MONEY),
            Column("人力成本合计", MONEY))

    def line(name: str, u: Figures) -> tuple[Value | Cell, ...]:
        f = u.flows.get(r.year, YearFlow(r.year))
        return (name, u.headcount, u.mean_age, u.share_female, u.share_college, u.share_party, u.share_qualified,
                f.joiners, f.leavers, f.turnover, u.mean_annual_gross, u.total_cost)

    return Table(f"各{r.unit_label}对比", f"各{r.unit_label}对比", cols,
                 tuple(line(u.name, u) for u in r.units), line("合计", r.total))


def ages(r: Report) -> Table:
    t = r.total
    rows = tuple((band, *(t.age_gender[(band, g)] for g in GENDERS), t.age_bands[band],
                  share(t.age_bands[band], t.headcount)) for band, _, _ in AGE_BANDS)
    gender = t.gender
    return Table("年龄性别", "年龄与性别", (Column("年龄"), *(Column(g, INT) for g in GENDERS), Column("合计", INT),
                                            Column("占比", SHARE)), rows,
                 ("合计", *(gender[g] for g in GENDERS), t.headcount, share(t.headcount, t.headcount)),
                 "年龄为统计时点的周岁。")


def grades(r: Report) -> Table:
    t = r.total
    rows = []
    for g in GRADES:
        cells: list[Value] = [f"{g}级"]
        for p, (lo, hi) in POST_RANGES.items():
            cells.append(t.post_grade[(p, g)] if lo <= g <= hi else None)
        cells.append(sum(t.post_grade[(p, g)] for p in POSTS))
        rows.append(tuple(cells))
    by_post = t.by_post
    ungraded = t.headcount - t.graded
    note = "“—”表示该岗位没有此等级。" + (f"另有 {ungraded} 人在统计时点没有岗位等级记录。" if ungraded else "")
    return Table("岗位等级", "岗位等级分布（三岗十八级）", (Column("等级"), *(Column(n, INT) for n in POST_NAMES.values()),
                                                       Column("合计", INT)),
                 tuple(rows), ("合计", *(by_post[p] for p in POSTS), t.graded), note)


def pay(r: Report) -> Table:
    t = r.total
    rows = []
    for p, name in (*POST_NAMES.items(), ("", "无岗位记录")):
        pp = t.pay_by_post.get(p)
        if pp is None and p == "":
            continue
        rows.append((name, t.by_post.get(p, t.headcount - t.graded), pp.workers if pp else 0, pp.gross if pp else None,
                     pp.mean if pp else None))
    all_paid = t.full_year_paid
    return Table("薪酬", "岗位人数与人均年度应发", (Column("岗位"), Column("在职人数", INT), Column("全年在职领薪人数", INT),
                                                Column("年度应发合计", MONEY), Column("人均年度应发", MONEY)),
                 tuple(rows), ("合计", t.headcount, all_paid.workers, all_paid.gross, all_paid.mean), pay_note(r))


def history(r: Report) -> Table:
    rows = tuple((str(y.year), y.start, y.joiners, y.leavers, y.end, y.turnover)
                 for y in (r.total.flows[k] for k in r.years))
    return Table("人员变动", "近十年人员变动", (Column("年度"), Column("年初人数", INT), Column("入职", INT),
                                             Column("离职", INT), Column("年末人数", INT), Column("离职率", SHARE)),
                 rows, None, "离职率 = 离职人数 ÷（年初人数 + 本年入职人数）；离职日期为最后在职日。"
                 + ("今年的年末人数为今天的在职人数。" if r.current else ""))


def promotions_and_mentoring(r: Report) -> Table:
    t = r.total
    rows: list[tuple[Value | Cell, ...]] = [(f"晋级：{p}（人次）", Cell(t.promotions[p], INT)) for p in PROMOTIONS]
    rows += [
        ("优秀书记工作室（个）", Cell(t.studios, INT)),
        ("统计时点进行中的结对（对）", Cell(t.active_pairings, INT)),
        ("符合条件的带教对象（人）", Cell(t.eligible_mentees, INT)),
        ("其中已有导师（人）", Cell(t.paired_mentees, INT)),
        ("带教对象结对率", Cell(t.share_paired, SHARE)),
        ("本年带教活动（次）", Cell(t.activities, INT)),
        ("本年带教活动学时", Cell(t.activity_hours, ONE)),
    ]
    return Table("晋级与传帮带", "晋级与传帮带", (Column("项目"), Column("数值")), tuple(rows), None,
                 "带教对象按传帮带规则：任负责人未满一年或未满 35 周岁的书记、后备干部、入职未满 3 年的社区工作者。")


def all_tables(r: Report) -> list[Table]:
    t = r.total
    out = [overview(r)]
    if len(r.units) > 1:
        out.append(units(r))
    out += [
        ages(r),
        _counts("学历", "学历构成", "学历", {e: t.education[e] for e in EDUCATIONS}, t.headcount),
        _counts("政治面貌", "政治面貌", "政治面貌", {p: t.political[p] for p in POLITICAL_STATUSES}, t.headcount),
        _counts("职业资格", "社会工作者职业资格", "职业资格",
                {("未持证" if q == "无" else q): t.qualification[q] for q in QUALIFICATIONS}, t.headcount,
                "按统计时点已取得的证书计。"),
        _counts("工作年限", "工作年限", "工作年限", {b: t.service[b] for b, _, _ in SERVICE_BANDS}, t.headcount,
                "自入职日期起算的整年数。"),
        grades(r),
        pay(r),
        history(r),
        promotions_and_mentoring(r),
    ]
    return out
