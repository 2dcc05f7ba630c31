"""The organisation tree: 16 districts; the admin adds and renames streets and committees."""
import re

import pytest

from tests.conftest import HONGKOU, committee_in
from tests.helpers.web import text


@pytest.fixture
def admin(client_as):
    return client_as("admin")


def _audit(action, object_type):
    from hr.audit.models import AuditEntry
    from hr.core.db import db

    return db.session.query(AuditEntry).filter_by(action=action, object_type=object_type).all()


def test_index_shows_the_sixteen_districts_to_the_city(client_as_admin):
    html = text(client_as_admin.get("/org/"))
    codes = re.findall(r'href="/org/district/(\d{6})"', html)
    assert len(codes) == 16 == len(set(codes))
    assert "虹口区" in html and "浦东新区" in html and "崇明区" in html


def test_index_shows_an_officer_their_district(officer_client):
    html = text(officer_client.get("/org/"))
    assert re.findall(r'href="/org/district/(\d{6})"', html) == [HONGKOU]


@pytest.fixture
def client_as_admin(client, make_user):
    from tests.conftest import login

    login(client, make_user("admin", username="orgadmin").username)
    return client


def test_officer_can_view_district_and_street_but_sees_no_edit_forms(officer_client):
    street_id = committee_in(HONGKOU).street_id
    district = text(officer_client.get(f"/org/district/{HONGKOU}"))
    assert "欧阳路街道" in district and "新增街镇" not in district
    street = text(officer_client.get(f"/org/street/{street_id}"))
    assert committee_in(HONGKOU).name in street
    assert "更名" not in street and "新增居委会" not in street


def test_admin_adds_a_street_and_a_committee(admin):
    from hr.core.db import db
    from hr.org.models import Committee, Street

    resp = admin.post(f"/org/district/{HONGKOU}", data={"name": "测试街道", "kind": "街道"}, follow_redirects=True)
    assert "已新增街镇 测试街道" in text(resp)
    street = db.session.query(Street).filter_by(name="测试街道").one()
    assert street.code.startswith(HONGKOU) and len(street.code) == 9
    resp = admin.post(f"/org/street/{street.id}", data={"c-name": "测试居委会", "c-kind": "居委会"},
                      follow_redirects=True)
    assert "已新增 测试居委会" in text(resp)
    committee = db.session.query(Committee).filter_by(name="测试居委会").one()
    assert committee.code.startswith(street.code) and len(committee.code) == 12
    assert [e.summary for e in _audit("create", "street")] == ["新增街镇 测试街道"]
    assert [e.summary for e in _audit("create", "committee")] == ["新增居村委 测试居委会"]
    assert "测试街道" in text(admin.get(f"/org/district/{HONGKOU}"))


def test_admin_renames_a_street_and_a_committee(admin):
    from hr.core.db import db
    from hr.org.models import Committee, Street

    c = committee_in(HONGKOU)
    street_id, old_street, old_committee = c.street_id, c.street.name, c.name
    resp = admin.post(f"/org/street/{street_id}/rename", data={"r-name": "新名街道"}, follow_redirects=True)
    assert "街镇名称已修改" in text(resp)
    resp = admin.post(f"/org/committee/{c.id}/rename", data={f"k{c.id}-name": "新名居委会"}, follow_redirects=True)
    assert "居村委名称已修改" in text(resp)
    db.session.expire_all()
    assert db.session.get(Street, street_id).name == "新名街道"
    assert db.session.get(Committee, c.id).name == "新名居委会"
    (street_entry,) = _audit("update", "street")
    assert street_entry.changes == {"name": [old_street, "新名街道"]}
    (committee_entry,) = _audit("update", "committee")
    assert committee_entry.changes == {"name": [old_committee, "新名居委会"]}


def test_duplicate_names_are_refused_with_a_message(admin):
    from hr.core.db import db
    from hr.org.models import Street

    c0 = committee_in(HONGKOU, 0)
    c1 = committee_in(HONGKOU, 1)
    assert c0.street_id == c1.street_id
    other_street = db.session.query(Street).filter(Street.district_id == c0.street.district_id,
                                                   Street.id != c0.street_id).first()
    resp = admin.post(f"/org/district/{HONGKOU}", data={"name": c0.street.name, "kind": "街道"})
    assert resp.status_code == 200 and "已有名为" in text(resp)
    resp = admin.post(f"/org/street/{c0.street_id}", data={"c-name": c1.name, "c-kind": "居委会"})
    assert "已有名为" in text(resp)
    resp = admin.post(f"/org/street/{c0.street_id}/rename", data={"r-name": other_street.name}, follow_redirects=True)
    assert "已有名为" in text(resp)
    resp = admin.post(f"/org/committee/{c0.id}/rename", data={f"k{c0.id}-name": c1.name}, follow_redirects=True)
    assert "已有名为" in text(resp)
    resp = admin.post(f"/org/street/{c0.street_id}/rename", data={"r-name": ""}, follow_redirects=True)
    assert "请输入名称" in text(resp)
    assert not _audit("create", "street") and not _audit("update", "street") and not _audit("update", "committee")


def test_the_same_name_in_another_district_is_allowed(admin):
    resp = admin.post("/org/district/310115", data={"name": "欧阳路街道", "kind": "街道"}, follow_redirects=True)
    assert "已新增街镇 欧阳路街道" in text(resp)


def test_unknown_units_are_404(admin):
    assert admin.get("/org/district/999999").status_code == 404
    assert admin.get("/org/street/999999").status_code == 404
    assert admin.post("/org/committee/999999/rename", data={"k999999-name": "x"}).status_code == 404


def test_officer_of_the_district_sees_org_changes_on_the_home_page(admin, officer_client):
    admin.post(f"/org/district/{HONGKOU}", data={"name": "测试街道", "kind": "街道"})
    assert "新增街镇 测试街道" in text(officer_client.get("/"))
