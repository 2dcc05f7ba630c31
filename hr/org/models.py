"""Organisation: city → districts → streets/towns → committees."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr.core.db import db

STREET_KINDS = ("街道", "镇", "乡")
COMMITTEE_KINDS = ("居委会", "村委会")


class District(db.Model):
    __tablename__ = "district"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    pinyin: Mapped[str] = mapped_column(String(32), unique=True)

    streets = relationship("Street", back_populates="district", order_by="Street.code")

    def __repr__(self) -> str:
        return f"<District {self.code} {self.name}>"


class Street(db.Model):
    """A 街道, 镇 or 乡: the employer and tax withholding agent of its workers."""

    __tablename__ = "street"
    __table_args__ = (
        UniqueConstraint("district_id", "name"),
        CheckConstraint("kind IN ('街道', '镇', '乡')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(9), unique=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    name: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(4))
    # As the withholding agent (扣缴义务人): the name registered with the tax office and the
    # unified social credit code (统一社会信用代码, GB 32100), kept by the city administrator.
    tax_name: Mapped[str] = mapped_column(String(64), default="")
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)

    district = relationship("District", back_populates="streets")
    committees = relationship("Committee", back_populates="street", order_by="Committee.code")


class Committee(db.Model):
    """A 居委会 or 村委会."""

    __tablename__ = "committee"
    __table_args__ = (
        UniqueConstraint("street_id", "name"),
        CheckConstraint("kind IN ('居委会', '村委会')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"), index=True)
    name: Mapped[str] = mapped_column(String(48))
    kind: Mapped[str] = mapped_column(String(4))

    street = relationship("Street", back_populates="committees", lazy="joined")
