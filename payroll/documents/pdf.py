"""Salary slips (工资条) as PDF: three to an A4 page with dashed cut lines, one HTML document
per street, rendered by WeasyPrint in worker processes and concatenated in order."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from flask import render_template

from payroll.documents.data import SlipDoc, SlipLine, StreetSlips
from payroll.documents.render import merge, render_all
from payroll.documents.sheets import display_width

# A label this wide (in half-width characters) fits the label column of the earnings block;
# longer ones (an adjustment with its reason) get a row of their own, which may wrap.
LABEL_FIT = 30
# Beyond this many earnings lines a slip may not fit a third of a page: it grows instead.
LINES_PER_THIRD = 10


@dataclass(frozen=True)
class SlipView:
    """A slip as laid out: the first lines as two pre-formatted columns (labels and amounts,
    the cheapest layout WeasyPrint has), the long ones as rows."""

    slip: SlipDoc
    earn_labels: str
    earn_amounts: str
    earn_shift: str  # how far the amounts column is pulled up beside its labels
    earn_rows: tuple[SlipLine, ...]
    ded_labels: str
    ded_amounts: str
    ded_shift: str
    ded_rows: tuple[SlipLine, ...]
    long: bool


LINE_MM = Decimal("4.2")  # the fixed line height of a slip's body (print.css)


def _split(lines: tuple[SlipLine, ...]) -> tuple[str, str, str, tuple[SlipLine, ...]]:
    n = 0
    while n < len(lines) and display_width(lines[n].label) <= LABEL_FIT:
        n += 1
    head = lines[:n]
    return ("\n".join(line.label for line in head), "\n".join(f"{line.amount:,.2f}" for line in head),
            f"{LINE_MM * n}mm", tuple(lines[n:]))


def view(slip: SlipDoc) -> SlipView:
    el, ea, es, er = _split(slip.earnings)
    dl, da, ds, dr = _split(slip.deductions)
    return SlipView(slip, el, ea, es, er, dl, da, ds, dr, long=len(slip.earnings) > LINES_PER_THIRD)


def filename(district_name: str, label: str, scope: str = "") -> str:
    return f"工资条_{district_name}{('_' + scope) if scope else ''}_{label}.pdf"


def street_html(street: StreetSlips, title: str) -> str:
    return render_template("payroll/documents/slips.html", slips=[view(s) for s in street.slips], title=title)


def _documents(streets: Iterable[StreetSlips], title: str, counter: list[int]) -> Iterator[tuple[str, int]]:
    for street in streets:
        counter[0] += len(street.slips)
        yield street_html(street, title), len(street.slips)


def slips_pdf(streets: Iterable[StreetSlips], title: str, static_dir: str, processes: int = 1,
              progress: Callable[[int], None] | None = None) -> tuple[bytes, int]:
    """The slips of the given streets as one PDF, and how many slips it holds (0: no PDF)."""
    counter = [0]
    parts = render_all(_documents(streets, title, counter), static_dir, processes, progress)
    if not counter[0]:
        return b"", 0
    return merge(parts), counter[0]
