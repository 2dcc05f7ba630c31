"""Helpers of the mentoring tests (plain functions and data; the fixtures are in tests/conftest.py and
the folder's conftest)."""
from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import sqlalchemy as sa

from hr.core.timeutil import today

Y = today().year  # Shanghai time, as the services read it

START = date(Y, 1, 1)

FOUNDED = date(Y - 2, 1, 1)

_NAMES = itertools.count()

_SEQ = itertools.count()

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"

GIVEN = "明丽华芳军敏静强磊洋艳勇杰娟涛超霞平刚英"


def cname() -> str:
    n = next(_NAMES)
    return SURNAMES[n % 20] + GIVEN[(n // 20) % 20] + GIVEN[(n // 400) % 20]


def committee_index(district_code: str, street: int) -> int:
    """The index (for committee_in) of the first committee of the district's `street`-th street."""
    from hr.core.db import db
    from hr.org.models import Committee, District, Street

    rows = db.session.execute(
        sa.select(Committee.street_id).join(Street).join(District).where(District.code == district_code)
        .order_by(Committee.code)).scalars().all()
    seen: list[int] = []
    for i, sid in enumerate(rows):
        if sid not in seen:
            seen.append(sid)
            if len(seen) == street + 1:
                return i
    raise AssertionError("not enough streets")


def cohort(studio: Any, year: int = Y) -> Any:
    from hr.mentoring.services import cohort_of

    return cohort_of(studio, year)


