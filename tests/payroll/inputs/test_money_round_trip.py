"""What the inputs store comes back exactly: Decimal in, the same Decimal out (2 places), on
SQLite and PostgreSQL alike (the suite runs on both)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.helpers.inputs import rows_of

AMOUNTS = ["0.01", "0.10", "1500", "1999.99", "3600.00", "999999.99", "123456.78"]


@pytest.mark.parametrize("amount", AMOUNTS)
def test_declaration_and_adjustment_amounts(worker, officer, amount):
    from hr.core.db import db
    from payroll.inputs.models import Adjustment, Declaration
    from payroll.inputs.services import add_adjustment

    db.session.add(Declaration(worker_id=worker.id, district_id=worker.district_id, kind="住房租金",
                               monthly=Decimal(amount), start_month=date(2026, 1, 1)))
    db.session.commit()
    for kind in ("补发", "补扣"):
        add_adjustment(worker, {"kind": kind, "amount": Decimal(amount), "pay_month": date(2026, 12, 1),
                                "corrects_month": date(2026, 11, 1), "reason": "核对"}, officer)
    db.session.commit()
    [d] = rows_of(Declaration)
    back, deduction = rows_of(Adjustment)
    expected = Decimal(amount).quantize(Decimal("0.01"))
    for value in (d.monthly, back.amount, -deduction.amount):
        assert isinstance(value, Decimal) and value == expected and str(value) == str(expected)


def test_base_override_round_trip(worker, officer):
    from hr.core.db import db
    from payroll.inputs.models import BaseOverride
    from payroll.inputs.options import set_base_override

    set_base_override(worker, 2026, "37302.01", "核定", officer)
    db.session.commit()
    [o] = rows_of(BaseOverride)
    assert isinstance(o.base, Decimal) and str(o.base) == "37302.01"


def test_floats_never_get_in(worker):
    from hr.core.db import db
    from payroll.inputs.models import Declaration

    db.session.add(Declaration(worker_id=worker.id, district_id=worker.district_id, kind="住房租金",
                               monthly=1500.5, start_month=date(2026, 1, 1)))
    with pytest.raises(Exception, match="float"):
        db.session.flush()
    db.session.rollback()
