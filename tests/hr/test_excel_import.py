"""Importing the register from Excel: preview, all or nothing, idempotent."""
import re

import pytest

from tests.conftest import HONGKOU, PUDONG, committee_in, valid_id
from tests.helpers.register import confirm_token, import_file, upload, xlsx, xlsx_row
from tests.helpers.web import text


@pytest.fixture
def place():
    c = committee_in(HONGKOU, 0)
    return c.street.name, c.name


def _count():
    from hr.core.db import db
    from hr.workers.models import Worker

    db.session.expire_all()
    return db.session.query(Worker).count()


def _errors(html):
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [tuple(m) for m in re.findall(
        r'<tr><td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', body)]


def test_preview_lists_every_error_by_row_and_column_and_writes_nothing(officer_client, place):
    from hr.audit.models import AuditEntry
    from hr.core.db import db

    good = valid_id()
    bad_check = good[:17] + ("1" if good[17] != "1" else "2")
    dup = valid_id()
    rows = [
        xlsx_row(*place, name="赵一", id_number=dup),
        xlsx_row(*place, name="钱二", id_number=bad_check),
        xlsx_row(*place, name="孙三", hire_date="2024-13-01"),
        xlsx_row(place[0], "不存在居委会", name="李四"),
        xlsx_row(*place, name="周五", id_number=dup),
        xlsx_row(*place, name="吴六", phone="123", bank_name=""),
        xlsx_row(*place, name="郑七", prior_years="=1+1"),
        xlsx_row(*place, name="王八", education="小学", shiye="也许"),
        xlsx_row(*place, name="冯九", qualification="社会工作师", qualification_date=None),
    ]
    resp = upload(officer_client, xlsx(rows))
    assert resp.status_code == 200
    html = text(resp)
    errors = _errors(html)
    expected = [
        ("3", "身份证号", "校验位"),
        ("4", "入职日期", "日期格式"),
        ("5", "居委会", "不存在居委会"),
        ("6", "身份证号", "与第 2 行的身份证号重复"),
        ("7", "手机号", "手机号须为"),
        ("7", "开户行", "填写银行账号时须填写开户行"),
        ("8", "社区工作年限", "公式"),
        ("9", "学历", "学历须为"),
        ("9", "事业待遇", "是"),
        ("10", "资格取得日期", "有职业资格时须填写取得日期"),
    ]
    for row, column, reason in expected:
        assert any(r == row and c == column and reason in why for r, c, why in errors), (row, column, reason, errors)
    assert len(errors) == len(expected), errors
    assert "未导入任何数据" in html
    assert 'name="token"' not in html  # no way to confirm a file with errors
    assert _count() == 0
    assert db.session.query(AuditEntry).filter_by(action="import").count() == 0


def test_valid_file_imports_after_confirm(officer_client, place):
    from hr.audit.models import AuditEntry
    from hr.core.db import db
    from hr.workers.models import Worker

    ids = [valid_id() for _ in range(3)]
    content = xlsx([xlsx_row(*place, name=n, id_number=i) for n, i in zip(["赵一", "钱二", "孙三"], ids, strict=True)])
    preview = text(upload(officer_client, content))
    assert "新增 3</b> 人" in preview and "赵一" in preview
    assert _count() == 0  # the preview writes nothing
    done = import_file(officer_client, content)
    assert "导入完成：新增 3 人，更新 0 人" in text(done)
    assert _count() == 3
    w = db.session.query(Worker).filter_by(id_number=ids[0]).one()
    assert (w.name, w.committee.name, w.bank_account, w.phone) == ("赵一", place[1], "6216612345678901234", "13912345678")
    entry = db.session.query(AuditEntry).filter_by(action="import").one()
    assert entry.changes["created"] == 3 and entry.username == "hk"


def test_importing_the_same_file_again_changes_nothing(officer_client, place):
    from hr.audit.models import AuditEntry
    from hr.core.db import db

    content = xlsx([xlsx_row(*place, name=n) for n in ("赵一", "钱二")])
    import_file(officer_client, content)
    versions = _versions()
    entries = db.session.query(AuditEntry).count()
    again = text(upload(officer_client, content))
    assert "新增 0</b> 人，<b>更新 0</b> 人，未变 2 人" in again
    assert "文件与名册一致" in again
    assert _versions() == versions
    assert db.session.query(AuditEntry).count() == entries


def _versions():
    from hr.core.db import db
    from hr.workers.models import Worker

    db.session.expire_all()
    return {w.id: w.version for w in db.session.query(Worker)}


def test_import_updates_a_registered_worker_and_shows_what_changes(officer_client, make_worker, place):
    from hr.audit.models import AuditEntry
    from hr.core.db import db

    w = make_worker(name="赵一")
    row = xlsx_row(*place, name="赵一", id_number=w.id_number, phone="13700000000", education="本科",
                   political_status="中共党员", qualification="助理社会工作师", qualification_date="2020-06-01",
                   hire_date="2019-03-01", prior_years=2, bank_name="中国工商银行上海分行",
                   bank_account="6222021234567890123")
    preview = text(upload(officer_client, xlsx([row])))
    assert "更新 1</b> 人" in preview
    assert "13812345678 → 13700000000" in preview
    assert "新增 0</b> 人" in preview
    import_file(officer_client, xlsx([row]))
    db.session.expire_all()
    assert db.session.get(type(w), w.id).phone == "13700000000"
    assert db.session.query(AuditEntry).filter_by(action="update", object_id=w.id).count() == 1


def test_a_worker_of_another_district_cannot_be_taken_over(officer_client, make_worker, place):
    other = make_worker(PUDONG)
    html = text(upload(officer_client, xlsx([xlsx_row(*place, id_number=other.id_number)])))
    reasons = [why for _, c, why in _errors(html) if c == "身份证号"]
    assert any("已登记" in why for why in reasons)
    assert not any("其他区" in why or "浦东" in why or other.name in why for why in reasons)  # no hint where


def test_committees_of_another_district_are_unknown(officer_client):
    c = committee_in(PUDONG)
    html = text(upload(officer_client, xlsx([xlsx_row(c.street.name, c.name)])))
    assert any(c == "居委会" and "找不到" in why for _, c, why in _errors(html))


def test_a_confirm_token_is_personal_and_single_use(app, officer_client, client_as, place):
    content = xlsx([xlsx_row(*place)])
    token = confirm_token(text(upload(officer_client, content)))
    other = client_as("officer", HONGKOU)
    resp = other.post("/workers/import/confirm", data={"token": token, "filename": "x.xlsx"}, follow_redirects=True)
    assert "重新上传" in text(resp)
    assert _count() == 0
    officer_client.post("/workers/import/confirm", data={"token": token, "filename": "x.xlsx"})
    assert _count() == 1
    resp = officer_client.post("/workers/import/confirm", data={"token": token, "filename": "x.xlsx"},
                               follow_redirects=True)
    assert "重新上传" in text(resp)
    assert _count() == 1


def test_numbers_typed_as_numbers_are_explained(officer_client, place):
    """Excel keeps 15 significant digits: an ID typed as a number has lost its tail."""
    row = xlsx_row(*place, id_number=310109198803150021, phone=13812345678, bank_account=6222021234567890123)
    html = text(upload(officer_client, xlsx([row])))
    errors = _errors(html)
    assert any(c == "身份证号" and "文本格式" in why for _, c, why in errors), errors
    assert any(c == "银行账号" and "文本格式" in why for _, c, why in errors), errors
    assert not any(c == "手机号" for _, c, _why in errors)  # 11 digits survive as a number
    assert _count() == 0
