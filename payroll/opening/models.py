"""期初累计: one row per worker and year."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr.core.db import db
from hr.core.timeutil import utcnow
from payroll.db_types import Money


class OpeningBalance(db.Model):
    """The cumulative withholding state of a worker with this employer in `year` before
    `first_month`, the district's first month in the system: what the first month's
    cumulative tax continues from."""

    __tablename__ = "opening_balance"
    __table_args__ = (
        UniqueConstraint("worker_id", "year"),
        CheckConstraint("months BETWEEN 0 AND 11", name="months"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    year: Mapped[int] = mapped_column()
    first_month: Mapped[date] = mapped_column()  # the 1st of the first month in the system
    months: Mapped[int] = mapped_column()  # months of basic deduction (5,000 each) already counted
    cum_income: Mapped[Decimal] = mapped_column(Money)  # cumulative taxable income (wages)
    cum_si_hf: Mapped[Decimal] = mapped_column(Money)  # employee social insurance and housing fund
    # Special additional deductions counted, by kind: {"子女教育": "12000.00", ...}
    special: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    cum_special: Mapped[Decimal] = mapped_column(Money)
    cum_tax: Mapped[Decimal] = mapped_column(Money)  # tax withheld
    last_year_income: Mapped[Decimal | None] = mapped_column(Money)  # with this employer, for 19号
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")

    worker = relationship("Worker")
