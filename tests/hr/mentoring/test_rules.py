"""The pure rules of §7: eligibility, outranking, dates, hours, closing."""
from datetime import date
from decimal import Decimal

import pytest

from hr.mentoring import rules
from hr.mentoring.rules import Person

ON = date(2026, 3, 1)


def p(**kw):
    base = dict(id=1, name="王明", district_id=9, street_id=1, street_name="欧阳路街道",
                birth_date=date(1980, 1, 1), hire_date=date(2010, 1, 1), post="STAF", grade=3,
                post_since=date(2010, 1, 1))
    base.update(kw)
    return Person(**base)


@pytest.mark.parametrize("a, b, expected", [
    (("LEAD", 7), ("SUPV", 15), True),     # higher post wins over any grade
    (("SUPV", 4), ("STAF", 12), True),
    (("LEAD", 12), ("LEAD", 11), True),    # same post: higher grade
    (("LEAD", 12), ("LEAD", 12), False),   # equal rank does not outrank
    (("LEAD", 11), ("LEAD", 12), False),
    (("SUPV", 15), ("LEAD", 7), False),
    ((None, None), ("STAF", 1), False),
])
def test_outranks_is_post_then_grade(a, b, expected):
    assert rules.outranks(p(id=1, post=a[0], grade=a[1]), p(id=2, post=b[0], grade=b[1])) is expected


def test_add_years_and_default_end():
    assert rules.add_years(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert rules.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert rules.default_end(date(2026, 3, 1)) == date(2027, 2, 28)
    assert rules.default_end(date(2028, 2, 29)) == date(2029, 2, 28)
    assert rules.default_end(date(2026, 1, 1)) == date(2026, 12, 31)


def test_new_secretary_is_the_first_12_months_on_lead():
    lead = p(post="LEAD", grade=8, post_since=date(2025, 3, 1), birth_date=date(1970, 1, 1))
    assert rules.mentee_grounds(lead, date(2026, 2, 28)) == ("新任书记（2025-03 起任负责人）",)
    assert rules.mentee_grounds(lead, date(2026, 3, 1)) == ()


def test_young_secretary_is_lead_under_35():
    young = p(post="LEAD", grade=9, post_since=date(2015, 1, 1), birth_date=date(1991, 3, 2))
    assert rules.mentee_grounds(young, date(2026, 3, 1)) == ("青年书记（34 岁）",)
    assert rules.mentee_grounds(young, date(2026, 3, 2)) == ()
    assert rules.mentee_grounds(p(post="SUPV", grade=9, birth_date=date(2000, 1, 1)), ON) == ()


def test_reserve_cadre_and_first_three_years():
    assert rules.mentee_grounds(p(reserve_cadre=True), ON) == ("后备干部",)
    fresh = p(hire_date=date(2023, 3, 2))
    assert rules.mentee_grounds(fresh, ON) == ("入职未满 3 年（2023-03-02 入职）",)
    assert rules.mentee_grounds(p(hire_date=date(2023, 3, 1)), ON) == ()
    assert rules.mentee_grounds(p(hire_date=date(2026, 3, 2)), ON) == ()  # not hired yet


def test_post_on_reads_the_unbroken_run_and_ignores_overtaken_entries():
    entries = [(date(2010, 1, 1), 1, "STAF", 3), (date(2018, 1, 1), 2, "LEAD", 8),
               (date(2020, 1, 1), 3, "LEAD", 9), (date(2020, 1, 1), 4, "LEAD", 10),  # a 纠错 on the same day
               (date(2027, 1, 1), 5, "SUPV", 10)]
    assert rules.post_on(entries, date(2026, 3, 1)) == rules.PostFact("LEAD", 10, date(2018, 1, 1))
    assert rules.post_on(entries, date(2017, 12, 31)) == rules.PostFact("STAF", 3, date(2010, 1, 1))
    assert rules.post_on(entries, date(2009, 1, 1)) is None
    assert rules.post_on(list(reversed(entries)), date(2026, 3, 1)).grade == 10


def test_last_rating_is_the_latest_year_before_the_start_year():
    ratings = {2022: "优秀", 2024: "基本合格", 2026: "优秀"}
    assert rules.last_rating(ratings, date(2026, 3, 1)) == (2024, "基本合格")
    assert rules.last_rating(ratings, date(2027, 1, 1)) == (2026, "优秀")
    assert rules.last_rating({}, ON) is None


def mentor(**kw):
    base = dict(id=10, post="LEAD", grade=14, post_since=date(2015, 1, 1), last_rating="合格", last_rating_year=2025)
    base.update(kw)
    return p(**base)


@pytest.mark.parametrize("change, message", [
    ({"leave_date": date(2026, 2, 28)}, "王明 在 2026-03-01 不在职，不能担任导师。"),
    ({"district_id": 8}, "王明 不在工作室所在区，不能担任该工作室的导师。"),
    ({"post": "SUPV", "grade": 15}, "王明 在 2026-03-01 的岗位为“主管 15 级”，导师须为负责人（书记）岗位。"),
    ({"last_rating": None, "last_rating_year": None}, "王明 在 2026 年以前没有年度考核结果，导师最近一次考核须为合格及以上。"),
    ({"last_rating": "基本合格"}, "王明 最近一次年度考核（2025 年）为“基本合格”，导师最近一次考核须为合格及以上。"),
    ({"last_rating": "不合格"}, "王明 最近一次年度考核（2025 年）为“不合格”，导师最近一次考核须为合格及以上。"),
])
def test_mentor_refusals(change, message):
    assert rules.mentor_refusal(mentor(), ON, district_id=9, is_member=True) is None
    assert rules.mentor_refusal(mentor(last_rating="优秀"), ON, district_id=9, is_member=True) is None
    assert rules.mentor_refusal(mentor(**change), ON, district_id=9, is_member=True) == message


def test_mentor_must_be_a_member():
    assert rules.mentor_refusal(mentor(), ON, district_id=9, is_member=False) == \
        "王明 在 2026-03-01 不是该工作室的成员，导师须为工作室成员。"


def test_mentee_refusals():
    fresh = p(hire_date=date(2025, 3, 1))
    assert rules.mentee_refusal(fresh, ON, district_id=9) is None
    assert "不是带教对象" in rules.mentee_refusal(p(), ON, district_id=9)
    assert rules.mentee_refusal(fresh, ON, district_id=8) == "王明 不在工作室所在区，不能作为该工作室的带教对象。"
    assert rules.mentee_refusal(p(hire_date=date(2025, 3, 1), leave_date=date(2026, 1, 1)), ON, district_id=9) == \
        "王明 在 2026-03-01 不在职，不能作为带教对象。"


def test_pair_capacity_and_taken_refusals():
    m, e = mentor(name="李强"), p(id=2, name="赵敏", hire_date=date(2025, 3, 1))
    assert rules.pair_refusal(m, m) == "不能与自己结对：导师和带教对象须为两个人。"
    assert rules.pair_refusal(m, e) is None
    assert rules.pair_refusal(m, p(id=2, name="赵敏", post=None, grade=None)) == \
        "赵敏 在开始日期没有岗位等级记录，无法确认导师的岗位等级高于带教对象。"
    assert rules.pair_refusal(m, p(id=2, name="赵敏", post="LEAD", grade=14)) == (
        "导师的岗位等级须高于带教对象：李强 为“负责人 14 级”，赵敏 为“负责人 14 级”（同为一个岗位时导师的等级须更高）。")
    assert rules.capacity_refusal("李强", 4, 5) is None
    assert rules.capacity_refusal("李强", 5, 5) == "李强 已有 5 名进行中的带教对象，每位导师同时最多带教 5 人。"
    assert rules.taken_refusal("赵敏", "李强") == "赵敏 已有进行中的导师（李强），同一时间只能有一名导师。"
    assert rules.check_pairing(m, e, ON, district_id=9, is_member=True, load=0, limit=5, current_mentor=None) is None


def test_dates_refusals():
    assert rules.dates_refusal(date(2026, 3, 1), date(2027, 2, 28), 2026) is None
    assert rules.dates_refusal(date(2025, 12, 31), date(2026, 12, 30), 2026) == "开始日期须在 2026 年内（与届次年度一致）。"
    assert rules.dates_refusal(date(2026, 3, 1), date(2026, 3, 1), 2026) == "结束日期须晚于开始日期。"
    assert rules.dates_refusal(date(2026, 3, 1), date(2029, 3, 2), 2026) == "结对期限不能超过 3 年。"
    assert rules.dates_refusal(date(2026, 3, 1), date(2029, 3, 1), 2026) is None


@pytest.mark.parametrize("text, value", [("0.5", "0.5"), ("1", "1.0"), ("24", "24.0"), (" 2.5 ", "2.5"),
                                         (Decimal("3.0"), "3.0"), (2, "2.0")])
def test_parse_hours(text, value):
    parsed = rules.parse_hours(text)
    assert parsed == Decimal(value) and str(parsed) == value
    assert rules.to_tenths(parsed) == int(Decimal(value) * 10)


@pytest.mark.parametrize("bad", ["0.4", "24.1", "1.25", "abc", "", "NaN", "Infinity", "-1", 1.5, True, None])
def test_parse_hours_refuses(bad):
    with pytest.raises(ValueError, match="学时须为 0.5–24 之间的数字，最多一位小数。"):
        rules.parse_hours(bad)


def test_activity_refusals():
    s, e = date(2026, 1, 1), date(2026, 12, 31)
    assert rules.activity_refusal(date(2026, 2, 1), "沙龙", s, e, None, date(2026, 3, 1)) is None
    assert rules.activity_refusal(date(2026, 2, 1), "讲座", s, e, None, ON) == "活动形式须为 带教/研讨/沙龙/现场教学/微课堂 之一。"
    assert rules.activity_refusal(date(2025, 12, 31), "带教", s, e, None, ON) == "活动日期须在结对期间（2026-01-01 至 2026-12-31）内。"
    assert rules.activity_refusal(date(2026, 2, 2), "带教", s, e, date(2026, 2, 1), ON) == \
        "活动日期不能晚于结对的结业/终止日期（2026-02-01）。"
    assert rules.activity_refusal(date(2026, 3, 2), "带教", s, e, None, ON) == "活动日期不能晚于今天。"


def test_close_refusals():
    s, e, today = date(2026, 1, 1), date(2026, 12, 31), date(2026, 6, 1)
    ok = dict(evaluation="优秀")
    assert rules.close_refusal("进行中", "graduate", s, e, today, today, **ok) is None
    assert rules.close_refusal("进行中", "graduate", s, e, today, today) == "结业评价须为 优秀/合格/不合格 之一。"
    assert rules.close_refusal("进行中", "graduate", s, e, date(2025, 12, 1), today, **ok) == "结业日期不能早于开始日期（2026-01-01）。"
    assert rules.close_refusal("进行中", "graduate", s, e, date(2026, 6, 2), today, **ok) == "结业日期不能晚于今天。"
    assert rules.close_refusal("进行中", "terminate", s, e, today, today) == "请填写提前终止的原因。"
    assert rules.close_refusal("进行中", "terminate", s, e, today, today, reason="调离本区") is None
    assert rules.close_refusal("进行中", "terminate", s, date(2026, 6, 1), today, today, reason="离职") == \
        "提前终止日期须早于结束日期（2026-06-01）；已到期的结对请办理结业。"
    assert rules.close_refusal("已结业", "terminate", s, e, today, today, reason="x") == "该结对当前为“已结业”，不能办理提前终止。"
    assert rules.close_refusal("提前终止", "graduate", s, e, today, today, **ok) == "该结对当前为“提前终止”，不能办理结业。"
    assert rules.close_refusal("进行中", "reopen", s, e, today, today) == "不支持的操作。"
