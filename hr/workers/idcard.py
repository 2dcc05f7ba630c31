"""Resident ID numbers (GB 11643-1999): validation, and the birth date and gender they carry."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
_FORMAT = re.compile(r"^[0-9]{17}[0-9X]$")  # ASCII only: \d would take other scripts' digits


class InvalidIdNumber(ValueError):
    """The message is Chinese and says what is wrong."""


@dataclass(frozen=True)
class IdInfo:
    number: str
    area_code: str
    birth_date: date
    gender: str  # 男 / 女


def check_char(first17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise(raw: str) -> str:
    """Full-width digits and Ｘ, as Chinese input methods type them, become ASCII (NFKC)."""
    return unicodedata.normalize("NFKC", raw).strip().upper().replace(" ", "")


def parse(raw: str) -> IdInfo:
    """Validate an 18-character ID number; raise InvalidIdNumber with the reason."""
    number = normalise(raw)
    if len(number) != 18:
        raise InvalidIdNumber(f"身份证号应为 18 位，当前为 {len(number)} 位")
    if not _FORMAT.match(number):
        raise InvalidIdNumber("身份证号前 17 位须为数字，最后一位为数字或 X")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber("身份证号中的出生日期不是有效日期") from None
    if birth.year < 1900 or birth > date.today():
        raise InvalidIdNumber("身份证号中的出生日期超出合理范围")
    if check_char(number[:17]) != number[17]:
        raise InvalidIdNumber("身份证号校验位错误")
    gender = "男" if int(number[16]) % 2 == 1 else "女"
    return IdInfo(number=number, area_code=number[:6], birth_date=birth, gender=gender)


def mask(number: str) -> str:
    """First 6 and last 4 characters shown: 310101********0022."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
