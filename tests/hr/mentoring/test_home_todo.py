"""The home page's to-do line for pairings: active ones past their end date or ending within
30 days, of the user's district only; a closed pairing is done."""
from __future__ import annotations

import re
from datetime import timedelta

from hr.core.timeutil import today
from tests.conftest import PUDONG
from tests.helpers.mentoring import START
from tests.helpers.web import text


def _pairings(html: str) -> int | None:
    m = re.search(r'<li data-todo="pairings" data-count="(\d+)"', html)
    return int(m.group(1)) if m else None


def test_pairings_ending_are_counted_and_listed(login_as, mentor, mentee, pair, studio):
    soon, later = today() + timedelta(days=10), today() + timedelta(days=200)
    m1, m2 = mentor(), mentor()
    ending = pair(m1, mentee(), end=max(soon, START + timedelta(days=1)))
    pair(m2, mentee(), end=max(later, START + timedelta(days=1)))
    other = mentor(district=PUDONG)
    pair(other, mentee(district=PUDONG), end=max(soon, START + timedelta(days=1)))
    html = text(login_as("officer").get("/"))
    expected = 1 + (later <= today() + timedelta(days=30))
    assert _pairings(html) == expected
    assert f"/mentoring/pairings/{ending.id}" in html
