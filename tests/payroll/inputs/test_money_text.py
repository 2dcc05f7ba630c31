"""One reading of typed amounts in forms, Excel text cells and the API: a plain decimal, or
thousands separators where they belong. A comma used as a decimal point, a full-width comma or
digit is refused with a message, never read as another amount."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payroll.reference.amounts import AmountError, parse_money, read_number
from tests.helpers.inputs import (
    ADJUSTMENT_HEADERS,
    field_errors,
    preview_errors,
    rows_of,
    upload,
    xlsx,
)
from tests.helpers.web import text

REFUSED = ["100,00", "100，5", "1,23", "1,2345", ",100", "100,", "1,,000", "１２３", "12３", "１,２３４", "100．5",
           "1 234", "1e3", "1_000", "0x10", "٣", "1.2.3", "--1", "+5", "9" * 31]


@pytest.mark.parametrize("value", REFUSED)
def test_refused_with_a_chinese_message(value):
    with pytest.raises(AmountError) as e:
        parse_money(value, maximum=None)
    assert any("\u4e00" <= c <= "\u9fff" for c in str(e.value))


@pytest.mark.parametrize("value, expected", [("1,234.50", "1234.50"), ("12,345,678", "12345678"), ("100", "100"),
                                             (" 1234.5 ", "1234.5"), ("0.01", "0.01"), ("999,999.99", "999999.99")])
def test_accepted(value, expected):
    assert read_number(value) == Decimal(expected)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_grouped_and_plain_give_the_same_amount(amount):
    assert read_number(f"{amount:,.2f}") == read_number(f"{amount:.2f}") == amount


def _post(**overrides):
    data = {"kind": "补发", "amount": "350.50", "pay_month": "2026-12", "corrects_month": "2026-09",
            "reason": "9 月津贴漏发"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("amount", ["100,00", "100，5", "１００"])
def test_the_form_refuses_a_comma_decimal(officer_client, worker, amount):
    from payroll.inputs.models import Adjustment

    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/adjustments/new", data=_post(amount=amount))
    assert resp.status_code == 200
    assert field_errors(text(resp)).get("amount"), text(resp)[-500:]
    assert rows_of(Adjustment) == []


def test_the_form_takes_thousands_separators(officer_client, worker):
    from payroll.inputs.models import Adjustment

    resp = officer_client.post(f"/payroll/inputs/workers/{worker.id}/adjustments/new", data=_post(amount="1,234.50"))
    assert resp.status_code == 302
    assert [a.amount for a in rows_of(Adjustment)] == [Decimal("1234.50")]


def test_the_excel_import_refuses_comma_decimals(officer_client, worker):
    rows = [[worker.id_number, worker.name, "补发", "100,00", "2026-12", "2026-09", "x"],
            [worker.id_number, worker.name, "补发", "100，5", "2026-12", "2026-10", "x"],
            [worker.id_number, worker.name, "补发", "1,234.50", "2026-12", "2026-11", "x"]]
    errors = {(r, c) for r, c, _ in preview_errors(text(upload(officer_client, "adjustments",
                                                                xlsx(rows, ADJUSTMENT_HEADERS, "补发补扣"))))}
    assert errors == {(2, "金额"), (3, "金额")}


@pytest.mark.parametrize("value", ["100,00", "１２３", "1e3", "9" * 31])
def test_the_api_refuses_them_too(value):
    from marshmallow import ValidationError

    from payroll.schemas_common import MoneyText

    with pytest.raises(ValidationError):
        MoneyText().deserialize(value)
