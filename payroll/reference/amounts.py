"""Reading amounts, rates and months typed by people (forms and Excel cells): one way in, with
the refusal in Chinese. Nothing here rounds: an amount with too many places is refused, not
quietly changed."""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from payroll.calc.money import FEN, places

# ASCII digits only (Python's \d also matches full-width and other scripts' digits).
PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)
GROUPED = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", re.ASCII)
MAX_DIGITS = 15  # integer digits: far above any amount, far below what breaks a Decimal context
MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
MAX_MONTHLY = Decimal("1000000")  # yuan: a sanity bound for a monthly amount
MAX_TABLE = Decimal("100000000")  # yuan: a sanity bound for tax-table limits


class AmountError(ValueError):
    """The message is Chinese and says what is wrong with the value."""


def read_number(text: str, what: str = "金额") -> Decimal:
    """The one reading of a typed number (forms, Excel text cells, the API's money strings): a
    plain decimal (`1234.50`, `-3`), or one with thousands separators where they belong
    (`1,234.50`, `12,345,678`). Refused with a Chinese message: full-width digits, commas or
    points, a comma anywhere else (`100,00`, `1,23`), spaces inside, exponents, more than
    MAX_DIGITS integer digits. Nothing is quietly dropped."""
    s = text.strip()
    if any(0xFF00 <= ord(c) <= 0xFFEF or (c.isdigit() and not c.isascii()) or c in "、。" for c in s):
        raise AmountError(f"{what}须用半角数字和小数点书写（不要用全角数字、全角逗号或中文标点），如 1234.50")
    if not s.isascii():
        raise AmountError(f"{what}应为数字，如 1234.50")
    if GROUPED.fullmatch(s):
        s = s.replace(",", "")
    elif not PLAIN.fullmatch(s):
        if "," in s:
            raise AmountError(f"{what}中的逗号只能用作千位分隔符（如 1,234.50），小数点须用“.”")
        raise AmountError(f"{what}应为数字，如 1234.50")
    if len(s.lstrip("-").split(".")[0].lstrip("0")) > MAX_DIGITS:
        raise AmountError(f"{what}数值过大")
    return Decimal(s)


def parse_decimal(value: object, max_places: int = 2, *, positive: bool = False,
                  maximum: Decimal | None = None, what: str = "金额") -> Decimal:
    """`value` (text, int, Decimal, or a float read from an Excel cell) as an exact Decimal.

    Refuses empty values, non-numbers, negatives, more than `max_places` decimal places, zero
    when `positive`, and values above `maximum`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise AmountError(f"请填写{what}")
    if isinstance(value, bool):
        raise AmountError(f"{what}应为数字")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # An Excel number cell: its shortest repr is the number the user typed.
        number = Decimal(repr(value))
    elif isinstance(value, str):
        number = read_number(value, what)
    else:
        raise AmountError(f"{what}应为数字")
    if not number.is_finite():
        raise AmountError(f"{what}应为数字")
    if number < 0:
        raise AmountError(f"{what}不能为负数")
    if positive and number == 0:
        raise AmountError(f"{what}须大于 0")
    if places(number) > max_places:
        raise AmountError(f"{what}最多 {max_places} 位小数")
    if maximum is not None and number > maximum:
        raise AmountError(f"{what}不能超过 {maximum:,}")
    return number


def parse_money(value: object, *, positive: bool = False, maximum: Decimal | None = MAX_MONTHLY,
                what: str = "金额") -> Decimal:
    """Yuan with at most 2 places, given back with exactly 2 places (4600 → 4600.00)."""
    return parse_decimal(value, 2, positive=positive, maximum=maximum, what=what).quantize(FEN)


def parse_rate(value: object, *, below_one: bool = True, maximum: Decimal | None = None,
               what: str = "比例") -> Decimal:
    """A rate or share as a fraction with at most 4 places (0.08 = 8%); below 1 unless told."""
    number = parse_decimal(value, 4, maximum=maximum, what=what)
    if below_one and number >= 1:
        raise AmountError(f"{what}应为小于 1 的小数（如 0.08 表示 8%）")
    return number


def parse_month(value: object, what: str = "月份") -> date:
    """A month as the 1st: a date cell on the 1st, or text 2025-03 / 2025/3 / 2025年3月 /
    2025-03-01."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if value.day != 1:
            raise AmountError(f"{what}应填写月份，如 2025-03")
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10 and text[4] in "-/." and text[7] in "-/.":
            try:
                d = date(int(text[:4]), int(text[5:7]), int(text[8:]))
            except ValueError:
                raise AmountError(f"{what}不是有效的月份") from None
            if d.day != 1:
                raise AmountError(f"{what}应填写月份，如 2025-03")
            return d
        m = MONTH.match(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12:
                return date(year, month, 1)
            raise AmountError(f"{what}不是有效的月份")
    raise AmountError(f"{what}格式应为 YYYY-MM，如 2025-03")


def money_text(value: Decimal) -> str:
    """An amount as stored in the JSON tables: exactly 2 places."""
    return f"{value.quantize(FEN):.2f}"


def rate_text(value: Decimal) -> str:
    """A rate or multiplier as stored: its decimal text without trailing zeros beyond 2 places."""
    if places(value) <= 2:
        return f"{value.quantize(Decimal('0.01')):.2f}"
    return format(value.normalize(), "f")
