"""Properties (hypothesis): lines add up, tax is never negative, cumulative withholding
sums to the annual tax, money keeps 2 places, integer fen round-trips.

Money is drawn as integer fen and converted with ``from_fen``: no float ever.
``database=None`` keeps hypothesis from writing an example database into the tree.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from payroll.calc.engine import Case, MonthResult, simulate, totals
from payroll.calc.money import D, from_fen, places, round_fen, round_jiao_up, to_fen
from payroll.calc.reference import POST_RANGES, QUALIFICATIONS, RATINGS
from payroll.calc.tax import TaxState, annual_tax, basic_deduction, monthly_tax
from tests.helpers.pay_reference import default_annual_tax_table, default_reference

FAST = settings(max_examples=150, deadline=None, database=None)
SLOW = settings(max_examples=60, deadline=None, database=None)
REF = default_reference()
TABLE = default_annual_tax_table()


def yuan(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Amounts in yuan from ``low`` to ``high`` with fen precision."""
    return st.integers(low * 100, high * 100).map(from_fen)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    post = draw(st.sampled_from(sorted(POST_RANGES)))
    low, high = POST_RANGES[post]
    year = draw(st.sampled_from([2025, 2026, 2027]))
    hire = draw(st.dates(date(2015, 1, 1), date(year, 12, 31)))
    leave = draw(st.none() | st.integers(0, 800).map(lambda d: hire + timedelta(days=d)))
    qualification = draw(st.sampled_from(QUALIFICATIONS))
    from_month = draw(st.integers(1, 12))
    to_month = draw(st.integers(from_month, 12))
    adjustments = draw(st.dictionaries(st.integers(1, 12), yuan(-3000, 3000), max_size=3))
    case = Case(
        year=year,
        from_month=from_month,
        to_month=to_month,
        post=post,
        grade=draw(st.integers(low, high)),
        qualification=qualification,
        qualification_date=draw(st.none() | st.dates(date(2015, 1, 1), date(2027, 12, 31))),
        hire_date=hire,
        leave_date=leave,
        rating=draw(st.none() | st.sampled_from(RATINGS)),
        bonus_tax=draw(st.sampled_from(["merged", "separate"])),
        hf_rate=draw(st.sampled_from([D("0.05"), D("0.06"), D("0.07")])),
        contribution_base=draw(st.none() | yuan(3000, 60000)),
        first_job=draw(st.booleans()),
        scale_version=draw(st.none() | st.sampled_from(["2017", "2025"])),
    )
    # The tax options the rules allow (§6b: 13号 and 19号 exclusive, 19号 only after a whole year here).
    option = draw(st.sampled_from(["none", "13", "19"] if hire <= date(year - 1, 1, 1) else ["none", "13"]))
    case = replace(case, first_income_of_year=option == "13", prior_year_low_income=option == "19")
    # Keep only adjustments in months with service (others are refused by design).
    served = {r.month.month for r in simulate(replace(case, from_month=1), REF)}
    return replace(case, adjustments={m: a for m, a in adjustments.items() if m in served})


def _money_fields(result: MonthResult) -> list[Decimal]:
    values = [getattr(result, f.name) for f in fields(result)]
    values += [getattr(result.employer, f.name) for f in fields(result.employer)]
    values += [getattr(result.tax_state, f.name) for f in fields(result.tax_state)]
    return [v for v in values if isinstance(v, Decimal)]


@SLOW
@given(cases())
def test_lines_add_up_and_money_keeps_two_places(case: Case) -> None:
    results = simulate(case, REF)
    for r in results:
        assert r.gross == (
            r.grade_pay
            + r.post_allowance
            + r.performance
            + r.qualification_allowance
            + r.annual_bonus
            + r.adjustments
        )
        assert r.net == r.gross - r.pension - r.medical - r.unemployment - r.housing_fund - r.iit
        assert r.iit == r.wage_tax + r.bonus_tax
        assert r.wage_tax >= 0 and r.bonus_tax >= 0
        e = r.employer
        assert e.total == e.pension + e.medical + e.unemployment + e.work_injury + e.housing_fund
        assert all(places(v) <= 2 for v in _money_fields(r))
        assert from_fen(to_fen(r.net)) == r.net
    sums = totals(results)
    assert sums["net"] == sum((r.net for r in results), D(0))


@FAST
@given(
    st.lists(
        st.tuples(
            yuan(-20000, 120000), yuan(0, 9000), st.sampled_from([0, 1000, 2000, 5000, 9000])
        ),
        min_size=1,
        max_size=12,
    )
)
def test_tax_is_never_negative(months: list[tuple[Decimal, Decimal, int]]) -> None:
    state = TaxState()
    for n, (wages, si_hf, special) in enumerate(months, start=1):
        tax, state = monthly_tax(
            state, wages, si_hf, D(special), basic_deduction(n, 1, False, False), TABLE
        )
        assert tax >= 0
        assert places(tax) <= 2
        assert state.tax_withheld >= 0


@FAST
@given(st.lists(yuan(0, 120000), min_size=12, max_size=12), yuan(0, 9000), st.booleans())
def test_twelve_monthly_taxes_sum_to_the_annual_tax(
    taxables: list[Decimal], si_hf: Decimal, constant: bool
) -> None:
    # Each month's own taxable amount is >= 0, so the cumulative taxable never falls
    # and nothing is ever withheld beyond what the annual table asks (no refund case).
    if constant:
        taxables = [taxables[0]] * 12
    state = TaxState()
    withheld = []
    for n, taxable in enumerate(taxables, start=1):
        wages = taxable + D(5000) + si_hf
        tax, state = monthly_tax(
            state, wages, si_hf, D(0), basic_deduction(n, 1, False, False), TABLE
        )
        withheld.append(tax)
    year_taxable = sum(taxables, D(0))
    assert sum(withheld, D(0)) == annual_tax(TABLE, year_taxable)
    assert state.wages - D(60000) - state.si_hf - state.special == year_taxable


@FAST
@given(st.integers(-(10**12), 10**12))
def test_fen_round_trip_from_int(fen: int) -> None:
    assert to_fen(from_fen(fen)) == fen
    assert places(from_fen(fen)) <= 2


@FAST
@given(
    st.decimals(
        min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
    )
)
def test_fen_round_trip_from_decimal(value: Decimal) -> None:
    assert from_fen(to_fen(value)) == value


@FAST
@given(st.decimals(min_value=0, max_value=10**7, places=4, allow_nan=False, allow_infinity=False))
def test_jiao_up_is_the_next_jiao_at_or_above_the_fen(value: Decimal) -> None:
    fen = round_fen(value)
    jiao = round_jiao_up(value)
    assert jiao >= fen > jiao - D("0.10") or jiao == fen
    assert (jiao * 10) == (jiao * 10).to_integral_value()
    assert places(jiao) <= 2
