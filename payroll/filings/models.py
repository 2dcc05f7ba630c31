"""Bank payment file formats (代发格式) as reference data, and the format each district uses."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr.core.db import db
from hr.core.timeutil import utcnow
from payroll.db_types import Money

FILE_TYPES = {"xlsx": "Excel 工作簿", "csv": "CSV 文本", "txt": "定长文本"}
ENCODINGS = {"utf-8": "UTF-8", "gbk": "GBK"}
TOTALS = {"header": "首行汇总", "trailer": "末行汇总"}
# The columns a bank file may hold, in the words of filings.md §6.
BANK_COLUMNS = {
    "seq": "序号", "name": "姓名", "id_number": "证件号码", "account": "银行账号",
    "bank": "开户行", "amount": "金额", "purpose": "用途/摘要",
}


class BankFormat(db.Model):
    """One bank's layout: file type, encoding, ordered columns (keys of BANK_COLUMNS, with a
    width each for fixed text) and where the count and total go."""

    __tablename__ = "bank_format"
    __table_args__ = (
        CheckConstraint("file_type IN ('xlsx', 'csv', 'txt')", name="file_type"),
        CheckConstraint("encoding IN ('utf-8', 'gbk')", name="encoding"),
        CheckConstraint("totals IN ('header', 'trailer')", name="totals"),
        {"info": {"reference": True}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    file_type: Mapped[str] = mapped_column(String(8))
    encoding: Mapped[str] = mapped_column(String(8), default="utf-8")
    # [{"key": "name", "width": 20}, ...] in file order; width is used by fixed text only.
    columns: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    totals: Mapped[str] = mapped_column(String(8), default="trailer")
    separator: Mapped[str] = mapped_column(String(1), default=",")

    @property
    def keys(self) -> list[str]:
        return [str(c["key"]) for c in self.columns]


class DistrictBankFormat(db.Model):
    """The bank format a district's payment files use (the generic one when none is chosen)."""

    __tablename__ = "district_bank_format"

    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), primary_key=True)
    bank_format_id: Mapped[int] = mapped_column(ForeignKey("bank_format.id"))

    bank_format = relationship("BankFormat", lazy="joined")


class AnnualStatement(db.Model):
    """An issued annual income and tax statement (年度收入纳税明细): its verification code and
    the totals printed on it, so that a bank or consulate can check the paper at /verify."""

    __tablename__ = "annual_statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    year: Mapped[int] = mapped_column()
    months: Mapped[int] = mapped_column()
    gross: Mapped[Decimal] = mapped_column(Money)
    iit: Mapped[Decimal] = mapped_column(Money)
    net: Mapped[Decimal] = mapped_column(Money)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(64), default="")
