"""Accounts: creation, password rules, authentication with throttling."""
from __future__ import annotations

import os
import re
import secrets
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from hr.accounts.models import ADMIN, OFFICER, REVIEWER, ROLES, ApiToken, User
from hr.core import ratelimit
from hr.core.db import db
from hr.core.errors import DomainError, ValidationError
from hr.core.timeutil import utcnow
from hr.org.models import District

DEMO_DEFAULT_PASSWORD = "Shequ2026demo"
USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{1,31}$")
# A dummy hash so that unknown user names cost the same time as known ones.
_DUMMY_HASH: dict[str, str] = {}


COMMON_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt"
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
EDGE = "0123456789!@#$%^&*()_+-=.,;:?~`'\"<>/|[]{} "
RUNS = ("abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "01234567890", "09876543210")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with open(COMMON_FILE, encoding="utf-8") as fh:
        return frozenset(w.strip() for w in fh if w.strip() and not w.startswith("#"))


def is_weak(password: str) -> bool:
    """Common (the shipped list, with digits and symbols around, letters written as digits) or
    repetitive (few distinct characters, one short chunk repeated, a keyboard or alphabet run)."""
    low = password.lower()
    common = common_passwords()
    for candidate in {low, low.strip(EDGE)}:
        if candidate in common or candidate.translate(LEET) in common:
            return True
    core = low.strip(EDGE)
    if core.translate(LEET).strip(EDGE) in common:
        return True
    if len(set(low)) <= 3 or re.fullmatch(r"(.{1,5})\1{2,}.{0,3}", low):
        return True
    return len(core) >= 6 and any(core in run for run in RUNS)


def password_problems(password: str, username: str = "", allow_demo: bool = False) -> list[str]:
    problems = []
    min_len = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < min_len:
        problems.append(f"密码至少 {min_len} 位")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        problems.append("密码须同时包含字母和数字")
    if username and username.lower() in password.lower():
        problems.append("密码不能包含用户名")
    if is_weak(password):
        problems.append("密码过于常见或有规律（如 Password123、aaaaaaaaa1），请换一个不易猜到的密码")
    if not allow_demo and not current_app.config.get("DEMO") and password == demo_password():
        problems.append("不能使用演示环境的公开密码")
    return problems


def demo_password() -> str:
    """The demo's published password (DEMO_PASSWORD, else the default printed by `make run`)."""
    return os.environ.get("DEMO_PASSWORD") or DEMO_DEFAULT_PASSWORD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def create_user(
    username: str,
    password: str,
    role: str,
    district_code: str | None = None,
    display_name: str = "",
    allow_demo: bool = False,
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
    problems = password_problems(password, username, allow_demo)
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
    revoke_tokens(user)


def revoke_tokens(user: User) -> int:
    """Revoke every API token of the user (a password change, a disabled account): a token made
    before must not outlive them, nor come back when the account is enabled again."""
    result = db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()).execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def end_sessions(user: User) -> None:
    """Invalidate every login cookie of the user (the token is part of each cookie)."""
    user.session_token = secrets.token_hex(16)


THROTTLED = "登录尝试过于频繁，请 {minutes} 分钟后再试。"


def _throttled(username: str, address: str) -> bool:
    """Count this attempt and say whether it must be refused unchecked. Three atomic counters
    (hr.core.ratelimit), whatever the name (known or not, so both get the same answers):

    - the name from this address: LOGIN_MAX_FAILURES attempts per LOGIN_LOCK_MINUTES (a success
      clears it), then refused until the window ends: guessing from one place stops, and a stranger
      elsewhere cannot lock the owner out;
    - the address: LOGIN_MAX_PER_ADDRESS attempts per window, whatever the names;
    - the name from everywhere: past LOGIN_ACCOUNT_SLOW_AFTER attempts in the window, one
      check per LOGIN_ACCOUNT_SLOW_SECONDS (slowed, never shut)."""
    cfg = current_app.config
    window = int(cfg["LOGIN_LOCK_MINUTES"]) * 60
    pair = ratelimit.hit(f"login:pair:{username}|{address}", window)
    per_address = ratelimit.hit(f"login:addr:{address}", window)
    if pair > int(cfg["LOGIN_MAX_FAILURES"]) or per_address > int(cfg["LOGIN_MAX_PER_ADDRESS"]):
        return True
    if ratelimit.hit(f"login:acct:{username}", window) > int(cfg["LOGIN_ACCOUNT_SLOW_AFTER"]):
        slot = int(cfg["LOGIN_ACCOUNT_SLOW_SECONDS"])
        return ratelimit.hit(f"login:slot:{username}", slot) > 1
    return False


def authenticate(username: str, password: str, address: str = "") -> User:
    """Return the user, or raise DomainError. Attempts are throttled per (name, address), per
    address and, more gently, per name (`_throttled`); the answers never tell a known name from
    an unknown one, nor which part was wrong."""
    cfg = current_app.config
    name = username.strip().lower()[:64]
    window = int(cfg["LOGIN_LOCK_MINUTES"]) * 60
    if _throttled(name, address):
        raise DomainError(THROTTLED.format(minutes=cfg["LOGIN_LOCK_MINUTES"]))
    user = db.session.execute(select(User).where(User.username == name)).scalar_one_or_none()
    if user is None:
        method = cfg["PASSWORD_HASH_METHOD"]
        if method not in _DUMMY_HASH:
            _DUMMY_HASH[method] = generate_password_hash(secrets.token_hex(8), method=method)
        check_password_hash(_DUMMY_HASH[method], password)
        raise DomainError("用户名或密码错误。")
    if not check_password_hash(user.password_hash, password):
        raise DomainError("用户名或密码错误。")
    ratelimit.reset(f"login:pair:{name}|{address}", window)
    if not user.active:
        raise DomainError("账号已停用，请联系市级管理员。")
    user.last_login_at = utcnow()
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
