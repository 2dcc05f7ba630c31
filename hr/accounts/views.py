from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from hr.accounts import services
from hr.accounts.forms import LoginForm, PasswordForm, UserForm
from hr.accounts.models import User
from hr.accounts.scope import require_admin
from hr.audit.services import record
from hr.core.db import db
from hr.core.errors import DomainError
from hr.core.forms import choices
from hr.core.unit_of_work import unit_of_work
from hr.org.models import District

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site. Browsers read a backslash as a slash and drop tabs and
    newlines, so a backslash or a control character could turn "/x" into "//evil.example"."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(ord(c) < 32 or ord(c) == 127 for c in target)
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data or "", form.password.data or "",
                                         request.remote_addr or "")
        except DomainError as e:
            db.session.commit()  # keep the failure counter
            flash(e.message, "danger")
            return render_template("accounts/login.html", form=form), 200
        session.clear()  # a fresh session on every login
        session.permanent = True
        login_user(user)
        record("login", "user", user.id, district_id=user.district_id, summary="登录", user=user)
        db.session.commit()
        return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.end_sessions(current_user)  # a copy of the old cookie must not log in again
    db.session.commit()
    logout_user()
    session.clear()
    flash("已退出登录。", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.authenticate(current_user.username, form.current.data or "", request.remote_addr or "")
            services.set_password(current_user, form.new.data or "")
        except DomainError as e:
            db.session.commit()
            form.new.errors = [e.message] if e.field == "password" else []
            if e.field != "password":
                form.current.errors = [e.message]
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # the new session token
            flash("密码已修改。", "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form)


@bp.route("/users")
@login_required
def users():
    require_admin()
    rows = db.session.execute(select(User).order_by(User.role, User.username)).scalars().all()
    return render_template("accounts/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def user_new():
    require_admin()
    form = UserForm()
    districts = db.session.execute(select(District).order_by(District.code)).scalars().all()
    form.district.choices = choices([("", "全市")] + [(d.code, d.name) for d in districts])
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            user = services.create_user(
                form.username.data or "",
                form.password.data or "",
                form.role.data or "",
                form.district.data or None,
                form.display_name.data or "",
            )
            record("create", "user", user.id, district_id=user.district_id, summary=f"新建账号 {user.username}")
        if work.ok:
            flash(f"账号 {user.username} 已创建。", "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form)


@bp.route("/users/<int:user_id>/toggle", methods=["POST"])
@login_required
def user_toggle(user_id: int):
    require_admin()
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash("不能停用自己的账号。", "warning")
        return redirect(url_for("accounts.users"))
    user.active = not user.active
    services.end_sessions(user)
    if not user.active:
        services.revoke_tokens(user)
    record("update", "user", user.id, district_id=user.district_id,
           summary=("启用" if user.active else "停用") + f"账号 {user.username}")
    db.session.commit()
    return redirect(url_for("accounts.users"))
