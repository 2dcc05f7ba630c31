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
