"""Payroll runs (one per district and month) and the payslips they hold."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr.core.db import db
from hr.core.timeutil import utcnow
from payroll.db_types import Money

STATUSES = {"draft": "草稿", "calculated": "已计算", "approved": "已审批", "locked": "已锁定"}

# Amount columns a run totals, in slip order (earnings, deductions, net, employer cost).
TOTAL_FIELDS = ("gross", "pension", "medical", "unemployment", "housing_fund", "iit", "net", "employer_total")


class PayrollRun(db.Model):
    __tablename__ = "payroll_run"
    __table_args__ = (
        UniqueConstraint("district_id", "month"),
        CheckConstraint("status IN ('draft', 'calculated', 'approved', 'locked')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    month: Mapped[date] = mapped_column()  # the 1st
    status: Mapped[str] = mapped_column(String(12), default="draft")
    headcount: Mapped[int] = mapped_column(default=0)
    gross: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    pension: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    medical: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    unemployment: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    housing_fund: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    iit: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    net: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    employer_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    # [{"code", "message", "blocking", "worker_id"}]
    problems: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    calculated_at: Mapped[datetime | None] = mapped_column()
    calculated_by: Mapped[str] = mapped_column(String(64), default="")
    approved_at: Mapped[datetime | None] = mapped_column()
    approved_by: Mapped[str] = mapped_column(String(64), default="")
    locked_at: Mapped[datetime | None] = mapped_column()
    locked_by: Mapped[str] = mapped_column(String(64), default="")
    # The accounts behind the names above (none for a command run without --as).
    calculated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The last entry of the pay change log the calculation saw: later entries make the run stale.
    change_mark: Mapped[int | None] = mapped_column()
    version: Mapped[int] = mapped_column(default=1)

    district = relationship("District", lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_name(self) -> str:
        return STATUSES[self.status]

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def blocking(self) -> list[dict[str, Any]]:
        return [p for p in (self.problems or []) if p.get("blocking")]


class Payslip(db.Model):
    """One worker's pay for one month, with what it was computed from. Never edited once
    its run is locked."""

    __tablename__ = "payslip"
    __table_args__ = (
        UniqueConstraint("run_id", "worker_id"),
        Index("ix_payslip_worker_month", "worker_id", "month"),
        Index("ix_payslip_district_month", "district_id", "month"),
        Index("ix_payslip_run_street", "run_id", "street_id", "committee_id"),
        CheckConstraint("days_served BETWEEN 1 AND days_in_month", name="days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payroll_run.id", ondelete="CASCADE"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"))  # the employer
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id"))
    month: Mapped[date] = mapped_column()
    # What it was computed from.
    name: Mapped[str] = mapped_column(String(32))
    post: Mapped[str] = mapped_column(String(4))
    grade: Mapped[int] = mapped_column()
    scale_version: Mapped[str] = mapped_column(String(16))
    assignment_id: Mapped[int | None] = mapped_column()
    qualification: Mapped[str] = mapped_column(String(12), default="无")
    days_served: Mapped[int] = mapped_column()
    days_in_month: Mapped[int] = mapped_column()
    inputs: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Earnings.
    grade_pay: Mapped[Decimal] = mapped_column(Money)
    post_allowance: Mapped[Decimal] = mapped_column(Money)
    performance: Mapped[Decimal] = mapped_column(Money)
    qualification_allowance: Mapped[Decimal] = mapped_column(Money)
    annual_bonus: Mapped[Decimal] = mapped_column(Money)
    adjustments: Mapped[Decimal] = mapped_column(Money)
    # [{"kind", "amount", "reason", "corrects_month", "auto"}]
    adjustment_lines: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    gross: Mapped[Decimal] = mapped_column(Money)
    # Bases and deductions.
    si_base: Mapped[Decimal] = mapped_column(Money)
    hf_base: Mapped[Decimal] = mapped_column(Money)
    pension: Mapped[Decimal] = mapped_column(Money)
    medical: Mapped[Decimal] = mapped_column(Money)
    unemployment: Mapped[Decimal] = mapped_column(Money)
    housing_fund: Mapped[Decimal] = mapped_column(Money)
    iit: Mapped[Decimal] = mapped_column(Money)
    bonus_tax: Mapped[Decimal] = mapped_column(Money)  # part of iit when the bonus is taxed separately
    net: Mapped[Decimal] = mapped_column(Money)
    # Employer cost.
    employer_pension: Mapped[Decimal] = mapped_column(Money)
    employer_medical: Mapped[Decimal] = mapped_column(Money)
    employer_unemployment: Mapped[Decimal] = mapped_column(Money)
    employer_injury: Mapped[Decimal] = mapped_column(Money)
    employer_housing_fund: Mapped[Decimal] = mapped_column(Money)
    employer_total: Mapped[Decimal] = mapped_column(Money)
    # Cumulative withholding state after this month, for this employer and year.
    tax_months: Mapped[int] = mapped_column()
    special: Mapped[Decimal] = mapped_column(Money)  # special deductions counted this month
    cum_wages: Mapped[Decimal] = mapped_column(Money)
    cum_si_hf: Mapped[Decimal] = mapped_column(Money)
    cum_special: Mapped[Decimal] = mapped_column(Money)
    cum_basic: Mapped[Decimal] = mapped_column(Money)
    cum_tax: Mapped[Decimal] = mapped_column(Money)
    # Difference from the previous month and why.
    change: Mapped[Decimal | None] = mapped_column(Money)
    change_reason: Mapped[str] = mapped_column(String(200), default="")

    run = relationship("PayrollRun")

    @property
    def deductions(self) -> Decimal:
        return self.pension + self.medical + self.unemployment + self.housing_fund + self.iit
