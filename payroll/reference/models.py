"""Reference data as dated versions: pay scales, contribution bounds, rates, tax tables.
A new version never changes a locked month: slips keep what they were computed from."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hr.core.db import db
from hr.core.timeutil import utcnow
from payroll.db_types import DecimalText, Money


class PayScale(db.Model):
    """A pay-scale version named by the year it starts ('2017', '2025'). Amounts are JSON
    objects of decimal strings: grade_pay {"1": "4600.00", ...}, post_allowance {"LEAD": ...},
    qualification_allowance {"助理社会工作师": ...}, bonus_multiplier {"优秀": "2.0", ...}."""

    __tablename__ = "pay_scale"
    __table_args__ = {"info": {"reference": True}}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(16), unique=True)
    start: Mapped[date] = mapped_column(unique=True)
    grade_pay: Mapped[dict[str, Any]] = mapped_column(JSON)
    post_allowance: Mapped[dict[str, Any]] = mapped_column(JSON)
    performance_share: Mapped[Decimal] = mapped_column(DecimalText)
    qualification_allowance: Mapped[dict[str, Any]] = mapped_column(JSON)
    bonus_multiplier: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), default="")


class ContributionBoundsRow(db.Model):
    """Floors and ceilings of the contribution year that starts on `start` (1 July)."""

    __tablename__ = "contribution_bounds"
    __table_args__ = (
        CheckConstraint("si_floor <= si_ceiling AND hf_floor <= hf_ceiling", name="order"),
        {"info": {"reference": True}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    start: Mapped[date] = mapped_column(unique=True)
    si_floor: Mapped[Decimal] = mapped_column(Money)
    si_ceiling: Mapped[Decimal] = mapped_column(Money)
    hf_floor: Mapped[Decimal] = mapped_column(Money)
    hf_ceiling: Mapped[Decimal] = mapped_column(Money)
    updated_by: Mapped[str] = mapped_column(String(64), default="")


class RateVersion(db.Model):
    """Contribution rates in force from `start`."""

    __tablename__ = "rate_version"
    __table_args__ = {"info": {"reference": True}}

    id: Mapped[int] = mapped_column(primary_key=True)
    start: Mapped[date] = mapped_column(unique=True)
    pension: Mapped[Decimal] = mapped_column(DecimalText)
    medical: Mapped[Decimal] = mapped_column(DecimalText)
    unemployment: Mapped[Decimal] = mapped_column(DecimalText)
    employer_pension: Mapped[Decimal] = mapped_column(DecimalText)
    employer_medical: Mapped[Decimal] = mapped_column(DecimalText)
    employer_unemployment: Mapped[Decimal] = mapped_column(DecimalText)
    work_injury: Mapped[Decimal] = mapped_column(DecimalText)
    updated_by: Mapped[str] = mapped_column(String(64), default="")


class TaxTable(db.Model):
    """A tax table in force from `start`: kind 'annual' (cumulative withholding) or 'bonus'
    (monthly table for a separately taxed bonus). brackets: [[upper or null, rate, quick], ...]."""

    __tablename__ = "tax_table"
    __table_args__ = (
        UniqueConstraint("kind", "start"),
        CheckConstraint("kind IN ('annual', 'bonus')", name="kind"),
        {"info": {"reference": True}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    start: Mapped[date] = mapped_column()
    brackets: Mapped[list[Any]] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
