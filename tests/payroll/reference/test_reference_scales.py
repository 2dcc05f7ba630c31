"""Pay-scale versions through the pages: list, view, create (prefilled from the latest), edit;
every refusal beside its field; the city administrator only; a version used by a locked run is
never edited."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.helpers.reference_pages import audit, field_errors
from tests.helpers.web import text


def _scale(name):
    from hr.core.db import db
    from payroll.reference.models import PayScale

    db.session.expire_all()
    return db.session.execute(select(PayScale).where(PayScale.name == name)).scalar_one_or_none()


def _post(name="2025", **overrides):
    from payroll.reference.services import scale_form_values

    data = scale_form_values(_scale(name))
    data.update(overrides)
    return data


def test_index_lists_every_kind_of_reference_data(admin_client):
    html = text(admin_client.get("/payroll/reference/"))
    assert "2017 版" in html and "2025 版" in html
    assert "2025 年度" in html and "37,302.00" in html
    assert "综合所得年度税率表" in html and "年终奖单独计税" in html
    assert "新建版本" in html and "新增缴费年度" in html


def test_nav_entry_shows_for_the_admin(admin_client):
    assert 'href="/payroll/reference/"' in text(admin_client.get("/"))


def test_nav_entry_is_hidden_from_an_officer(officer_client):
    assert 'href="/payroll/reference/"' not in text(officer_client.get("/"))


def test_scale_page_shows_the_whole_version(admin_client):
    s = _scale("2025")
    html = text(admin_client.get(f"/payroll/reference/scales/{s.id}"))
    for amount in ("8,790", "15,510", "1,150", "570", "15%", "500", "0.75"):
        assert amount in html


def test_new_version_is_prefilled_from_the_latest(admin_client):
    html = text(admin_client.get("/payroll/reference/scales/new"))
    assert 'value="2026"' in html  # the year after the latest version
    assert 'value="15510"' in html and 'value="1150"' in html


def test_admin_creates_a_version_named_by_its_year(admin_client):
    data = _post(year="2027", grade_18="16000.50", post_LEAD="1200")
    resp = admin_client.post("/payroll/reference/scales/new", data=data)
    assert resp.status_code == 302
    s = _scale("2027")
    assert s.start == date(2027, 1, 1)
    assert s.grade_pay["18"] == "16000.50" and s.post_allowance["LEAD"] == "1200.00"
    assert s.grade_pay["1"] == "8790.00"
    entries = audit("pay_scale", "create")
    assert len(entries) == 1 and entries[0].object_id == s.id and entries[0].district_id is None
    page = text(admin_client.get(resp.headers["Location"]))
    assert "已新建 2027 版薪酬标准" in page and "16,000.50" in page


def test_the_new_version_feeds_the_calculation_core(admin_client):
    from payroll.reference.services import reference

    resp = admin_client.post("/payroll/reference/scales/new", data=_post(year="2027", grade_5="10500"))
    assert resp.status_code == 302
    ref = reference(date(2027, 3, 1))
    newest = max(ref.scales, key=lambda s: s.start)
    assert newest.name == "2027" and newest.grade_pay[5] == Decimal("10500.00")


def test_admin_edits_a_version_and_it_is_audited(admin_client):
    s = _scale("2025")
    resp = admin_client.post(f"/payroll/reference/scales/{s.id}/edit", data=_post(grade_5="10400", bonus_2="1.6"))
    assert resp.status_code == 302
    s = _scale("2025")
    assert s.grade_pay["5"] == "10400.00" and Decimal(s.bonus_multiplier["合格"]) == Decimal("1.6")
    entry = audit("pay_scale", "update")[-1]
    assert entry.object_id == s.id
    assert entry.changes["grade_pay"][0]["5"] == "10370.00" and entry.changes["grade_pay"][1]["5"] == "10400.00"


def test_saving_unchanged_values_changes_nothing(admin_client):
    s = _scale("2025")
    page = admin_client.post(f"/payroll/reference/scales/{s.id}/edit", data=_post(), follow_redirects=True)
    assert "没有需要保存的修改" in text(page)
    assert audit("pay_scale") == []


def test_a_stale_form_is_refused(admin_client):
    s = _scale("2025")
    resp = admin_client.post(f"/payroll/reference/scales/{s.id}/edit", data=_post(grade_1="8800", fingerprint="0" * 16))
    assert resp.status_code == 409
    assert "已被他人修改" in text(resp)
    assert _scale("2025").grade_pay["1"] == "8790"


@pytest.mark.parametrize("overrides, field, message", [
    ({"grade_7": "11600"}, "grade_8", "8 级工资须高于 7 级"),
    ({"grade_2": "8790"}, "grade_2", "2 级工资须高于 1 级"),
    ({"grade_3": "9580.123"}, "grade_3", "最多 2 位小数"),
    ({"grade_4": "abc"}, "grade_4", "应为数字"),
    ({"grade_1": ""}, "grade_1", "请填写"),
    ({"grade_1": "0"}, "grade_1", "须大于 0"),
    ({"grade_1": "-1"}, "grade_1", "不能为负数"),
    ({"grade_1": "1e3"}, "grade_1", "应为数字"),
    ({"post_SUPV": "-5"}, "post_SUPV", "不能为负数"),
    ({"post_LEAD": "1150.001"}, "post_LEAD", "最多 2 位小数"),
    ({"performance_share": "1.5"}, "performance_share", "小于 1"),
    ({"performance_share": "0.12345"}, "performance_share", "最多 4 位小数"),
    ({"qual_3": "五百"}, "qual_3", "应为数字"),
    ({"bonus_1": "20"}, "bonus_1", "不能超过 12"),
    ({"bonus_3": "0.12345"}, "bonus_3", "最多 4 位小数"),
])
def test_each_refusal_is_shown_beside_its_field(admin_client, overrides, field, message):
    s = _scale("2025")
    resp = admin_client.post(f"/payroll/reference/scales/{s.id}/edit", data=_post(**overrides))
    assert resp.status_code == 200
    errors = field_errors(text(resp))
    assert any(message in e for e in errors.get(field, [])), errors
    assert not {k: v for k, v in errors.items() if v and k != field}
    assert _scale("2025").grade_pay["1"] == "8790" and audit("pay_scale") == []


@pytest.mark.parametrize("year, message", [
    ("2025", "已有 2025 版本"),
    ("19", "年份须在"),
    ("二〇二七", "请填写四位年份"),
    ("", "请填写四位年份"),
])
def test_new_version_year_refusals(admin_client, year, message):
    resp = admin_client.post("/payroll/reference/scales/new", data=_post(year=year))
    assert resp.status_code == 200
    assert any(message in e for e in field_errors(text(resp))["year"])
    assert audit("pay_scale") == []


@pytest.mark.parametrize("role", ["officer", "auditor"])
def test_only_the_city_administrator_edits_scales(client_as, role):
    c = client_as(role)
    s = _scale("2025")
    assert c.get("/payroll/reference/").status_code == 200  # the standards are readable
    assert c.get(f"/payroll/reference/scales/{s.id}").status_code == 200
    assert "编辑" not in text(c.get(f"/payroll/reference/scales/{s.id}")).split("</h1>")[1].split("</div>")[0]
    for url in ("/payroll/reference/scales/new", f"/payroll/reference/scales/{s.id}/edit"):
        assert c.get(url).status_code == 403
        assert c.post(url, data=_post(year="2027", grade_18="99999")).status_code == 403
    assert _scale("2025").grade_pay["18"] == "15510" and _scale("2027") is None


def test_service_refuses_a_non_admin(make_user):
    from hr.core.errors import Forbidden
    from payroll.reference.services import update_scale

    officer = make_user("officer")
    with pytest.raises(Forbidden):
        update_scale(_scale("2025"), _post(grade_18="99999"), user=officer)


# A version used by a locked run.

def test_a_version_used_by_a_locked_run_cannot_be_edited(admin_client, make_run):
    make_run(date(2026, 3, 1), "locked", "2025")
    s = _scale("2025")
    resp = admin_client.post(f"/payroll/reference/scales/{s.id}/edit", data=_post(grade_5="10400"))
    assert resp.status_code == 302
    page = text(admin_client.get(resp.headers["Location"]))
    assert "已用于已锁定的工资月份" in page and "请新建一个版本" in page
    assert _scale("2025").grade_pay["5"] == "10370"
    assert audit("pay_scale") == []
    get = admin_client.get(f"/payroll/reference/scales/{s.id}/edit", follow_redirects=True)
    assert "不能修改" in text(get) and 'name="grade_5"' not in text(get)


def test_the_service_refuses_it_too(make_run, make_user):
    from hr.core.errors import Conflict
    from payroll.reference.services import update_scale

    make_run(date(2026, 3, 1), "locked", "2025")
    admin = make_user("admin")
    with pytest.raises(Conflict, match="新建一个版本"):
        update_scale(_scale("2025"), _post(grade_5="10400"), user=admin)


def test_an_unlocked_run_does_not_block_editing(admin_client, make_run):
    make_run(date(2026, 3, 1), "approved", "2025")
    make_run(date(2026, 4, 1), "locked", "2017")  # another version's locked run
    s = _scale("2025")
    assert admin_client.post(f"/payroll/reference/scales/{s.id}/edit", data=_post(grade_5="10400")).status_code == 302
    assert _scale("2025").grade_pay["5"] == "10400.00"


def test_a_new_version_cannot_start_before_a_locked_month_it_would_govern(admin_client, make_run):
    make_run(date(2026, 3, 1), "locked", "2025")
    resp = admin_client.post("/payroll/reference/scales/new", data=_post(year="2026"))
    assert any("请从 2027 年起新建版本" in e for e in field_errors(text(resp))["year"])
    assert _scale("2026") is None
    resp = admin_client.post("/payroll/reference/scales/new", data=_post(year="2027"))
    assert resp.status_code == 302 and _scale("2027") is not None


def test_scale_amounts_round_trip_exactly(admin_client):
    from payroll.reference.services import reference, to_scale

    admin_client.post("/payroll/reference/scales/new",
                      data=_post(year="2027", grade_1="8790.01", post_SUPV="570.10", performance_share="0.1525"))
    s = to_scale(_scale("2027"))
    assert s.grade_pay[1] == Decimal("8790.01") and s.post_allowance["SUPV"] == Decimal("570.10")
    assert s.performance_share == Decimal("0.1525") and isinstance(s.performance_share, Decimal)
    assert any(v.name == "2027" for v in reference(date(2027, 1, 1)).scales)
