"""The demo's withholding agents: every street of the district gets its registered name and a
code that python-stdnum's GB 32100 check accepts; the district gets a bank format."""
from __future__ import annotations

import random
from typing import Any

from tests.conftest import HONGKOU


def test_demo_agents_have_valid_codes(make_user: Any) -> None:
    from stdnum.cn import uscc

    from hr.core.db import db
    from payroll.filings.models import DistrictBankFormat
    from seed.demo.filings import seed_agents
    from tests.conftest import district

    make_user("admin", username="admin")
    d = district(HONGKOU)
    seed_agents(random.Random(1), [], d)
    db.session.commit()
    codes = [s.credit_code for s in d.streets]
    assert codes and all(uscc.is_valid(c) for c in codes) and len(set(codes)) == len(codes)
    assert all(s.tax_name.startswith("上海市虹口区") for s in d.streets)
    assert db.session.get(DistrictBankFormat, d.id) is not None
    seed_agents(random.Random(1), [], d)  # again: nothing changes, nothing fails
    db.session.commit()
    assert [s.credit_code for s in d.streets] == codes
