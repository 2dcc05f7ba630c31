"""Per-worker payroll inputs: special deductions, base overrides, housing-fund rate, yearly
tax options, adjustments."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr.core.db import db
from hr.core.timeutil import utcnow
from payroll.db_types import Money

DECLARATION_KINDS = ("子女教育", "3岁以下婴幼儿照护", "赡养老人", "住房贷款利息", "住房租金", "继续教育")


class Declaration(db.Model):
    """A special additional deduction (专项附加扣除) declared by the worker."""

    __tablename__ = "declaration"
    __table_args__ = (
        CheckConstraint("monthly > 0", name="positive"),
        CheckConstraint("end_month IS NULL OR end_month >= start_month", name="span"),
        Index("ix_declaration_worker", "worker_id", "start_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    dependent: Mapped[str] = mapped_column(String(32), default="")  # which child, for 子女教育
    only_child: Mapped[bool | None] = mapped_column(default=None)  # 赡养老人: 独生子女 (None: not stated)
    monthly: Mapped[Decimal] = mapped_column(Money)
    start_month: Mapped[date] = mapped_column()  # 1st of the month
    end_month: Mapped[date | None] = mapped_column()  # 1st of the last month, inclusive
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")


class BaseOverride(db.Model):
    """An officer's contribution base for one contribution year (starting 1 July)."""

    __tablename__ = "base_override"
    __table_args__ = (UniqueConstraint("worker_id", "year_start"), CheckConstraint("base > 0", name="positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    year_start: Mapped[date] = mapped_column()
    base: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(64), default="")


class PayProfile(db.Model):
    """A worker's standing choices: housing-fund rate (when not the district's) and the
    supplementary housing fund."""

    __tablename__ = "pay_profile"
    __table_args__ = (
        CheckConstraint("hf_rate_pct IS NULL OR hf_rate_pct BETWEEN 5 AND 7", name="hf_rate"),
        CheckConstraint("hf_supp_pct BETWEEN 0 AND 5", name="hf_supp"),
    )

    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    hf_rate_pct: Mapped[int | None] = mapped_column()
    hf_supp_pct: Mapped[int] = mapped_column(default=0)


class TaxOption(db.Model):
    """Per worker and year: bonus tax mode and the 13号 / 19号 cases."""

    __tablename__ = "tax_option"
    __table_args__ = (
        UniqueConstraint("worker_id", "year"),
        CheckConstraint("bonus_tax IN ('merged', 'separate')", name="bonus_tax"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    year: Mapped[int] = mapped_column()
    bonus_tax: Mapped[str] = mapped_column(String(8), default="merged")
    first_income_of_year: Mapped[bool] = mapped_column(default=False)  # 公告2020年第13号
    prior_year_low_income: Mapped[bool] = mapped_column(default=False)  # 公告2020年第19号


class Adjustment(db.Model):
    """补发 (back pay, positive) or 补扣 (deduction, negative): taxable wages of the month it is
    paid in. `corrects_month` names the month it corrects. Automatic ones come from
    retroactive changes to locked months."""

    __tablename__ = "adjustment"
    __table_args__ = (
        CheckConstraint("amount != 0", name="nonzero"),
        CheckConstraint("kind IN ('补发', '补扣')", name="kind"),
        CheckConstraint("(kind = '补发' AND amount > 0) OR (kind = '补扣' AND amount < 0)", name="sign"),
        Index("ix_adjustment_district_month", "district_id", "pay_month"),
        Index("ix_adjustment_worker", "worker_id", "pay_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    pay_month: Mapped[date] = mapped_column()
    kind: Mapped[str] = mapped_column(String(4))
    amount: Mapped[Decimal] = mapped_column(Money)  # signed: 补扣 negative
    reason: Mapped[str] = mapped_column(String(200))
    corrects_month: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")

    worker = relationship("Worker")
