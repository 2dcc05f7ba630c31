"""Personal API tokens: creation (the token is returned once, only its hash is stored),
revocation, and the check made on every API request."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from hr.accounts.models import ApiToken, User
from hr.audit.services import record
from hr.core.db import db
from hr.core.errors import DomainError, NotFound, ValidationError
from hr.core.timeutil import utcnow

PREFIX = "shq_"
DEFAULT_DAYS = 90
MAX_DAYS = 365
MAX_ACTIVE = 20  # usable tokens per user


class TokenRefused(DomainError):
    """Missing, unknown, expired or revoked: answered 401. `token` is the row when known."""

    status = 401

    def __init__(self, message: str, token: ApiToken | None = None) -> None:
        super().__init__(message)
        self.token = token


@dataclass(frozen=True)
class Created:
    token: ApiToken
    secret: str  # the full token, to be shown once


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(user: User, name: str, days: int | None = None, actor: Any = None) -> Created:
    """A new token for `user`, valid `days` days (default 90, at most 365)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("请输入令牌名称（用途）", "name")
    if len(name) > 64:
        raise ValidationError("令牌名称不能超过 64 个字", "name")
    days = DEFAULT_DAYS if days is None else days
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"有效期须为 1–{MAX_DAYS} 天", "days")
    if not user.active:
        raise DomainError("账号已停用，不能创建令牌。")
    now = utcnow()
    active = db.session.execute(
        select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
                                  ApiToken.expires_at > now)
    ).all()
    if len(active) >= MAX_ACTIVE:
        raise DomainError(f"有效令牌已达 {MAX_ACTIVE} 个，请先撤销不用的令牌。")
    secret = PREFIX + secrets.token_urlsafe(32)  # 32 random bytes
    token = ApiToken(user_id=user.id, name=name, token_hash=digest(secret), prefix=secret[:12],
                     created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    record("create", "api_token", token.id, district_id=user.district_id, user=actor or user,
           summary=f"创建 API 令牌 {token.prefix}…（{name}，{days} 天）")
    return Created(token, secret)


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.execute(
        select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ).unique().scalars())


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (another user's is answered as missing)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("令牌不存在。")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        record("delete", "api_token", token.id, district_id=user.district_id, user=user,
               summary=f"撤销 API 令牌 {token.prefix}…（{token.name}）")
    return token


def authenticate(header: str | None) -> ApiToken:
    """The token of an `Authorization: Bearer …` header, usable now; raises TokenRefused."""
    scheme, _, secret = (header or "").strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise TokenRefused("Authorization 头须为 “Bearer <令牌>”。")
    if not secret.startswith(PREFIX) or len(secret) > 100:
        raise TokenRefused("令牌无效。")
    token = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == digest(secret))
    ).unique().scalar_one_or_none()
    if token is None:
        raise TokenRefused("令牌无效。")
    now = utcnow()
    if token.revoked_at is not None:
        raise TokenRefused("令牌已被撤销。", token)
    if token.expires_at <= now:
        raise TokenRefused("令牌已过期，请在“我的账号”页面创建新令牌。", token)
    if not token.user.active:
        raise TokenRefused("账号已停用。", token)
    return token
