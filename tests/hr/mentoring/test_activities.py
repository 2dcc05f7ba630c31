"""Activities per pairing: dates within the pairing, kinds, hours as exact one-place decimals."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from hr.core.errors import DomainError
from hr.core.timeutil import today
from tests.helpers.mentoring import START, Y
from tests.helpers.web import text


@pytest.fixture
def pairing(mentor, mentee, pair):
    return pair(mentor(), mentee())


@pytest.mark.parametrize("hours", ["0.5", "1.5", "2.0", "7.3", "23.9", "24"])
def test_hours_come_back_exactly(pairing, hours):
    from hr.core.db import db
    from hr.mentoring import services
    from hr.mentoring.models import Activity

    a = services.add_activity(pairing, START, "带教", hours, "跟班学习")
    db.session.commit()
    db.session.expire_all()
    got = db.session.get(Activity, a.id)
    assert got.hours == Decimal(hours) and isinstance(got.hours, Decimal)
    assert str(got.hours) == str(Decimal(hours).quantize(Decimal("0.1")))
    assert got.tenths == int(Decimal(hours) * 10)


@pytest.mark.parametrize("held_on, kind, hours, field, message", [
    (START, "带教", "0.4", "hours", "学时须为 0.5–24 之间的数字，最多一位小数。"),
    (START, "带教", "1.25", "hours", "学时须为 0.5–24 之间的数字，最多一位小数。"),
    (START, "带教", "25", "hours", "学时须为 0.5–24 之间的数字，最多一位小数。"),
    (START, "讲座", "1", "kind", "活动形式须为 带教/研讨/沙龙/现场教学/微课堂 之一。"),
    (START - timedelta(days=1), "带教", "1", "held_on", f"活动日期须在结对期间（{START.isoformat()} 至 {Y}-12-31）内。"),
    (date(Y + 1, 1, 1), "带教", "1", "held_on", f"活动日期须在结对期间（{START.isoformat()} 至 {Y}-12-31）内。"),
    (None, "带教", "1", "held_on", "请输入活动日期"),
])
def test_activity_refusals(pairing, held_on, kind, hours, field, message):
    from hr.mentoring import services

    with pytest.raises(DomainError) as e:
        services.add_activity(pairing, held_on, kind, hours)
    assert e.value.errors[field] == message


def test_no_activity_in_the_future_or_after_closing(pairing):
    from hr.core.db import db
    from hr.mentoring import services

    tomorrow = today() + timedelta(days=1)
    if tomorrow <= pairing.end_on:
        with pytest.raises(DomainError, match="活动日期不能晚于今天。"):
            services.add_activity(pairing, tomorrow, "带教", "1")
    services.close_pairing(pairing, "terminate", START, reason="离职")
    db.session.commit()
    if START + timedelta(days=1) <= today():
        with pytest.raises(DomainError, match=f"活动日期不能晚于结对的结业/终止日期（{START.isoformat()}）。"):
            services.add_activity(pairing, START + timedelta(days=1), "带教", "1")
    assert services.add_activity(pairing, START, "研讨", "1.5").kind == "研讨"  # late entry of an earlier one


def test_activities_through_the_page(login_as, pairing):
    from hr.core.db import db
    from hr.mentoring.models import Activity

    c = login_as("officer")
    resp = c.post(f"/mentoring/pairings/{pairing.id}/activities",
                  data={"held_on": START.isoformat(), "kind": "现场教学", "hours": "2.5", "notes": "加装电梯=调解"},
                  follow_redirects=True)
    assert f"已记录 {START.isoformat()} 现场教学 2.5 学时。" in text(resp)
    page = text(c.get(f"/mentoring/pairings/{pairing.id}"))
    assert "共 1 次，2.5 学时" in page and "加装电梯=调解" in page
    bad = c.post(f"/mentoring/pairings/{pairing.id}/activities",
                 data={"held_on": START.isoformat(), "kind": "带教", "hours": "abc"}, follow_redirects=True)
    assert "学时须为 0.5–24 之间的数字，最多一位小数。" in text(bad)
    a = db.session.query(Activity).one()
    resp = c.post(f"/mentoring/activities/{a.id}/delete", follow_redirects=True)
    assert "已删除活动记录。" in text(resp)
    assert db.session.query(Activity).count() == 0
