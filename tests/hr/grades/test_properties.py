"""Properties of the promotion rule over random service and rating histories (hypothesis)."""
from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from hr.core.vocabulary import POST_RANGES
from hr.grades import rules
from hr.grades.rules import POST_CHANGE, Entry, History, propose

RATING = st.sampled_from([None, "优秀", "合格", "基本合格", "不合格"])
POST = st.sampled_from(["LEAD", "SUPV", "STAF"])


@st.composite
def careers(draw):  # type: ignore[no-untyped-def]
    hire = draw(st.dates(date(2000, 1, 1), date(2016, 12, 31)))
    post = draw(POST)
    lo, hi = POST_RANGES[post]
    grade = draw(st.integers(lo, hi))
    last = 2026
    ratings = {}
    for y in range(hire.year, last):
        r = draw(st.one_of(RATING, st.just("优秀")))  # extra weight on 优秀: early rises happen
        if r is not None and rules.not_assessed_reason(y, hire) is None:
            ratings[y] = r
    leave = draw(st.one_of(st.none(), st.dates(date(hire.year + 1, 1, 1), date(last, 12, 31))))
    if leave is not None and leave < hire:
        leave = None
    changes = draw(st.lists(st.tuples(st.integers(hire.year + 1, last - 1), st.integers(1, 12), POST), max_size=3))
    return hire, post, grade, ratings, leave, sorted(changes), last


def simulate(career):  # type: ignore[no-untyped-def]
    """Every 1 January from the year after hire: post changes as they come, then the run with
    every rise approved. Returns the history and the proposals of each run."""
    hire, post, grade, ratings, leave, changes, last = career
    h = History([Entry(1, hire.replace(day=1), post, grade, rules.ENTRY)])
    runs = {}
    for year in range(hire.year + 1, last + 1):
        for y, month, new_post in changes:
            if y == year - 1:
                current = h.entries[-1]
                eff = date(y, month, 1)
                if eff > current.effective and new_post != current.post:
                    h.entries.append(Entry(len(h.entries) + 1, eff, new_post, rules.clamp(new_post, current.grade),
                                           POST_CHANGE))
        runs[year] = h.run(year, ratings, hire, leave)
    return h, runs


@settings(max_examples=300, deadline=None)
@given(careers())
def test_grade_never_leaves_the_post_range(career):
    h, _ = simulate(career)
    assert all(rules.in_range(e.post, e.grade) for e in h.entries)


@settings(max_examples=300, deadline=None)
@given(careers())
def test_at_most_two_early_rises(career):
    h, runs = simulate(career)
    assert rules.early_rises(h.entries) <= 2
    assert sum(1 for p in runs.values() if p and p.kind == rules.EARLY_RISE) <= 2


@settings(max_examples=300, deadline=None)
@given(careers())
def test_a_failed_or_partial_year_never_counts(career):
    hire, _, _, ratings, leave, _, _ = career
    _, runs = simulate(career)
    for p in runs.values():
        if p is None:
            continue
        for y in p.counted:
            assert ratings[y] != "不合格"
            assert rules.served_whole_year(y, hire, leave)
        assert set(p.failed).isdisjoint(p.counted)


@settings(max_examples=300, deadline=None)
@given(careers())
def test_every_rise_has_its_reason(career):
    hire, _, _, ratings, _, _, _ = career
    _, runs = simulate(career)
    for year, p in runs.items():
        if p is None or not p.rises:
            continue
        assert p.new_grade == p.grade + 1 <= POST_RANGES[p.post][1]
        assert all(p.since <= date(y, 1, 1) and y < year for y in p.counted)
        if p.kind == rules.REGULAR:
            assert len(p.counted) >= 3
        else:
            assert len(p.counted) < 3
            assert any(ratings.get(y) == ratings.get(y + 1) == "优秀" and y + 1 in p.counted for y in p.counted)


@settings(max_examples=300, deadline=None)
@given(careers())
def test_running_again_proposes_nothing_new(career):
    hire, post, grade, ratings, leave, changes, last = career
    h = History([Entry(1, hire.replace(day=1), post, grade, rules.ENTRY)])
    for year in range(hire.year + 1, last + 1):
        first = h.run(year, ratings, hire, leave)
        again = propose(year, h.entries, ratings, hire, leave)
        assert again is None or not again.rises
        if first is not None and not first.rises:
            assert again == first  # explanations stay, unchanged


@settings(max_examples=200, deadline=None)
@given(careers())
def test_a_failed_year_weighs_like_no_rating(career):
    hire, post, grade, ratings, leave, changes, last = career
    h1, runs1 = simulate(career)
    without = {y: r for y, r in ratings.items() if r != "不合格"}
    h2, runs2 = simulate((hire, post, grade, without, leave, changes, last))
    assert [(e.effective, e.grade) for e in h1.entries] == [(e.effective, e.grade) for e in h2.entries]
