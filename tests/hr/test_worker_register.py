"""Registering a worker through the form: derived fields, and every refusal beside its field."""
import re
from datetime import date, timedelta

import pytest

from tests.conftest import HONGKOU, committee_in, valid_id
from tests.helpers.register import form_data
from tests.helpers.web import text


def field_errors(html):
    """{input name: [error messages]} for each field block of the form macro."""
    out = {}
    for chunk in html.split('<div class="field')[1:]:
        chunk = chunk.split("</fieldset>")[0]
        name = re.search(r'name="([^"]+)"', chunk)
        if name:
            out[name.group(1)] = re.findall(r'<div class="error">(.*?)</div>', chunk)
    return out


def _worker(id_number):
    from hr.core.db import db
    from hr.workers.models import Worker

    db.session.expire_all()
    return db.session.query(Worker).filter_by(id_number=id_number).one_or_none()


def test_form_has_no_gender_or_birth_date_inputs(officer_client):
    html = text(officer_client.get("/workers/new"))
    assert 'name="id_number"' in html
    assert 'name="gender"' not in html and 'name="birth_date"' not in html


def test_gender_and_birth_date_come_from_the_id_number(officer_client):
    number = valid_id(birth="19900704", seq=123, male=True)
    data = form_data(committee_id=committee_in(HONGKOU).id, id_number=number.lower())
    data.update({"gender": "女", "birth_date": "2001-01-01"})
    resp = officer_client.post("/workers/new", data=data)
    assert resp.status_code == 302
    worker = _worker(number.upper())
    assert worker is not None
    assert (worker.gender, worker.birth_date) == ("男", date(1990, 7, 4))
    page = text(officer_client.get(f"/workers/{worker.id}"))
    assert "已登记职工 张丽" in page and "1990-07-04" in page and "男" in page
    assert number not in page  # the full number is masked on the page


def test_id_ending_in_x_is_accepted_in_either_case(officer_client):
    from hr.workers.idcard import check_char

    first17 = None
    for seq in range(100, 400):
        candidate = f"31010919850312{seq:03d}"
        if check_char(candidate) == "X":
            first17 = candidate
            break
    assert first17
    resp = officer_client.post("/workers/new", data=form_data(committee_id=committee_in(HONGKOU).id,
                                                              id_number=first17 + "x"))
    assert resp.status_code == 302
    assert _worker(first17 + "X") is not None


def _bad_check_char():
    good = valid_id()
    return good[:17] + ("0" if good[17] != "0" else "1")


@pytest.mark.parametrize("overrides, field, message", [
    ({"id_number": "BAD"}, "id_number", "身份证号应为 18 位"),
    ({"id_number": _bad_check_char()}, "id_number", "校验位错误"),
    ({"id_number": "310109198802300011"}, "id_number", "出生日期不是有效日期"),
    ({"qualification": "助理社会工作师", "qualification_date": date.today() + timedelta(days=3)},
     "qualification_date", "资格取得日期不能晚于今天"),
    ({"qualification": "社会工作师", "qualification_date": None}, "qualification_date", "有职业资格时须填写取得日期"),
    ({"committee_id": None}, "committee_id", "请选择所属居委会"),
    ({"phone": "12345"}, "phone", "手机号须为 11 位手机号码"),
    ({"bank_name": "", "bank_account": "6222021234567890123"}, "bank_name", "填写银行账号时须填写开户行"),
    ({"bank_account": "62220212abc"}, "bank_account", "银行账号须为 10–30 位数字"),
    ({"name": "张"}, "name", "姓名须为 2–32 个汉字或字母"),
    ({"name": ""}, "name", "请输入姓名"),
    ({"hire_date": None}, "hire_date", "请输入入职日期"),
    ({"hire_date": "2024-13-45"}, "hire_date", "日期"),
    ({"hire_date": date(1975, 1, 1)}, "hire_date", "入职日期超出合理范围"),
    ({"prior_years": "abc"}, "prior_years", "整数"),
    ({"prior_years": "50"}, "prior_years", "年限须为 0–45"),
])
def test_each_refusal_is_shown_beside_its_field(officer_client, overrides, field, message):
    overrides.setdefault("committee_id", committee_in(HONGKOU).id)
    data = form_data(**overrides)
    resp = officer_client.post("/workers/new", data=data)
    assert resp.status_code == 200
    errors = field_errors(text(resp))
    assert any(message in e for e in errors.get(field, [])), errors
    others = {k: v for k, v in errors.items() if v and k != field}
    assert not others, others
    assert not re.search(r"Not a valid|Invalid Choice|This field", text(resp))
    from hr.core.db import db
    from hr.workers.models import Worker

    assert db.session.query(Worker).count() == 0


def test_the_form_keeps_what_was_typed_after_a_refusal(officer_client):
    data = form_data(committee_id=committee_in(HONGKOU).id, phone="12345", name="李明亮")
    html = text(officer_client.post("/workers/new", data=data))
    assert 'value="李明亮"' in html and 'value="12345"' in html


def test_duplicate_id_number_is_refused(officer_client, make_worker):
    existing = make_worker()
    data = form_data(committee_id=committee_in(HONGKOU, 2).id, id_number=existing.id_number, name="李四")
    resp = officer_client.post("/workers/new", data=data)
    assert resp.status_code == 200
    assert any("该身份证号已登记" in e for e in field_errors(text(resp))["id_number"])
    from hr.core.db import db
    from hr.workers.models import Worker

    assert db.session.query(Worker).count() == 1


def test_new_worker_form_asks_to_choose_a_committee(officer_client):
    html = text(officer_client.get("/workers/new"))
    select = html.split('name="committee_id"')[1].split("</select>")[0]
    first = re.search(r"<option[^>]*>", select).group(0)
    assert 'value=""' in first
    assert "selected" not in first or 'value=""' in first


def test_full_width_digits_from_a_chinese_input_method_are_stored_as_ascii(officer_client, make_worker):
    number = valid_id()
    wide = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    data = form_data(committee_id=committee_in(HONGKOU).id, id_number=wide, phone="１３８１２３４５６７８",
                     bank_account="６２２２０２１２３４５６７８９０１２３")
    resp = officer_client.post("/workers/new", data=data)
    assert resp.status_code == 302
    worker = _worker(number)
    assert worker is not None
    assert (worker.phone, worker.bank_account) == ("13812345678", "6222021234567890123")
    again = officer_client.post("/workers/new", data=dict(data, name="李四"))
    assert "该身份证号已登记" in text(again)


def test_digits_of_other_scripts_are_not_an_id_number(officer_client):
    arabic = valid_id()[:17].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) + "0"
    resp = officer_client.post("/workers/new", data=form_data(committee_id=committee_in(HONGKOU).id, id_number=arabic))
    assert "身份证号前 17 位须为数字" in text(resp)


def test_rare_characters_in_names_are_accepted(officer_client):
    number = valid_id()
    resp = officer_client.post("/workers/new", data=form_data(committee_id=committee_in(HONGKOU).id,
                                                              id_number=number, name="吉𠮷祥"))
    assert resp.status_code == 302
    assert _worker(number).name == "吉𠮷祥"
