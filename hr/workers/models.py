"""The staff register: one row per community worker."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr.core.db import db
from hr.core.timeutil import utcnow


class Worker(db.Model):
    __tablename__ = "worker"
    __table_args__ = (
        CheckConstraint("status IN ('在职', '离职', '退休')", name="status"),
        CheckConstraint("status = '在职' OR leave_date IS NOT NULL", name="leave_date"),
        CheckConstraint("leave_date IS NULL OR leave_date >= hire_date", name="leave_after_hire"),
        CheckConstraint("prior_years >= 0 AND prior_years <= 60", name="prior_years"),
        Index("ix_worker_district_name", "district_id", "name"),
        Index("ix_worker_district_street", "district_id", "street_id", "status"),
        Index("ix_worker_committee_name", "committee_id", "name"),
        Index("ix_worker_district_name_key", "district_id", "name_key"),
        Index("ix_worker_district_id_tail", "district_id", "id_tail"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    birth_date: Mapped[date] = mapped_column()
    gender: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str] = mapped_column(String(20), default="")
    education: Mapped[str] = mapped_column(String(8))
    political_status: Mapped[str] = mapped_column(String(8))
    qualification: Mapped[str] = mapped_column(String(12), default="无")
    qualification_date: Mapped[date | None] = mapped_column()
    hire_date: Mapped[date] = mapped_column()
    prior_years: Mapped[int] = mapped_column(default=0)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id"))
    # Denormalised from the committee by the service, so that scope and filters need no join.
    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    status: Mapped[str] = mapped_column(String(4), default="在职")
    leave_date: Mapped[date | None] = mapped_column()
    leave_reason: Mapped[str] = mapped_column(String(200), default="")
    shiye: Mapped[bool] = mapped_column(default=False)  # 事业待遇: outside the 3×18 payroll
    first_job: Mapped[bool] = mapped_column(default=False)  # 首次参加工作: housing fund from the 2nd month
    reserve_cadre: Mapped[bool] = mapped_column(default=False)  # 后备干部
    bank_name: Mapped[str] = mapped_column(String(64), default="")
    bank_account: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # Kept by the mapper events below (hr.workers.sortkeys): the name's pinyin for sorting and
    # the ID's last four characters for searching by what a masked ID shows.
    name_key: Mapped[str] = mapped_column(String(255), default="", server_default="")
    id_tail: Mapped[str] = mapped_column(String(4), default="", server_default="")

    committee = relationship("Committee", lazy="joined", innerjoin=True)
    street = relationship("Street", lazy="joined", innerjoin=True)
    district = relationship("District", lazy="joined", innerjoin=True)

    __mapper_args__ = {"version_id_col": version}

    @property
    def in_service(self) -> bool:
        return self.status == "在职"


class QualificationRecord(db.Model):
    """The dated history of a worker's qualification: one row each time it is set or changed
    (registration, edit, import). Payroll reads it to find changes that reach back into
    locked months."""

    __tablename__ = "qualification_record"
    __table_args__ = (Index("ix_qualification_record_district_at", "district_id", "recorded_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    qualification: Mapped[str] = mapped_column(String(12))
    qualification_date: Mapped[date | None] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(64), default="")


@event.listens_for(Worker, "before_insert")
@event.listens_for(Worker, "before_update")
def _derived_columns(mapper: Any, connection: Any, worker: Worker) -> None:
    from hr.workers.sortkeys import refresh

    refresh(worker)
