from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response

bp = Blueprint("help", __name__)


@bp.route("/help")
def manual() -> str:
    """The manual is the same for everyone and shows no data, so it needs no login."""
    return render_template("help/manual.html")


@bp.route("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page links: send them to the static icon."""
    return redirect(url_for("static", filename="favicon.ico"), 301)
