"""The approval sheet (工资发放审批表) of a run: totals by street, the run's totals, who
calculated and approved it and when, and lines for the signatures."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from flask import render_template

from payroll.calc.money import ZERO
from payroll.documents.data import RunInfo, StreetTotal
from payroll.documents.render import html_to_pdf

COLUMNS = [("gross", "应发合计"), ("pension", "养老保险"), ("medical", "医疗保险"), ("unemployment", "失业保险"),
           ("housing_fund", "住房公积金"), ("iit", "个人所得税"), ("net", "实发合计"), ("employer_total", "单位缴费合计")]


@dataclass(frozen=True)
class ApprovalSheet:
    run: RunInfo
    streets: list[StreetTotal]
    printed_by: str
    printed_at: datetime  # Shanghai time

    @property
    def street_sums(self) -> dict[str, Decimal]:
        return {f: sum((s.totals[f] for s in self.streets), ZERO) for f, _ in COLUMNS}

    @property
    def consistent(self) -> bool:
        """The streets add up to the run's stored totals (false only if the data was altered)."""
        return (sum(s.headcount for s in self.streets) == self.run.headcount
                and all(self.street_sums[f] == self.run.totals[f] for f, _ in COLUMNS))


DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("仟", "佰", "拾", "")
GROUPS = ("", "万", "亿", "万亿")


def _group(n: int, need_zero: bool) -> str:
    """Four digits with their units; a 零 stands for any run of zeros before a digit."""
    out, pending = "", need_zero
    for pos, d in enumerate((n // 1000, n // 100 % 10, n // 10 % 10, n % 10)):
        if d == 0:
            pending = pending or bool(out) or pos == 0 and need_zero
            continue
        if pending:
            out += "零"
        out += DIGITS[d] + UNITS[pos]
        pending = False
    return out


def rmb_upper(amount: Decimal) -> str:
    """An amount in the financial capitals written on payment documents: 12345.67 ->
    壹万贰仟叁佰肆拾伍元陆角柒分; 100 -> 壹佰元整; 1.05 -> 壹元零伍分."""
    fen = int((abs(amount) * 100).to_integral_value(ROUND_HALF_UP))
    yuan, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    groups = []
    while yuan:
        yuan, g = divmod(yuan, 10000)
        groups.append(g)
    text = ""
    zero_between = False
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if g == 0:
            zero_between = bool(text)
            continue
        text += _group(g, bool(text) and (zero_between or g < 1000)) + GROUPS[idx]
        zero_between = False
    if text:
        text += "元"
    if jiao:
        text += DIGITS[jiao] + "角"
    if cents:
        text += ("零" if text and not jiao else "") + DIGITS[cents] + "分"
    if not jiao and not cents:
        text = (text or "零元") + "整"
    return ("负" if amount < 0 else "") + text


def filename(run: RunInfo) -> str:
    return f"工资发放审批表_{run.district_name}_{run.label}.pdf"


def approval_pdf(sheet: ApprovalSheet, static_dir: str) -> bytes:
    html = render_template("payroll/documents/approval.html", sheet=sheet, run=sheet.run, columns=COLUMNS)
    return html_to_pdf(html, static_dir)
