"""Fixtures of the reliability tests: graded workers seeded in bulk (the table snapshots and the
`flask` subprocess helpers are in tests/helpers/reliability.py)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import HONGKOU, committee_in, valid_id
from tests.helpers.reliability import (
    _han,
)


@pytest.fixture
def bulk_workers(app: Flask) -> Callable[..., list[int]]:
    """n in-service workers with an entry grade, inserted in bulk (fast); returns their ids.
    The register's services are exercised elsewhere: here only volume matters."""
    from hr.core.db import db
    from hr.grades.models import Assignment
    from hr.workers.models import Worker

    def make(n: int, district_code: str = HONGKOU, hire: date = date(2024, 1, 1),
             post: str = "STAF", grade: int = 5) -> list[int]:
        committee = committee_in(district_code)
        rows = []
        for i in range(n):
            number = valid_id(area="310109")
            rows.append({
                "name": f"测试{_han(i)}", "id_number": number,
                "birth_date": date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                "gender": "男" if int(number[16]) % 2 else "女", "phone": "13812345678",
                "education": "本科", "political_status": "群众", "qualification": "无",
                "qualification_date": None, "hire_date": hire, "prior_years": 0,
                "committee_id": committee.id, "street_id": committee.street_id,
                "district_id": committee.street.district_id, "status": "在职", "leave_date": None,
                "leave_reason": "", "shiye": False, "reserve_cadre": False,
                "bank_name": "中国银行上海分行", "bank_account": f"62166{i:014d}", "version": 1,
            })
        ids = list(db.session.execute(sa.insert(Worker).returning(Worker.id), rows).scalars())
        db.session.execute(sa.insert(Assignment), [
            {"worker_id": wid, "district_id": committee.street.district_id, "post": post, "grade": grade,
             "effective": hire.replace(day=1), "reason": "入职定级"} for wid in ids
        ])
        db.session.commit()
        return ids

    return make


