"""Excellent-secretary studios (优秀书记工作室), their members and yearly cohorts, mentoring
pairings (传帮带) and the activities logged for them (pay rules §7).

Every table carries `district_id` (the studio's district, copied by the services) so that the
scoping helper filters each of them without a join. What a database can check is checked here;
the rest (eligibility, outranking, dates against other rows) is in `rules.py` and `services.py`."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr.core.db import db
from hr.core.timeutil import utcnow
from hr.mentoring.rules import ACTIVE

FILE_KINDS = {"plan": "带教计划", "summary": "年度总结"}

IS_ACTIVE = text("status = '进行中'")
IS_OPEN = text("left_on IS NULL")
MAX_SLOT = 50  # a sanity bound; the capacity itself is the MENTORING_MAX_MENTEES setting


class Studio(db.Model):
    """A studio of one district, optionally of one of its streets, led by a 领衔人."""

    __tablename__ = "studio"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("street.id"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    founded: Mapped[date] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)
    intro: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    district = relationship("District", lazy="joined", innerjoin=True)
    street = relationship("Street", lazy="joined")
    lead = relationship("Worker", lazy="joined", innerjoin=True)

    @property
    def place(self) -> str:
        return self.street.name if self.street else f"{self.district.name}（全区）"


class StudioMember(db.Model):
    """A mentor's membership of a studio, from `joined` to `left_on` (inclusive; open when None)."""

    __tablename__ = "studio_member"
    __table_args__ = (
        CheckConstraint("left_on IS NULL OR left_on >= joined", name="left_after_joined"),
        # One open membership per studio and worker.
        Index("uq_studio_member_open", "studio_id", "worker_id", unique=True,
              sqlite_where=IS_OPEN, postgresql_where=IS_OPEN),
        Index("ix_studio_member_worker", "worker_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    studio_id: Mapped[int] = mapped_column(ForeignKey("studio.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    joined: Mapped[date] = mapped_column()
    left_on: Mapped[date | None] = mapped_column()

    studio = relationship("Studio", lazy="joined", innerjoin=True)
    worker = relationship("Worker", lazy="joined", innerjoin=True)


class Cohort(db.Model):
    """A studio's yearly cohort (届): opened on a date, with a plan and a summary."""

    __tablename__ = "cohort"
    __table_args__ = (
        UniqueConstraint("studio_id", "year"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    studio_id: Mapped[int] = mapped_column(ForeignKey("studio.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    year: Mapped[int] = mapped_column()
    opened: Mapped[date] = mapped_column()
    plan: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")

    studio = relationship("Studio", lazy="joined", innerjoin=True)
    files = relationship("CohortFile", order_by="CohortFile.id", viewonly=True)


class CohortFile(db.Model):
    """A plan or summary document, stored under UPLOAD_FOLDER/mentoring with a random name."""

    __tablename__ = "cohort_file"
    __table_args__ = (
        CheckConstraint("kind IN ('plan', 'summary')", name="kind"),
        CheckConstraint("size > 0", name="size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    kind: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str] = mapped_column(String(128))  # as uploaded, for the download
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    mimetype: Mapped[str] = mapped_column(String(96))
    size: Mapped[int] = mapped_column()
    uploaded_by: Mapped[str] = mapped_column(String(64), default="")
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    cohort = relationship("Cohort", lazy="joined", innerjoin=True)

    @property
    def kind_name(self) -> str:
        return FILE_KINDS[self.kind]


class Pairing(db.Model):
    """A mentor and a mentee of one studio's cohort, from `start` to `end` (inclusive).

    Active means status 进行中, whatever the dates: a pairing past its end date stays active
    until the officer records its 结业 or 终止. `slot` is the mentor's place (1…limit) while
    active: two pairings racing for a mentor's last place cannot both take it."""

    __tablename__ = "pairing"
    __table_args__ = (
        CheckConstraint("mentor_id != mentee_id", name="not_self"),
        CheckConstraint("status IN ('进行中', '已结业', '提前终止')", name="status"),
        CheckConstraint("evaluation IS NULL OR evaluation IN ('优秀', '合格', '不合格')", name="evaluation"),
        CheckConstraint("end_on > start_on", name="dates"),
        CheckConstraint(f"slot BETWEEN 1 AND {MAX_SLOT}", name="slot"),
        CheckConstraint(
            "(status = '已结业' AND evaluation IS NOT NULL) OR (status != '已结业' AND evaluation IS NULL)",
            name="evaluation_on_graduation"),
        CheckConstraint("status != '提前终止' OR end_reason != ''", name="termination_reason"),
        CheckConstraint(
            "(status = '进行中' AND closed_on IS NULL) OR (status != '进行中' AND closed_on IS NOT NULL "
            "AND closed_on >= start_on)", name="closed_on"),
        Index("uq_pairing_active_mentee", "mentee_id", unique=True,
              sqlite_where=IS_ACTIVE, postgresql_where=IS_ACTIVE),
        Index("uq_pairing_active_slot", "mentor_id", "slot", unique=True,
              sqlite_where=IS_ACTIVE, postgresql_where=IS_ACTIVE),
        Index("ix_pairing_district_year", "district_id", "year"),
        Index("ix_pairing_studio", "studio_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    studio_id: Mapped[int] = mapped_column(ForeignKey("studio.id"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    year: Mapped[int] = mapped_column()
    mentor_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    slot: Mapped[int] = mapped_column()
    start_on: Mapped[date] = mapped_column()
    end_on: Mapped[date] = mapped_column()
    status: Mapped[str] = mapped_column(String(4), default=ACTIVE)
    evaluation: Mapped[str | None] = mapped_column(String(4))
    end_reason: Mapped[str] = mapped_column(String(200), default="")
    closed_on: Mapped[date | None] = mapped_column()
    basis: Mapped[str] = mapped_column(String(200), default="")  # why the mentee qualifies / was matched
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    studio = relationship("Studio", lazy="joined", innerjoin=True)
    mentor = relationship("Worker", foreign_keys=[mentor_id], lazy="joined", innerjoin=True)
    mentee = relationship("Worker", foreign_keys=[mentee_id], lazy="joined", innerjoin=True)

    @property
    def active(self) -> bool:
        return self.status == ACTIVE


class Activity(db.Model):
    """One mentoring activity. Hours are kept as integer tenths (0.5 h → 5) so that both
    databases give back exactly what was entered; `hours` is the Decimal with one place."""

    __tablename__ = "mentoring_activity"
    __table_args__ = (
        CheckConstraint("kind IN ('带教', '研讨', '沙龙', '现场教学', '微课堂')", name="kind"),
        CheckConstraint("tenths BETWEEN 5 AND 240", name="hours"),
        Index("ix_mentoring_activity_pairing", "pairing_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairing.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    held_on: Mapped[date] = mapped_column()
    kind: Mapped[str] = mapped_column(String(8))
    tenths: Mapped[int] = mapped_column()
    notes: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pairing = relationship("Pairing", lazy="joined", innerjoin=True)

    @property
    def hours(self) -> Decimal:
        return Decimal(self.tenths).scaleb(-1)
