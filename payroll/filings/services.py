"""The filings of a locked month for a user: which files there are (per street/town and kind,
with rows and totals), each file's bytes, the zip of all, and the audit entry of every
generation or download. Services flush; the view or CLI commits once."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import select

from hr.accounts.scope import require_admin
from hr.audit.services import record
from hr.core.db import db
from hr.core.errors import DomainError, Forbidden, NotFound
from hr.org.models import District
from payroll.calc.money import ZERO
from payroll.calc.reference import bounds_for
from payroll.filings import bank, social, tax
from payroll.filings.book import XLSX
from payroll.filings.data import MonthFiling, StreetFiling, load_month
from payroll.filings.models import BankFormat, DistrictBankFormat
from payroll.runs.models import PayrollRun

ZIP = "application/zip"
# Kinds of file, in the order the page and the zip list them.
KINDS = {
    "staff": "人员信息采集", "wages": "正常工资薪金收入", "bonus": "全年一次性奖金收入",
    "contributions": "社保公积金缴费明细", "changes": "社保公积金增减员", "annual_base": "年度缴费基数申报",
    "bank": "银行代发",
}
WHERE = {
    "staff": "个税扣缴端 · 人员信息采集 · 导入", "wages": "个税扣缴端 · 综合所得申报 · 正常工资薪金所得 · 导入",
    "bonus": "个税扣缴端 · 综合所得申报 · 全年一次性奖金收入 · 导入", "contributions": "社保经办 / 公积金中心 · 月度缴费核对",
    "changes": "社保经办 / 公积金中心 · 增减员", "annual_base": "社保经办 / 公积金中心 · 年度基数申报（每年7月）",
    "bank": "代发银行 · 批量代发",
}
TOTAL_LABELS = {"wages": "本期收入合计", "bonus": "奖金合计", "contributions": "个人及单位缴费合计",
                "bank": "实发合计"}


@dataclass(frozen=True)
class Filing:
    """One file of the month: what it is, for which street/town, its rows and total, and how
    to build it."""

    kind: str
    street_id: int
    street_name: str
    filename: str
    mimetype: str
    rows: int
    total: Decimal | None
    build: Callable[[], bytes]

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def where(self) -> str:
        return WHERE[self.kind]

    @property
    def total_label(self) -> str:
        return TOTAL_LABELS.get(self.kind, "")

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.street_id}"


@dataclass(frozen=True)
class Built:
    content: bytes
    filename: str
    mimetype: str
    count: int


def require_full_ids(user: Any) -> None:
    """The tax, social insurance and bank files carry full ID numbers and accounts: only roles
    that may see full IDs (city administrator, district officer) download them; the read-only
    auditor sees the list with its counts and totals and is refused the files."""
    if getattr(user, "role", None) not in ("admin", "officer"):
        raise Forbidden("只读审计账号不能下载含完整身份证号的申报文件，可查看文件清单及合计。")


# Bank formats -------------------------------------------------------------------------
def load_default_formats() -> dict[str, int]:
    """The shipped formats (adds only what is missing)."""
    have = set(db.session.execute(select(BankFormat.code)).scalars())
    added = 0
    for f in bank.DEFAULT_FORMATS:
        if f["code"] not in have:
            db.session.add(BankFormat(**f))
            added += 1
    db.session.flush()
    return {"bank_formats": added}


def bank_formats() -> list[BankFormat]:
    return list(db.session.execute(select(BankFormat).order_by(BankFormat.id)).scalars())


def district_format(district_id: int) -> BankFormat:
    """The district's chosen format, else the generic one."""
    chosen = db.session.get(DistrictBankFormat, district_id)
    if chosen is not None:
        return chosen.bank_format
    fmt = db.session.execute(select(BankFormat).where(BankFormat.code == "GENERIC")).scalar_one_or_none()
    if fmt is None:
        fmt = db.session.execute(select(BankFormat).order_by(BankFormat.id)).scalars().first()
    if fmt is None:
        raise DomainError("尚未配置银行代发格式，请先加载参考数据（flask seed reference）。")
    return fmt


def choose_format(district: District, code: str, user: Any) -> BankFormat:
    """Set the district's bank format (city administrators)."""
    require_admin(user)
    fmt = db.session.execute(select(BankFormat).where(BankFormat.code == code)).scalar_one_or_none()
    if fmt is None:
        raise NotFound("银行代发格式不存在。")
    row = db.session.get(DistrictBankFormat, district.id)
    before = row.bank_format.code if row else ""
    if row is None:
        db.session.add(DistrictBankFormat(district_id=district.id, bank_format_id=fmt.id))
    else:
        row.bank_format_id = fmt.id
    db.session.flush()
    record("update", "district", district.id, district_id=district.id, user=user,
           summary=f"{district.name} 银行代发格式：{fmt.name}", changes={"bank_format": [before, fmt.code]})
    return fmt


# The files of a month -------------------------------------------------------------------
def _name(kind: str, street: StreetFiling, month: MonthFiling, ext: str = "xlsx") -> str:
    return f"{KINDS[kind]}_{street.name}_{month.month_cn}.{ext}"


def month_files(run: PayrollRun, user: Any, *, all_staff: bool = False) -> tuple[MonthFiling, list[Filing]]:
    """Every file of a locked month, per street/town: nothing is built until asked."""
    from payroll.reference.services import reference

    month = load_month(run, user)
    ref = reference(run.month)
    bounds = bounds_for(ref.bounds, run.month) if ref.bounds else None
    spec = bank.spec_of(district_format(run.district_id))
    purpose = f"{month.month_cn}工资"
    out: list[Filing] = []
    for street in month.streets:
        rows = street.rows
        changed = {p.worker_id: p for p, _ in street.joiners + street.leavers}
        people = [r.person for r in rows] if all_staff else list(changed.values())
        if people:
            out.append(Filing("staff", street.street_id, street.name, _name("staff", street, month), XLSX,
                              len(people), None, partial(tax.staff_workbook, people, month.month)))
        if not rows:
            continue
        out.append(Filing("wages", street.street_id, street.name, _name("wages", street, month), XLSX, len(rows),
                          sum((r.wage_income for r in rows), ZERO),
                          partial(tax.wages_workbook, rows, month.month, ref.annual_table)))
        bonus = tax.bonus_rows(rows)
        if bonus:
            out.append(Filing("bonus", street.street_id, street.name, _name("bonus", street, month), XLSX,
                              len(bonus), sum((r.separate_bonus for r in bonus), ZERO),
                              partial(tax.bonus_workbook, rows)))
        contrib = sum((a[-1] + a[-2] for a in map(social.contribution_amounts, rows)), ZERO)
        out.append(Filing("contributions", street.street_id, street.name, _name("contributions", street, month),
                          XLSX, len(rows), contrib, partial(social.contributions_workbook, rows)))
        if street.joiners or street.leavers:
            bases = {r.person.worker_id: (r.slip.si_base, r.slip.hf_base) for r in rows}
            out.append(Filing("changes", street.street_id, street.name, _name("changes", street, month), XLSX,
                              len(street.joiners) + len(street.leavers), None,
                              partial(social.changes_workbook, street.joiners, street.leavers, bases)))
        if run.month.month == 7:
            out.append(Filing("annual_base", street.street_id, street.name, _name("annual_base", street, month),
                              XLSX, len(rows), None, partial(social.annual_base_workbook, rows, bounds)))
        payments = [bank.Payment(r.person.name, r.person.id_number, r.person.bank_account, r.person.bank_name,
                                 r.slip.net) for r in rows]
        out.append(Filing("bank", street.street_id, street.name, _name("bank", street, month, spec.extension),
                          spec.mimetype, len(rows), sum((p.amount for p in payments), ZERO),
                          partial(bank.bank_file, spec, payments, purpose)))
    order = list(KINDS)
    out.sort(key=lambda f: (order.index(f.kind), _street_order(month, f.street_id)))
    return month, out


def _street_order(month: MonthFiling, street_id: int) -> int:
    return next(i for i, s in enumerate(month.streets) if s.street_id == street_id)


def _audit(run: PayrollRun, user: Any, summary: str, detail: dict[str, Any]) -> None:
    record("export", "payroll_run", run.id, district_id=run.district_id, user=user, summary=summary, changes=detail)


def build_file(run: PayrollRun, user: Any, key: str, *, all_staff: bool = False) -> Built:
    """One file by its key (kind-street id), audited."""
    require_full_ids(user)
    month, files = month_files(run, user, all_staff=all_staff)
    found = next((f for f in files if f.key == key), None)
    if found is None:
        raise NotFound("该申报文件不存在。")
    content = _build(found)
    _audit(run, user, f"生成申报文件 {month.district_name} {month.label} {found.filename}（{found.rows} 行）",
           {"file": found.filename, "rows": found.rows, "total": str(found.total) if found.total is not None else None})
    return Built(content, found.filename, found.mimetype, found.rows)


def _build(f: Filing) -> bytes:
    try:
        return f.build()
    except ValueError as e:  # a value that does not fit the bank's fixed-width layout
        raise DomainError(f"{f.filename}：{e}") from None


def zip_name(month: MonthFiling) -> str:
    return f"申报与报送_{month.district_name}_{month.month_cn}.zip"


def build_zip(run: PayrollRun, user: Any, *, all_staff: bool = False,
              progress: Callable[[int], None] | None = None) -> Built:
    """All the month's files in one zip (UTF-8 names), one audit entry listing them."""
    require_full_ids(user)
    month, files = month_files(run, user, all_staff=all_staff)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            zf.writestr(f"{f.street_name}/{f.filename}", _build(f))
            if progress:
                progress(1)
    name = zip_name(month)
    _audit(run, user, f"生成申报与报送文件包 {month.district_name} {month.label}（{len(files)} 个文件）",
           {"file": name, "files": [f.filename for f in files]})
    return Built(buf.getvalue(), name, ZIP, len(files))


def write_files(run: PayrollRun, user: Any, directory: Any, *, all_staff: bool = False,
                progress: Callable[[int], None] | None = None) -> list[tuple[Filing, Any]]:
    """Write every file into `directory` (CLI); one audit entry."""
    from pathlib import Path

    require_full_ids(user)
    month, files = month_files(run, user, all_staff=all_staff)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for f in files:
        path = folder / f.filename
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(_build(f))
        tmp.replace(path)
        written.append((f, path))
        if progress:
            progress(1)
    _audit(run, user, f"生成申报与报送文件 {month.district_name} {month.label}（{len(files)} 个文件）",
           {"folder": str(folder), "files": [f.filename for f in files]})
    return written


def summary(files: list[Filing]) -> dict[str, Any]:
    return {"files": len(files), "rows": sum(f.rows for f in files)}


def months_of(district_id: int) -> list[date]:
    return list(db.session.execute(
        select(PayrollRun.month).where(PayrollRun.district_id == district_id, PayrollRun.status == "locked")
        .order_by(PayrollRun.month.desc())).scalars())


def workbook_bank_columns(district_id: int, purpose: str) -> list[Any] | None:
    """The payroll workbook's bank sheet in the district's chosen bank format (its columns in
    its order), or None to keep the workbook's own layout when the district chose none."""
    from payroll.documents.sheets import INT, MONEY, TEXT
    from payroll.filings.models import BANK_COLUMNS

    chosen = db.session.get(DistrictBankFormat, district_id)
    if chosen is None:
        return None
    values: dict[str, tuple[str, Callable[[Any, int], object]]] = {
        "seq": (INT, lambda r, n: n), "name": (TEXT, lambda r, n: r.name),
        "id_number": (TEXT, lambda r, n: r.id_number), "account": (TEXT, lambda r, n: r.bank_account),
        "bank": (TEXT, lambda r, n: r.bank_name), "amount": (MONEY, lambda r, n: r.net),
        "purpose": (TEXT, lambda r, n: purpose),
    }
    return [(BANK_COLUMNS[k], values[k][0], values[k][1]) for k in chosen.bank_format.keys]


# Annual statements (年度收入纳税明细) ------------------------------------------------------
PDF = "application/pdf"


def _static() -> str:
    from flask import current_app

    return str(current_app.static_folder)


def worker_statement(worker: Any, year: int, user: Any) -> Built:
    """One worker's statement of the year as PDF, recorded with its code and audited."""
    from payroll.filings import statement

    doc = statement.issue(worker, year, user)
    content = statement.statement_pdf(doc, _static())
    name = statement.filename(doc)
    record("print", "worker", worker.id, district_id=worker.district_id, user=user,
           summary=f"出具年度收入纳税明细 {worker.name} {year}年（验证码 {doc.code}）",
           changes={"file": name, "year": year, "code": doc.code})
    return Built(content, name, PDF, 1)


def statement_workers(district_id: int, year: int, user: Any) -> list[Any]:
    """Workers of the district with a locked slip in the year (scoped to the user)."""
    from hr.accounts.scope import district_filter
    from hr.workers.models import Worker
    from payroll.runs.models import Payslip

    ids = select(Payslip.worker_id).join(PayrollRun, PayrollRun.id == Payslip.run_id).where(
        Payslip.district_id == district_id, PayrollRun.status == "locked",
        Payslip.month >= date(year, 1, 1), Payslip.month <= date(year, 12, 1))
    return list(db.session.execute(
        select(Worker).where(Worker.id.in_(ids), district_filter(Worker.district_id, user))
        .order_by(Worker.street_id, Worker.committee_id, Worker.name, Worker.id)).unique().scalars())


def district_statements(district: District, year: int, user: Any,
                        progress: Callable[[int], None] | None = None) -> Built:
    """Every statement of a district's year, one PDF per worker in a zip by street."""
    from payroll.filings import statement

    workers = statement_workers(district.id, year, user)
    if not workers:
        raise NotFound(f"{district.name} {year} 年没有已锁定的工资。")
    buf = io.BytesIO()
    issued = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for w in workers:
            doc, row = statement.prepare(w, year, user)
            zf.writestr(f"{w.street.name}/{statement.filename(doc)[:-4]}_{w.id}.pdf",
                        statement.statement_pdf(doc, _static()))
            issued.append(row)
            if progress:
                progress(1)
    db.session.add_all(issued)
    db.session.flush()
    name = f"年度收入纳税明细_{district.name}_{year}年.zip"
    record("print", "district", district.id, district_id=district.id, user=user,
           summary=f"出具年度收入纳税明细 {district.name} {year}年（{len(workers)} 人）",
           changes={"file": name, "year": year, "workers": len(workers)})
    return Built(buf.getvalue(), name, ZIP, len(workers))


def _statements_job(job: Any, user: Any, progress: Callable[[int], None]) -> Built:
    district = db.session.get(District, job.district_id)
    if district is None:
        raise NotFound("区不存在。")
    return district_statements(district, int((job.params or {})["year"]), user, progress)


def register_jobs() -> None:
    from payroll.jobs.services import Kind, register_kind

    register_kind("annual_statements", Kind("年度收入纳税明细", _statements_job, "print"))


def compare_client_export(run: PayrollRun, user: Any, content: bytes, filename: str) -> list[Any]:
    """The workers whose tax in the client's export differs from ours (audited as an import)."""
    from payroll.filings import compare

    require_full_ids(user)
    month = load_month(run, user)
    theirs = compare.read_client_export(content)
    ours = [(s.name, r) for s in month.streets for r in s.rows]
    found = compare.compare(ours, theirs)
    record("import", "payroll_run", run.id, district_id=run.district_id, user=user,
           summary=f"核对扣缴端税款计算 {month.district_name} {month.label}：{len(found)} 人不一致",
           changes={"file": filename, "rows": len(theirs), "differences": len(found)})
    return found
