"""The domain's words are declared once in hr.core.vocabulary; the calculation core, which imports
nothing of the application, keeps a copy that must say the same."""
from __future__ import annotations

from hr.core import vocabulary as v
from payroll.calc import reference as calc


def test_the_calculation_core_uses_the_same_words():
    assert calc.POSTS == v.POSTS
    assert dict(calc.POST_NAMES) == dict(v.POST_NAMES)
    assert dict(calc.POST_RANGES) == dict(v.POST_RANGES)
    assert calc.QUALIFICATIONS == v.QUALIFICATIONS
    assert calc.RATINGS == v.RATINGS
    assert calc.GRADES == v.GRADES


def test_posts_and_grades_follow_the_rule_book():
    """三岗十八级 (pay-rules.md §2): 负责人 7–18, 主管 4–15, 工作人员 1–12."""
    assert [(v.POST_NAMES[p], v.POST_RANGES[p]) for p in v.POSTS] == [
        ("负责人", (7, 18)), ("主管", (4, 15)), ("工作人员", (1, 12))]
    assert {v.POST_BY_NAME[name] for name in v.POST_NAMES.values()} == set(v.POSTS)
    assert sorted(v.POSTS, key=v.POST_SENIORITY.__getitem__, reverse=True) == list(v.POSTS)
    assert v.GRADES == tuple(range(1, 19))


def test_qualification_levels_count_up_from_none():
    assert [v.QUALIFICATION_LEVELS[q] for q in v.QUALIFICATIONS] == [0, 1, 2, 3]
    assert v.QUALIFICATION_LEVELS[""] == 0
    assert v.HELD_QUALIFICATIONS == v.QUALIFICATIONS[1:]
