"""The 申报与报送 page, downloads, zip, API and the scope and role rules around them."""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

from tests.conftest import HONGKOU, PUDONG
from tests.helpers.documents import as_next_user, content_disposition_name


def _token(user: Any) -> dict[str, str]:
    from hr.accounts.tokens import create_token
    from hr.core.db import db

    created = create_token(user, "filings")
    db.session.commit()
    return {"Authorization": f"Bearer {created.secret}"}


def test_page_lists_files_and_zip_holds_them_all(locked_month: Any, client_as: Any) -> None:
    m = locked_month(people=4)
    c = client_as("officer", HONGKOU)
    resp = c.get(f"/payroll/filings/runs/{m.run.id}")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "正常工资薪金收入_" in page and "银行代发_" in page and "全部下载（zip）" in page
    as_next_user()
    resp = c.get(f"/payroll/filings/runs/{m.run.id}/all.zip")
    assert resp.status_code == 200
    assert content_disposition_name(resp) == "申报与报送_虹口区_2026年11月.zip"
    zf = zipfile.ZipFile(io.BytesIO(resp.data))
    names = zf.namelist()
    assert any(n.endswith("正常工资薪金收入_" + n.split("/")[0] + "_2026年11月.xlsx") for n in names)
    assert all(zf.getinfo(n).flag_bits & 0x800 for n in names)  # UTF-8 names
    from tests.helpers.documents import audit_actions

    assert any("申报与报送文件包" in e.summary for e in audit_actions("export"))


def test_one_file_download_is_audited(locked_month: Any, client_as: Any) -> None:
    from tests.helpers.documents import audit_actions

    m = locked_month(people=2)
    c = client_as("officer", HONGKOU)
    street_id = m.workers[0].street_id
    resp = c.get(f"/payroll/filings/runs/{m.run.id}/files/wages-{street_id}")
    assert resp.status_code == 200
    assert content_disposition_name(resp).startswith("正常工资薪金收入_")
    assert [e for e in audit_actions("export") if "正常工资薪金收入" in e.summary]


def test_unlocked_month_page_is_refused_with_a_message(make_month: Any, client_as: Any) -> None:
    m = make_month(people=2)
    c = client_as("officer", HONGKOU)
    resp = c.get(f"/payroll/filings/runs/{m.run.id}", follow_redirects=True)
    assert "尚未锁定" in resp.get_data(as_text=True)
    as_next_user()
    resp = c.get(f"/payroll/filings/runs/{m.run.id}/all.zip")
    assert resp.status_code == 302
    as_next_user()
    resp = c.get(f"/api/v1/payroll/runs/{m.run.id}/filings")
    assert resp.status_code == 409
    assert "尚未锁定" in resp.get_json()["error"]


def test_another_districts_month_is_a_404(locked_month: Any, client_as: Any) -> None:
    m = locked_month(people=2)
    c = client_as("officer", PUDONG)
    street_id = m.workers[0].street_id
    for url in (f"/payroll/filings/runs/{m.run.id}", f"/payroll/filings/runs/{m.run.id}/all.zip",
                f"/payroll/filings/runs/{m.run.id}/files/wages-{street_id}",
                f"/api/v1/payroll/runs/{m.run.id}/filings",
                f"/api/v1/payroll/runs/{m.run.id}/filings/file?key=wages-{street_id}"):
        as_next_user()
        resp = c.get(url)
        assert resp.status_code == 404, url
        assert "虹口" not in resp.get_data(as_text=True)


def test_auditor_sees_the_list_but_not_the_files(locked_month: Any, client_as: Any) -> None:
    m = locked_month(people=2)
    c = client_as("auditor", None)
    resp = c.get(f"/payroll/filings/runs/{m.run.id}")
    assert resp.status_code == 200
    text = resp.get_data(as_text=True)
    assert "只读审计账号只能查看清单" in text and "全部下载" not in text
    street_id = m.workers[0].street_id
    for url in (f"/payroll/filings/runs/{m.run.id}/all.zip", f"/payroll/filings/runs/{m.run.id}/files/wages-{street_id}",
                f"/api/v1/payroll/runs/{m.run.id}/filings/file?key=wages-{street_id}"):
        as_next_user()
        assert c.get(url).status_code == 403, url


def test_api_lists_files_with_rows_and_totals(locked_month: Any, client_as: Any) -> None:
    m = locked_month(people=4)
    c = client_as("officer", HONGKOU)
    body = c.get(f"/api/v1/payroll/runs/{m.run.id}/filings").get_json()
    assert body["month"] == "2026-11"
    bank = [f for f in body["files"] if f["kind"] == "bank"]
    assert sum(Decimal(f["total"]) for f in bank) == m.run.net
    assert sum(f["rows"] for f in bank) == m.run.headcount
    as_next_user()
    resp = c.get(bank[0]["url"])
    assert resp.status_code == 200 and resp.data[:2] == b"PK"


def test_withholding_agent_is_checked_and_kept_by_the_admin(app: Any, make_user: Any) -> None:
    from stdnum.cn import uscc

    from hr.core.db import db
    from payroll.filings import agents
    from tests.conftest import district

    street = district(HONGKOU).streets[0]
    code = agents.demo_credit_code(street.code, HONGKOU)
    assert uscc.is_valid(code) and len(code) == 18
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    admin = make_user("admin", username="cityadmin")
    headers = _token(admin)
    c = app.test_client()
    resp = c.put(f"/api/v1/filings/agents/{street.id}", json={"tax_name": "上海市虹口区人民政府某街道办事处",
                                                              "credit_code": wrong}, headers=headers)
    assert resp.status_code == 422
    assert "校验位" in resp.get_json()["error"]
    resp = c.put(f"/api/v1/filings/agents/{street.id}", json={"tax_name": "上海市虹口区人民政府某街道办事处",
                                                              "credit_code": code.lower()}, headers=headers)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["credit_code"] == code
    db.session.expire_all()
    assert db.session.get(type(street), street.id).credit_code == code
    officer = make_user("officer", HONGKOU, username="hkagent")
    resp = c.put(f"/api/v1/filings/agents/{street.id}", json={"tax_name": "x", "credit_code": code},
                 headers=_token(officer))
    assert resp.status_code == 403
    listed = c.get(f"/api/v1/filings/agents?district={HONGKOU}", headers=headers).get_json()["items"]
    assert [a for a in listed if a["street_id"] == street.id][0]["credit_code"] == code


def test_agents_page_saves_and_refuses_with_a_message(client_as: Any) -> None:
    from tests.conftest import district

    street = district(HONGKOU).streets[0]
    web = client_as("admin", None)
    assert web.get(f"/payroll/filings/agents?district={HONGKOU}").status_code == 200
    as_next_user()
    resp = web.post(f"/payroll/filings/agents/{street.id}", data={"tax_name": "名称", "credit_code": "123"})
    assert resp.status_code == 302
    as_next_user()
    assert "应为 18 位" in web.get(resp.headers["Location"]).get_data(as_text=True)


def test_known_credit_code_examples() -> None:
    """GB 32100-2015: the published example and a changed check character."""
    from payroll.filings.agents import InvalidAgent, check_credit_code

    assert check_credit_code(" 91110000600037341L ") == "91110000600037341L"
    for bad in ("91110000600037341M", "9111000060003734", "A1110000600037341L"):
        try:
            check_credit_code(bad)
        except InvalidAgent:
            continue
        raise AssertionError(bad)
