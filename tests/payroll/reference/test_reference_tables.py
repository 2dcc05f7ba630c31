"""Contribution-year bounds, contribution rates and tax tables through the pages."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.helpers.reference_pages import audit, field_errors
from tests.helpers.web import text

BOUNDS = {"si_floor": "7600", "si_ceiling": "38000", "hf_floor": "2800", "hf_ceiling": "38000"}
RATES = {"pension": "0.08", "medical": "0.02", "unemployment": "0.005", "employer_pension": "0.16",
         "employer_medical": "0.09", "employer_unemployment": "0.005", "work_injury": "0.002"}
ANNUAL = [("36000", "0.03", "0"), ("144000", "0.10", "2520"), ("300000", "0.20", "16920"),
          ("420000", "0.25", "31920"), ("660000", "0.30", "52920"), ("960000", "0.35", "85920"),
          ("", "0.45", "181920")]


def _rows(model, **where):
    from hr.core.db import db

    db.session.expire_all()
    stmt = select(model)
    for k, v in where.items():
        stmt = stmt.where(getattr(model, k) == v)
    return list(db.session.execute(stmt).scalars())


def _bounds(year):
    from payroll.reference.models import ContributionBoundsRow

    rows = _rows(ContributionBoundsRow, start=date(year, 7, 1))
    return rows[0] if rows else None


def _table(kind, start=date(2019, 1, 1)):
    from payroll.reference.models import TaxTable

    rows = _rows(TaxTable, kind=kind, start=start)
    return rows[0] if rows else None


def _brackets(rows):
    data = {}
    for i, (u, r, q) in enumerate(rows):
        data.update({f"brackets-{i}-upper": u, f"brackets-{i}-rate": r, f"brackets-{i}-quick": q})
    return data


# Contribution-year bounds.

def test_new_contribution_year_starts_on_1_july(admin_client):
    html = text(admin_client.get("/payroll/reference/bounds/new"))
    assert 'value="2027"' in html and 'value="37731.00"' in html  # prefilled from the latest row
    resp = admin_client.post("/payroll/reference/bounds/new", data={"year": "2027", **BOUNDS})
    assert resp.status_code == 302
    row = _bounds(2027)
    assert row.start == date(2027, 7, 1) and row.si_floor == Decimal("7600.00")
    assert audit("contribution_bounds", "create")[0].object_id == row.id


def test_bounds_edit_is_audited_and_round_trips(admin_client):
    row = _bounds(2025)
    resp = admin_client.post(f"/payroll/reference/bounds/{row.id}/edit",
                             data={"si_floor": "7460.01", "si_ceiling": "37302.99", "hf_floor": "2690", "hf_ceiling": "37302"})
    assert resp.status_code == 302
    row = _bounds(2025)
    assert (row.si_floor, row.si_ceiling) == (Decimal("7460.01"), Decimal("37302.99"))
    assert str(row.si_floor) == "7460.01"
    entry = audit("contribution_bounds", "update")[0]
    assert entry.changes == {"si_floor": ["7460.00", "7460.01"], "si_ceiling": ["37302.00", "37302.99"]}


@pytest.mark.parametrize("overrides, field, message", [
    ({"si_floor": "40000"}, "si_ceiling", "上限不能低于下限"),
    ({"hf_ceiling": "2000"}, "hf_ceiling", "上限不能低于下限"),
    ({"si_floor": "7600.555"}, "si_floor", "最多 2 位小数"),
    ({"hf_floor": "0"}, "hf_floor", "须大于 0"),
    ({"si_ceiling": ""}, "si_ceiling", "请填写"),
    ({"year": "2025"}, "year", "已存在"),
    ({"year": "abc"}, "year", "四位年份"),
])
def test_bounds_refusals(admin_client, overrides, field, message):
    data = {"year": "2027", **BOUNDS, **overrides}
    resp = admin_client.post("/payroll/reference/bounds/new", data=data)
    assert resp.status_code == 200
    errors = field_errors(text(resp))
    assert any(message in e for e in errors.get(field, [])), errors
    assert _bounds(2027) is None and audit("contribution_bounds") == []


# Rates.

def test_rates_add_and_edit(admin_client):
    from payroll.reference.models import RateVersion

    resp = admin_client.post("/payroll/reference/rates/new", data={"start": "2027-01-01", **RATES, "pension": "0.0825"})
    assert resp.status_code == 302
    row = _rows(RateVersion, start=date(2027, 1, 1))[0]
    assert row.pension == Decimal("0.0825") and row.unemployment == Decimal("0.005")
    resp = admin_client.post(f"/payroll/reference/rates/{row.id}/edit", data={**RATES, "work_injury": "0.0016"})
    assert resp.status_code == 302
    row = _rows(RateVersion, start=date(2027, 1, 1))[0]
    assert row.work_injury == Decimal("0.0016") and row.pension == Decimal("0.08")
    assert [e.action for e in audit("rate_version")] == ["create", "update"]


@pytest.mark.parametrize("overrides, field, message", [
    ({"pension": "8"}, "pension", "小于 1"),
    ({"medical": "0.02001"}, "medical", "最多 4 位小数"),
    ({"work_injury": "-0.002"}, "work_injury", "不能为负数"),
    ({"unemployment": "百分之一"}, "unemployment", "应为数字"),
    ({"start": "2027-01-15"}, "start", "某月 1 日"),
    ({"start": "2017-01-01"}, "start", "已存在"),
    ({"start": ""}, "start", "请填写执行日期"),
])
def test_rate_refusals(admin_client, overrides, field, message):
    from payroll.reference.models import RateVersion

    resp = admin_client.post("/payroll/reference/rates/new", data={"start": "2027-01-01", **RATES, **overrides})
    assert resp.status_code == 200
    errors = field_errors(text(resp))
    assert any(message in e for e in errors.get(field, [])), errors
    assert len(_rows(RateVersion)) == 2 and audit("rate_version") == []  # the two seeded rows


# Tax tables.

def test_tax_table_page_shows_one_row_per_bracket(admin_client):
    t = _table("bonus")
    html = text(admin_client.get(f"/payroll/reference/tax/{t.id}"))
    assert html.count("<tr><td>") == 7 and "15,160" in html and "超过上一档" in html


def test_new_tax_table_version(admin_client):
    html = text(admin_client.get("/payroll/reference/tax/new/annual"))
    assert 'value="181920"' in html  # prefilled from the latest annual table
    rows = [("40000", "0.03", "0"), ("150000", "0.10", "2800"), ("", "0.20", "17800")]
    resp = admin_client.post("/payroll/reference/tax/new/annual", data={"start": "2027-01-01", **_brackets(rows)})
    assert resp.status_code == 302, field_errors(text(resp))
    t = _table("annual", date(2027, 1, 1))
    assert t.brackets == [["40000.00", "0.03", "0.00"], ["150000.00", "0.10", "2800.00"], [None, "0.20", "17800.00"]]
    from payroll.reference.services import reference

    ref = reference(date(2027, 2, 1))
    assert ref.annual_table[0].upper == Decimal("40000.00") and ref.annual_table[-1].upper is None
    assert reference(date(2026, 12, 1)).annual_table[0].upper == Decimal("36000")
    assert audit("tax_table", "create")[0].object_id == t.id


def test_edit_tax_table_brackets(admin_client):
    t = _table("annual")
    html = text(admin_client.get(f"/payroll/reference/tax/{t.id}/edit"))
    assert html.count('name="brackets-') == 36  # 12 rows × 3 inputs
    unchanged = admin_client.post(f"/payroll/reference/tax/{t.id}/edit", data=_brackets(ANNUAL), follow_redirects=True)
    assert "没有需要保存的修改" in text(unchanged) and audit("tax_table") == []
    rows = ANNUAL[:-1] + [("1200000", "0.45", "181920"), ("", "0.50", "241920")]
    resp = admin_client.post(f"/payroll/reference/tax/{t.id}/edit", data=_brackets(rows))
    assert resp.status_code == 302, field_errors(text(resp))
    assert len(_table("annual").brackets) == 8
    assert audit("tax_table", "update")[0].changes["brackets"][1][-1] == [None, "0.50", "241920.00"]


@pytest.mark.parametrize("rows, field, message", [
    ([("36000", "0.03", "0"), ("30000", "0.10", "2520"), ("", "0.20", "5520")], "brackets-1-upper", "上限须高于上一档"),
    ([("36000", "0.03", "0"), ("144000", "0.10", "2520")], "brackets-1-upper", "最后一档的上限须为空"),
    ([("36000", "0.03", "0"), ("", "0.10", "2520"), ("", "0.20", "16920")], "brackets-1-upper", "只有最后一档"),
    ([("36000", "0.10", "0"), ("", "0.03", "0")], "brackets-1-rate", "税率须高于上一档"),
    ([("36000", "0.03", "0"), ("", "0.10", "2500")], "brackets-1-quick", "速算扣除数应为 2520.00"),
    ([("36000", "3%", "0"), ("", "0.10", "2520")], "brackets-0-rate", "应为数字"),
    ([("36000", "0.03", "0.001"), ("", "0.10", "2520")], "brackets-0-quick", "最多 2 位小数"),
    ([], "brackets-0-rate", "请至少填写一档"),
])
def test_bracket_refusals(admin_client, rows, field, message):
    t = _table("annual")
    resp = admin_client.post(f"/payroll/reference/tax/{t.id}/edit", data=_brackets(rows))
    assert resp.status_code == 200
    errors = field_errors(text(resp))
    assert any(message in e for e in errors.get(field, [])), errors
    assert len(_table("annual").brackets) == 7 and audit("tax_table") == []


def test_quick_deduction_is_checked_to_the_fen_half_up(make_user):
    from payroll.reference.tables import clean_brackets

    rows = [{"upper": "36000.50", "rate": "0.03", "quick": "0"}, {"upper": "", "rate": "0.10", "quick": "2520.04"}]
    brackets, errors = clean_brackets(rows)  # 36000.50 × 0.07 = 2520.035 → 2520.04
    assert not errors and brackets[1] == [None, "0.10", "2520.04"]
    rows[1]["quick"] = "2520.03"
    assert "应为 2520.04" in clean_brackets(rows)[1]["brackets-1-quick"]


def test_unknown_tax_table_kind_is_404(admin_client):
    assert admin_client.get("/payroll/reference/tax/new/monthly").status_code == 404


@pytest.mark.parametrize("role", ["officer", "auditor"])
def test_only_the_city_administrator_edits_tables(client_as, role):
    from payroll.reference.models import RateVersion

    c = client_as(role)
    b, t = _bounds(2025), _table("annual")
    r = _rows(RateVersion)[0]
    posts = {
        "/payroll/reference/bounds/new": {"year": "2027", **BOUNDS},
        f"/payroll/reference/bounds/{b.id}/edit": BOUNDS,
        "/payroll/reference/rates/new": {"start": "2027-01-01", **RATES},
        f"/payroll/reference/rates/{r.id}/edit": {**RATES, "pension": "0.09"},
        "/payroll/reference/tax/new/annual": {"start": "2027-01-01", **_brackets(ANNUAL)},
        f"/payroll/reference/tax/{t.id}/edit": _brackets(ANNUAL[:2] + [("", "0.2", "16920")]),
    }
    for url, data in posts.items():
        assert c.get(url).status_code == 403, url
        assert c.post(url, data=data).status_code == 403, url
    assert c.get(f"/payroll/reference/tax/{t.id}").status_code == 200
    assert _bounds(2027) is None and _bounds(2025).si_floor == Decimal("7460.00")
    assert len(_rows(RateVersion)) == 2 and len(_table("annual").brackets) == 7  # the two seeded rows
    assert audit("contribution_bounds") + audit("rate_version") + audit("tax_table") == []
