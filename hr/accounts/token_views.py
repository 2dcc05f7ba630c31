"""Personal API tokens on the user's own page (/account): create (shown once) and revoke."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from hr.accounts import tokens
from hr.accounts.views import bp
from hr.core.forms import Form
from hr.core.unit_of_work import unit_of_work


class TokenForm(Form):
    name = StringField("令牌名称（用途）", validators=[DataRequired("请输入令牌名称"), Length(max=64, message="名称不能超过 64 个字")])
    days = IntegerField("有效期（天）", default=tokens.DEFAULT_DAYS, validators=[
        DataRequired("请输入有效期"),
        NumberRange(1, tokens.MAX_DAYS, f"有效期须为 1–{tokens.MAX_DAYS} 天")])


def new_form() -> TokenForm:
    """The empty creation form of the account page (a template global)."""
    return TokenForm(prefix="token", formdata=None)


def my_tokens() -> list[tokens.ApiToken]:
    """For the account page (a template global)."""
    return tokens.tokens_of(current_user) if current_user.is_authenticated else []


@bp.route("/account/tokens", methods=["POST"])
@login_required
def token_create():
    form = TokenForm(prefix="token")
    if not form.validate_on_submit():
        flash("；".join(sum(form.errors.values(), [])) or "输入有误", "danger")
        return redirect(url_for("accounts.account"))
    with unit_of_work(show=False) as work:
        created = tokens.create_token(current_user, form.name.data or "", form.days.data)
    if work.error is not None:
        flash(work.error.message, "danger")
        return redirect(url_for("accounts.account"))
    # Rendered, never flashed: the session cookie is signed, not encrypted.
    return render_template("accounts/token_created.html", token=created.token, secret=created.secret)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def token_revoke(token_id: int):
    with unit_of_work(show=False) as work:
        t = tokens.revoke_token(current_user, token_id)
    if work.error is not None:
        flash(work.error.message, "danger")
    else:
        flash(f"令牌 {t.prefix}… 已撤销。", "success")
    return redirect(url_for("accounts.account"))
