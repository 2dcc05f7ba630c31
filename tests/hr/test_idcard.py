from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hr.workers import idcard


@pytest.mark.parametrize("number, birth, gender", [
    ("11010519491231002X", date(1949, 12, 31), "女"),
    ("310101198503120022", date(1985, 3, 12), "女"),
])
def test_rule_book_valid_numbers(number, birth, gender):
    info = idcard.parse(number)
    assert (info.birth_date, info.gender) == (birth, gender)


def test_rule_book_invalid_number_is_refused_for_its_check_character():
    with pytest.raises(idcard.InvalidIdNumber, match="校验位"):
        idcard.parse("360426199101010072")


@pytest.mark.parametrize("raw, reason", [
    ("31010119850312002", "18 位"),
    ("3101011985031200AX", "前 17 位"),
    ("310101198502300021", "出生日期"),
    ("", "18 位"),
])
def test_malformed_numbers_say_why(raw, reason):
    with pytest.raises(idcard.InvalidIdNumber, match=reason):
        idcard.parse(raw)


def test_lowercase_x_and_spaces_are_normalised():
    assert idcard.parse(" 11010519491231002x ").number == "11010519491231002X"


@given(st.dates(min_value=date(1940, 1, 1), max_value=date(2005, 12, 31)), st.integers(0, 999))
def test_any_number_built_with_the_check_character_parses_back(birth, seq):
    first17 = f"310109{birth:%Y%m%d}{seq:03d}"
    info = idcard.parse(first17 + idcard.check_char(first17))
    assert info.birth_date == birth
    assert info.gender == ("男" if seq % 2 else "女")


@given(st.text(max_size=20))
def test_parse_never_raises_anything_but_invalid(raw):
    try:
        idcard.parse(raw)
    except idcard.InvalidIdNumber:
        pass


def test_mask_keeps_first_six_and_last_four():
    assert idcard.mask("310101198503120022") == "310101********0022"
