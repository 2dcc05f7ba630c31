"""The audit log page: readable actions, filters."""
from tests.helpers.web import text


def _rows(html):
    return html.split("<tbody>")[1].split("</tbody>")[0]


def test_actions_read_in_chinese_and_can_be_filtered(officer_client, make_worker):
    make_worker(name="王小明")
    rows = _rows(text(officer_client.get("/audit/")))
    assert "<td>新增</td>" in rows and "<td>登录</td>" in rows
    assert "<td>create</td>" not in rows
    only_logins = _rows(text(officer_client.get("/audit/?action=login")))
    assert "登录" in only_logins and "王小明" not in only_logins
    by_user = _rows(text(officer_client.get("/audit/?user=factoryadmin")))
    assert "登记职工 王小明" in by_user and "<td>hk</td>" not in by_user


def test_objects_read_in_chinese_and_workers_by_name(officer_client, make_worker):
    w = make_worker(name="王小明")
    rows = _rows(text(officer_client.get("/audit/")))
    assert f'<a href="/workers/{w.id}">职工 王小明</a>' in rows
    assert "#" + str(w.id) not in rows
    assert "<td>user</td>" not in rows and "<td>用户</td>" in rows


def test_filters_by_worker_object_and_date_range(app, officer_client, make_worker):
    from datetime import datetime

    from hr.audit.models import AuditEntry
    from hr.core.db import db

    a = make_worker(name="王小明")
    make_worker(name="李大壮")
    only_a = _rows(text(officer_client.get("/audit/?worker=小明")))
    assert "王小明" in only_a and "李大壮" not in only_a
    logins = _rows(text(officer_client.get("/audit/?object=user")))
    assert "登录" in logins and "王小明" not in logins
    # Dates are Shanghai days: 2026-03-01 00:30 in Shanghai is 2026-02-28 16:30 UTC.
    entry = db.session.query(AuditEntry).filter_by(object_type="worker", object_id=a.id).one()
    entry.at = datetime(2026, 2, 28, 16, 30)
    db.session.commit()
    march = _rows(text(officer_client.get("/audit/?from=2026-03-01&to=2026-03-01")))
    assert "王小明" in march and "李大壮" not in march
    february = _rows(text(officer_client.get("/audit/?from=2026-02-01&to=2026-02-28")))
    assert "王小明" not in february
    assert "没有记录" in _rows(text(officer_client.get("/audit/?from=2026-03-02&to=2026-03-31")))


def test_district_filter_for_the_city_and_scope_for_an_officer(client_as, make_worker):
    from tests.conftest import PUDONG, district, valid_id

    make_worker(name="王小明")
    make_worker(PUDONG, name="浦东人", id_number=valid_id(area="310115"))
    city = client_as("admin")
    pudong_only = _rows(text(city.get(f"/audit/?district={district(PUDONG).id}")))
    assert "浦东人" in pudong_only and "王小明" not in pudong_only
    officer = client_as("officer")
    html = text(officer.get(f"/audit/?district={district(PUDONG).id}"))
    assert "浦东人" not in html
    assert "浦东人" not in _rows(text(officer.get("/audit/?worker=浦东")))


def test_export_is_scoped_filtered_and_logged(client_as, make_worker):
    from hr.audit.models import AuditEntry
    from hr.core.db import db
    from tests.conftest import PUDONG, valid_id
    from tests.helpers.register import read_xlsx

    make_worker(name="王小明")
    make_worker(PUDONG, name="浦东人", id_number=valid_id(area="310115"))
    officer = client_as("officer", username="hkaudit")
    resp = officer.get("/audit/export.xlsx?object=worker")
    assert resp.status_code == 200
    rows = read_xlsx(resp.data)
    assert rows[0] == ["时间", "用户", "操作", "对象", "对象名称", "区", "摘要"]
    assert [r[4] for r in rows[1:]] == ["王小明"]
    assert rows[1][3] == "职工" and rows[1][2] == "新增" and rows[1][5] == "虹口区"
    logged = db.session.query(AuditEntry).filter_by(action="export", object_type="audit_entry").one()
    assert logged.username == "hkaudit" and logged.changes == {"filters": {"object": "worker"}}
