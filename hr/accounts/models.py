"""User accounts and their roles."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr.core.db import db
from hr.core.timeutil import utcnow

ADMIN = "admin"
OFFICER = "officer"
AUDITOR = "auditor"
REVIEWER = "reviewer"
ROLES = {ADMIN: "市级管理员", OFFICER: "区人事专员", REVIEWER: "区审核", AUDITOR: "只读审计"}


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'officer', 'reviewer', 'auditor')", name="role"),
        CheckConstraint("role != 'officer' OR district_id IS NOT NULL", name="officer_district"),
        CheckConstraint("role != 'reviewer' OR district_id IS NOT NULL", name="reviewer_district"),
        CheckConstraint("role != 'admin' OR district_id IS NULL", name="admin_city"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    # Part of the login cookie: changing it (logout, password change) invalidates every session.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column()

    district = relationship("District", lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def role_name(self) -> str:
        return ROLES[self.role]

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def can_write(self) -> bool:
        return self.role in (ADMIN, OFFICER)

    @property
    def can_approve(self) -> bool:
        """May approve or send back payroll runs and promotion lists (never edit inputs)."""
        return self.role in (ADMIN, OFFICER, REVIEWER)

    @property
    def actor_name(self) -> str:
        return self.display_name or self.username

    @property
    def scope_label(self) -> str:
        return self.district.name if self.district else "全市"


class ApiToken(db.Model):
    """A personal API token (`Authorization: Bearer <token>`), acting with its user's role and
    district. Only the SHA-256 of the token is kept; the token itself is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # the first characters, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()

    user = relationship("User", lazy="joined", innerjoin=True)

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now and self.user.active

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "已撤销"
        return "有效" if self.expires_at > utcnow() else "已过期"
