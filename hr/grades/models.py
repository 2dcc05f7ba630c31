"""Posts and grades as a dated timeline, annual assessments, and district settings."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr.core.db import db
from hr.core.timeutil import utcnow
from hr.core.vocabulary import POST_NAMES, POST_RANGES

REASONS = ("入职定级", "年度晋级", "提前晋级", "岗位变动", "资格晋级", "纠错")
QUALIFICATION_MODES = {"allowance": "发放职业资格津贴", "grade": "职业资格晋升等级"}

GRADE_IN_RANGE = " OR ".join(f"(post = '{post}' AND grade BETWEEN {lo} AND {hi})" for post, (lo, hi) in POST_RANGES.items())
PROMOTION_REASONS = "reason IN ('年度晋级', '提前晋级')"


class Assignment(db.Model):
    """One entry of a worker's post/grade timeline, in force from `effective` (a 1st of a
    month) until the next entry. Entries are never edited: a correction is a new entry with
    reason 纠错 (`corrects_id` names the entry it corrects). For one worker and date the entry in
    force is the one with the latest (effective, id)."""

    __tablename__ = "assignment"
    __table_args__ = (
        CheckConstraint(GRADE_IN_RANGE, name="grade_in_post_range"),
        CheckConstraint("post IN ('LEAD', 'SUPV', 'STAF')", name="post"),
        CheckConstraint(
            "reason IN ('入职定级', '年度晋级', '提前晋级', '岗位变动', '资格晋级', '纠错')", name="reason"
        ),
        Index("ix_assignment_worker_effective", "worker_id", "effective", "id"),
        Index("ix_assignment_district_effective", "district_id", "effective"),
        # One promotion per worker and date: approving the same run twice (two officers at
        # once, a double click) cannot write two rises.
        Index("uq_assignment_promotion", "worker_id", "effective", unique=True,
              sqlite_where=text(PROMOTION_REASONS), postgresql_where=text(PROMOTION_REASONS)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    post: Mapped[str] = mapped_column(String(4))
    grade: Mapped[int] = mapped_column()
    effective: Mapped[date] = mapped_column()
    reason: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(String(200), default="")
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_by: Mapped[str] = mapped_column(String(64), default="")
    # In qualification_mode 'grade': the qualification whose grades this entry includes (an
    # entry grade or a 资格晋级), so that a later, higher one adds only the difference.
    qualification: Mapped[str] = mapped_column(String(12), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    worker = relationship("Worker")

    @property
    def post_name(self) -> str:
        return POST_NAMES[self.post]


class Assessment(db.Model):
    """The annual rating: one per worker per calendar year."""

    __tablename__ = "assessment"
    __table_args__ = (
        UniqueConstraint("worker_id", "year"),
        CheckConstraint("rating IN ('优秀', '合格', '基本合格', '不合格')", name="rating"),
        Index("ix_assessment_district_year", "district_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    year: Mapped[int] = mapped_column()
    rating: Mapped[str] = mapped_column(String(4))
    entered_by: Mapped[str] = mapped_column(String(64), default="")
    entered_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DistrictSetting(db.Model):
    """Per-district choices the rule book leaves to the district."""

    __tablename__ = "district_setting"
    __table_args__ = (
        CheckConstraint("qualification_mode IN ('allowance', 'grade')", name="qualification_mode"),
        CheckConstraint("si_rounding IN ('half_up', 'jiao_up')", name="si_rounding"),
        CheckConstraint("hf_rate_pct BETWEEN 5 AND 7", name="hf_rate"),
    )

    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), primary_key=True)
    qualification_mode: Mapped[str] = mapped_column(String(10), default="allowance")
    hf_rate_pct: Mapped[int] = mapped_column(default=7)  # housing fund, whole percent 5–7
    si_rounding: Mapped[str] = mapped_column(String(8), default="half_up")  # or 见分进角
    pay_day: Mapped[int] = mapped_column(default=15)  # day of the month wages are paid
    # 审批须由他人: whoever calculated a payroll month cannot also approve it.
    approval_by_other: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
