"""§2 of the rule book, case by case, on the pure functions (no database)."""
from __future__ import annotations

from datetime import date

import pytest

from hr.grades import rules
from hr.grades.rules import (
    ANNUAL,
    CEILING,
    CORRECTION,
    EARLY,
    EARLY_RISE,
    EARLY_USED,
    ENTRY,
    FAILED,
    POST_CHANGE,
    REGULAR,
    Entry,
    History,
    propose,
)

J = date(2019, 1, 1)


def entry(grade: int = 3, post: str = "STAF", effective: date = J, id: int = 1) -> Entry:
    return Entry(id, effective, post, grade, ENTRY)


def all_years(first: int, last: int, rating: str = "合格") -> dict[int, str]:
    return {y: rating for y in range(first, last + 1)}


# --- constants agree with the models --------------------------------------------------------

def test_rule_constants_agree_with_the_models():
    from hr.core.vocabulary import RATINGS
    from hr.grades import models

    assert models.GRADE_IN_RANGE == ("(post = 'LEAD' AND grade BETWEEN 7 AND 18) OR "
                                     "(post = 'SUPV' AND grade BETWEEN 4 AND 15) OR "
                                     "(post = 'STAF' AND grade BETWEEN 1 AND 12)")
    assert (rules.ENTRY, rules.ANNUAL, rules.EARLY, rules.POST_CHANGE, rules.QUALIFY, rules.CORRECTION) == models.REASONS
    assert set(rules.COUNTING) | {"不合格"} == set(RATINGS)


# --- §2.1 entry grade --------------------------------------------------------------------

@pytest.mark.parametrize("post, education, years, qualification, expected", [
    ("STAF", "高中/中专", 0, "", 1),
    ("STAF", "大专", 2, "", 1),        # 大专 0, 2 // 3 = 0
    ("STAF", "本科", 4, "", 3),        # 1 + 1 + 1
    ("SUPV", "硕士", 6, "", 8),        # 4 + 2 + 2
    ("LEAD", "本科", 3, "", 9),        # 7 + 1 + 1
    ("LEAD", "博士", 9, "", 13),       # 7 + 3 + 3
    ("LEAD", "博士", 30, "", 18),      # 7 + 3 + 10 = 20, capped at 18
    ("STAF", "硕士", 45, "", 12),      # 1 + 2 + 15 = 18, capped at 12
    ("SUPV", "大专", 0, "社会工作师", 6),  # qualification_mode 'grade': +2
    ("STAF", "本科", 0, "高级社会工作师", 5),
    ("STAF", "本科", 0, "无", 2),
])
def test_entry_grade(post, education, years, qualification, expected):
    assert rules.entry_grade(post, education, years, qualification).grade == expected


def test_entry_grade_shows_its_arithmetic_and_the_cap():
    e = rules.entry_grade("LEAD", "博士", 30)
    assert e.raw == 20 and e.capped and e.grade == 18
    assert e.arithmetic == "7（负责人起点） + 3（博士） + 10（认定年限 30 年 ÷ 3 取整） = 20，超过岗位最高级，按 18 级"
    assert "社会工作师" in rules.entry_grade("STAF", "本科", 0, "社会工作师").arithmetic


def test_entry_is_effective_on_the_first_of_the_hire_month():
    assert rules.entry_effective(date(2024, 3, 15)) == date(2024, 3, 1)


# --- post changes -------------------------------------------------------------------------

@pytest.mark.parametrize("post, grade, expected", [
    ("STAF", 15, 12), ("STAF", 5, 5), ("LEAD", 3, 7), ("LEAD", 12, 12), ("SUPV", 18, 15), ("SUPV", 1, 4),
])
def test_post_change_clamps_the_grade(post, grade, expected):
    assert rules.clamp(post, grade) == expected


# --- §2.2 regular rise --------------------------------------------------------------------

def test_three_qualifying_years_give_one_grade():
    ratings = all_years(2019, 2021)
    assert propose(2021, [entry()], ratings, J) is None
    assert propose(2020, [entry()], ratings, J) is None
    p = propose(2022, [entry()], ratings, J)
    assert p is not None and p.kind == REGULAR and p.rises
    assert (p.grade, p.new_grade, p.counted, p.reason) == (3, 4, (2019, 2020, 2021), "满3年晋1级")
    assert p.assignment_reason == ANNUAL


def test_basic_pass_counts_like_pass():
    ratings = {2019: "基本合格", 2020: "优秀", 2021: "合格"}
    assert propose(2022, [entry()], ratings, J).kind == REGULAR


def test_a_failed_year_does_not_count():
    ratings = {2019: "合格", 2020: "不合格", 2021: "合格"}
    p = propose(2022, [entry()], ratings, J)
    assert p.kind == FAILED and not p.rises and p.reason == "不合格年度不计"
    assert p.counted == (2019, 2021) and p.failed == (2020,)
    ratings[2022] = "合格"
    p = propose(2023, [entry()], ratings, J)
    assert p.kind == REGULAR and p.counted == (2019, 2021, 2022) and "不合格不计：2020" in p.detail


def test_an_unrated_year_does_not_count():
    assert propose(2022, [entry()], {2019: "合格", 2021: "合格"}, J) is None


def test_a_year_not_served_whole_does_not_count():
    # hired 15 March 2019: the entry is effective 1 March, 2019 is rated but not a whole year
    hire = date(2019, 3, 15)
    first = entry(effective=date(2019, 3, 1))
    ratings = all_years(2019, 2021)
    assert propose(2022, [first], ratings, hire) is None
    ratings[2022] = "合格"
    assert propose(2023, [first], ratings, hire).counted == (2020, 2021, 2022)


def test_hired_mid_january_the_entry_year_does_not_count():
    hire = date(2019, 1, 15)  # entry effective 1 January, but the year was not served whole
    p = propose(2022, [entry()], all_years(2019, 2021), hire)
    assert p is None


def test_a_year_left_before_its_end_does_not_count():
    assert propose(2022, [entry()], all_years(2019, 2021), J, leave_date=date(2021, 6, 30)) is None
    assert propose(2022, [entry()], all_years(2019, 2021), J, leave_date=date(2021, 12, 31)).kind == REGULAR


def test_the_counter_restarts_after_a_rise():
    h = History([entry()])
    ratings = all_years(2019, 2030)
    risen = [y for y in range(2020, 2031) if (p := h.run(y, ratings, J)) and p.rises]
    assert risen == [2022, 2025, 2028]
    assert h.entries[-1].grade == 6


def test_one_grade_per_run_however_many_years_accumulated():
    p = propose(2026, [entry()], all_years(2019, 2025), J)
    assert p.kind == REGULAR and p.new_grade == 4 and len(p.counted) == 7


def test_the_run_ignores_ratings_of_its_own_year_and_later():
    assert propose(2021, [entry()], all_years(2019, 2025), J) is None


# --- early rise ---------------------------------------------------------------------------

def test_two_consecutive_excellent_years_give_an_early_rise():
    p = propose(2021, [entry()], {2019: "优秀", 2020: "优秀"}, J)
    assert p.kind == EARLY_RISE and p.new_grade == 4 and p.early_no == 1
    assert p.reason == "连续两年优秀提前晋级(第1次)" and p.assignment_reason == EARLY


def test_two_excellent_years_not_consecutive_give_nothing_early():
    assert propose(2022, [entry()], {2019: "优秀", 2020: "不合格", 2021: "优秀"}, J).kind == FAILED


def test_excellent_year_not_served_whole_does_not_make_a_pair():
    assert propose(2021, [entry(effective=date(2019, 1, 1))], {2019: "优秀", 2020: "优秀"},
                   date(2019, 2, 1)) is None


def test_early_rise_at_most_twice_in_a_career_third_time_refused():
    h = History([entry(grade=1, effective=date(2010, 1, 1))])
    ratings = all_years(2010, 2030, "优秀")
    outcomes = {y: h.run(y, ratings, date(2010, 1, 1)) for y in range(2011, 2018)}
    assert outcomes[2012].kind == EARLY_RISE and outcomes[2012].early_no == 1
    assert outcomes[2014].kind == EARLY_RISE and outcomes[2014].early_no == 2
    assert outcomes[2016].kind == EARLY_USED and not outcomes[2016].rises
    assert outcomes[2017].kind == REGULAR  # 2014, 2015, 2016: the regular band still applies
    assert rules.early_rises(h.entries) == 2


def test_regular_rise_wins_over_early_rise_and_keeps_the_allowance():
    p = propose(2022, [entry()], {2019: "合格", 2020: "优秀", 2021: "优秀"}, J)
    assert p.kind == REGULAR
    assert rules.early_rises([entry()]) == 0


def test_excellent_years_before_the_last_grade_change_do_not_pair():
    entries = [entry(), Entry(2, date(2021, 1, 1), "STAF", 4, ANNUAL)]
    assert propose(2022, entries, {2019: "优秀", 2020: "优秀", 2021: "优秀"}, J) is None


def test_corrected_early_rise_still_counts_when_it_raised_the_grade():
    entries = [entry(grade=3), Entry(2, date(2021, 1, 1), "STAF", 4, EARLY),
               Entry(3, date(2021, 1, 1), "STAF", 5, CORRECTION, corrects_id=2)]
    assert rules.early_rises(entries) == 1
    undone = [*entries[:2], Entry(3, date(2021, 1, 1), "STAF", 3, CORRECTION, corrects_id=2)]
    assert rules.early_rises(undone) == 0


# --- ceiling --------------------------------------------------------------------------------

def test_at_the_post_ceiling_no_rise():
    p = propose(2022, [entry(grade=12)], all_years(2019, 2021), J)
    assert p.kind == CEILING and not p.rises and p.new_grade == 12 and p.reason == "已达岗位最高级"
    p = propose(2021, [entry(grade=18, post="LEAD")], {2019: "优秀", 2020: "优秀"}, J)
    assert p.kind == CEILING and p.cause == EARLY_RISE


def test_rise_to_the_ceiling_then_stop():
    h = History([entry(grade=11)])
    ratings = all_years(2019, 2030)
    kinds = [p.kind for y in range(2020, 2030) if (p := h.run(y, ratings, J))]
    assert max(e.grade for e in h.entries) == 12
    assert kinds[0] == REGULAR and set(kinds[1:]) == {CEILING}


# --- the last grade change -----------------------------------------------------------------

def test_post_change_that_keeps_the_grade_does_not_restart_the_counter():
    entries = [entry(grade=8), Entry(2, date(2020, 7, 1), "SUPV", 8, POST_CHANGE)]
    p = propose(2022, entries, all_years(2019, 2021), J)
    assert p.kind == REGULAR and p.post == "SUPV" and p.new_grade == 9 and p.since == J


def test_post_change_that_clamps_the_grade_restarts_the_counter():
    entries = [entry(grade=15, post="LEAD"), Entry(2, date(2020, 7, 1), "STAF", 12, POST_CHANGE)]
    p = propose(2022, entries, all_years(2019, 2021), J)
    assert p is None or not p.rises
    assert rules.last_grade_change(rules.effective_timeline(entries)) == date(2020, 7, 1)


def test_grade_change_mid_year_opens_the_window_next_year():
    entries = [entry(grade=3), Entry(2, date(2020, 7, 1), "STAF", 4, rules.QUALIFY, qualification="助理社会工作师")]
    assert propose(2023, entries, all_years(2019, 2022), J) is None  # 2021, 2022 only
    assert propose(2024, entries, all_years(2019, 2023), J).counted == (2021, 2022, 2023)


def test_correction_replaces_the_entry_on_its_date():
    entries = [entry(grade=3), Entry(2, J, "STAF", 4, CORRECTION, corrects_id=1)]
    timeline = rules.effective_timeline(entries)
    assert [e.id for e in timeline] == [2]
    assert rules.in_force(entries, date(2020, 5, 1)).grade == 4
    assert rules.correctable(entries) == {2}
    p = propose(2022, entries, all_years(2019, 2021), J)
    assert (p.grade, p.new_grade, p.since) == (4, 5, J)  # the corrected entry date stays the anchor


def test_no_timeline_no_proposal():
    assert propose(2022, [], all_years(2019, 2021), J) is None


def test_entries_after_the_run_day_are_ignored():
    entries = [entry(), Entry(2, date(2022, 3, 1), "SUPV", 4, POST_CHANGE)]
    p = propose(2022, entries, all_years(2019, 2021), J)
    assert p.post == "STAF" and p.new_grade == 4


# --- assessment eligibility ---------------------------------------------------------------

@pytest.mark.parametrize("year, hire, leave, excluded", [
    (2024, date(2024, 9, 30), None, False),
    (2024, date(2024, 10, 1), None, True),
    (2025, date(2024, 10, 1), None, False),
    (2023, date(2024, 1, 1), None, True),
    (2024, date(2020, 1, 1), date(2023, 12, 31), True),
    (2024, date(2020, 1, 1), date(2024, 3, 31), False),
])
def test_not_assessed_reason(year, hire, leave, excluded):
    assert (rules.not_assessed_reason(year, hire, leave) is not None) == excluded
