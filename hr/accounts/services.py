"""Accounts: creation, password rules, authentication with throttling."""
from __future__ import annotations

import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from hr.accounts.models import ADMIN, OFFICER, REVIEWER, ROLES, User
from hr.core.db import db
from hr.core.errors import DomainError, ValidationError
from hr.core.timeutil import utcnow
from hr.org.models import District

USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{1,31}$")
# A dummy hash so that unknown user names cost the same time as known ones.
_DUMMY_HASH: dict[str, str] = {}


def password_problems(password: str, username: str = "") -> list[str]:
    problems = []
    min_len = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < min_len:
        problems.append(f"密码至少 {min_len} 位")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        problems.append("密码须同时包含字母和数字")
    if username and username.lower() in password.lower():
        problems.append("密码不能包含用户名")
    return problems


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def create_user(
    username: str,
    password: str,
    role: str,
    district_code: str | None = None,
    display_name: str = "",
) -> User:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise ValidationError("用户名须以小写字母开头，由小写字母、数字、_ . - 组成（2–32 位）", "username")
    if role not in ROLES:
        raise ValidationError(f"角色须为 {', '.join(ROLES)} 之一", "role")
    if db.session.execute(select(User.id).where(User.username == username)).first():
        raise DomainError(f"用户名 {username} 已存在", "username")
    district = None
    if district_code:
        district = db.session.execute(
            select(District).where(District.code == district_code)
        ).scalar_one_or_none()
        if district is None:
            raise ValidationError(f"区代码 {district_code} 不存在", "district")
    if role == OFFICER and district is None:
        raise ValidationError("区人事专员必须指定所属区", "district")
    if role == REVIEWER and district is None:
        raise ValidationError("区审核必须指定所属区", "district")
    if role == ADMIN and district is not None:
        raise ValidationError("市级管理员不属于某一个区", "district")
    problems = password_problems(password, username)
    if problems:
        raise ValidationError("；".join(problems), "password")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role,
        district_id=district.id if district else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    problems = password_problems(password, user.username)
    if problems:
        raise ValidationError("；".join(problems), "password")
    user.password_hash = hash_password(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Invalidate every login cookie of the user (the token is part of each cookie)."""
    user.session_token = secrets.token_hex(16)


def authenticate(username: str, password: str) -> User:
    """Return the user, or raise DomainError. After LOGIN_MAX_FAILURES failed attempts the
    account is locked for LOGIN_LOCK_MINUTES; the message never tells which part was wrong."""
    cfg = current_app.config
    user = db.session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()
    now = utcnow()
    if user is None:
        method = cfg["PASSWORD_HASH_METHOD"]
        if method not in _DUMMY_HASH:
            _DUMMY_HASH[method] = generate_password_hash(secrets.token_hex(8), method=method)
        check_password_hash(_DUMMY_HASH[method], password)
        raise DomainError("用户名或密码错误。")
    if user.locked_until and user.locked_until > now:
        minutes = int((user.locked_until - now).total_seconds() // 60) + 1
        raise DomainError(f"登录失败次数过多，账号已暂时锁定，请 {minutes} 分钟后再试。")
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= cfg["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
            raise DomainError(
                f"用户名或密码错误。已连续失败 {cfg['LOGIN_MAX_FAILURES']} 次，账号已暂时锁定，"
                f"请 {cfg['LOGIN_LOCK_MINUTES']} 分钟后再试。"
            )
        raise DomainError("用户名或密码错误。")
    if not user.active:
        raise DomainError("账号已停用，请联系市级管理员。")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return user


def load_user(user_id: str) -> User | None:
    try:
        raw_id, token = user_id.split(":", 1)
        uid = int(raw_id)
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user
