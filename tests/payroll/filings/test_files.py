"""The files of a locked month: headers character for character (as filings.md lists them),
every amount against the locked run to the fen, ID check characters, refusals."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import HONGKOU
from tests.helpers.filings import sheet_rows

# filings.md §2–§4, typed here from the spec (not imported from the code under test).
STAFF = ("工号,*姓名,*证件类型,*证件号码,*国籍(地区),*性别,*出生日期,是否高级专家,*任职受雇从业类型,其他情况说明,"
         "入职年度就业情形,手机号码,任职受雇从业日期,离职日期,是否离职后补发工资,实际补发工资的月份,是否残疾,是否烈属,"
         "是否孤老,残疾证件类型,残疾证号,烈属证号,是否扣除减除费用,个人投资额,个人投资比例(%),备注,中文名,涉税事由,"
         "出生国家(地区),首次入境时间,预计离境时间,其他证件类型,其他证件号码,户籍所在地（省）,户籍所在地（市）,"
         "户籍所在地（区县）,户籍所在地（详细地址）,经常居住地（省）,经常居住地（市）,经常居住地（区县）,"
         "经常居住地（详细地址）,联系地址（省）,联系地址（市）,联系地址（区县）,联系地址（详细地址）,电子邮箱,学历,开户银行,"
         "银行账号,开户行省份,职务").split(",")
WAGES = ("工号,*姓名,*证件类型,*证件号码,本期收入,本期免税收入,基本养老保险费,基本医疗保险费,失业保险费,住房公积金,"
         "累计子女教育,累计继续教育,累计住房贷款利息,累计住房租金,累计赡养老人,累计3岁以下婴幼儿照护,累计个人养老金,"
         "企业(职业)年金,商业健康保险,税延养老保险,公务交通费用,通讯费用,律师办案费用,西藏附加减除费用,其他,"
         "准予扣除的捐赠额,减免税额,协定减免,备注").split(",")
BONUS = "工号,*姓名,*证件类型,*证件号码,*全年一次性奖金额,免税收入,其他,准予扣除的捐赠额,减免税额,协定减免,备注".split(",")


def _files(run: Any, user: Any, **kw: Any) -> dict[str, Any]:
    from payroll.filings import services

    _month, files = services.month_files(run, user, **kw)
    return {f.key: f for f in files}


def _by_kind(files: dict[str, Any], kind: str) -> list[Any]:
    return [f for f in files.values() if f.kind == kind]


def _money(v: Any) -> Decimal:
    return Decimal("0") if v is None else Decimal(str(v)).quantize(Decimal("0.01"))


def test_header_lists_have_the_spec_lengths() -> None:
    assert (len(STAFF), len(WAGES), len(BONUS)) == (51, 29, 11)


def test_tax_files_headers_and_sums_to_the_fen(locked_month: Any) -> None:
    from hr.workers.idcard import parse

    m = locked_month(people=5, adjustments=[(0, "补发", "123.45", "上月漏发"), (3, "补扣", "-10.01", "多发")])
    run = m.run
    files = _by_kind(_files(run, m.officer), "wages")
    assert len(files) == 2  # two streets
    income = Decimal("0")
    contributions = Decimal("0")
    rows_seen = 0
    for f in files:
        headers, rows = sheet_rows(f.build())
        assert headers == WAGES
        for r in rows:
            parse(r[3])  # a valid ID number, check character included
            assert r[2] == "居民身份证"
            income += _money(r[4])
            contributions += sum((_money(x) for x in r[6:10]), Decimal("0"))
        rows_seen += len(rows)
        assert f.total == sum((_money(r[4]) for r in rows), Decimal("0"))
    assert rows_seen == run.headcount
    # No bonus taxed separately in November: 本期收入 is the whole gross.
    assert income == run.gross
    assert contributions == run.pension + run.medical + run.unemployment + run.housing_fund


def test_check_sheet_and_reconciliation(locked_month: Any) -> None:
    from payroll.filings.tax import CHECK_SHEET, RECONCILE_SHEET

    m = locked_month(people=3, adjustments=[(1, "补发", "500.00", "补发")])
    for f in _by_kind(_files(m.run, m.officer), "wages"):
        content = f.build()
        headers, rows = sheet_rows(content, CHECK_SHEET)
        assert headers[3:] == ["累计收入", "累计减除费用", "累计专项扣除", "累计专项附加扣除", "累计应纳税所得额", "税率",
                               "速算扣除数", "累计应纳税额", "累计已预扣预缴税额", "本期应预扣预缴税额"]
        for r in rows:
            income, basic, si_hf, special, taxable = (_money(x) for x in r[3:8])
            assert taxable == max(Decimal("0"), income - basic - si_hf - special)
            # The year's first month here: the cumulative tax is this month's.
            assert _money(r[10]) == _money(r[11]) + _money(r[12])
        headers, rows = sheet_rows(content, RECONCILE_SHEET)
        for r in rows:
            income, bonus, contrib, wage_tax, bonus_tax, net = (_money(x) for x in r[3:9])
            assert income + bonus - contrib - wage_tax - bonus_tax == net
            assert r[-1] == "相符"


def test_bank_file_total_equals_net_and_staff_file(locked_month: Any) -> None:
    from hr.workers.idcard import parse

    m = locked_month(people=4)
    files = _files(m.run, m.officer)
    bank_total = Decimal("0")
    for f in _by_kind(files, "bank"):
        headers, rows = sheet_rows(f.build())
        assert headers == ["序号", "姓名", "证件号码", "银行账号", "开户行", "金额", "用途/摘要"]
        assert rows[-1][0] == "合计"
        body = rows[:-1]
        assert {r[6] for r in body} == {"2026年11月工资"}
        assert _money(rows[-1][5]) == sum((_money(r[5]) for r in body), Decimal("0"))
        bank_total += _money(rows[-1][5])
    assert bank_total == m.run.net
    # Everyone is new this month (no October run): all are in 人员信息采集.
    staff = _by_kind(files, "staff")
    people = 0
    for f in staff:
        headers, rows = sheet_rows(f.build())
        assert headers == STAFF
        for r in rows:
            info = parse(r[3])
            assert (r[5], r[6]) == (info.gender, f"{info.birth_date:%Y-%m-%d}")
            assert r[8] == "雇员" and r[4] == "中国"
        people += len(rows)
    assert people == 4


def test_contribution_list_totals(locked_month: Any) -> None:
    m = locked_month(people=4)
    employee = employer = Decimal("0")
    for f in _by_kind(_files(m.run, m.officer), "contributions"):
        headers, rows = sheet_rows(f.build())
        assert headers[:5] == ["序号", "姓名", "证件号码", "居委会", "社保缴费基数"]
        total = rows[-1]
        assert total[1] == "合计"
        assert _money(total[-2]) == sum((_money(r[-2]) for r in rows[:-1]), Decimal("0"))
        employee += _money(total[-2])
        employer += _money(total[-1])
    run = m.run
    assert employee == run.pension + run.medical + run.unemployment + run.housing_fund
    assert employer == run.employer_total


def test_unlocked_month_is_refused(make_month: Any, runner: Any, tmp_path: Any) -> None:
    from payroll.filings import services
    from payroll.filings.data import NotLocked

    m = make_month(people=2)
    with pytest.raises(NotLocked):
        services.month_files(m.run, m.officer)
    result = runner.invoke(args=["payroll", "filings", "2026-11", "--district", HONGKOU, "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "尚未锁定" in result.output
    assert not (tmp_path / "out").exists()


def test_cli_writes_every_file_with_chinese_names(locked_month: Any, runner: Any, make_user: Any,
                                                  tmp_path: Any) -> None:
    from sqlalchemy import select

    from hr.audit.models import AuditEntry
    from hr.core.db import db

    make_user("admin", username="admin")
    m = locked_month(people=4)
    out = tmp_path / "filings"
    result = runner.invoke(args=["payroll", "filings", "2026-11", "--district", HONGKOU, "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    streets = sorted({w.street.name for w in m.workers})
    for street in streets:
        assert f"正常工资薪金收入_{street}_2026年11月.xlsx" in names
        assert f"社保公积金缴费明细_{street}_2026年11月.xlsx" in names
        assert f"银行代发_{street}_2026年11月.xlsx" in names
    lines = [line for line in result.output.splitlines() if line.startswith(("正常", "银行", "社保", "人员"))]
    assert len(lines) == len(names)
    assert any("实发合计" in line for line in lines)
    entries = db.session.execute(select(AuditEntry).where(AuditEntry.action == "export")).scalars().all()
    assert any("申报与报送" in e.summary for e in entries)


def test_july_annual_base_declaration(locked_month: Any) -> None:
    m = locked_month(people=3, month="2026-07")
    files = _by_kind(_files(m.run, m.officer), "annual_base")
    assert files
    for f in files:
        headers, rows = sheet_rows(f.build())
        assert headers[:7] == ["序号", "姓名", "证件号码", "上年月平均工资", "平均工资来源", "社保缴费基数", "公积金缴存基数"]
        for r in rows:
            average, si = _money(r[3]), _money(r[5])
            if si != average:
                assert r[7] and ("下限" in r[7] or "上限" in r[7])
    m2 = _files(m.run, m.officer)
    assert not [f for f in m2.values() if f.kind == "bonus"]
