"""Approved promotions: the list of a year (what, who, when), undo before the effective date,
and the 晋级通知 of a committee as PDF."""
from datetime import date

import pytest

from hr.audit.models import AuditEntry
from hr.core.db import db
from hr.core.timeutil import today
from hr.grades.queries import timeline
from tests.conftest import HONGKOU, committee_in
from tests.helpers.web import text

NEXT = today().year + 1  # the coming 1 January, still undoable


@pytest.fixture
def due(graded, rate):
    """Two Hongkou workers in different committees due to rise on 1 January NEXT, and one due
    in the past year 2022."""
    made = {}
    for key, index in (("甲某", 0), ("乙某", 1)):
        w = graded("STAF", grade=3, note="定级", hire_date=date(NEXT - 4, 1, 1), name=key, committee_index=index)
        rate(w, {NEXT - 3: "合格", NEXT - 2: "合格", NEXT - 1: "合格"})
        made[key] = w
    old = graded("STAF", grade=3, note="定级", hire_date=date(2018, 1, 1), name="丙某")
    rate(old, {2019: "合格", 2020: "合格", 2021: "合格"})
    made["丙某"] = old
    return made


def _approve(client, year, *workers):
    data = {"year": str(year), "district": HONGKOU, "scope": "selected", "worker": [str(w.id) for w in workers],
            "confirmed": "1"}
    assert client.post("/grades/promotion/approve", data=data).status_code == 302


def test_history_lists_what_was_approved_by_whom_and_when(officer_client, due):
    _approve(officer_client, NEXT, due["甲某"], due["乙某"])
    page = text(officer_client.get(f"/grades/promotion/history?year={NEXT}"))
    body = page.split("<tbody>")[1]
    assert "甲某" in body and "乙某" in body and "丙某" not in body
    row = body.split("甲某")[1].split("</tr>")[0]
    assert ">3<" in row and ">4<" in row and "年度晋级" in row and ">hk<" in row
    assert "hk 于" in page and "批准 2 人" in page
    only = text(officer_client.get(f"/grades/promotion/history?year={NEXT}&committee={committee_in(HONGKOU, 1).id}"))
    assert "乙某" in only.split("<tbody>")[1] and "甲某" not in only.split("<tbody>")[1]


def test_undo_before_the_effective_date_after_a_confirmation_page(officer_client, due):
    _approve(officer_client, NEXT, due["甲某"])
    rise = timeline(due["甲某"].id)[-1]
    assert rise.effective == date(NEXT, 1, 1)
    url = f"/grades/promotion/undo/{rise.id}"
    page = text(officer_client.get(url))
    assert "确认撤销" in page and "甲某" in page
    assert len(timeline(due["甲某"].id)) == 2  # the page itself changes nothing
    resp = officer_client.post(url, data={"district": HONGKOU})
    assert resp.status_code == 302
    assert len(timeline(due["甲某"].id)) == 1
    entry = db.session.query(AuditEntry).filter_by(action="delete", object_type="assignment").one()
    assert "甲某" in entry.summary and entry.changes["grade"] == 4
    # the rise is proposed again and can be approved again
    _approve(officer_client, NEXT, due["甲某"])
    assert timeline(due["甲某"].id)[-1].grade == 4


def test_no_undo_once_in_force(officer_client, due):
    _approve(officer_client, 2022, due["丙某"])
    rise = timeline(due["丙某"].id)[-1]
    page = text(officer_client.get("/grades/promotion/history?year=2022"))
    assert "已生效" in page and f"/grades/promotion/undo/{rise.id}" not in page
    resp = officer_client.post(f"/grades/promotion/undo/{rise.id}", data={"district": HONGKOU}, follow_redirects=True)
    assert "不能撤销" in text(resp)
    assert timeline(due["丙某"].id)[-1].id == rise.id


def test_undo_of_another_districts_rise_is_not_found(client_as, due, officer_client):
    _approve(officer_client, NEXT, due["甲某"])
    rise = timeline(due["甲某"].id)[-1]
    pudong = client_as("officer", "310115")
    assert pudong.get(f"/grades/promotion/undo/{rise.id}").status_code == 404
    assert pudong.post(f"/grades/promotion/undo/{rise.id}", data={}).status_code == 404
    assert len(timeline(due["甲某"].id)) == 2


def test_notice_pdf_per_committee(officer_client, due):
    from io import BytesIO

    from pypdf import PdfReader

    _approve(officer_client, NEXT, due["甲某"], due["乙某"])
    c0 = committee_in(HONGKOU, 0)
    resp = officer_client.get(f"/grades/promotion/notice.pdf?year={NEXT}&committee={c0.id}")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(resp.data))
    assert len(reader.pages) == 1
    content = reader.pages[0].extract_text()
    assert "晋 级 通 知" in content and "甲某" in content and "乙某" not in content
    assert "原等级 3 级" in content and "晋级后等级 4 级" in content
    whole = PdfReader(BytesIO(officer_client.get(f"/grades/promotion/notice.pdf?year={NEXT}").data))
    assert len(whole.pages) == 2
    printed = db.session.query(AuditEntry).filter_by(action="print", object_type="promotion").count()
    assert printed == 2


def test_an_approval_that_collides_with_a_concurrent_one_writes_nothing(officer_client, due, monkeypatch):
    """Another approver wrote the same rise in between: the unique index refuses, nothing is kept."""
    from hr.grades import promotion

    real = promotion.add_promotions

    def concurrent(chosen, year, user=None):
        real(chosen, year, user)  # the other approver's rows, flushed first
        return real(chosen, year, user)

    monkeypatch.setattr(promotion, "add_promotions", concurrent)
    data = {"year": str(NEXT), "district": HONGKOU, "scope": "selected", "worker": [str(due["甲某"].id)],
            "confirmed": "1"}
    response = officer_client.post("/grades/promotion/approve", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "部分职工已在此期间被批准晋级，本次未写入任何记录" in text(response)
    assert [a.grade for a in timeline(due["甲某"].id)] == [3]
