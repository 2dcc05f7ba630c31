"""Numbers as officers read them: thousands separators, rates as percentages, no internal codes
or accounts on the pages."""
from decimal import Decimal

from hr.core.ui import fmt_num, fmt_pct, fmt_who


def test_rates_read_as_percentages():
    assert fmt_pct(Decimal("0.005")) == "0.5%"
    assert fmt_pct(Decimal("0.16")) == "16%"
    assert fmt_pct("0.0800") == "8%"
    assert fmt_pct(Decimal("0.002")) == "0.2%"
    assert fmt_pct(None) == ""


def test_numbers_have_thousands_separators():
    assert fmt_num(8790) == "8,790"
    assert fmt_num("15510") == "15,510"
    assert fmt_num(Decimal("1522.50")) == "1,522.50"
    assert fmt_num(Decimal("960000")) == "960,000"
    assert fmt_num(12) == "12"


def test_system_accounts_read_in_chinese():
    assert fmt_who("seed") == "系统初始数据" and fmt_who("王芳") == "王芳"
