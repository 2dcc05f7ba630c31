"""December with a year-end bonus taxed separately for some workers and merged for others:
本期收入 + the separately taxed bonus = gross, to the fen, street by street."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.conftest import HONGKOU
from tests.helpers.filings import lock, sheet_rows

BONUS = "工号,*姓名,*证件类型,*证件号码,*全年一次性奖金额,免税收入,其他,准予扣除的捐赠额,减免税额,协定减免,备注".split(",")


def _december(graded: Any, make_user: Any) -> Any:
    from datetime import date

    from hr.core.db import db
    from hr.grades.models import Assessment
    from payroll.inputs.models import TaxOption
    from payroll.runs import services
    from tests.conftest import district
    from tests.helpers.documents import Month, committees_in_streets, own_id_number

    committees = committees_in_streets(HONGKOU)
    workers = [graded(committee_id=committees[i % 2].id, id_number=own_id_number(), name=f"年终{'甲乙丙丁'[i]}",
                      hire_date=date(2020, 3, 1)) for i in range(4)]
    for i, w in enumerate(workers):
        db.session.add(Assessment(worker_id=w.id, district_id=w.district_id, year=2026,
                                  rating=("优秀", "合格")[i % 2]))
        if i < 3:  # the last one's bonus is merged into the month's wages
            db.session.add(TaxOption(worker_id=w.id, district_id=w.district_id, year=2026, bonus_tax="separate"))
    db.session.commit()
    officer = make_user("officer", HONGKOU, username="decofficer")
    run = services.get_or_create_run(district(HONGKOU), date(2026, 12, 1), officer)
    services.calculate_run(run, officer)
    db.session.commit()
    assert not run.blocking, run.problems
    month = Month(run, workers, officer)
    lock(month)
    return month


def test_wages_plus_separate_bonus_is_gross(graded: Any, make_user: Any) -> None:
    from payroll.filings import services

    m = _december(graded, make_user)
    _month, files = services.month_files(m.run, m.officer)
    income = bonus = Decimal("0")
    for f in files:
        if f.kind == "wages":
            _h, rows = sheet_rows(f.build())
            income += sum((Decimal(str(r[4])) for r in rows), Decimal("0"))
        elif f.kind == "bonus":
            headers, rows = sheet_rows(f.build())
            assert headers == BONUS
            bonus += sum((Decimal(str(r[4])) for r in rows), Decimal("0"))
            assert all(r[2] == "居民身份证" for r in rows)
    separate = sum((s.annual_bonus for s in _slips(m.run) if (s.inputs or {}).get("bonus_tax") == "separate"),
                   Decimal("0"))
    assert bonus == separate > 0
    assert income + bonus == m.run.gross
    # The merged bonus stays in 本期收入: one worker's bonus is not in the bonus file.
    assert len([f for f in files if f.kind == "bonus"]) >= 1
    for f in files:
        if f.kind == "wages":
            _h, rows = sheet_rows(f.build(), "逐行核对")
            assert {r[-1] for r in rows} == {"相符"}


def _slips(run: Any) -> list[Any]:
    from sqlalchemy import select

    from hr.core.db import db
    from payroll.runs.models import Payslip

    return list(db.session.execute(select(Payslip).where(Payslip.run_id == run.id)).scalars())
