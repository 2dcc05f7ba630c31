"""Social insurance and housing fund files (filings.md §5) of one street/town and month: the
contribution list, the joiners and leavers, and each July the annual base declaration."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from payroll.calc.money import ZERO
from payroll.calc.reference import ContributionBounds
from payroll.documents.sheets import INT
from payroll.filings import headers as H
from payroll.filings.book import Book, kinds
from payroll.filings.data import Person, SlipRow

CONTRIBUTIONS_SHEET = "社保公积金缴费明细"
CHANGES_SHEET = "增减员"
ANNUAL_SHEET = "年度缴费基数申报"
TOTAL = "合计"

CONTRIBUTION_MONEY = H.CONTRIBUTIONS[4:]


def contribution_amounts(row: SlipRow) -> list[Decimal]:
    s = row.slip
    return [s.si_base, s.pension, s.employer_pension, s.medical, s.employer_medical, s.unemployment,
            s.employer_unemployment, s.employer_injury, s.hf_base, s.housing_fund, s.employer_housing_fund,
            s.pension + s.medical + s.unemployment + s.housing_fund,
            s.employer_pension + s.employer_medical + s.employer_unemployment + s.employer_injury
            + s.employer_housing_fund]


def contributions_workbook(rows: Sequence[SlipRow]) -> bytes:
    """One row per worker and a total row; the bases are not summed (left empty there)."""
    book = Book()
    k = kinds(H.CONTRIBUTIONS, CONTRIBUTION_MONEY)
    k[0] = INT
    ws = book.sheet(CONTRIBUTIONS_SHEET, H.CONTRIBUTIONS, k)
    sums = [ZERO] * len(CONTRIBUTION_MONEY)
    for n, row in enumerate(rows, start=1):
        amounts = contribution_amounts(row)
        ws.row([n, row.person.name, row.person.id_number, row.committee_name, *amounts])
        sums = [a + b for a, b in zip(sums, amounts, strict=True)]
    totals: list[Decimal | None] = list(sums)
    totals[0] = totals[8] = None
    ws.total([None, TOTAL, None, None, *totals])
    return book.save()


def changes_workbook(joiners: Sequence[tuple[Person, date]], leavers: Sequence[tuple[Person, date]],
                     bases: dict[int, tuple[Decimal, Decimal]]) -> bytes:
    """增员 from the date contributions start, 减员 from the last day of service."""
    book = Book()
    k = kinds(H.CHANGES, ["社保缴费基数", "公积金缴存基数"])
    k[0] = INT
    ws = book.sheet(CHANGES_SHEET, H.CHANGES, k)
    n = 0
    for label, people, note in (("增员", joiners, "本月起缴"), ("减员", leavers, "次月起停缴")):
        for p, when in people:
            n += 1
            si, hf = bases.get(p.worker_id, (None, None))
            ws.row([n, label, p.name, p.id_number, p.gender, f"{p.birth_date:%Y-%m-%d}", f"{when:%Y-%m-%d}",
                    si, hf, note])
    return book.save()


def bound_applied(average: Decimal, base: Decimal, floor: Decimal, ceiling: Decimal) -> str:
    if base == floor and average < floor:
        return f"下限 {floor:,.2f}"
    if base == ceiling and average > ceiling:
        return f"上限 {ceiling:,.2f}"
    return ""


def annual_base_row(row: SlipRow, bounds: ContributionBounds | None) -> list[Any]:
    """Every worker's base for the contribution year starting this July: the monthly average
    (or override) it came from, and the bound applied when it was clamped."""
    s = row.slip
    inputs = s.inputs or {}
    raw = inputs.get("base")
    average = Decimal(str(raw)) if raw is not None else None
    applied = []
    if average is not None and bounds is not None:
        for what, base, lo, hi in (("社保", s.si_base, bounds.si_floor, bounds.si_ceiling),
                                   ("公积金", s.hf_base, bounds.hf_floor, bounds.hf_ceiling)):
            b = bound_applied(average, base, lo, hi)
            if b:
                applied.append(f"{what}{b}")
    return [row.person.name, row.person.id_number, average, str(inputs.get("base_source") or ""), s.si_base,
            s.hf_base, "；".join(applied) or None, None]


def annual_base_workbook(rows: Sequence[SlipRow], bounds: ContributionBounds | None) -> bytes:
    book = Book()
    k = kinds(H.ANNUAL_BASE, ["上年月平均工资", "社保缴费基数", "公积金缴存基数"])
    k[0] = INT
    ws = book.sheet(ANNUAL_SHEET, H.ANNUAL_BASE, k)
    for n, row in enumerate(rows, start=1):
        ws.row([n, *annual_base_row(row, bounds)])
    return book.save()
