"""Bank formats as reference data: the district's choice decides the payment file's type,
encoding, columns and where the count and total go; every total equals the run's net."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import HONGKOU


def _choose(code: str, make_user: Any) -> None:
    from hr.core.db import db
    from payroll.filings import services
    from tests.conftest import district

    services.choose_format(district(HONGKOU), code, make_user("admin", username=f"bank{code.lower()}"))
    db.session.commit()


def _bank_files(run: Any, user: Any) -> list[Any]:
    from payroll.filings import services

    _m, files = services.month_files(run, user)
    return [f for f in files if f.kind == "bank"]


def test_shipped_formats_are_reference_data() -> None:
    from payroll.filings.services import bank_formats

    codes = {f.code: f for f in bank_formats()}
    assert {"GENERIC", "BANK_CSV", "BANK_TXT"} <= set(codes)
    assert codes["BANK_CSV"].encoding == codes["BANK_TXT"].encoding == "gbk"


def test_csv_gbk_with_a_header_total(locked_month: Any, make_user: Any) -> None:
    m = locked_month(people=4, names=["欧阳娜娜", "司马光", "张三丰", "李四"])
    _choose("BANK_CSV", make_user)
    total = Decimal("0")
    count = 0
    for f in _bank_files(m.run, m.officer):
        assert f.filename.endswith("_2026年11月.csv")
        raw = f.build()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")  # the names are in GBK, not UTF-8
        rows = list(csv.reader(io.StringIO(raw.decode("gbk"))))
        n, amount, purpose = rows[0]
        assert rows[1] == ["序号", "银行账号", "姓名", "金额", "用途/摘要"]
        body = rows[2:]
        assert int(n) == len(body) and Decimal(amount) == sum((Decimal(r[3]) for r in body), Decimal("0"))
        assert purpose == "2026年11月工资"
        total += Decimal(amount)
        count += len(body)
    assert (total, count) == (m.run.net, m.run.headcount)


def test_fixed_width_gbk_with_a_trailer(locked_month: Any, make_user: Any) -> None:
    from hr.workers.idcard import parse
    from payroll.filings.bank import DEFAULT_FORMATS

    m = locked_month(people=3, names=["欧阳娜娜", "司马光", "张三丰"])
    _choose("BANK_TXT", make_user)
    widths = [c["width"] for c in next(f for f in DEFAULT_FORMATS if f["code"] == "BANK_TXT")["columns"]]
    total = Decimal("0")
    for f in _bank_files(m.run, m.officer):
        lines = f.build().split(b"\r\n")
        assert lines[-1] == b""
        body, trailer = lines[:-2], lines[-2]
        for line in body:
            assert len(line) == sum(widths)  # bytes, a GBK character counting two
            cut, fields = 0, []
            for w in widths:
                fields.append(line[cut:cut + w].decode("gbk").strip())
                cut += w
            parse(fields[3])
        amounts = [Decimal(line[sum(widths[:4]):sum(widths[:5])].decode("gbk")) for line in body]
        assert int(trailer[:8]) == len(body)
        assert Decimal(trailer[8:].decode("ascii")) == sum(amounts, Decimal("0"))
        total += sum(amounts, Decimal("0"))
    assert total == m.run.net


def test_a_name_too_wide_for_the_layout_is_refused_not_cut() -> None:
    from payroll.filings.bank import BankSpec, Payment, bank_file

    spec = BankSpec("T", "t", "txt", "gbk", (("name", 4), ("amount", 10)), "trailer")
    with pytest.raises(ValueError, match="超出"):
        bank_file(spec, [Payment("欧阳娜娜", "", "", "", Decimal("1.00"))], "")


def test_workbook_bank_sheet_follows_the_districts_format(make_month: Any, make_user: Any) -> None:
    from payroll.documents import services as documents
    from tests.helpers.filings import sheet_rows

    m = make_month(people=3)
    _h, rows = sheet_rows(documents.export_payroll(m.run, m.officer).content, "银行代发")
    assert _h == ["序号", "姓名", "开户行", "银行账号", "实发合计"]  # the workbook's own layout by default
    _choose("BANK_CSV", make_user)
    headers, rows = sheet_rows(documents.export_payroll(m.run, m.officer).content, "银行代发")
    assert headers == ["序号", "银行账号", "姓名", "金额", "用途/摘要"]
    assert rows[-1][0] == "合计"
    assert sum((Decimal(str(r[3])) for r in rows[:-1]), Decimal("0")) == Decimal(str(rows[-1][3])) == m.run.net
    assert {r[4] for r in rows[:-1]} == {"2026年11月工资"}
