"""The home page: headcount by street and recent changes, for the user's district only."""
from datetime import date

from tests.conftest import HONGKOU, PUDONG, committee_in
from tests.helpers.web import text


def _street_rows(html):
    import re

    table = html.split("各街镇人数")[1].split("</table>")[0]
    rows = {}
    for name, cells in re.findall(r'<tr><td><a href="[^"]+">([^<]+)</a></td>(.*?)</tr>', table):
        rows[name] = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', cells)]
    return rows


def test_headcount_by_street_and_status(officer_client, many_workers, make_worker):
    from hr.core.db import db

    c0 = committee_in(HONGKOU, 0)
    many_workers(3, HONGKOU, 0)
    gone = make_worker(HONGKOU, 0, name="退休者")
    gone.status, gone.leave_date = "退休", date(2024, 1, 31)
    db.session.commit()
    many_workers(2, PUDONG, 0)
    html = text(officer_client.get("/"))
    rows = _street_rows(html)
    assert rows == {c0.street.name: [3, 0, 1]}
    assert "虹口区 · 概况" in html


def test_recent_changes_are_the_district_s_own(officer_client, make_worker):
    make_worker(HONGKOU, name="虹口人")
    make_worker(PUDONG, name="浦东人")
    recent = text(officer_client.get("/")).split("最近变更")[1]
    assert "登记职工 虹口人" in recent
    assert "浦东人" not in recent
    assert "登录" not in recent


def test_city_user_sees_every_district(client_as, make_worker):
    make_worker(HONGKOU, name="虹口人")
    make_worker(PUDONG, name="浦东人")
    html = text(client_as("auditor", None).get("/"))
    assert "全市 · 概况" in html
    assert "登记职工 虹口人" in html and "登记职工 浦东人" in html
    assert len(_street_rows(html)) == 2


def test_empty_district_invites_to_import(officer_client):
    assert "尚无职工" in text(officer_client.get("/"))
