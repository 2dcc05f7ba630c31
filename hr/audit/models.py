"""The audit log: who did what, when, and what changed."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hr.core.db import db
from hr.core.timeutil import utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_object", "object_type", "object_id"),
        Index("ix_audit_district_at", "district_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None] = mapped_column()
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    summary: Mapped[str] = mapped_column(String(200), default="")
    # {field: [before, after]} for changes; free-form detail for exports and prints.
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
